"""`manage.py seed_scale --listings N`: bulk-create synthetic published listings for benchmarks.

Names are combined from word lists and terms are drawn with a Zipf-like skew, so, as in a real
directory, one or two materials describe most listings while many others describe only a handful.
"""

import bisect
import functools
import itertools
import random
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils.text import slugify

from directory import services
from directory.models import Listing, ListingKind, ListingStatus, TeamSize, Term, Vocabulary
from directory.seeding import (
    ACCESS,
    BATCHES,
    CLIENTELE,
    REGIONS,
    TEAM_WEIGHTS,
    Region,
    fill_pattern,
    nodes_ensure,
    point_near,
    subset,
    terms_seed,
)
from makeworks.lib.text import fold

KIND_WEIGHTS = {
    ListingKind.FABRICATOR: 30,
    ListingKind.MATERIAL_SUPPLIER: 20,
    ListingKind.WORKSHOP: 20,
    ListingKind.FOOD_PRODUCER: 20,
    ListingKind.MAKERSPACE: 10,
}
KINDS = list(KIND_WEIGHTS)
KIND_CUMULATIVE_WEIGHTS = list(itertools.accumulate(KIND_WEIGHTS.values()))
# The second word of a name says what the business is.
NAME_CORES = {
    ListingKind.FABRICATOR: ("Fabrication", "Works", "Metalworks", "Joinery", "Engineering", "Manufacturing"),
    ListingKind.MATERIAL_SUPPLIER: (
        "Supplies",
        "Merchants",
        "Timber",
        "Trading",
        "Materials",
        "Stockholders",
    ),
    ListingKind.WORKSHOP: ("Studio", "Atelier", "Workshop", "Pottery", "Forge", "Werkstatt"),
    ListingKind.FOOD_PRODUCER: ("Bakery", "Brewing", "Roasters", "Creamery", "Kitchen", "Farm", "Fromagerie"),
    ListingKind.MAKERSPACE: ("Makerspace", "Fab Lab", "Hackspace", "Hub", "Lab", "Tiers-lieu"),
}
# The first word, drawn with a skew so a few openers are everywhere and most are rare.
NAME_OPENERS = (
    "North", "River", "Harbour", "Copper", "Oak", "Iron", "Maison", "Atelier", "Union", "Station",
    "Canal", "Bridge", "Market", "Mill", "Forge", "Hafen", "Elbe", "Clyde", "Volta", "Sanaga",
    "Sankofa", "Adinkra", "Belleville", "Faubourg", "Anker", "Kontor", "Heron", "Rowan", "Thistle",
    "Baobab", "Kola", "Indigo", "Cobalt", "Amber", "Granite", "Willow", "Juniper", "Saffron", "Hazel",
    "Linden", "Cedar", "Ember", "Quarry", "Loom", "Anvil", "Kiln", "Lathe", "Spindle", "Bobbin",
)  # fmt: skip
OPENER_SKEW = 1.1
DESCRIPTIONS = (
    "Small team, short lead times and honest quotes.",
    "We work with local businesses, designers and first-time makers.",
    "Visits by appointment; samples available on request.",
    "Part of a shared building with other makers and a café.",
    "We keep offcuts and by-products for anyone who can use them.",
)
# These terms are put first, so they are the most common of their vocabulary; the rest follow in a
# seeded shuffle. Benchmarks can rely on "steel" matching most listings and "plywood" many.
COMMON_TERMS: dict[str, tuple[str, ...]] = {
    Vocabulary.MATERIAL: ("steel", "plywood"),
    Vocabulary.PROCESS: ("laser-cutting", "welding"),
    Vocabulary.SECTOR: ("furniture",),
    Vocabulary.SERVICE: ("prototyping",),
}
# Zipf exponents, then the fewest and most distinct terms of each vocabulary a listing gets; every
# listing has at least a material and a process, and never more than MAX_TERMS terms in all.
TERM_SKEW: dict[str, float] = {
    Vocabulary.MATERIAL: 1.5,
    Vocabulary.PROCESS: 1.2,
    Vocabulary.SECTOR: 1.0,
    Vocabulary.SERVICE: 1.0,
}
TERM_COUNTS: dict[str, tuple[int, int]] = {
    Vocabulary.MATERIAL: (1, 3),
    Vocabulary.PROCESS: (1, 2),
    Vocabulary.SECTOR: (0, 1),
    Vocabulary.SERVICE: (0, 1),
}
MAX_TERMS = 6
SPREAD_KM = 10.0


class SkewedChoice:
    """Draws items so that the r-th item (counting from 1) is chosen with weight 1 / r ** exponent."""

    def __init__(self, items: list[Any], exponent: float) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))

    def one(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def distinct(self, rng: random.Random, count: int) -> list[Any]:
        chosen: list[Any] = []
        while len(chosen) < count:
            item = self.one(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


def term_choices(seed: int) -> dict[str, SkewedChoice]:
    choices = {}
    for vocabulary in Vocabulary.values:
        terms = list(Term.objects.filter(vocabulary=vocabulary).order_by("slug"))
        common = [term for slug in COMMON_TERMS[vocabulary] for term in terms if term.slug == slug]
        rest = [term for term in terms if term not in common]
        random.Random(seed).shuffle(rest)
        choices[vocabulary] = SkewedChoice(common + rest, TERM_SKEW[vocabulary])
    return choices


@functools.cache
def name_slug(name: str) -> str:
    # Names repeat a lot, and slugify is a noticeable share of the run time at 100,000 listings.
    return slugify(fold(name))


def synthetic_listing(
    *,
    rng: random.Random,
    number: int,
    region: Region,
    node_id: int,
    openers: SkewedChoice,
    terms: dict[str, SkewedChoice],
) -> tuple[Listing, list[int]]:
    """One unsaved listing and its term ids. `number` makes the slug unique."""
    kind = rng.choices(KINDS, cum_weights=KIND_CUMULATIVE_WEIGHTS)[0]
    core = rng.choice(NAME_CORES[kind])
    name = f"{openers.one(rng)} {core}"
    if rng.random() < 0.5:
        name = f"{name} {rng.choice(region.places)}"
    chosen: list[Term] = []
    for vocabulary, (fewest, most) in TERM_COUNTS.items():
        wanted = min(rng.randint(fewest, most), MAX_TERMS - len(chosen))
        chosen += terms[vocabulary].distinct(rng, wanted)
    materials = [term.name for term in chosen if term.vocabulary == Vocabulary.MATERIAL]
    town = region.towns[0] if rng.random() < 0.7 else rng.choice(region.towns)
    latitude, longitude = point_near(
        rng, region.latitude, region.longitude, sigma_km=SPREAD_KM, max_km=3 * SPREAD_KM
    )
    summary = f"{core} in {town.name}: {', '.join(materials)}."
    slug = f"{name_slug(name)}-{number}"
    listing = Listing(
        kind=kind,
        name=name,
        slug=slug,
        summary=summary,
        description=f"{summary} {rng.choice(DESCRIPTIONS)}",
        node_id=node_id,
        city=town.name,
        postcode=fill_pattern(rng, rng.choice(town.postcodes)) if town.postcodes else "",
        country=region.country,
        latitude=latitude,
        longitude=longitude,
        website=f"https://{slug}.example.org",
        year_founded=rng.randint(1950, 2024),
        team_size=rng.choices(TeamSize.values, weights=TEAM_WEIGHTS[kind])[0],
        batch_sizes=subset(rng, BATCHES[kind], most=2),
        works_with=subset(rng, CLIENTELE[kind], most=3),
        production_access=subset(rng, ACCESS[kind], most=2),
        languages=list(rng.choice(region.languages)),
        status=ListingStatus.PUBLISHED,
        verified=rng.random() < 0.2,
    )
    return listing, [term.pk for term in chosen]


class Command(BaseCommand):
    help = (
        "Bulk-create N synthetic published listings spread over the demo nodes, for benchmarks. "
        "Creates the vocabulary and the demo nodes first if they are missing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--listings", type=int, required=True, help="How many listings to create.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--chunk", type=int, default=10_000, help="Listings written per transaction (default 10,000)."
        )

    def handle(self, *args: Any, listings: int, seed: int, chunk: int, **options: Any) -> None:
        if listings < 1 or chunk < 1:
            raise CommandError("--listings and --chunk must be positive.")
        if settings.DEBUG:
            self.stdout.write(
                "DEBUG is on, so Django logs every query: set DEBUG=false for benchmark timings."
            )
        started = time.perf_counter()
        terms_seed()
        nodes = nodes_ensure()
        terms = term_choices(seed)
        openers = SkewedChoice(list(NAME_OPENERS), OPENER_SKEW)
        rng = random.Random(seed)
        # Numbering from the highest id keeps slugs unique when the command runs more than once.
        first_number = (Listing.objects.aggregate(highest=Max("id"))["highest"] or 0) + 1
        created = 0
        while created < listings:
            batch: list[Listing] = []
            batch_terms: list[list[int]] = []
            start = first_number + created
            for number in range(start, start + min(chunk, listings - created)):
                region = rng.choice(REGIONS)
                listing, term_ids = synthetic_listing(
                    rng=rng,
                    number=number,
                    region=region,
                    node_id=nodes[region.slug].pk,
                    openers=openers,
                    terms=terms,
                )
                batch.append(listing)
                batch_terms.append(term_ids)
            created += services.listings_bulk_create(listings=batch, terms=batch_terms)
            self.stdout.write(f"{created:,} / {listings:,} listings ({time.perf_counter() - started:.1f} s)")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created:,} listings in {elapsed:.1f} s ({created / elapsed:,.0f} a second)."
            )
        )
