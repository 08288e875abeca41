"""An optional online geocoder: a Nominatim-compatible `search` endpoint, asked only when configured."""

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from makeworks.lib import safe_json

MAX_RESPONSE_BYTES = 256 * 1024


@dataclass(frozen=True)
class GeocodedPlace:
    latitude: float
    longitude: float
    label: str


def geocode(
    text: str, *, url: str, timeout: float = 3.0, user_agent: str = "makeworks"
) -> GeocodedPlace | None:
    """The best match for a place name, or None when the service finds nothing, fails or answers nonsense.

    A failing geocoder must never break a search, so every error ends as None.
    """
    if not url.startswith(("http://", "https://")):
        return None
    query = urllib.parse.urlencode({"q": text, "format": "jsonv2", "limit": 1})
    request = urllib.request.Request(f"{url}?{query}", headers={"User-Agent": user_agent})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 -- scheme checked above
            body = response.read(MAX_RESPONSE_BYTES + 1)
        if len(body) > MAX_RESPONSE_BYTES:
            return None
        results = safe_json.loads(body)
        first = results[0]
        latitude, longitude = float(first["lat"]), float(first["lon"])
    except (OSError, ValueError, KeyError, IndexError, TypeError, urllib.error.URLError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return GeocodedPlace(latitude, longitude, str(first.get("display_name", text))[:200])
