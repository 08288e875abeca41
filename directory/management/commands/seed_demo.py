"""`manage.py seed_demo`: fill an empty directory with believable demo content.

The catalogue it draws on (regions and trades) is data in directory.demo_data; directory.seeding turns
each pick into a listing through the services.
"""

import random
import time
from argparse import ArgumentParser, BooleanOptionalAction
from collections.abc import Iterator
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from directory.demo_data import FOOD, REGIONS, TRADES, Region, Trade
from directory.models import Listing, ListingStatus, Node, Term
from directory.seeding import (
    DemoListing,
    TermKey,
    demo_create,
    demo_listing,
    nodes_ensure,
    terms_by_key,
    terms_seed,
)

# Published listings per node, on top of the Paris food cluster.
LISTINGS_PER_NODE = {"glasgow": 42, "paris": 40, "hamburg": 42, "yaounde": 34, "accra": 38}
PARIS_FOOD_CLUSTER = 34
# The cluster sits in the north-east of Paris, where most of the city's small food makers are.
PARIS_FOOD_CENTRE = (48.8700, 2.3800)
DRAFTS = 10


def demo_plan(rng: random.Random) -> list[tuple[Region, Trade, str, bool]]:
    """Which trade each demo listing follows, in which region, with which status, and whether it belongs
    to the Paris food cluster. Every trade available in a region appears there at least once, so every
    node has every kind."""
    plan: list[tuple[Region, Trade, str, bool]] = []
    for region in REGIONS:
        available = [trade for trade in TRADES if trade.available_in(region.country)]
        count = LISTINGS_PER_NODE[region.slug]
        trades = available + rng.choices(available, k=max(0, count - len(available)))
        plan += [(region, trade, ListingStatus.PUBLISHED, False) for trade in trades]
        if region.slug == "paris":
            food = [trade for trade in available if trade.kind == FOOD]
            cluster = food * 3 + rng.choices(food, k=max(0, PARIS_FOOD_CLUSTER - 3 * len(food)))
            plan += [(region, trade, ListingStatus.PUBLISHED, True) for trade in cluster]
    for _ in range(DRAFTS):
        region = rng.choice(REGIONS)
        trade = rng.choice([trade for trade in TRADES if trade.available_in(region.country)])
        plan.append((region, trade, ListingStatus.DRAFT, False))
    return plan


def demo_specs(*, seed: int, nodes: dict[str, Node], terms: dict[TermKey, Term]) -> Iterator[DemoListing]:
    """Every demo listing, in order; the same seed always gives the same listings."""
    rng = random.Random(seed)
    taken_names: set[str] = set()
    for region, trade, status, in_cluster in demo_plan(rng):
        yield demo_listing(
            rng=rng,
            trade=trade,
            region=region,
            node=nodes[region.slug],
            terms=terms,
            status=status,
            taken_names=taken_names,
            centre=PARIS_FOOD_CENTRE if in_cluster else None,
        )


class Command(BaseCommand):
    help = (
        "Fill an empty directory with demo content: the seeded vocabulary, five nodes and about 240 "
        "listings with photos. Does nothing if any listing exists."
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
        if Listing.objects.exists():
            self.stdout.write("The directory already has listings; seed_demo skipped.")
            return
        started = time.perf_counter()
        photo_count = 0
        # One transaction: a half-seeded directory would make the next run skip, and SQLite is far
        # faster committing once.
        with transaction.atomic():
            created_terms = terms_seed()
            nodes = nodes_ensure()
            terms = terms_by_key()
            for number, spec in enumerate(demo_specs(seed=seed, nodes=nodes, terms=terms)):
                demo_create(spec=spec, terms=terms, photo_seed=seed * 100_000 + number, photos=photos)
                photo_count += spec.photos if photos else 0
        listings = Listing.objects.all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {created_terms} terms, {len(nodes)} nodes, {listings.published().count()} published "
                f"and {listings.exclude(status=ListingStatus.PUBLISHED).count()} draft listings, "
                f"{photo_count} photos in {time.perf_counter() - started:.1f} s."
            )
        )
        # The demo hubs' badges belong to the passport app, which directory may not import; its command
        # is found by name, so the directory alone still seeds when passport is not installed.
        if "seed_badges" in get_commands():
            call_command("seed_badges", stdout=self.stdout, stderr=self.stderr)
        # The hubs' equipment belongs to machinery_map, found by name for the same reason; after the badges,
        # so machines can require the hubs' inductions.
        if "seed_machines" in get_commands():
            call_command("seed_machines", stdout=self.stdout, stderr=self.stderr)
