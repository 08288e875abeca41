"""`manage.py seed_machines`: machinery_map's demo seeding alone (machinery_map.seeding); the front
door's seed_demo runs it after the directory's and passport's."""

from typing import Any

from django.core.management.base import BaseCommand

from machinery_map.seeding import demo_machines_seed
from makeworks.lib.seeding import seeded_write


class Command(BaseCommand):
    help = "Give the demo hubs (makerspaces, workshops and fabricators) equipment. Skips hubs that have some."

    def handle(self, *args: Any, **options: Any) -> None:
        seeded_write(self, demo_machines_seed())
