"""Loads the equipment types and manufacturing processes of machinery_map.taxonomy."""

from typing import Any

from django.db import migrations

from machinery_map.seeding import taxonomy_seed


def seed(apps: Any, schema_editor: Any) -> None:
    taxonomy_seed(
        process_model=apps.get_model("machinery_map", "ManufacturingProcess"),
        type_model=apps.get_model("machinery_map", "EquipmentType"),
    )


class Migration(migrations.Migration):
    dependencies = [("machinery_map", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
