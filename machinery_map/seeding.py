"""Loading the taxonomies of machinery_map.taxonomy into the database: run by migration 0002 (with its
historical models) and by seed_machines, since a test database's flush or a hand-emptied table must not
leave the map without its types."""

from typing import Any

from machinery_map.matching import fold_name
from machinery_map.taxonomy import EQUIPMENT_TYPES, PROCESSES, WIKIDATA, WIKIPEDIA


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
