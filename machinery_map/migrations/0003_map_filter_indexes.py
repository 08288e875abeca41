"""Indexes the map's filters read without visiting the machines' wide rows: the machine indexes carry the
status, hub and id (the per-hub one every simple filter too), and the process and material link tables get
(what, machine) indexes, so "which machines do this" is answered from the index alone. The link tables are
Django's own, so their indexes are SQL that PostgreSQL and SQLite both accept."""

from django.db import migrations, models

LINK_INDEXES = [
    (
        "equipment_process_machine",
        "machinery_map_equipment_processes",
        "manufacturingprocess_id, equipment_id",
    ),
    ("equipment_material_machine", "machinery_map_equipment_materials", "term_id, equipment_id"),
]


class Migration(migrations.Migration):
    dependencies = [("machinery_map", "0002_seed_taxonomy")]

    operations = [
        migrations.RemoveIndex(model_name="equipment", name="equipment_type_status"),
        migrations.RemoveIndex(model_name="equipment", name="equipment_hub_status"),
        migrations.RemoveIndex(model_name="equipment", name="equipment_bed_size"),
        migrations.RemoveIndex(model_name="equipment", name="equipment_build_volume"),
        migrations.AddIndex(
            model_name="equipment",
            index=models.Index(
                fields=["equipment_type", "status", "hub", "id"], name="equipment_type_status_hub"
            ),
        ),
        migrations.AddIndex(
            model_name="equipment",
            index=models.Index(
                fields=["hub", "status", "id", "equipment_type", "access", "bed_size_mm", "build_volume_mm3"],
                name="equipment_hub_status_filters",
            ),
        ),
        migrations.AddIndex(
            model_name="equipment",
            index=models.Index(fields=["bed_size_mm", "status", "hub", "id"], name="equipment_bed_size_hub"),
        ),
        migrations.AddIndex(
            model_name="equipment",
            index=models.Index(
                fields=["build_volume_mm3", "status", "hub", "id"], name="equipment_build_volume_hub"
            ),
        ),
        *(
            migrations.RunSQL(f"CREATE INDEX {name} ON {table} ({columns})", f"DROP INDEX {name}")
            for name, table, columns in LINK_INDEXES
        ),
    ]
