"""The directory's demo seeding (`demo_seed`, run first by the front door's seed_demo) and the helpers
it shares with seed_scale: the vocabulary loader, the five demo nodes with the local detail it takes to
write believable addresses, generated photos, and the generator that turns a trade profile into one demo
listing.

Everything is written through directory.services, so seeded listings are indexed like real ones.
"""

import math
import random
import re
import string
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from directory import services
from directory.demo_data import (
    FABRICATOR,
    FOOD,
    FRENCH_ADJECTIVES,
    MAKERSPACE,
    REGIONS,
    SUPPLIER,
    TRADES,
    WORKSHOP,
    Region,
    Trade,
)
from directory.demo_data.afield import AFIELD_LISTINGS
from directory.demo_data.photos import PHOTO_SIZE, demo_photo  # noqa: F401 - re-exported for callers
from directory.models import (
    BatchSize,
    Clientele,
    Listing,
    ListingStatus,
    Node,
    ProductionAccess,
    TeamSize,
    Term,
)
from directory.vocabulary import VOCABULARIES, WIKIDATA, WIKIPEDIA
from makeworks.lib.geo import KM_PER_DEGREE, km_per_degree_east
from makeworks.lib.seeding import Seeded
from makeworks.lib.text import fold

# Letters that may appear in the inward half of a UK postcode; used for every lettered pattern.
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

TermKey = tuple[str, str]


def terms_seed() -> int:
    """Create the terms of directory.vocabulary that do not exist yet; returns how many were created.

    Existing terms are left as they are, so curators' edits to names survive a re-run.
    """
    created = 0
    for vocabulary, rows in VOCABULARIES.items():
        existing = {term.slug: term for term in Term.objects.filter(vocabulary=vocabulary)}
        by_name: dict[str, Term] = {}
        for name, name_fr, parent_name, article, wikidata_id in rows:
            slug = slugify(fold(name))
            term = existing.get(slug)
            if term is None:
                term = services.term_create(
                    vocabulary=vocabulary,
                    name=name,
                    slug=slug,
                    parent=by_name[parent_name] if parent_name else None,
                    name_fr=name_fr,
                    wikipedia_url=WIKIPEDIA + article if article else "",
                    wikidata_url=WIKIDATA + wikidata_id if wikidata_id else "",
                )
                created += 1
            by_name[name] = term
    return created


def terms_by_key() -> dict[TermKey, Term]:
    """Every term, keyed by (vocabulary, slug)."""
    return {(term.vocabulary, term.slug): term for term in Term.objects.all()}


def nodes_ensure() -> dict[str, Node]:
    """The demo nodes by slug, created where missing, with every town of theirs in the gazetteer.

    Towns are recorded at their real centres before any listing is, because the gazetteer keeps the
    first coordinates it is given for a name.
    """
    nodes: dict[str, Node] = {}
    for region in REGIONS:
        node = Node.objects.filter(slug=region.slug).first()
        if node is None:
            node = services.node_create(
                name=region.name,
                name_fr=region.name_fr,
                slug=region.slug,
                country=region.country,
                latitude=region.latitude,
                longitude=region.longitude,
                zoom=region.zoom,
                description=region.description,
            )
        for town in region.towns:
            services.place_record(
                name=town.name, country=region.country, latitude=town.latitude, longitude=town.longitude
            )
        nodes[region.slug] = node
    return nodes


def point_near(
    rng: random.Random, latitude: float, longitude: float, *, sigma_km: float, max_km: float
) -> tuple[float, float]:
    """A point scattered around a centre with a normal spread, never further than max_km from it."""
    while True:
        east, north = rng.gauss(0, sigma_km), rng.gauss(0, sigma_km)
        if math.hypot(east, north) <= max_km:
            break
    east_degrees = east / km_per_degree_east(latitude)
    return round(latitude + north / KM_PER_DEGREE, 6), round(longitude + east_degrees, 6)


def fill_pattern(rng: random.Random, pattern: str) -> str:
    """Replace each "#" with a random digit and each "@" with a random postcode letter."""

    def fill(match: re.Match[str]) -> str:
        return str(rng.randrange(10)) if match.group() == "#" else rng.choice(POSTCODE_LETTERS)

    return re.sub("[#@]", fill, pattern)


@dataclass
class DemoListing:
    """What listing_create needs for one demo listing, plus how many photos to give it."""

    fields: dict[str, Any]
    term_keys: list[TermKey]
    photos: int
    captions: tuple[str, ...]


CLOSINGS = {
    "en": (
        "Visits by appointment: write first and we will show you round.",
        "We quote within two working days, for one-offs as well as repeat runs.",
        "Students and first-time makers are always welcome to ask questions.",
        "We like working with other local makers on joint projects.",
    ),
    "fr": (
        "Visites sur rendez-vous : écrivez-nous et nous vous ferons visiter.",
        "Devis sous deux jours ouvrés, pour une pièce unique comme pour des séries.",
        "Étudiants et porteurs de projet débutants sont les bienvenus.",
        "Nous aimons travailler avec d'autres artisans du coin sur des projets communs.",
    ),
}
MINIMUM_ORDERS = {
    "en": ("No minimum", "{money}", "10 pieces", "50 pieces", "One sheet", "One pallet", "One case", "5 kg"),
    "fr": ("Pas de minimum", "{money}", "10 pièces", "50 pièces", "Une plaque", "Une palette", "Un carton",
           "5 kg"),
}  # fmt: skip
LEAD_TIMES = {
    "en": ("Same day", "Next day", "2–3 days", "1 week", "1–2 weeks", "2–4 weeks", "4–6 weeks"),
    "fr": ("Le jour même", "Le lendemain", "2 à 3 jours", "1 semaine", "1 à 2 semaines", "2 à 4 semaines",
           "4 à 6 semaines"),
}  # fmt: skip
# Which of the minimum orders and lead times above suit each kind, by position; hubs quote neither.
KIND_MINIMUM_ORDERS: dict[str, tuple[int, ...]] = {
    FABRICATOR: (0, 1, 2, 3), SUPPLIER: (0, 1, 4, 5), WORKSHOP: (0, 1, 2), FOOD: (0, 1, 6, 7),
}  # fmt: skip
KIND_LEAD_TIMES: dict[str, tuple[int, ...]] = {
    FABRICATOR: (3, 4, 5, 6), SUPPLIER: (0, 1, 2, 3), WORKSHOP: (3, 4, 5), FOOD: (1, 2, 3),
}  # fmt: skip
CAPTIONS = {
    "en": ("The workshop", "Work in progress", "Finished pieces"),
    "fr": ("L'atelier", "Travail en cours", "Pièces terminées"),
}
SOCIAL_LINKS = (
    "https://www.instagram.com/{handle}/",
    "https://mastodon.social/@{handle}",
    "https://www.facebook.com/{handle}",
    "https://www.linkedin.com/company/{slug}",
)
YOUTUBE_ID_CHARACTERS = string.ascii_letters + string.digits + "_-"
PEERTUBE_ID_CHARACTERS = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Weights of SOLO, SMALL, MEDIUM, LARGE and VERY_LARGE teams for each kind.
TEAM_WEIGHTS: dict[str, tuple[int, ...]] = {
    FABRICATOR: (5, 35, 40, 15, 5), SUPPLIER: (5, 30, 40, 20, 5), WORKSHOP: (30, 50, 15, 5, 0),
    FOOD: (15, 45, 30, 10, 0), MAKERSPACE: (5, 45, 40, 10, 0),
}  # fmt: skip
BATCHES: dict[str, tuple[str, ...]] = {
    FABRICATOR: (BatchSize.ONE_OFF, BatchSize.SMALL_BATCH, BatchSize.LARGE_BATCH),
    SUPPLIER: (BatchSize.SMALL_BATCH, BatchSize.LARGE_BATCH),
    WORKSHOP: (BatchSize.ONE_OFF, BatchSize.SMALL_BATCH),
    FOOD: (BatchSize.SMALL_BATCH, BatchSize.LARGE_BATCH),
    MAKERSPACE: (BatchSize.ONE_OFF, BatchSize.SMALL_BATCH),
}
ACCESS: dict[str, tuple[str, ...]] = {
    FABRICATOR: (ProductionAccess.BY_APPOINTMENT, ProductionAccess.CLOSED, ProductionAccess.WORKSHOPS),
    SUPPLIER: (ProductionAccess.TRADE_COUNTER, ProductionAccess.BY_APPOINTMENT),
    WORKSHOP: (ProductionAccess.WORKSHOPS, ProductionAccess.BY_APPOINTMENT, ProductionAccess.OPEN),
    FOOD: (ProductionAccess.OPEN, ProductionAccess.BY_APPOINTMENT, ProductionAccess.WORKSHOPS),
    MAKERSPACE: (ProductionAccess.OPEN, ProductionAccess.WORKSHOPS),
}
CLIENTELE: dict[str, tuple[str, ...]] = {
    FABRICATOR: (Clientele.BUSINESSES, Clientele.PROFESSIONALS, Clientele.PUBLIC),
    SUPPLIER: (Clientele.PROFESSIONALS, Clientele.BUSINESSES, Clientele.PUBLIC),
    WORKSHOP: (Clientele.PUBLIC, Clientele.PROFESSIONALS, Clientele.STUDENTS),
    FOOD: (Clientele.PUBLIC, Clientele.BUSINESSES),
    MAKERSPACE: (Clientele.PUBLIC, Clientele.STUDENTS, Clientele.PROFESSIONALS, Clientele.BUSINESSES),
}
# Names that keep their capital inside a sentence.
PROPER_TERM_NAMES = {"Douglas fir"}


def subset(rng: random.Random, choices: Sequence[str], *, most: int) -> list[str]:
    """One to `most` of the choices, in their original order."""
    picked = set(rng.sample(list(choices), rng.randint(1, min(most, len(choices)))))
    return [str(choice) for choice in choices if choice in picked]


def pick_terms(rng: random.Random, slugs: str, country: str, *, most: int) -> list[str]:
    """One to `most` of a trade's term slugs that are used in this country, in random order."""
    pool = []
    for token in slugs.split():
        slug, _, countries = token.partition("@")
        if not countries or country in countries.split(","):
            pool.append(slug)
    return rng.sample(pool, rng.randint(1, min(most, len(pool))))


def in_sentence(term: Term, *, french: bool) -> str:
    """A term's name as it reads mid-sentence: "Oak" becomes "oak" but "MDF" stays "MDF"."""
    name = term.name_fr or term.name if french else term.name
    if name in PROPER_TERM_NAMES or name[1:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def enumeration(items: Sequence[str], language: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'et' if language == 'fr' else 'and'} {items[-1]}"


def minimum_order(rng: random.Random, kind: str, region: Region) -> str:
    if kind not in KIND_MINIMUM_ORDERS:
        return ""
    amount = rng.choice((50, 100, 250, 500, 1000)) * region.per_euro
    # Two significant figures read like a price someone chose, not a conversion.
    rounded = int(round(amount, -max(0, len(str(int(amount))) - 2)))
    money = region.money.format(f"{rounded:,}".replace(",", region.thousands))
    return MINIMUM_ORDERS[region.text_language][rng.choice(KIND_MINIMUM_ORDERS[kind])].format(money=money)


def lead_time(rng: random.Random, kind: str, language: str) -> str:
    if kind not in KIND_LEAD_TIMES:
        return ""
    return LEAD_TIMES[language][rng.choice(KIND_LEAD_TIMES[kind])]


def unique_name(rng: random.Random, trade: Trade, region: Region, taken_names: set[str]) -> str:
    """A name from one of the trade's templates for this region, not yet in taken_names (which it joins)."""
    templates = getattr(trade, region.name_language) or trade.en or trade.fr
    for _ in range(20):
        name = rng.choice(templates).format(
            place=rng.choice(region.places),
            surname=rng.choice(region.surnames),
            word=rng.choice(region.words),
            adj=rng.choice(region.adjectives or FRENCH_ADJECTIVES),
        )
        if name not in taken_names:
            break
    else:
        name = f"{name} {len(taken_names)}"
    taken_names.add(name)
    return name


def video_url(rng: random.Random) -> str:
    """A video portrait on one of the hosts the listing page embeds: YouTube, Vimeo or PeerTube."""
    host = rng.randrange(3)
    if host == 0:
        return "https://www.youtube.com/watch?v=" + "".join(rng.choices(YOUTUBE_ID_CHARACTERS, k=11))
    if host == 1:
        return f"https://vimeo.com/{rng.randint(100_000_000, 999_999_999)}"
    return "https://framatube.org/w/" + "".join(rng.choices(PEERTUBE_ID_CHARACTERS, k=22))


def demo_listing(
    *,
    rng: random.Random,
    trade: Trade,
    region: Region,
    node: Node,
    terms: dict[TermKey, Term],
    status: str,
    taken_names: set[str],
    centre: tuple[float, float] | None = None,
) -> DemoListing:
    """One believable listing of this trade in this region; `taken_names` keeps names unique.

    With a `centre`, the listing is in the node's own city, scattered around that point: a cluster.
    """
    language = region.text_language
    french = language == "fr"
    index = 1 if french else 0  # Position of this language in the trade's (English, French) pairs.
    name = unique_name(rng, trade, region, taken_names)
    slug = slugify(fold(name))
    towns = region.towns
    town = towns[0] if centre or rng.random() < 0.7 else rng.choice(towns[1:])
    sigma_km = 1.2 if centre else (1.5 if town is towns[0] else 1.0)
    latitude, longitude = point_near(
        rng, *(centre or (town.latitude, town.longitude)), sigma_km=sigma_km, max_km=3 * sigma_km
    )
    chosen = {
        "material": pick_terms(rng, trade.materials, region.country, most=3),
        "process": pick_terms(rng, trade.processes, region.country, most=3),
        "sector": pick_terms(rng, trade.sectors, region.country, most=2),
        "service": pick_terms(rng, trade.services, region.country, most=2),
    }
    if len(chosen["material"]) + len(chosen["process"]) > 5:
        chosen["process"].pop()
    names = {
        vocabulary: [in_sentence(terms[vocabulary, slug_], french=french) for slug_ in slugs]
        for vocabulary, slugs in chosen.items()
    }
    year = max(1890, 2024 - int(rng.expovariate(1 / 12)))
    if french:
        opening = f"Depuis {year}, {name} est {trade.noun[1]} à {town.name}."
        labels = ("**Savoir-faire :**", "**Matières :**")
    else:
        opening = f"Since {year}, {name} has been {trade.noun[0]} in {town.name}."
        labels = ("**What we do:**", "**Materials:**")
    what_we_do = enumeration(names["process"], language)
    kind = trade.kind
    certifications = [*trade.certifications, *region.certifications]
    if kind == FOOD:
        certifications += [label for label in (region.organic, region.food_safety) if label]
    fields: dict[str, Any] = {
        "name": name,
        "slug": slug,
        "kind": kind,
        "status": status,
        "node": node,
        "summary": f"{trade.what[index]} — {enumeration(names['material'], language)}.",
        "description": "\n\n".join(
            [
                f"{opening} {trade.pitch[index]}",
                f"{labels[0]} {what_we_do[:1].upper()}{what_we_do[1:]}.",
                f"{labels[1]} {enumeration(names['material'], language)}.",
                rng.choice(CLOSINGS[language]),
            ]
        ),
        "address": fill_pattern(
            rng,
            rng.choice(region.addresses).format(
                n=rng.randint(1, 220), u=rng.randint(1, 40), street=rng.choice(town.streets)
            ),
        ),
        "city": town.name,
        "postcode": fill_pattern(rng, rng.choice(town.postcodes)) if town.postcodes else "",
        "country": region.country,
        "latitude": latitude,
        "longitude": longitude,
        "website": f"https://{slug}.example.org",
        "contact_email": f"{slug}@example.org",
        "contact_phone": fill_pattern(rng, region.phone),
        "social_links": [
            link.format(handle=slug.replace("-", "")[:30], slug=slug)
            for link in rng.sample(SOCIAL_LINKS, rng.randint(0, 3))
        ],
        "year_founded": year,
        "team_size": rng.choices(TeamSize.values, weights=TEAM_WEIGHTS[kind])[0],
        "minimum_order": minimum_order(rng, kind, region),
        "lead_time": lead_time(rng, kind, language),
        "batch_sizes": subset(rng, BATCHES[kind], most=2),
        "works_with": subset(rng, CLIENTELE[kind], most=3),
        "production_access": subset(rng, ACCESS[kind], most=2),
        "languages": list(rng.choice(region.languages)),
        "certifications": rng.sample(certifications, min(len(certifications), rng.choice((0, 0, 1, 2)))),
        "circularity": trade.circularity[index] if rng.random() < 0.4 else "",
        "video_url": video_url(rng) if rng.random() < 0.12 else "",
        "verified": rng.random() < 0.35,
    }
    return DemoListing(
        fields=fields,
        term_keys=[(vocabulary, slug_) for vocabulary, slugs in chosen.items() for slug_ in slugs],
        photos=rng.randint(1, 3) if rng.random() < 1 / 3 else 0,
        captions=CAPTIONS[language],
    )


def demo_create(*, spec: DemoListing, terms: dict[TermKey, Term], photo_seed: int, photos: bool) -> Listing:
    """Write one demo listing, and its generated photos when `photos` is set."""
    listing = services.listing_create(terms=[terms[key] for key in spec.term_keys], **spec.fields)
    for position in range(spec.photos if photos else 0):
        caption = f"{listing.name}: {spec.captions[position % len(spec.captions)]}"
        image = demo_photo(seed=photo_seed * 10 + position, label=caption, kind=listing.kind)
        upload = SimpleUploadedFile(image.name or "photo.jpg", image.read(), content_type="image/jpeg")
        services.photo_add(listing=listing, upload=upload, alt_text=caption)
    return listing


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
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
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


def demo_seed(*, seed: int, photos: bool) -> Seeded:
    """Fill an empty directory with demo content: the seeded vocabulary, five nodes and about 240 listings,
    a third of them with photos when `photos`. Skips (done=False) if any listing exists."""
    if Listing.objects.exists():
        return Seeded("The directory already has listings; seed_demo skipped.", done=False)
    started = time.perf_counter()
    photo_count = 0
    # One transaction: a half-seeded directory would make the next run skip, and SQLite is far faster
    # committing once.
    with transaction.atomic():
        created_terms = terms_seed()
        nodes = nodes_ensure()
        terms = terms_by_key()
        for number, spec in enumerate(demo_specs(seed=seed, nodes=nodes, terms=terms)):
            demo_create(spec=spec, terms=terms, photo_seed=seed * 100_000 + number, photos=photos)
            photo_count += spec.photos if photos else 0
        afield_count = afield_create(terms=terms)
    listings = Listing.objects.all()
    return Seeded(
        f"Seeded {created_terms} terms, {len(nodes)} nodes, {listings.published().count()} published "
        f"and {listings.exclude(status=ListingStatus.PUBLISHED).count()} draft listings "
        f"({afield_count} beyond the nodes), {photo_count} photos in {time.perf_counter() - started:.1f} s."
    )


def afield_create(*, terms: dict[TermKey, Term]) -> int:
    """The hand-written listings beyond the nodes (directory.demo_data.afield), published; returns how
    many were written."""
    for spec in AFIELD_LISTINGS:
        slug = slugify(fold(spec.name))
        services.listing_create(
            name=spec.name,
            slug=slug,
            kind=spec.kind,
            status=ListingStatus.PUBLISHED,
            summary=spec.summary,
            description=spec.description,
            address=spec.address,
            city=spec.city,
            postcode=spec.postcode,
            country=spec.country,
            latitude=spec.latitude,
            longitude=spec.longitude,
            website=f"https://{slug}.example.org",
            contact_email=f"{slug}@example.org",
            languages=list(spec.languages),
            terms=[terms[key] for key in spec.terms],
        )
    return len(AFIELD_LISTINGS)
