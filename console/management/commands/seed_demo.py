"""`manage.py seed_demo`: fill an empty site with believable demo content, each domain seeding its own
part through its public seeding function, bottom tier first: the directory's listings, then passport's
badges (issuers are made from the makerspaces), demo console accounts and the demo curator, listing
owner and member, then machinery_map's machines (which may require the hubs' induction badges). A
front-door command, so no domain reaches upwards to seed another."""

from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.core.management.base import BaseCommand

from directory.seeding import demo_seed
from machinery_map.seeding import demo_machines_seed
from makeworks.lib.seeding import seeded_write
from passport.seeding import demo_badges_seed, demo_people_give, demo_roles_give


class Command(BaseCommand):
    help = (
        "Fill an empty directory with demo content: the seeded vocabulary, five nodes and about 240 "
        "listings with photos, then the demo hubs' badges and machines. Does nothing if any listing exists."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--photos",
            action=BooleanOptionalAction,
            default=True,
            help="Generate photos for about a third of the listings (--no-photos is faster).",
        )

    def handle(self, *args: Any, seed: int, photos: bool, **options: Any) -> None:
        directory = demo_seed(seed=seed, photos=photos)
        seeded_write(self, directory)
        if not directory.done:
            # A directory that already has listings was seeded (or is real): leave everything as it is.
            return
        seeded_write(self, demo_badges_seed())
        seeded_write(self, demo_roles_give())
        seeded_write(self, demo_people_give())
        seeded_write(self, demo_machines_seed())
