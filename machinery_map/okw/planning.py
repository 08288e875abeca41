"""Planning an Open Know-Where import, and the rules it follows. Every record is planned (checked,
cleaned, mapped onto the taxonomies) before anything is written; importing.py then writes them all in one
transaction, or none.

- A malformed file or field (invalid JSON, a quantity that is not a number) stops the run: OkwFileError
  names the file, the record and the field, and nothing is written.
- A record that cannot become a hub (no name, no coordinates) is skipped
  and reported with its reason; a machine whose type is not in the taxonomy likewise. What was cleaned on
  the way (odd characters, an invalid web address dropped, an unknown process) is reported as a note.
- A facility is found again by its OKW id (or URL) when it has one, else by its folded name and rounded
  coordinates; a document this site exported is matched to the hub it came from. Machines are matched
  within their facility by type, make, model and serial number, so importing a file twice changes nothing.
"""

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from badges.models import BadgeClass
from directory.models import Listing, Term, Vocabulary
from machinery_map.matching import Lookup, fold_name, is_url
from machinery_map.models import HUB_KINDS, Equipment, EquipmentType, ManufacturingProcess
from machinery_map.okw.fields import (
    EQUIPMENT_INTEGERS,
    EQUIPMENT_READ,
    EQUIPMENT_TEXTS,
    FACILITY_STATUSES,
    OKW_TO_ACCESS,
    STATUS_WORDS,
    camel_case,
)
from machinery_map.okw.reading import OkwFileError, SourceRecord
from makeworks.lib.text import fold

# Facility properties the planner reads itself; any other is kept on the OKW record and exported again.
FACILITY_READ = {
    "id", "name", "location", "owner", "contact", "facility_status", "access_type", "description",
    "date_founded", "equipment", "manufacturing_processes", "typical_batch_size", "certifications",
    "record_data", "url",
}  # fmt: skip
# Coordinates are rounded to about 10 m in a facility's key, so re-exported decimals still match.
KEY_DECIMALS = 4
# Keys per query when looking up earlier imports: well under SQLite's limit on query parameters.
FACILITY_LOOKUP_CHUNK = 500
MAX_FIELD = {"name": 200, "address": 255, "city": 120, "postcode": 20}


@dataclass(frozen=True)
class ImportNote:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class OkwImportReport:
    dry_run: bool
    files: int = 0
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    machines_created: int = 0
    machines_updated: int = 0
    machines_unchanged: int = 0
    machines_removed: int = 0
    skipped: list[ImportNote] = field(default_factory=list)
    machines_skipped: list[ImportNote] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)

    @property
    def summary(self) -> str:
        counts = {
            "records": self.records,
            "files": self.files,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "m_created": self.machines_created,
            "m_updated": self.machines_updated,
            "m_unchanged": self.machines_unchanged,
            "m_removed": self.machines_removed,
            "m_skipped": len(self.machines_skipped),
            "notes": len(self.notes),
        }
        text = (
            _(
                "%(records)d facilities read from %(files)d file(s): %(created)d created, "
                "%(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped. Machines: "
                "%(m_created)d created, %(m_updated)d updated, %(m_unchanged)d unchanged, "
                "%(m_removed)d removed, %(m_skipped)d skipped. %(notes)d notes."
            )
            % counts
        )
        if self.dry_run:
            return _("Dry run, nothing written. %(text)s") % {"text": text}
        return text


@dataclass
class MachinePlan:
    equipment_type: EquipmentType
    processes: list[ManufacturingProcess] | None
    materials: list[Term]
    required_badges: list[BadgeClass]
    fields: dict[str, Any]
    key: str = ""


@dataclass
class FacilityPlan:
    record: SourceRecord
    key: str
    listing_fields: dict[str, Any]
    facility_fields: dict[str, Any]
    facility_processes: list[ManufacturingProcess]
    machines: list[MachinePlan]
    # The hub this site exported the document from, when it is one of ours.
    own_hub: Listing | None = None


Named = TypeVar("Named", EquipmentType, ManufacturingProcess)


def _fill(lookup: Lookup[Named], items: list[Named]) -> None:
    # Wikipedia URLs first, then names, then aliases: an alias never shadows another entry's own name.
    for item in items:
        lookup.add(item, item.wikipedia_url)
    for item in items:
        lookup.add(item, item.name, item.slug)
    for item in items:
        lookup.add(item, *item.aliases)


class Taxonomies:
    """The lookups, loaded once per run."""

    def __init__(self) -> None:
        types = list(EquipmentType.objects.prefetch_related("processes").order_by("parent_id", "id"))
        processes = list(ManufacturingProcess.objects.order_by("id"))
        materials = list(Term.objects.filter(vocabulary=Vocabulary.MATERIAL).order_by("parent_id", "id"))
        self.types: Lookup[EquipmentType] = Lookup()
        self.processes: Lookup[ManufacturingProcess] = Lookup()
        self.materials: Lookup[Term] = Lookup()
        _fill(self.types, types)
        _fill(self.processes, processes)
        for term in materials:
            self.materials.add(term, term.wikipedia_url)
        for term in materials:
            self.materials.add(term, term.name, term.slug, term.name_fr)


class _Problems:
    """What one record reports: notes (it was cleaned) and, at most, the reason it is skipped."""

    def __init__(self, report: OkwImportReport, where: str) -> None:
        self.report = report
        self.where = where

    def note(self, message: str) -> None:
        self.report.notes.append(ImportNote(self.where, message))

    def malformed(self, field_path: str, message: str) -> OkwFileError:
        return OkwFileError(
            _("%(where)s, field %(field)s: %(message)s")
            % {"where": self.where, "field": field_path, "message": message}
        )


def _clean_text(value: Any, *, field_path: str, problems: _Problems, multiline: bool = False) -> str:
    """Text as stored: control and format characters removed (and reported), spaces collapsed."""
    if value is None:
        return ""
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


def _limited(text: str, *, field_name: str, problems: _Problems, drop: bool = False) -> str:
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


def _object(value: Any, *, field_path: str, problems: _Problems) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise problems.malformed(
            field_path, _("expected an object, found %(found)s.") % {"found": type(value).__name__}
        )
    return value


def _list(value: Any, *, field_path: str, problems: _Problems) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise problems.malformed(
            field_path, _("expected a list, found %(found)s.") % {"found": type(value).__name__}
        )
    return value


def _number(value: Any, *, field_path: str, problems: _Problems) -> float | None:
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


def _whole(value: Any, *, field_path: str, problems: _Problems) -> int | None:
    number = _number(value, field_path=field_path, problems=problems)
    if number is None:
        return None
    if number != int(number) or number < 0:
        raise problems.malformed(
            field_path, _("expected a whole number of at least 0, found “%(value)s”.") % {"value": value}
        )
    return int(number)


def _coordinates(location: dict[str, Any], problems: _Problems) -> tuple[float, float] | None:
    """GPS coordinates from any of the shapes producers use: "lat, lon", [lat, lon], {lat, lon}, or
    separate latitude and longitude properties."""
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
            latitude = _number(parts[0], field_path=field_path, problems=problems)
            longitude = _number(parts[1], field_path=field_path, problems=problems)
        elif isinstance(value, list) and len(value) == 2:
            latitude = _number(value[0], field_path=field_path, problems=problems)
            longitude = _number(value[1], field_path=field_path, problems=problems)
        elif isinstance(value, dict):
            latitude = _number(
                value.get("lat", value.get("latitude")), field_path=field_path, problems=problems
            )
            longitude = _number(
                value.get("lon", value.get("lng", value.get("long", value.get("longitude")))),
                field_path=field_path,
                problems=problems,
            )
        else:
            raise problems.malformed(field_path, _("expected coordinates."))
        if latitude is not None and longitude is not None:
            return latitude, longitude
    latitude = _number(location.get("latitude"), field_path="location.latitude", problems=problems)
    longitude = _number(location.get("longitude"), field_path="location.longitude", problems=problems)
    if latitude is not None and longitude is not None:
        return latitude, longitude
    return None


def _country(value: str, problems: _Problems) -> str:
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


def _url(value: str, *, field_name: str, problems: _Problems) -> str:
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


def facility_key(record: dict[str, Any], *, name: str, coordinates: tuple[float, float] | None) -> str:
    identifier = record.get("id") or record.get("url")
    if isinstance(identifier, str | int) and str(identifier).strip():
        return f"id:{str(identifier).strip()}"[:500]
    where = f"{coordinates[0]:.{KEY_DECIMALS}f},{coordinates[1]:.{KEY_DECIMALS}f}" if coordinates else "-"
    return f"name:{fold(name)}@{where}"[:500]


def own_hub(identifier: Any) -> Listing | None:
    """The hub whose OKW document this site published at `identifier`, if it is one of ours."""
    if not isinstance(identifier, str) or not identifier.startswith(settings.SITE_URL.rstrip("/") + "/"):
        return None
    path = urlsplit(identifier).path
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    if match.view_name != "machinery_map:okw_json":
        return None
    return Listing.objects.filter(slug=match.kwargs["slug"], kind__in=HUB_KINDS).first()


def _badge_classes(urls: list[Any], problems: _Problems, where: str) -> list[BadgeClass]:
    public_ids = []
    for url in urls:
        text = str(url)
        path = urlsplit(text).path
        try:
            match = resolve(path) if text.startswith(settings.SITE_URL.rstrip("/") + "/") else None
        except Resolver404:
            match = None
        if match is None or match.view_name != "badges:badge_class":
            problems.note(
                _("%(where)s: the required badge %(url)s is not one of this site's.")
                % {"where": where, "url": text[:100]}
            )
            continue
        public_ids.append(match.kwargs["public_id"])
    found = list(BadgeClass.objects.filter(public_id__in=public_ids))
    if len(found) < len(set(public_ids)):
        problems.note(_("%(where)s: a required badge no longer exists and was left out.") % {"where": where})
    return found


def _jsonable(value: Any) -> Any:
    """Leftover properties as JSON would hold them (YAML may give dates) with camelCase keys, as exported."""

    def camel(item: Any) -> Any:
        if isinstance(item, dict):
            return {camel_case(str(key)): camel(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [camel(inner) for inner in item]
        return item

    return camel(json.loads(json.dumps(value, default=str)))


def model_field(name: str) -> models.Field:
    return cast(models.Field, Equipment._meta.get_field(name))


def machine_key(equipment_type: EquipmentType, fields: dict[str, Any], occurrence: int) -> str:
    parts = [fold_name(str(fields.get(name) or "")) for name in ("make", "model", "serial_number")]
    return f"{equipment_type.slug}|{'|'.join(parts)}#{occurrence}"[:500]


def _machine_plan(
    raw: Any, *, position: int, taxonomies: Taxonomies, problems: _Problems
) -> MachinePlan | None:
    field_base = f"equipment[{position}]"
    item = _object(raw, field_path=field_base, problems=problems)
    where = _("machine %(position)d") % {"position": position + 1}
    type_text = _clean_text(
        item.get("equipment_type"), field_path=f"{field_base}.equipment_type", problems=problems
    )
    equipment_type = taxonomies.types.find(type_text)
    if equipment_type is None:
        reason = (
            _("%(where)s has no equipment type.") % {"where": where}
            if not type_text
            else _("%(where)s: the equipment type “%(type)s” is not in the taxonomy.")
            % {"where": where, "type": type_text}
        )
        problems.report.machines_skipped.append(ImportNote(problems.where, reason))
        return None
    fields: dict[str, Any] = {}
    for okw_name, field_name in EQUIPMENT_TEXTS.items():
        text = _clean_text(
            item.get(okw_name),
            field_path=f"{field_base}.{okw_name}",
            problems=problems,
            multiline=field_name == "notes",
        )
        limit = model_field(field_name).max_length or 5000
        if len(text) > limit:
            problems.note(
                _("%(where)s: %(field)s cut to %(limit)d characters.")
                % {"where": where, "field": okw_name, "limit": limit}
            )
            text = text[:limit]
        fields[field_name] = text
    for okw_name, field_name in EQUIPMENT_INTEGERS.items():
        number = _whole(item.get(okw_name), field_path=f"{field_base}.{okw_name}", problems=problems)
        if number is not None:
            fields[field_name] = number
    nozzle = _number(item.get("nozzle_size"), field_path=f"{field_base}.nozzle_size", problems=problems)
    if nozzle is not None:
        try:
            fields["nozzle_size_mm"] = Decimal(str(nozzle)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise problems.malformed(
                f"{field_base}.nozzle_size", _("expected a size in millimetres.")
            ) from None
    status_text = fold_name(str(item.get("status") or ""))
    if status_text:
        if status_text in STATUS_WORDS:
            fields["status"] = STATUS_WORDS[status_text]
        else:
            problems.note(
                _("%(where)s: status “%(value)s” is unknown; taken as operational.")
                % {"where": where, "value": status_text}
            )
    access = str(item.get("access") or "").strip()
    access_type = fold_name(str(item.get("access_type") or ""))
    if access in {choice.value for choice in OKW_TO_ACCESS.values()}:
        fields["access"] = access
    elif access_type in OKW_TO_ACCESS:
        fields["access"] = OKW_TO_ACCESS[access_type]
    booking = _clean_text(item.get("booking_url"), field_path=f"{field_base}.booking_url", problems=problems)
    fields["booking_url"] = _url(booking, field_name=f"{where} booking link", problems=problems)

    processes: list[ManufacturingProcess] | None = None
    process_values = _list(
        item.get("manufacturing_process"), field_path=f"{field_base}.manufacturing_process", problems=problems
    )
    process_values += _list(
        item.get("manufacturing_processes"),
        field_path=f"{field_base}.manufacturing_processes",
        problems=problems,
    )
    if process_values:
        processes = []
        for value in process_values:
            text = _clean_text(value, field_path=f"{field_base}.manufacturing_process", problems=problems)
            process = taxonomies.processes.find(text)
            if process is None:
                problems.note(
                    _("%(where)s: the process “%(process)s” is not in the taxonomy and was left out.")
                    % {"where": where, "process": text[:100]}
                )
            elif process not in processes:
                processes.append(process)
        if not processes:
            processes = None  # the type's usual processes stand in for names nobody could map
    materials: list[Term] = []
    other_materials: list[str] = []
    for index, value in enumerate(
        _list(item.get("materials_worked"), field_path=f"{field_base}.materials_worked", problems=problems)
    ):
        material_value = value.get("material_type") if isinstance(value, dict) else value
        text = _clean_text(
            material_value, field_path=f"{field_base}.materials_worked[{index}]", problems=problems
        )
        if not text:
            continue
        term = taxonomies.materials.find(text)
        if term is not None and term not in materials:
            materials.append(term)
        elif term is None and text not in other_materials:
            other_materials.append(text[:300])
    fields["other_materials"] = other_materials
    required = _list(
        item.get("required_badges"), field_path=f"{field_base}.required_badges", problems=problems
    )
    badges = _badge_classes(required, problems, where) if required else []
    extra = {key: value for key, value in item.items() if key not in EQUIPMENT_READ}
    image = item.get("image")
    if isinstance(image, str) and is_url(image):
        extra["image"] = image
    fields["okw_properties"] = _jsonable(extra)
    candidate = Equipment(equipment_type=equipment_type, **fields)
    try:
        candidate.clean_fields(exclude=["hub", "equipment_type", "photo"])
    except ValidationError as error:
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        problems.report.machines_skipped.append(ImportNote(problems.where, f"{where}: {reasons}"))
        return None
    return MachinePlan(
        equipment_type=equipment_type,
        processes=processes,
        materials=materials,
        required_badges=badges,
        fields=fields,
    )


def facility_plan(
    source: SourceRecord, *, taxonomies: Taxonomies, report: OkwImportReport
) -> FacilityPlan | None:
    """Check and map one record; None (with the reason in the report) when it cannot become a hub."""
    record = source.data
    problems = _Problems(report, source.label)
    name = _limited(
        _clean_text(record.get("name"), field_path="name", problems=problems),
        field_name="name",
        problems=problems,
    )
    if not name:
        report.skipped.append(ImportNote(source.label, _("it has no name.")))
        return None
    location = _object(record.get("location"), field_path="location", problems=problems)
    address = _object(location.get("address"), field_path="location.address", problems=problems)

    def text(value: Any, path: str) -> str:
        return _clean_text(value, field_path=path, problems=problems)

    street = " ".join(
        part
        for part in (
            text(address.get("number"), "location.address.number"),
            text(address.get("street"), "location.address.street"),
        )
        if part
    )
    district = text(address.get("district"), "location.address.district")
    street = ", ".join(part for part in (street, district) if part)
    city = text(address.get("city"), "location.address.city") or text(location.get("city"), "location.city")
    country = _country(
        text(address.get("country"), "location.address.country")
        or text(location.get("country"), "location.country"),
        problems,
    )
    postcode = text(address.get("postcode"), "location.address.postcode")
    coordinates = _coordinates(location, problems)
    if coordinates is not None and not (-90 <= coordinates[0] <= 90 and -180 <= coordinates[1] <= 180):
        report.skipped.append(
            ImportNote(
                source.label,
                _("its coordinates %(lat)s, %(lng)s are not on Earth.")
                % {"lat": coordinates[0], "lng": coordinates[1]},
            )
        )
        return None
    if coordinates is None:
        # Not guessed from the city: a re-import must find the facility where the first import put it.
        reason = _("it has no coordinates (latitude and longitude), so it cannot go on the map.")
        report.skipped.append(ImportNote(source.label, reason))
        return None
    if not city:
        problems.note(_("no city given."))
    owner = _object(record.get("owner"), field_path="owner", problems=problems)
    contact = _object(record.get("contact"), field_path="contact", problems=problems)
    contact_details = _object(contact.get("contact"), field_path="contact.contact", problems=problems)
    website = _url(
        text(owner.get("website"), "owner.website") or text(record.get("url"), "url"),
        field_name="website",
        problems=problems,
    )
    email = text(contact_details.get("email"), "contact.contact.email")
    try:
        EmailValidator()(email)
    except ValidationError:
        email = ""
    social = _object(owner.get("social_media"), field_path="owner.social_media", problems=problems)
    social_links = [
        link
        for link in (
            text(value, "owner.social_media")
            for value in [
                social.get("facebook"),
                social.get("twitter"),
                *_list(
                    social.get("other_urls"), field_path="owner.social_media.other_urls", problems=problems
                ),
            ]
        )
        if link and is_url(link)
    ]
    languages = [
        text(value, "owner.languages")
        for value in _list(owner.get("languages"), field_path="owner.languages", problems=problems)
    ]
    certifications = [
        text(value, "certifications")
        for value in _list(record.get("certifications"), field_path="certifications", problems=problems)
    ]
    founded = text(record.get("date_founded"), "date_founded")[:4]
    listing_fields: dict[str, Any] = {
        "name": name,
        "description": _clean_text(
            record.get("description"), field_path="description", problems=problems, multiline=True
        ),
        "address": _limited(street, field_name="address", problems=problems),
        "city": _limited(city, field_name="city", problems=problems),
        "postcode": _limited(postcode, field_name="postcode", problems=problems, drop=True),
        "country": country,
        "latitude": coordinates[0],
        "longitude": coordinates[1],
        "website": website,
        "contact_email": email,
        "social_links": social_links,
        "languages": [code for code in languages if code],
        "certifications": [item[:120] for item in certifications if item],
        "year_founded": int(founded) if founded.isdigit() and 1000 <= int(founded) <= 2100 else None,
    }
    facility_processes = []
    for value in _list(
        record.get("manufacturing_processes"), field_path="manufacturing_processes", problems=problems
    ):
        process_text = text(value, "manufacturing_processes")
        process = taxonomies.processes.find(process_text)
        if process is None:
            problems.note(
                _("the facility's process “%(process)s” is not in the taxonomy and was left out.")
                % {"process": process_text[:100]}
            )
        elif process not in facility_processes:
            facility_processes.append(process)
    status = text(record.get("facility_status"), "facility_status")
    canonical = {fold_name(value): value for value in FACILITY_STATUSES}
    facility_fields = {
        "facility_status": canonical.get(fold_name(status), status)[:40],
        "access_type": text(record.get("access_type"), "access_type")[:60],
        "typical_batch_size": text(record.get("typical_batch_size"), "typical_batch_size")[:60],
        "properties": _jsonable({key: value for key, value in record.items() if key not in FACILITY_READ}),
    }
    machines: list[MachinePlan] = []
    occurrences: Counter[str] = Counter()
    for position, raw in enumerate(_list(record.get("equipment"), field_path="equipment", problems=problems)):
        plan = _machine_plan(raw, position=position, taxonomies=taxonomies, problems=problems)
        if plan is not None:
            base = machine_key(plan.equipment_type, plan.fields, 0)
            plan.key = machine_key(plan.equipment_type, plan.fields, occurrences[base])
            occurrences[base] += 1
            plan.fields["import_key"] = plan.key
            machines.append(plan)
    return FacilityPlan(
        record=source,
        key=facility_key(record, name=name, coordinates=coordinates),
        listing_fields=listing_fields,
        facility_fields=facility_fields,
        facility_processes=facility_processes,
        machines=machines,
        own_hub=own_hub(record.get("id")),
    )
