"""A facility keeps every identity it was known by (OkwIdentity) instead of one re-writable source_key;
imports keep the mapped values they left, to export the source's own words; the "other" equipment type
holds machines whose type the taxonomy lacks."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from machinery_map.seeding import taxonomy_seed


def identities_from_source_keys(apps: Any, schema_editor: Any) -> None:
    facility_model = apps.get_model("machinery_map", "OkwFacility")
    identity_model = apps.get_model("machinery_map", "OkwIdentity")
    identity_model.objects.bulk_create(
        identity_model(facility_id=facility_id, key=key)
        for facility_id, key in facility_model.objects.values_list("id", "source_key").iterator()
    )


def seed(apps: Any, schema_editor: Any) -> None:
    taxonomy_seed(
        process_model=apps.get_model("machinery_map", "ManufacturingProcess"),
        type_model=apps.get_model("machinery_map", "EquipmentType"),
    )


class Migration(migrations.Migration):
    dependencies = [("machinery_map", "0003_map_filter_indexes")]

    operations = [
        migrations.CreateModel(
            name="OkwIdentity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=500, unique=True)),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="identities",
                        to="machinery_map.okwfacility",
                    ),
                ),
            ],
            options={
                "verbose_name": "Open Know-Where identity",
                "verbose_name_plural": "Open Know-Where identities",
            },
        ),
        migrations.RunPython(identities_from_source_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="okwfacility", name="source_key"),
        migrations.AddField(
            model_name="equipment",
            name="okw_imported_values",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="okwfacility",
            name="imported_values",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
