"""Hubs as Open Know-Where ManufacturingFacility documents, one facility or all of them, JSON or YAML.

The all-facilities export reads hubs with `.iterator(chunk_size=...)` and yields text as it goes, so
memory stays flat however many hubs there are. Contact e-mail and phone are never written: the contact
agent points at the listing's page, whose form reaches the hub.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

import yaml
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from badges.selectors import badge_class_url
from directory.models import Listing, ListingStatus, Term
from directory.services.opendata import LICENCE_NAME, LICENCE_URL
from machinery_map.models import HUB_KINDS, Equipment, EquipmentAccess, OkwFacility
from machinery_map.okw.fields import ACCESS_TO_OKW, EQUIPMENT_INTEGERS, EQUIPMENT_TEXTS, camel_case
from machinery_map.okw.keeping import FACILITY_GROUPS, MACHINE_GROUPS, exported
from machinery_map.okw.values import equipment_values, facility_values
from makeworks.lib.urls import site_url

# Hubs read per query, with their machines: enough to make query overhead vanish, few enough to keep
# memory flat (about 10 machines a hub, each with its processes, materials and badges).
EXPORT_CHUNK_SIZE = 100


def facility_url(hub: Listing) -> str:
    """The facility's OKW id: its JSON document's URL, without a language prefix so it never varies."""
    with translation.override(settings.LANGUAGE_CODE):
        return site_url(reverse("machinery_map:okw_json", kwargs={"slug": hub.slug}))


def _compact(document: dict[str, Any]) -> dict[str, Any]:
    """Drop empty properties: OKW makes every property optional, and an empty one says nothing."""
    return {key: value for key, value in document.items() if value not in (None, "", [], {})}


def _material(term_or_text: Term | str) -> dict[str, str]:
    if isinstance(term_or_text, Term):
        return {"materialType": term_or_text.wikipedia_url or term_or_text.name}
    return {"materialType": term_or_text}


def equipment_document(equipment: Equipment) -> dict[str, Any]:
    processes = sorted(process.wikipedia_url for process in equipment.processes.all())
    document: dict[str, Any] = {
        "equipmentType": equipment.equipment_type.wikipedia_url,
        # OKW names one process per machine; a machine that does several lists them all.
        "manufacturingProcess": processes[0] if len(processes) == 1 else processes,
    }
    for okw_name, field in EQUIPMENT_TEXTS.items():
        document[camel_case(okw_name)] = getattr(equipment, field)
    for okw_name, field in EQUIPMENT_INTEGERS.items():
        document[camel_case(okw_name)] = getattr(equipment, field)
    if equipment.nozzle_size_mm is not None:
        document["nozzleSize"] = float(equipment.nozzle_size_mm)
    materials = sorted(equipment.materials.all(), key=lambda term: term.slug)
    document["materialsWorked"] = [_material(term) for term in materials] + [
        _material(str(text)) for text in equipment.other_materials
    ]
    document["accessType"] = ACCESS_TO_OKW[EquipmentAccess(equipment.access)]
    document["status"] = equipment.status
    document["access"] = equipment.access
    document["bookingUrl"] = equipment.booking_url
    document["requiredBadges"] = sorted(
        badge_class_url(badge) for badge in equipment.required_badge_classes.all()
    )
    document["image"] = site_url(equipment.photo.url) if equipment.photo else ""
    kept = equipment.okw_properties if isinstance(equipment.okw_properties, dict) else {}
    if not kept:  # a machine added here: nothing of a source's to weigh against ours
        return _compact(document)
    return exported(
        rendered=_compact(document),
        defaults={},
        kept=kept,
        groups=MACHINE_GROUPS,
        now=equipment_values(equipment),
        then=equipment.okw_imported_values if isinstance(equipment.okw_imported_values, dict) else {},
    )


def _facility_access(machines: list[Equipment]) -> str:
    accesses = {machine.access for machine in machines}
    if accesses & {EquipmentAccess.OPEN, EquipmentAccess.INDUCTION}:
        return "Public"
    if EquipmentAccess.MEMBERS in accesses:
        return "Membership"
    return "Restricted"


def facility_defaults(hub: Listing, machines: Iterable[Equipment] | None = None) -> dict[str, Any]:
    """What the export writes only for want of the source's own words (machinery_map.okw.keeping): the
    contact agent points at the listing's page, whose form reaches the hub, since e-mail and phone are
    never exported."""
    with translation.override(settings.LANGUAGE_CODE):
        listing_page = site_url(hub.get_absolute_url())
    if machines is None:
        machines = hub.equipment.prefetch_related("processes")
    machine_list = list(machines)
    return _compact(
        {
            "owner": {"name": hub.name},
            "description": hub.summary,
            "contact": {"name": hub.name, "website": listing_page},
            "facilityStatus": "Active" if hub.status == ListingStatus.PUBLISHED else "Planned",
            "accessType": _facility_access(machine_list),
            # The processes of its machines, for a facility whose record named none of its own.
            "manufacturingProcesses": sorted(
                {process.wikipedia_url for machine in machine_list for process in machine.processes.all()}
            ),
        }
    )


def facility_document(hub: Listing, machines: Iterable[Equipment]) -> dict[str, Any]:
    """One hub as an OKW ManufacturingFacility; `machines` are its equipment, prefetched by the caller."""
    machine_list = list(machines)
    try:
        facility: OkwFacility | None = hub.okw_facility
    except OkwFacility.DoesNotExist:
        facility = None
    address = _compact(
        {"street": hub.address, "city": hub.city, "postcode": hub.postcode, "country": str(hub.country or "")}
    )
    location = _compact(
        {
            "address": address,
            "gpsCoordinates": f"{hub.latitude}, {hub.longitude}" if hub.has_location else "",
            "city": hub.city,
            "country": str(hub.country or ""),
        }
    )
    socials = [
        str(link.get("url", "")) if isinstance(link, dict) else str(link)
        for link in (hub.social_links if isinstance(hub.social_links, list) else [])
    ]
    owner = _compact(
        {
            "website": hub.website,
            "languages": [str(code) for code in hub.languages] if isinstance(hub.languages, list) else [],
            "socialMedia": _compact({"otherUrls": [url for url in socials if url]}),
        }
    )
    own_processes = list(facility.processes.all()) if facility is not None else []
    updated = max([hub.updated_at, *(machine.updated_at for machine in machine_list)])
    rendered = _compact(
        {
            "id": facility_url(hub),
            "name": hub.name,
            "location": location,
            "owner": owner,
            "facilityStatus": facility.facility_status if facility else "",
            "accessType": facility.access_type if facility else "",
            "description": hub.description,
            "dateFounded": str(hub.year_founded) if hub.year_founded else "",
            "equipment": [equipment_document(machine) for machine in machine_list],
            "manufacturingProcesses": sorted(process.wikipedia_url for process in own_processes),
            "typicalBatchSize": facility.typical_batch_size if facility else "",
            "certifications": [str(c) for c in hub.certifications]
            if isinstance(hub.certifications, list)
            else [],
            "recordData": {"dateCreated": hub.created_at.isoformat(), "lastUpdated": updated.isoformat()},
        }
    )
    kept = facility.properties if facility is not None and isinstance(facility.properties, dict) else {}
    return exported(
        rendered=rendered,
        defaults=facility_defaults(hub, machine_list),
        kept=kept,
        groups=FACILITY_GROUPS,
        # Our values are weighed against the import's only where a source's words were kept.
        now=facility_values(hub, facility, own_processes) if kept else {},
        then=facility.imported_values
        if facility is not None and isinstance(facility.imported_values, dict)
        else {},
    )


def _equipment_prefetch() -> Prefetch:
    machines = (
        Equipment.objects.select_related("equipment_type")
        .prefetch_related("processes", "materials", "required_badge_classes")
        .order_by("equipment_type__name", "make", "model", "id")
    )
    return Prefetch("equipment", queryset=machines)


def _with_machines(hubs: QuerySet[Listing]) -> QuerySet[Listing]:
    return hubs.select_related("okw_facility").prefetch_related(
        _equipment_prefetch(), "okw_facility__processes"
    )


def hub_document(hub: Listing) -> dict[str, Any]:
    """One hub (whatever its status: the caller decided the visitor may see it) as an OKW document."""
    loaded = _with_machines(Listing.objects.filter(pk=hub.pk)).get()
    return facility_document(loaded, loaded.equipment.all())


def facility_documents(*, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """Every published hub as an OKW document, `chunk_size` hubs (and their machines) read at a time."""
    hubs = _with_machines(Listing.objects.published().filter(kind__in=HUB_KINDS)).order_by("pk")
    for hub in hubs.iterator(chunk_size=chunk_size):
        yield facility_document(hub, hub.equipment.all())


def _heading() -> dict[str, Any]:
    return {
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "publisher": settings.SITE_NAME,
        "source": settings.SITE_URL,
        "generatedAt": timezone.now().isoformat(),
    }


def json_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def yaml_text(document: Any) -> str:
    return str(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False))


def facilities_json_chunks(*, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[str]:
    """The all-facilities export as pieces of JSON text: {heading..., "facilities": [one per hub]}."""
    heading = json.dumps(_heading(), ensure_ascii=False)
    yield heading[:-1] + ', "facilities": ['
    separator = "\n"
    for document in facility_documents(chunk_size=chunk_size):
        yield separator + json.dumps(document, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def facilities_yaml_chunks(*, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[str]:
    """The same as YAML: the heading's keys, then `facilities:` with one list item per hub."""
    yield yaml_text(_heading()) + "facilities:\n"
    for document in facility_documents(chunk_size=chunk_size):
        yield yaml_text([document])
