"""Checking and cleaning the values of an Open Know-Where record: text, numbers, lists, coordinates,
countries and web addresses. A value of the wrong kind raises OkwFileError naming the file, the record and
the field (as the specification names it: "location.gpsCoordinates"); a value that was cleaned is noted."""

import datetime
import math
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django_countries import countries

from machinery_map.okw.fields import camel_case
from machinery_map.okw.reading import OkwFileError
from machinery_map.okw.report import ImportNote, OkwImportReport

MAX_FIELD = {"name": 200, "address": 255, "city": 120, "postcode": 20}


def spec_path(field_path: str) -> str:
    """ "location.gps_coordinates" as the specification spells it: "location.gpsCoordinates"."""
    return ".".join(camel_case(part) for part in field_path.split("."))


class Problems:
    """What one record reports: notes (it was cleaned) and, at most, the reason it is skipped."""

    def __init__(self, report: OkwImportReport, where: str) -> None:
        self.report = report
        self.where = where

    def note(self, message: str) -> None:
        self.report.notes.append(ImportNote(self.where, message))

    def malformed(self, field_path: str, message: str) -> OkwFileError:
        return OkwFileError(
            _("%(where)s, field %(field)s: %(message)s")
            % {"where": self.where, "field": spec_path(field_path), "message": message}
        )


def clean_text(value: Any, *, field_path: str, problems: Problems, multiline: bool = False) -> str:
    """Text as stored: control and format characters removed (and reported), spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2014-05-01 as a date
        value = value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise problems.malformed(
            field_path, _("expected text, found %(found)s.") % {"found": type(value).__name__}
        )
    text = unicodedata.normalize("NFC", str(value))
    keep_newlines = {"\n", "\r"} if multiline else set()
    odd = [c for c in text if unicodedata.category(c).startswith("C") and c not in keep_newlines]
    if odd:
        problems.note(
            _("odd characters removed from %(field)s: %(chars)s")
            % {"field": field_path, "chars": ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(odd))}
        )
    kept = "".join(" " if c in odd else c for c in text)
    if multiline:
        return "\n".join(" ".join(line.split()) for line in kept.replace("\r", "").split("\n")).strip()
    return " ".join(kept.split())


def limited(text: str, *, field_name: str, problems: Problems, drop: bool = False) -> str:
    limit = MAX_FIELD[field_name]
    if len(text) <= limit:
        return text
    if drop:
        problems.note(
            _("%(field)s “%(value)s” is longer than %(limit)d characters and was left out.")
            % {"field": field_name, "value": text[:60], "limit": limit}
        )
        return ""
    problems.note(_("%(field)s cut to %(limit)d characters.") % {"field": field_name, "limit": limit})
    return text[:limit]


def as_object(value: Any, *, field_path: str, problems: Problems) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise problems.malformed(
            field_path, _("expected an object, found %(found)s.") % {"found": type(value).__name__}
        )
    return value


def as_list(value: Any, *, field_path: str, problems: Problems) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise problems.malformed(
            field_path, _("expected a list, found %(found)s.") % {"found": type(value).__name__}
        )
    return value


def number(value: Any, *, field_path: str, problems: Problems) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise problems.malformed(field_path, _("expected a number, found true or false."))
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            pass
    raise problems.malformed(
        field_path, _("expected a number, found “%(value)s”.") % {"value": str(value)[:40]}
    )


def whole(value: Any, *, field_path: str, problems: Problems) -> int | None:
    amount = number(value, field_path=field_path, problems=problems)
    if amount is None:
        return None
    if not math.isfinite(amount) or amount != int(amount) or amount < 0:
        raise problems.malformed(
            field_path, _("expected a whole number of at least 0, found “%(value)s”.") % {"value": value}
        )
    return int(amount)


def coordinates(location: dict[str, Any], problems: Problems) -> tuple[float, float, str] | None:
    """GPS coordinates from any of the shapes producers use: "lat, lon", [lat, lon], {lat, lon}, or
    separate latitude and longitude properties; with the field they came from, to name in a message."""
    candidates: list[tuple[str, Any]] = [
        ("location.gps_coordinates", location.get("gps_coordinates")),
        ("location.coordinates", location.get("coordinates")),
    ]
    for field_path, value in candidates:
        if value in (None, "", [], {}):
            continue
        if isinstance(value, str):
            parts = [part for part in value.replace(";", ",").split(",") if part.strip()]
            if len(parts) != 2:
                raise problems.malformed(
                    field_path,
                    _("expected “latitude, longitude”, found “%(value)s”.") % {"value": value[:60]},
                )
            latitude = number(parts[0], field_path=field_path, problems=problems)
            longitude = number(parts[1], field_path=field_path, problems=problems)
        elif isinstance(value, list) and len(value) == 2:
            latitude = number(value[0], field_path=field_path, problems=problems)
            longitude = number(value[1], field_path=field_path, problems=problems)
        elif isinstance(value, dict):
            latitude = number(
                value.get("lat", value.get("latitude")), field_path=field_path, problems=problems
            )
            longitude = number(
                value.get("lon", value.get("lng", value.get("long", value.get("longitude")))),
                field_path=field_path,
                problems=problems,
            )
        else:
            raise problems.malformed(field_path, _("expected coordinates."))
        if latitude is not None and longitude is not None:
            return latitude, longitude, spec_path(field_path)
    latitude = number(location.get("latitude"), field_path="location.latitude", problems=problems)
    longitude = number(location.get("longitude"), field_path="location.longitude", problems=problems)
    if latitude is not None and longitude is not None:
        return latitude, longitude, "location.latitude, location.longitude"
    return None


def country(value: str, problems: Problems) -> str:
    if not value:
        return ""
    if value.upper() in dict(countries):
        return value.upper()
    code = countries.by_name(value)
    if code:
        return str(code)
    problems.note(
        _("the country “%(value)s” is not one we know, so it was left out.") % {"value": value[:60]}
    )
    return ""


def url(value: str, *, field_name: str, problems: Problems) -> str:
    if not value:
        return ""
    candidate = value if "://" in value else f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(candidate)
    except ValidationError:
        problems.note(
            _("%(field)s “%(value)s” is not a web address, so it was left out.")
            % {"field": field_name, "value": value[:80]}
        )
        return ""
    return candidate if len(candidate) <= 200 else ""
