"""Loading the taxonomies of machinery_map.taxonomy into the database: run by migration 0002 (with its
historical models) and by seed_machines, since a test database's flush or a hand-emptied table must not
leave the map without its types. And machinery_map's demo seeding (`demo_machines_seed`), run last by the
front door's seed_demo so machines can require the demo hubs' induction badges."""

import random
from typing import Any, cast

from django.db import transaction

from badges.models import BadgeClass
from directory.models import Listing, ListingKind, Term, Vocabulary
from machinery_map import services
from machinery_map.matching import fold_name
from machinery_map.models import HUB_KINDS, Equipment, EquipmentAccess, EquipmentStatus, EquipmentType
from machinery_map.taxonomy import EQUIPMENT_TYPES, PROCESSES, WIKIDATA, WIKIPEDIA
from makeworks.lib.seeding import Seeded


def taxonomy_seed(*, process_model: Any = None, type_model: Any = None) -> int:
    """Create or refresh every process and equipment type; returns how many rows were written. Does
    nothing when every slug is already there."""
    if process_model is None or type_model is None:
        from machinery_map.models import EquipmentType, ManufacturingProcess

        process_model, type_model = ManufacturingProcess, EquipmentType
    if process_model.objects.count() == len(PROCESSES) and type_model.objects.count() == len(EQUIPMENT_TYPES):
        return 0
    processes = {}
    for row in PROCESSES:
        processes[row.slug], _created = process_model.objects.update_or_create(
            slug=row.slug,
            defaults={
                "name": row.name,
                "name_fr": row.name_fr,
                "wikipedia_url": WIKIPEDIA + row.article,
                "wikidata_url": WIKIDATA + row.wikidata_id if row.wikidata_id else "",
                "aliases": sorted({fold_name(alias) for alias in row.aliases}),
            },
        )
    types: dict[str, Any] = {}
    for type_row in EQUIPMENT_TYPES:
        equipment_type, _created = type_model.objects.update_or_create(
            slug=type_row.slug,
            defaults={
                "name": type_row.name,
                "name_fr": type_row.name_fr,
                "parent": types[type_row.parent] if type_row.parent else None,
                "wikipedia_url": WIKIPEDIA + type_row.article,
                "wikidata_url": WIKIDATA + type_row.wikidata_id if type_row.wikidata_id else "",
                "aliases": sorted({fold_name(alias) for alias in type_row.aliases}),
            },
        )
        equipment_type.processes.set([processes[slug] for slug in type_row.processes])
        types[type_row.slug] = equipment_type
    return len(PROCESSES) + len(EQUIPMENT_TYPES)


# (type slug, makes and models, materials worked, whole-number properties)
DemoMachine = tuple[str, tuple[tuple[str, str], ...], tuple[str, ...], dict[str, int]]

MAKERSPACE_MACHINES: tuple[DemoMachine, ...] = (
    ("laser-cutter", (("Trotec", "Speedy 400"), ("Epilog", "Fusion Pro 32")), ("plywood", "acrylic", "mdf"),
     {"bed_size_mm": 1000, "laser_power_w": 80}),
    ("fdm-printer", (("Prusa", "MK4"), ("Ultimaker", "S5")), ("pla", "petg", "abs"),
     {"bed_size_mm": 250, "build_volume_mm3": 250 * 210 * 220}),
    ("sla-printer", (("Formlabs", "Form 3"),), (), {"build_volume_mm3": 145 * 145 * 185}),
    ("cnc-router", (("ShopBot", "PRSalpha"),), ("plywood", "mdf"),
     {"bed_size_mm": 2440, "x_travel_mm": 2440, "y_travel_mm": 1220, "z_travel_mm": 150}),
    ("vinyl-cutter", (("Roland", "CAMM-1 GS-24"),), (), {"bed_size_mm": 584}),
    ("pcb-mill", (("Bantam Tools", "Desktop PCB Milling Machine"),), ("copper",), {"bed_size_mm": 140}),
    ("sewing-machine", (("Bernina", "B 570"),), (), {}),
    ("embroidery-machine", (("Brother", "PR680W"),), (), {}),
    ("soldering-station", (("Weller", "WE1010"),), (), {"power_rating_w": 70}),
)  # fmt: skip
WORKSHOP_MACHINES: tuple[DemoMachine, ...] = (
    ("table-saw", (("SawStop", "PCS"),), ("wood",), {"power_rating_w": 2200}),
    ("bandsaw", (("Record Power", "Sabre 450"),), ("wood",), {}),
    ("lathe", (("Axminster", "AT1416VS"),), ("wood", "aluminium"), {}),
    ("welder", (("Lincoln Electric", "Powertec i250C"),), ("steel",), {"power_rating_w": 9000}),
    ("kiln", (("Rohde", "TE 80"),), (), {}),
    ("drill-press", (("Axminster", "ED20DP"),), (), {}),
)  # fmt: skip
FOOD_MACHINES: tuple[DemoMachine, ...] = (
    ("oven", (("Bongard", "Orion"),), (), {"power_rating_w": 18000}),
    ("mixer", (("Hobart", "HL200"),), (), {}),
    ("fermenter", (("SS Brewtech", "Unitank"),), (), {}),
    ("dehydrator", (("Excalibur", "3926T"),), (), {"power_rating_w": 600}),
)  # fmt: skip
# Whose induction badge a machine requires, by words in the badge class name (in any of the demo's
# languages: "Habilitation découpe laser", "3D-Druck-Einweisung").
BADGE_WORDS = {
    "laser-cutter": "laser",
    "fdm-printer": "3d",
    "sla-printer": "3d",
    "cnc-router": "cnc",
    "soldering-station": "solder",
    "sewing-machine": "sewing",
}
# The machine a hub that issues such a badge always has, so its badge gates something: the story of
# "can I make this here?" (the hub issuing "Laser cutter operator" has a laser cutter requiring it).
GATED_TYPES = ("laser-cutter", "fdm-printer", "cnc-router", "soldering-station", "sewing-machine")
# A badge-gated machine is used after the induction the badge proves; the router, members only as well.
GATED_ACCESS = {"cnc-router": EquipmentAccess.MEMBERS}


def demo_machines_seed() -> Seeded:
    """Give the demo hubs (makerspaces, workshops and fabricators) equipment; hubs that already have some
    are left alone, so running it again changes nothing."""
    taxonomy_seed()
    hubs = list(Listing.objects.published().filter(kind__in=HUB_KINDS).order_by("pk"))
    with_machines = set(Equipment.objects.values_list("hub_id", flat=True).distinct())
    types = {equipment_type.slug: equipment_type for equipment_type in EquipmentType.objects.all()}
    materials = {term.slug: term for term in Term.objects.filter(vocabulary=Vocabulary.MATERIAL)}
    created = 0
    with transaction.atomic():
        for hub in hubs:
            if hub.pk in with_machines:
                continue
            created += _equip(hub, types=types, materials=materials)
    return Seeded(f"Seeded {created} machines at {len(hubs)} hubs.")


def _equip(hub: Listing, *, types: dict[str, EquipmentType], materials: dict[str, Term]) -> int:
    rng = random.Random(hub.slug)  # noqa: S311 - demo data, not secrets
    if hub.kind == ListingKind.MAKERSPACE:
        pool = MAKERSPACE_MACHINES
    elif any(term.vocabulary == Vocabulary.SECTOR and "food" in term.slug for term in hub.terms.all()):
        pool = FOOD_MACHINES
    else:
        pool = WORKSHOP_MACHINES + (MAKERSPACE_MACHINES[:2] if hub.kind == ListingKind.FABRICATOR else ())
    picks = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
    badges = list(BadgeClass.objects.filter(issuer__listing=hub))
    for slug in GATED_TYPES:
        issued = any(BADGE_WORDS[slug] in badge.name.casefold() for badge in badges)
        if issued and all(pick[0] != slug for pick in picks):
            picks.append(next(row for row in MAKERSPACE_MACHINES if row[0] == slug))
    for slug, makes, material_slugs, numbers in picks:
        make, model = rng.choice(makes)
        word = BADGE_WORDS.get(slug)
        required = [badge for badge in badges if word and word in badge.name.casefold()]
        status = rng.choice([EquipmentStatus.OPERATIONAL] * 9 + [EquipmentStatus.MAINTENANCE])
        services.equipment_create(
            hub=hub,
            equipment_type=types[slug],
            make=make,
            model=model,
            quantity=rng.choice((1, 1, 1, 2, 3)),
            # A gated machine is in working order, so the story shows on "can I make this here?".
            status=EquipmentStatus.OPERATIONAL if required else status,
            access=GATED_ACCESS.get(slug, EquipmentAccess.INDUCTION)
            if required
            else rng.choice(list(EquipmentAccess)),
            materials=[materials[m] for m in material_slugs if m in materials],
            required_badge_classes=required,
            **cast(dict[str, Any], numbers),
        )
    return len(picks)
