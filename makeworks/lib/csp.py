"""Content-Security-Policy source expressions for the hosts the settings name (tile server, media, site)."""

from urllib.parse import urlsplit


def origin_source(url: str) -> str | None:
    """The origin of an absolute http(s) URL or Leaflet URL template, as a CSP source, or None.

    A template's "{s}" subdomain becomes the wildcard CSP allows in a host's leftmost label
    ("https://{s}.tile.example/{z}/{x}/{y}.png" → "https://*.tile.example"); any other placeholder in
    the host cannot be written as a source, so no source is given for it.
    """
    parts = urlsplit(url.strip())
    netloc = parts.netloc.replace("{s}.", "*.", 1) if parts.netloc.startswith("{s}.") else parts.netloc
    if parts.scheme not in {"http", "https"} or not netloc or "{" in netloc or "@" in netloc:
        return None
    return f"{parts.scheme}://{netloc.lower()}"
