"""The seeded vocabulary and the demo and benchmark content commands."""

import itertools
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify
from PIL import Image
from pytest_django import DjangoDbBlocker

from directory import seeding, services
from directory.demo_data.afield import AFIELD_LISTINGS
from directory.models import Listing, ListingKind, ListingPhoto, ListingStatus, Node, Term, Vocabulary
from directory.seeding import REGIONS, DemoListing, TermKey, demo_photo, terms_seed
from directory.vocabulary import VOCABULARIES
from makeworks.lib.text import fold

pytestmark = pytest.mark.django_db


def seed_demo(*options: str) -> str:
    out = StringIO()
    call_command("seed_demo", *options, stdout=out)
    return out.getvalue()


def test_terms_seed_is_idempotent_and_builds_hierarchies() -> None:
    created = terms_seed()

    assert created == sum(len(rows) for rows in VOCABULARIES.values())
    assert terms_seed() == 0
    assert Term.objects.count() == created
    assert Term.objects.filter(vocabulary=Vocabulary.MATERIAL).count() >= 60
    assert Term.objects.filter(vocabulary=Vocabulary.PROCESS).count() >= 60
    assert Term.objects.filter(vocabulary=Vocabulary.SECTOR).count() >= 20
    assert Term.objects.filter(vocabulary=Vocabulary.SERVICE).count() >= 15
    stainless = Term.objects.get(vocabulary=Vocabulary.MATERIAL, slug="stainless-steel")
    assert stainless.parent is not None
    assert stainless.parent.parent is not None
    assert (stainless.name_fr, stainless.parent.name, stainless.parent.parent.name) == (
        "Acier inoxydable",
        "Steel",
        "Metal",
    )
    baking = Term.objects.get(vocabulary=Vocabulary.PROCESS, slug="baking")
    assert baking.parent is not None
    assert baking.parent.slug == "food-processing"


def test_seeded_terms_include_plywood_and_ceramics_with_french_names_and_wikipedia_links() -> None:
    terms_seed()

    plywood = Term.objects.get(vocabulary=Vocabulary.MATERIAL, slug="plywood")
    ceramics = Term.objects.get(vocabulary=Vocabulary.MATERIAL, slug="ceramics")
    assert plywood.wikipedia_url == "https://en.wikipedia.org/wiki/Plywood"
    assert ceramics.name_fr == "Céramique"
    assert not Term.objects.filter(name_fr="").exists()


def test_terms_seed_keeps_a_term_a_curator_already_edited() -> None:
    services.term_create(vocabulary=Vocabulary.MATERIAL, name="Plywood", name_fr="Contre-plaqué")

    terms_seed()

    assert Term.objects.get(vocabulary=Vocabulary.MATERIAL, slug="plywood").name_fr == "Contre-plaqué"


def test_demo_specs_are_the_same_for_the_same_seed() -> None:
    # Unsaved terms and nodes are enough: the generator only reads their names.
    terms: dict[TermKey, Term] = {
        (vocabulary, slugify(fold(name))): Term(vocabulary=vocabulary, name=name, name_fr=name_fr)
        for vocabulary, rows in VOCABULARIES.items()
        for name, name_fr, *_ in rows
    }
    nodes = {region.slug: Node(slug=region.slug) for region in REGIONS}

    def fields(seed: int) -> list[dict[str, object]]:
        return [spec.fields for spec in seeding.demo_specs(seed=seed, nodes=nodes, terms=terms)]

    assert fields(5) == fields(5)
    assert fields(5) != fields(6)


def test_seed_demo_skips_a_directory_that_already_has_a_listing() -> None:
    services.listing_create(name="Existing Works", kind=ListingKind.FABRICATOR)

    output = seed_demo()

    assert "skipped" in output
    assert Listing.objects.count() == 1


def test_demo_photo_is_a_readable_jpeg_that_photo_add_accepts() -> None:
    listing = services.listing_create(name="Clyde Metalworks", kind=ListingKind.FABRICATOR)
    image = demo_photo(seed=3, label="Clyde Metalworks: the workshop")

    with Image.open(image) as picture:
        assert (picture.format, picture.size) == ("JPEG", (960, 640))
    image.seek(0)
    upload = SimpleUploadedFile(image.name or "photo.jpg", image.read(), content_type="image/jpeg")
    photo = services.photo_add(listing=listing, upload=upload, alt_text="The workshop")

    assert (photo.width, photo.height) == (960, 640)
    assert ListingPhoto.objects.filter(listing=listing).count() == 1
    assert demo_photo(seed=3, label="x").read() != demo_photo(seed=4, label="x").read()


def test_seed_demo_with_photos_gives_some_listings_photos(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first few dozen listings are enough to see photos attached, and much faster than all of them.
    all_specs = seeding.demo_specs

    def first_specs(**kwargs: Any) -> Iterator[DemoListing]:
        return itertools.islice(all_specs(**kwargs), 30)

    monkeypatch.setattr(seeding, "demo_specs", first_specs)

    seed_demo()

    with_photos = ListingPhoto.objects.values("listing").distinct().count()
    # The hand-written listings beyond the nodes come on top, without photos.
    assert 0 < with_photos < Listing.objects.count() == 30 + len(AFIELD_LISTINGS)
    assert not ListingPhoto.objects.filter(alt_text="").exists()


@pytest.fixture(scope="class")
def demo_directory(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """One demo directory shared by a class of tests, rolled back when the class is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo("--no-photos")
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_directory")
class TestSeedDemo:
    def test_seed_demo_creates_every_kind_in_every_node(self) -> None:
        nodes = Node.objects.all()
        assert {node.slug for node in nodes} == {"glasgow", "paris", "hamburg", "yaounde", "accra"}
        assert Node.objects.get(slug="paris").name_fr == "Paris"
        published = Listing.objects.published()
        assert published.count() >= 200
        for node in nodes:
            kinds = set(published.filter(node=node).values_list("kind", flat=True))
            assert kinds == set(ListingKind.values), node.slug
        assert Listing.objects.filter(status=ListingStatus.DRAFT).exists()
        assert published.filter(verified=True).exists()
        assert published.exclude(video_url="").exists()
        assert published.exclude(circularity="").exists()

    def test_seed_demo_puts_a_food_cluster_in_paris_written_in_french(self) -> None:
        paris_food = Listing.objects.published().filter(
            node__slug="paris", kind=ListingKind.FOOD_PRODUCER, city="Paris"
        )
        assert paris_food.count() >= 30
        assert all(listing.description.startswith("Depuis") for listing in paris_food)

    def test_seed_demo_listings_are_complete_and_near_their_node(self) -> None:
        listings = Listing.objects.select_related("node").annotate(term_count=Count("terms"))
        afield = {spec.name for spec in AFIELD_LISTINGS}
        for listing in listings.exclude(name__in=afield):
            assert listing.node is not None
            assert listing.latitude is not None
            assert listing.longitude is not None
            assert abs(listing.latitude - listing.node.latitude) < 0.5
            assert abs(listing.longitude - listing.node.longitude) < 0.5
            assert listing.term_count >= 4
            assert listing.website == f"https://{listing.slug}.example.org"
            assert listing.contact_email.endswith("@example.org")
            assert listing.summary
            assert listing.description
            assert listing.languages
        cities = set(listings.values_list("city", flat=True))
        assert {"Paisley", "Saint-Denis", "Norderstedt", "Mbalmayo", "Tema"} <= cities

    def test_seed_demo_adds_complete_listings_beyond_the_nodes(self) -> None:
        beyond = Listing.objects.published().filter(node=None).annotate(term_count=Count("terms"))

        assert {listing.city for listing in beyond} >= {"London", "Köln", "Lyon", "Nairobi"}
        for listing in beyond:
            assert listing.latitude is not None
            assert listing.term_count >= 3
            assert listing.summary
            assert listing.description

    def test_seed_demo_run_twice_does_not_duplicate(self) -> None:
        counts = (Listing.objects.count(), Node.objects.count(), Term.objects.count())

        output = seed_demo("--no-photos")

        assert "skipped" in output
        assert (Listing.objects.count(), Node.objects.count(), Term.objects.count()) == counts

    def test_seed_scale_adds_to_the_demo_without_new_nodes(self) -> None:
        before = Listing.objects.count()

        call_command("seed_scale", "--listings", "300", stdout=StringIO())
        call_command("seed_scale", "--listings", "300", stdout=StringIO())

        assert Listing.objects.count() == before + 600
        assert Node.objects.count() == 5


def test_seed_scale_creates_published_listings_with_terms_and_coordinates() -> None:
    out = StringIO()

    call_command("seed_scale", "--listings", "500", "--chunk", "200", stdout=out)

    listings = Listing.objects.annotate(term_count=Count("terms"))
    assert listings.count() == 500
    assert listings.filter(status=ListingStatus.PUBLISHED).count() == 500
    assert not listings.filter(term_count__lt=2).exists()
    assert not listings.filter(term_count__gt=6).exists()
    assert not listings.filter(latitude__isnull=True).exists()
    assert not listings.filter(node__isnull=True).exists()
    assert Node.objects.count() == 5
    assert "500 / 500" in out.getvalue()


def test_seed_scale_makes_one_material_common_and_most_rare() -> None:
    call_command("seed_scale", "--listings", "500", stdout=StringIO())

    uses = dict(
        Term.objects.filter(vocabulary=Vocabulary.MATERIAL)
        .annotate(uses=Count("listings"))
        .values_list("slug", "uses")
    )
    assert uses["steel"] > 250
    assert sorted(uses.values())[len(uses) // 2] < 10
