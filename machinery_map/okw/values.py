"""Our mapped values of a facility or a machine as plain JSON, compared by machinery_map.okw.keeping to
what the last import left: equal means "not edited here since", so the source's words still stand."""

from collections.abc import Iterable, Mapping
from typing import Any

from badges.models import BadgeClass
from directory.models import Listing, Term
from machinery_map.models import Equipment, EquipmentType, ManufacturingProcess, OkwFacility
from machinery_map.okw.fields import EQUIPMENT_INTEGERS, EQUIPMENT_TEXTS

LISTING_VALUES = (
    "name", "description", "address", "city", "postcode", "latitude", "longitude", "website",
    "social_links", "languages", "certifications", "year_founded",
)  # fmt: skip
FACILITY_VALUES = ("facility_status", "access_type", "typical_batch_size")


def facility_values(
    listing: Listing, facility: OkwFacility | None, processes: Iterable[ManufacturingProcess]
) -> dict[str, Any]:
    """`processes` are the facility's own (those its record names), passed in so that an import can ask
    before it links them."""
    values: dict[str, Any] = {name: getattr(listing, name) for name in LISTING_VALUES}
    values["country"] = str(listing.country or "")
    for name in FACILITY_VALUES:
        values[name] = getattr(facility, name) if facility is not None else ""
    values["processes"] = sorted(process.slug for process in processes)
    return values


def machine_values(
    *,
    equipment_type: EquipmentType,
    fields: Mapping[str, Any],
    processes: Iterable[ManufacturingProcess],
    materials: Iterable[Term],
    badges: Iterable[BadgeClass],
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "equipment_type": equipment_type.slug,
        "processes": sorted(process.slug for process in processes),
        "materials": sorted(term.slug for term in materials),
        "required_badges": sorted(str(badge.public_id) for badge in badges),
        "other_materials": list(fields.get("other_materials") or []),
        "nozzle_size_mm": None if fields.get("nozzle_size_mm") is None else str(fields["nozzle_size_mm"]),
        "photo": str(getattr(fields.get("photo"), "name", None) or ""),
    }
    for name in (*EQUIPMENT_TEXTS.values(), "status", "access", "booking_url"):
        values[name] = str(fields.get(name) or "")
    for name in EQUIPMENT_INTEGERS.values():
        values[name] = fields.get(name)
    return values


def equipment_values(equipment: Equipment) -> dict[str, Any]:
    """machine_values of a saved machine (its relations prefetched, or read here)."""
    names = {*EQUIPMENT_TEXTS.values(), *EQUIPMENT_INTEGERS.values()}
    names |= {"other_materials", "nozzle_size_mm", "status", "access", "booking_url", "photo"}
    return machine_values(
        equipment_type=equipment.equipment_type,
        fields={name: getattr(equipment, name) for name in names},
        processes=equipment.processes.all(),
        materials=equipment.materials.all(),
        badges=equipment.required_badge_classes.all(),
    )
