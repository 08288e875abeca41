"""Planning an Open Know-Where import, and the rules it follows. Every record is planned (checked,
cleaned, mapped onto the taxonomies) before anything is written; importing.py then writes them all in one
transaction, or none.

- A malformed file or field (invalid JSON, a quantity that is not a number) stops the run: OkwFileError
  names the file, the record and the field, and nothing is written.
- A record that cannot become a hub (no name, no coordinates) is skipped and reported with its reason. A
  machine whose type is not in the taxonomy is kept as an "other" machine. What was cleaned on the way
  (odd characters, an invalid web address dropped, an unknown process) is reported as a note.
- A property the record leaves out is not planned: it never erases what the hub holds (our own export
  leaves out the contact e-mail, and importing it keeps the e-mail). Without `equipment`, the hub's
  machines stay as they are.
- A facility is known by every identity it ever had: its OKW id (or URL) in each file, the URL of our own
  export, else its folded name and rounded coordinates; a file naming it by any of them finds it.
  Machines are matched within their facility by type, make, model and serial number, so importing a file
  twice changes nothing.
- The public record is kept, so exporting the facility loses nothing (machinery_map.okw.keeping).
"""

import copy
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from directory.models import Listing
from machinery_map.matching import fold_name, is_url
from machinery_map.models import HUB_KINDS, ManufacturingProcess, OkwFacility
from machinery_map.okw.cleaning import (
    Problems,
    as_list,
    as_object,
    clean_text,
    coordinates,
    country,
    limited,
    url,
)
from machinery_map.okw.export import facility_defaults
from machinery_map.okw.fields import FACILITY_STATUSES
from machinery_map.okw.keeping import kept_record, without_defaults
from machinery_map.okw.machines import MachinePlan, Taxonomies, machine_key, machine_plan
from machinery_map.okw.reading import SourceRecord
from machinery_map.okw.report import ImportNote, OkwImportReport
from makeworks.lib.text import fold

# Coordinates are rounded to about 10 m in a facility's key, so re-exported decimals still match.
KEY_DECIMALS = 4
# Keys per query when looking up earlier imports: well under SQLite's limit on query parameters.
FACILITY_LOOKUP_CHUNK = 500

__all__ = ["FACILITY_LOOKUP_CHUNK", "FacilityPlan", "ImportNote", "OkwImportReport", "Taxonomies"]


@dataclass
class FacilityPlan:
    record: SourceRecord
    keys: list[str]  # every identity the record gives, the first one its own
    listing_fields: dict[str, Any]  # only what the record gives
    facility_fields: dict[str, Any]  # likewise
    facility_processes: list[ManufacturingProcess] | None  # None: the record names none
    machines: list[MachinePlan] | None  # None: the record has no equipment list
    kept: dict[str, Any]  # the public record, for machinery_map.okw.keeping
    # The hub this site exported the document from, when it is one of ours.
    own_hub: Listing | None = None

    @property
    def key(self) -> str:
        return self.keys[0]


def _given(record: dict[str, Any], path: str) -> bool:
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            return False
        node = node[part]
    return True


def facility_keys(record: dict[str, Any], *, name: str, place: tuple[float, float]) -> list[str]:
    identifier = record.get("id") or record.get("url")
    if isinstance(identifier, str | int) and str(identifier).strip():
        return [f"id:{str(identifier).strip()}"[:500]]
    where = f"{place[0]:.{KEY_DECIMALS}f},{place[1]:.{KEY_DECIMALS}f}"
    return [f"name:{fold(name)}@{where}"[:500]]


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
    hubs = Listing.objects.filter(slug=match.kwargs["slug"], kind__in=HUB_KINDS)
    # With what reading its document back needs: its OKW facility and its machines' processes.
    return hubs.select_related("okw_facility").prefetch_related("equipment__processes").first()


def okw_facility_of(hub: Listing) -> OkwFacility | None:
    try:
        return hub.okw_facility
    except OkwFacility.DoesNotExist:
        return None


def _place(record: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The address fields the record gives (street from number, street and district)."""
    location = as_object(record.get("location"), field_path="location", problems=problems)
    address = as_object(location.get("address"), field_path="location.address", problems=problems)

    def text(value: Any, path: str) -> str:
        return clean_text(value, field_path=path, problems=problems)

    fields: dict[str, Any] = {}
    if any(_given(address, part) for part in ("number", "street", "district")):
        number = text(address.get("number"), "location.address.number")
        street = " ".join(
            part for part in (number, text(address.get("street"), "location.address.street")) if part
        )
        district = text(address.get("district"), "location.address.district")
        street = ", ".join(part for part in (street, district) if part)
        fields["address"] = limited(street, field_name="address", problems=problems)
    if _given(address, "city") or _given(location, "city"):
        city = text(address.get("city"), "location.address.city") or text(
            location.get("city"), "location.city"
        )
        fields["city"] = limited(city, field_name="city", problems=problems)
    if not fields.get("city"):
        problems.note(_("no city given."))
    if _given(address, "postcode"):
        postcode = text(address.get("postcode"), "location.address.postcode")
        fields["postcode"] = limited(postcode, field_name="postcode", problems=problems, drop=True)
    if _given(address, "country") or _given(location, "country"):
        fields["country"] = country(
            text(address.get("country"), "location.address.country")
            or text(location.get("country"), "location.country"),
            problems,
        )
    return fields


def _agents(record: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Website, contact e-mail, social links and languages, as far as the record gives them."""
    owner = as_object(record.get("owner"), field_path="owner", problems=problems)
    contact = as_object(record.get("contact"), field_path="contact", problems=problems)
    details = as_object(contact.get("contact"), field_path="contact.contact", problems=problems)

    def text(value: Any, path: str) -> str:
        return clean_text(value, field_path=path, problems=problems)

    fields: dict[str, Any] = {}
    if _given(owner, "website") or _given(record, "url"):
        website = text(owner.get("website"), "owner.website") or text(record.get("url"), "url")
        fields["website"] = url(website, field_name="website", problems=problems)
    email = text(details.get("email"), "contact.contact.email")
    try:
        EmailValidator()(email)
        fields["contact_email"] = email
    except ValidationError:
        if email:
            problems.note(
                _("the contact e-mail “%(value)s” is not valid, so it was left out.") % {"value": email[:80]}
            )
    if _given(owner, "social_media"):
        social = as_object(owner.get("social_media"), field_path="owner.social_media", problems=problems)
        links = [social.get("facebook"), social.get("twitter")]
        links += as_list(
            social.get("other_urls"), field_path="owner.social_media.other_urls", problems=problems
        )
        cleaned = (text(value, "owner.social_media") for value in links)
        fields["social_links"] = [link for link in cleaned if link and is_url(link)]
    if _given(owner, "languages"):
        languages = as_list(owner.get("languages"), field_path="owner.languages", problems=problems)
        fields["languages"] = [
            code for code in (text(value, "owner.languages") for value in languages) if code
        ]
    return fields


def _about(record: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Description, certifications and year founded, as far as the record gives them."""
    fields: dict[str, Any] = {}
    if _given(record, "description"):
        fields["description"] = clean_text(
            record["description"], field_path="description", problems=problems, multiline=True
        )
    if _given(record, "certifications"):
        values = as_list(record["certifications"], field_path="certifications", problems=problems)
        certifications = (
            clean_text(value, field_path="certifications", problems=problems) for value in values
        )
        fields["certifications"] = [item[:120] for item in certifications if item]
    if _given(record, "date_founded"):
        founded = clean_text(record["date_founded"], field_path="date_founded", problems=problems)[:4]
        fields["year_founded"] = int(founded) if founded.isdigit() and 1000 <= int(founded) <= 2100 else None
    return fields


def _facility_fields(record: dict[str, Any], problems: Problems) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, limit in (("facility_status", 40), ("access_type", 60), ("typical_batch_size", 60)):
        if _given(record, name):
            fields[name] = clean_text(record[name], field_path=name, problems=problems)[:limit]
    if "facility_status" in fields:
        canonical = {fold_name(value): value for value in FACILITY_STATUSES}
        fields["facility_status"] = canonical.get(
            fold_name(fields["facility_status"]), fields["facility_status"]
        )
    return fields


def _facility_processes(
    record: dict[str, Any], taxonomies: Taxonomies, problems: Problems
) -> list[ManufacturingProcess] | None:
    if not _given(record, "manufacturing_processes"):
        return None
    processes: list[ManufacturingProcess] = []
    for value in as_list(
        record["manufacturing_processes"], field_path="manufacturing_processes", problems=problems
    ):
        text = clean_text(value, field_path="manufacturing_processes", problems=problems)
        process = taxonomies.processes.find(text)
        if process is None:
            problems.note(
                _("the facility's process “%(process)s” is not in the taxonomy; it is kept as written.")
                % {"process": text[:100]}
            )
        elif process not in processes:
            processes.append(process)
    return processes


def _machines(record: dict[str, Any], taxonomies: Taxonomies, problems: Problems) -> list[MachinePlan] | None:
    if not _given(record, "equipment"):
        return None
    machines: list[MachinePlan] = []
    occurrences: Counter[str] = Counter()
    for position, raw in enumerate(as_list(record["equipment"], field_path="equipment", problems=problems)):
        plan = machine_plan(raw, position=position, taxonomies=taxonomies, problems=problems)
        if plan is not None:
            base = machine_key(plan.equipment_type, plan.fields, 0, plan.type_text)
            plan.key = machine_key(plan.equipment_type, plan.fields, occurrences[base], plan.type_text)
            occurrences[base] += 1
            plan.fields["import_key"] = plan.key
            machines.append(plan)
    return machines


def facility_plan(
    source: SourceRecord, *, taxonomies: Taxonomies, report: OkwImportReport
) -> FacilityPlan | None:
    """Check and map one record; None (with the reason in the report) when it cannot become a hub."""
    record = source.data
    problems = Problems(report, source.label)
    ours = own_hub(record.get("id"))
    if ours is not None:
        record = copy.deepcopy(record)
        facility = okw_facility_of(ours)
        kept = facility.properties if facility is not None else {}
        without_defaults(record, facility_defaults(ours, ours.equipment.all()), kept)
    name = limited(
        clean_text(record.get("name"), field_path="name", problems=problems),
        field_name="name",
        problems=problems,
    )
    if not name:
        report.skipped.append(ImportNote(source.label, _("it has no name.")))
        return None
    location = as_object(record.get("location"), field_path="location", problems=problems)
    found = coordinates(location, problems)
    if found is None:
        # Not guessed from the city: a re-import must find the facility where the first import put it.
        reason = _("it has no coordinates (latitude and longitude), so it cannot go on the map.")
        report.skipped.append(ImportNote(source.label, reason))
        return None
    place = found[:2]
    if not (-90 <= place[0] <= 90 and -180 <= place[1] <= 180):
        report.skipped.append(
            ImportNote(
                source.label,
                _("its coordinates %(lat)s, %(lng)s (field %(field)s) are not on Earth.")
                % {"lat": place[0], "lng": place[1], "field": found[2]},
            )
        )
        return None
    listing_fields = {"name": name, "latitude": place[0], "longitude": place[1]}
    listing_fields |= _place(record, problems) | _agents(record, problems) | _about(record, problems)
    return FacilityPlan(
        record=source,
        keys=facility_keys(record, name=name, place=place),
        listing_fields=listing_fields,
        facility_fields=_facility_fields(record, problems),
        facility_processes=_facility_processes(record, taxonomies, problems),
        machines=_machines(record, taxonomies, problems),
        # recordData holds our own dates, written afresh by every export.
        kept=kept_record(record, leave_out={"id", "equipment", "record_data"}),
        own_hub=ours,
    )
