from django.db import migrations


def load(apps, schema_editor):
    """The world's towns from GeoNames, so every database (and every test database) knows them."""
    from directory.gazetteer import world_load

    world_load(place_model=apps.get_model("directory", "Place"), name_model=apps.get_model("directory", "PlaceName"))


def unload(apps, schema_editor):
    from directory.gazetteer import world_unload

    world_unload(place_model=apps.get_model("directory", "Place"))


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0009_place_names"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
