from django.apps import AppConfig


class MachineryMapConfig(AppConfig):
    name = "machinery_map"
