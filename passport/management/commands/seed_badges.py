"""`manage.py seed_badges`: passport's demo seeding alone (passport.seeding), on top of the demo
directory; the front door's seed_demo runs the same steps after the directory's."""

from typing import Any

from django.core.management.base import BaseCommand

from makeworks.lib.seeding import seeded_write
from passport.seeding import demo_badges_seed, demo_people_give, demo_roles_give


class Command(BaseCommand):
    help = (
        "Create demo badges: an issuer for each published makerspace, a dozen badge classes and hosted "
        "and signed awards. Run after seed_demo; does nothing once any issuer exists."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        seeded_write(self, demo_badges_seed())
        seeded_write(self, demo_roles_give())
        seeded_write(self, demo_people_give())
