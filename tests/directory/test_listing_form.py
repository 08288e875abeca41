"""A workshop adds its listing in a short first step (what, where, a few terms), then fills the rest in
sections with its photos; a refused form saves nothing and keeps everything typed."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from directory.demo_data.photos import demo_photo
from directory.models import Listing, ListingStatus
from tests.directory.conftest import Catalogue
from tests.directory.test_permissions import edit_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client: Client) -> Client:
    client.force_login(User.objects.create_user(username="maker", email="maker@example.org", password="x"))
    return client


@pytest.fixture
def owner_client(client: Client, catalogue: Catalogue) -> Client:
    owner = User.objects.create_user(username="owner", email="owner@example.org", password="x")
    catalogue.clyde.owners.add(owner)
    client.force_login(owner)
    return client


def first_step(catalogue: Catalogue, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "node": catalogue.glasgow.pk,
        "name": "Partick Pottery",
        "kind": "workshop",
        "city": "Glasgow",
        "country": "GB",
        "process_terms": [catalogue.laser.pk],
        "material_terms": [catalogue.plywood.pk],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_first_step_saves_a_placed_draft_and_opens_the_rest_of_the_form(
    member_client: Client, catalogue: Catalogue
) -> None:
    response = member_client.post(reverse("directory:listing_new"), first_step(catalogue))

    listing = Listing.objects.get(name="Partick Pottery")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:listing_edit", args=[listing.slug])
    assert listing.status == ListingStatus.DRAFT
    assert {term.slug for term in listing.terms.all()} == {"laser-cutting", "plywood"}
    # Placed by the one resolver at the town's centre, since no spot was picked on the map.
    assert listing.latitude == pytest.approx(55.86, abs=0.05)
    assert listing.longitude == pytest.approx(-4.25, abs=0.05)


def test_a_spot_picked_on_the_map_is_kept_as_the_listings_coordinates(
    member_client: Client, catalogue: Catalogue
) -> None:
    member_client.post(
        reverse("directory:listing_new"), first_step(catalogue, latitude="55.87123", longitude="-4.30456")
    )

    listing = Listing.objects.get(name="Partick Pottery")
    assert (listing.latitude, listing.longitude) == (55.87123, -4.30456)


def test_an_unknown_town_is_refused_under_its_field_and_nothing_typed_is_lost(
    member_client: Client, catalogue: Catalogue
) -> None:
    response = member_client.post(
        reverse("directory:listing_new"), first_step(catalogue, city="Nowherebridge-on-Sea")
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert not Listing.objects.filter(name="Partick Pottery").exists()
    assert "Nothing was saved" in page
    city_group = page[page.index('<label for="id_city"') : page.index('id="id_city"')]
    assert "We could not find the place “Nowherebridge-on-Sea”" in city_group
    assert 'value="Partick Pottery"' in page
    assert re.search(rf'value="{catalogue.laser.pk}" id="id_process_terms_\d+" checked', page)


def test_half_a_pair_of_coordinates_is_refused_beside_the_latitude(
    member_client: Client, catalogue: Catalogue
) -> None:
    response = member_client.post(reverse("directory:listing_new"), first_step(catalogue, latitude="55.9"))

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_latitude_error"' in page
    assert "Give both latitude and longitude, or neither." in page
    assert 'value="55.9"' in page


def test_an_edit_with_one_bad_field_saves_none_of_the_others(
    owner_client: Client, catalogue: Catalogue
) -> None:
    data = edit_form_data(
        catalogue.clyde, summary="A new summary", social_links="not a link", material_terms=[]
    )

    response = owner_client.post(reverse("directory:listing_edit", args=[catalogue.clyde.slug]), data)

    catalogue.clyde.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 400
    assert catalogue.clyde.summary == "CNC-cut plywood furniture and fit-outs."
    assert catalogue.clyde.terms.filter(pk=catalogue.plywood.pk).exists()
    assert 'value="A new summary"' in page
    assert "“not a link” is not a web address" in page


def test_the_edit_page_shows_every_section_and_the_terms_as_plain_checkboxes(
    owner_client: Client, catalogue: Catalogue
) -> None:
    page = owner_client.get(reverse("directory:listing_edit", args=[catalogue.clyde.slug])).content.decode()

    for anchor in ("basics", "place", "terms", "details", "contact", "photos"):
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page
    # Without JavaScript the picker is checkboxes under a legend per vocabulary; the filter box waits hidden.
    assert '<div class="term-filter" hidden data-term-filter-row>' in page
    for legend in ("Material", "Process", "Sector", "Service"):
        assert f"<legend>{legend}</legend>" in page
    checked = re.findall(r'name="(\w+_terms)" value="(\d+)" id="[^"]+" checked', page)
    assert sorted(int(pk) for _name, pk in checked) == sorted(t.pk for t in catalogue.clyde.terms.all())
    assert 'data-map-coordinate="latitude"' in page
    assert 'value="55.853"' in page


def test_the_edit_page_reads_every_vocabulary_in_one_query(
    owner_client: Client, catalogue: Catalogue
) -> None:
    url = reverse("directory:listing_edit", args=[catalogue.clyde.slug])
    owner_client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get(url)

    assert response.status_code == 200
    term_lists = [q["sql"] for q in queries.captured_queries if 'FROM "directory_term"' in q["sql"]]
    # One for the picker's options, one for the listing's own terms.
    assert len(term_lists) == 2
    assert len(queries.captured_queries) <= 14


def test_the_french_form_names_terms_and_countries_in_french(
    owner_client: Client, catalogue: Catalogue
) -> None:
    # The request leaves French active in this thread; the override puts back what was there for later tests.
    with translation.override(None):
        page = owner_client.get(f"/fr/listings/{catalogue.clyde.slug}/edit/").content.decode()

    assert "Contreplaqué" in page
    assert "Royaume-Uni" in page


def test_a_photo_added_from_the_edit_page_goes_back_there(owner_client: Client, catalogue: Catalogue) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 90, 60)).save(buffer, "JPEG")
    upload = SimpleUploadedFile("bench.jpg", buffer.getvalue())

    response = owner_client.post(
        reverse("directory:listing_photos", args=[catalogue.clyde.slug]),
        {"image": upload, "alt_text": "The bench", "back": "edit"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:listing_edit", args=[catalogue.clyde.slug]) + "#photos"
    assert catalogue.clyde.photos.get().alt_text == "The bench"


def test_the_listing_page_opens_its_photos_in_a_lightbox_with_plain_links_beneath(
    client: Client, catalogue: Catalogue
) -> None:
    from directory import services

    image = demo_photo(seed=1, label="Clyde", kind="fabricator")
    upload = SimpleUploadedFile("clyde.jpg", image.read(), content_type="image/jpeg")
    photo = services.photo_add(listing=catalogue.clyde, upload=upload, alt_text="The CNC router")

    page = client.get(catalogue.clyde.get_absolute_url()).content.decode()

    assert "js/lightbox.js" in page
    assert f'<a href="{photo.image.url}" data-lightbox data-caption="The CNC router">' in page


def test_cards_without_a_photo_show_their_kinds_drawing(client: Client, catalogue: Catalogue) -> None:
    page = client.get(reverse("directory:search"), {"q": "plywood"}).content.decode()

    assert 'class="card-image card-placeholder kind-fabricator" aria-hidden="true"><svg' in page
    assert 'card-placeholder kind-supplier"' in page


def test_demo_photos_differ_by_kind_and_stay_small_and_repeatable() -> None:
    pictures = {kind: demo_photo(seed=7, label="x", kind=kind).read() for kind in ("workshop", "food")}

    assert pictures["workshop"] != pictures["food"]
    assert demo_photo(seed=7, label="x", kind="food").read() == pictures["food"]
    assert all(len(data) < 80_000 for data in pictures.values())


def test_the_details_choices_are_checkboxes_under_a_legend(
    owner_client: Client, catalogue: Catalogue
) -> None:
    page = owner_client.get(reverse("directory:listing_edit", args=[catalogue.clyde.slug])).content.decode()

    assert '<fieldset class="field"><legend>Batch sizes</legend>' in page
    assert 'type="checkbox" name="batch_sizes" value="one-off" id="id_batch_sizes_0" checked' in page
