"""The directory's pages, through Django's test client: what a visitor sees and what a bad URL answers."""

import html
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pytest_django import DjangoAssertNumQueries

from directory import services
from directory.models import Listing, ListingKind, ListingStatus
from directory.search import parse_search_params, search_listings
from tests.directory.conftest import SECRET_EMAIL, SECRET_PHONE, Catalogue

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _english_between_requests() -> Iterator[None]:
    """The test client leaves the last request's language active; reverse() must not inherit French."""
    with translation.override("en"):
        yield


def text_of(response: "_MonkeyPatchedWSGIResponse") -> str:
    return html.unescape(response.content.decode())


def facet_hrefs(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'class="facet-link[^"]*" href="([^"]+)"', page)]


def test_home_lists_each_node_with_its_published_listing_count(client: Client, catalogue: Catalogue) -> None:
    response = client.get(reverse("pages:home"))

    page = text_of(response)
    assert response.status_code == 200
    assert catalogue.glasgow.get_absolute_url() in page
    assert "Glasgow" in page
    assert "United Kingdom" in page
    # Three published listings in Glasgow; the draft does not count.
    assert "3 listings" in page
    assert "1 listing" in page


def test_home_has_a_search_box_that_asks_for_suggestions(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(reverse("pages:home")))

    assert f'action="{SEARCH}"' in page
    assert f'hx-get="{reverse("directory:suggest")}"' in page


def test_search_finds_a_material_within_a_node(client: Client, catalogue: Catalogue) -> None:
    response = client.get(SEARCH, {"q": "plywood", "node": "glasgow"})

    page = text_of(response)
    assert response.status_code == 200
    assert "Clyde Plywood Works" in page
    assert "Kelvin Timber Supply" in page
    assert "Atelier Belleville" not in page
    assert "Secret Draft Workshop" not in page


def test_search_by_material_facet_includes_narrower_terms(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(SEARCH, {"material": "wood"}))

    assert "Clyde Plywood Works" in page
    assert "Govan Laser Studio" not in page


def test_facet_links_add_a_value_and_keep_the_rest_of_the_search(
    client: Client, catalogue: Catalogue
) -> None:
    page = text_of(client.get(SEARCH, {"q": "plywood", "page": "1"}))

    hrefs = facet_hrefs(page)
    cnc = next(href for href in hrefs if "process=cnc-milling" in href)
    query = parse_qs(urlsplit(cnc).query)
    assert query == {"q": ["plywood"], "process": ["cnc-milling"]}


def test_facet_links_remove_a_selected_value(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(SEARCH, {"process": ["cnc-milling", "laser-cutting"], "kind": "workshop"}))

    selected = re.findall(r'class="facet-link is-selected" href="([^"]+)"', page)
    queries = [parse_qs(urlsplit(html.unescape(href)).query) for href in selected]
    assert {"process": ["laser-cutting"], "kind": ["workshop"]} in queries
    assert {"process": ["cnc-milling", "laser-cutting"]} in queries


def test_removing_a_facets_only_value_keeps_the_other_parameters_in_a_clean_query(
    client: Client, catalogue: Catalogue
) -> None:
    page = text_of(
        client.get(SEARCH, {"q": "plywood", "material": "wood", "node": "glasgow", "sort": "name"})
    )

    selected = re.findall(r'class="facet-link is-selected" href="\?([^"]+)"', page)
    queries = {html.unescape(href) for href in selected}
    assert "q=plywood&node=glasgow&sort=name" in queries
    assert "q=plywood&material=wood&sort=name" in queries


def test_search_results_embed_map_markers_for_the_hits_on_the_page(
    client: Client, catalogue: Catalogue
) -> None:
    page = text_of(client.get(SEARCH, {"node": "glasgow"}))

    data = re.search(r'<script id="search-map-points" type="application/json">(.*?)</script>', page, re.S)
    assert data is not None
    assert "Govan Laser Studio" in data.group(1)
    assert catalogue.govan.get_absolute_url() in data.group(1)


def result_cards(page: str) -> list[str]:
    return re.findall(r'<li class="card listing-card">(.*?)</li>', page, re.S)


def test_a_result_card_shows_kind_name_summary_place_and_distance(
    client: Client, catalogue: Catalogue
) -> None:
    page = client.get(SEARCH, {"q": "plywood", "near": "55.8642,-4.2518", "radius": "10"}).content.decode()

    clyde = next(card for card in result_cards(page) if "Clyde Plywood Works" in card)
    assert "Fabricator" in clyde
    assert "Verified" in clyde
    assert f'<a href="{catalogue.clyde.get_absolute_url()}">Clyde Plywood Works</a>' in clyde
    assert "CNC-cut plywood furniture and fit-outs." in clyde
    assert "<span>Glasgow, United Kingdom</span>" in clyde
    assert "<span>1.5 km away</span>" in clyde
    # The node is named only where it is not the town already shown.
    assert clyde.count("Glasgow") == 1


def test_a_result_card_in_french_gives_the_distance_with_a_decimal_comma(
    client: Client, catalogue: Catalogue
) -> None:
    page = client.get(
        "/fr/search/", {"q": "plywood", "near": "55.8642,-4.2518", "radius": "10"}
    ).content.decode()

    clyde = next(card for card in result_cards(page) if "Clyde Plywood Works" in card)
    assert "<span>à 1,5\xa0km</span>" in clyde  # with the no-break space French puts before a unit
    assert "Vérifiée" in clyde
    assert "Royaume-Uni" in clyde


def test_a_result_card_escapes_what_a_listing_owner_typed(client: Client, catalogue: Catalogue) -> None:
    services.listing_update(
        listing=catalogue.govan,
        actor=None,
        name="Govan <b>Laser</b> & Co",
        summary='"Steel" <script>x</script>',
    )

    page = client.get(SEARCH, {"q": "govan"}).content.decode()

    (card,) = result_cards(page)
    assert "Govan &lt;b&gt;Laser&lt;/b&gt; &amp; Co" in card
    assert "&quot;Steel&quot; &lt;script&gt;x&lt;/script&gt;" in card
    assert "<script>" not in card


def test_node_page_cards_leave_out_the_node_they_are_on(client: Client, catalogue: Catalogue) -> None:
    services.listing_update(listing=catalogue.govan, actor=None, city="Govan")

    on_search = client.get(SEARCH, {"q": "govan"}).content.decode()
    on_node = client.get(catalogue.glasgow.get_absolute_url()).content.decode()

    (search_card,) = [card for card in result_cards(on_search) if "Govan Laser Studio" in card]
    (node_card,) = [card for card in result_cards(on_node) if "Govan Laser Studio" in card]
    assert "<span>Govan, United Kingdom</span><span>Glasgow</span>" in search_card
    assert "<span>Glasgow</span>" not in node_card


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"material": "unobtainium"}, "There is no material called “unobtainium”."),
        ({"kind": "spaceship"}, "“spaceship” is not a kind of listing we know."),
        ({"near": "Glasgow", "radius": "-5"}, "The radius must be more than 0 and at most 500 km."),
        ({"q": "x" * 10_000}, "Your search is 10000 characters long; please keep it under 200."),
        ({"page": "abc"}, "The page number must be a whole number from 1 to 10000."),
        ({"page": "0"}, "The page number must be a whole number from 1 to 10000."),
        ({"near": "Narnia"}, "We could not find the place “Narnia”."),
    ],
    ids=[
        "unknown-facet-value",
        "unknown-kind",
        "negative-radius",
        "huge-query",
        "page-abc",
        "page-zero",
        "place",
    ],
)
def test_search_with_bad_input_answers_400_with_a_message(
    client: Client, catalogue: Catalogue, query: dict[str, str], message: str
) -> None:
    response = client.get(SEARCH, query)

    assert response.status_code == 400
    assert message in text_of(response)
    assert 'role="alert"' in text_of(response)


def test_search_with_negative_radius_answers_400_with_a_message(client: Client, catalogue: Catalogue) -> None:
    response = client.get(SEARCH, {"near": "Glasgow", "radius": "-5"})

    assert response.status_code == 400
    assert "The radius must be more than 0" in text_of(response)


def test_search_with_a_huge_query_does_not_echo_it_back(client: Client, catalogue: Catalogue) -> None:
    response = client.get(SEARCH, {"q": "x" * 10_000})

    assert response.status_code == 400
    assert "x" * 201 not in text_of(response)


def test_search_beyond_the_last_page_answers_404_with_a_link_to_page_one(
    client: Client, catalogue: Catalogue
) -> None:
    response = client.get(SEARCH, {"q": "plywood", "page": "7"})

    page = text_of(response)
    assert response.status_code == 404
    assert "There is no page 7: this search has only 1 page." in page
    assert 'href="?q=plywood"' in page


def test_search_pages_link_to_previous_and_next(client: Client, catalogue: Catalogue) -> None:
    for number in range(22):
        services.listing_create(
            name=f"Bench maker {number:02d}", kind=ListingKind.FABRICATOR, status=ListingStatus.PUBLISHED
        )

    first = text_of(client.get(SEARCH, {"q": "bench"}))
    second = client.get(SEARCH, {"q": "bench", "page": "2"})

    assert 'href="?q=bench&page=2" rel="next"' in first
    assert "page 1 of 2" in first
    assert second.status_code == 200
    assert 'href="?q=bench" rel="prev"' in text_of(second)
    assert "Bench maker 21" in text_of(second)


def test_search_shows_the_corrected_spelling(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(SEARCH, {"q": "plywod"}))

    assert "Showing results for “plywood”." in page
    assert "Clyde Plywood Works" in page


def test_a_facet_or_page_link_through_htmx_gets_only_the_results(
    client: Client, catalogue: Catalogue
) -> None:
    headers = {"HX-Request": "true", "HX-Target": "results-region"}
    response = client.get(SEARCH, {"q": "plywood"}, headers=headers)

    page = text_of(response)
    assert response.status_code == 200
    assert "Clyde Plywood Works" in page
    assert "<html" not in page
    assert 'id="search-form"' not in page
    assert "HX-Request" in response["Vary"]


def test_the_search_form_through_htmx_gets_the_form_and_the_results(
    client: Client, catalogue: Catalogue
) -> None:
    response = client.get(
        SEARCH, {"q": "plywood"}, headers={"HX-Request": "true", "HX-Target": "search-main"}
    )

    page = text_of(response)
    assert "<html" not in page
    assert 'id="search-form"' in page
    assert "Clyde Plywood Works" in page
    assert "HX-Target" in response["Vary"]


def test_htmx_search_with_bad_input_returns_the_messages_in_the_partial(
    client: Client, catalogue: Catalogue
) -> None:
    response = client.get(
        SEARCH,
        {"radius": "-5", "near": "Glasgow"},
        headers={"HX-Request": "true", "HX-Target": "search-main"},
    )

    assert response.status_code == 400
    assert "<html" not in text_of(response)
    assert 'id="search-radius-error"' in text_of(response)
    assert "The radius must be more than 0" in text_of(response)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_an_unknown_place_is_named_under_the_near_field_and_the_filters_are_kept(
    client: Client, catalogue: Catalogue, htmx: bool
) -> None:
    headers = {"HX-Request": "true", "HX-Target": "search-main"} if htmx else {}
    response = client.get(
        SEARCH, {"q": "plywood", "near": "Nowhereville", "kind": "fabricator"}, headers=headers
    )

    page = text_of(response)
    assert response.status_code == 400
    assert ("<html" in page) is not htmx
    field = re.search(r'<div class="field field-near field-invalid">(.*?)</div>', page, re.S)
    assert field is not None
    assert 'value="Nowhereville"' in field.group(1)
    assert 'aria-invalid="true" aria-describedby="search-near-error"' in field.group(1)
    assert (
        '<p id="search-near-error" class="field-error">We could not find the place “Nowhereville”'
        in field.group(1)
    )
    assert '<a href="#search-near">We could not find the place' in page
    assert 'id="search-q" name="q" value="plywood"' in page
    assert '<input type="hidden" form="search-form" name="kind" value="fabricator">' in page


def test_a_near_search_lists_the_nearest_first_even_with_words(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(SEARCH, {"near": "55.86,-4.25", "radius": "50"}))

    distances = [float(found) for found in re.findall(r"([\d.]+) km away", page)]
    assert len(distances) >= 2
    assert distances == sorted(distances)
    assert '<option value="" selected>Nearest first</option>' in page
    words = parse_search_params(QueryDict("q=plywood&near=Glasgow"))
    assert words.effective_sort == "distance"
    assert (
        parse_search_params(QueryDict("q=plywood&near=Glasgow&sort=relevance")).effective_sort == "relevance"
    )
    assert parse_search_params(QueryDict("q=plywood")).effective_sort == "relevance"


def test_htmx_history_restore_gets_the_whole_page(client: Client, catalogue: Catalogue) -> None:
    response = client.get(
        SEARCH, {"q": "plywood"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in text_of(response)


def test_listing_page_shows_its_terms_as_search_links(client: Client, catalogue: Catalogue) -> None:
    response = client.get(catalogue.clyde.get_absolute_url())

    page = text_of(response)
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Clyde Plywood Works", page)
    assert f'href="{SEARCH}?material=plywood"' in page
    assert f'href="{SEARCH}?process=cnc-milling"' in page
    assert f'href="{SEARCH}?sector=furniture"' in page
    assert f'href="{SEARCH}?service=prototyping"' in page
    assert "Verified" in page
    assert "Scottish Gaelic" in page
    assert "Living Wage Employer" in page
    assert "Small batch" in page
    assert "United Kingdom" in page
    assert catalogue.glasgow.get_absolute_url() in page


def test_listing_page_never_shows_the_contact_email_or_phone(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(catalogue.clyde.get_absolute_url()))

    assert SECRET_EMAIL not in page
    assert SECRET_PHONE not in page
    assert "hidden-inbox" not in page
    assert "496 0173" not in page


def test_listing_description_is_rendered_markdown_without_scripts(
    client: Client, catalogue: Catalogue
) -> None:
    page = client.get(catalogue.clyde.get_absolute_url()).content.decode()

    assert "<h2>Our workshop</h2>" in page
    assert "<strong>birch plywood</strong>" in page
    assert "alert('x')" not in page
    assert "javascript:alert" not in page


def test_listing_video_is_a_facade_that_loads_nothing_until_played(
    client: Client, catalogue: Catalogue
) -> None:
    page = text_of(client.get(catalogue.clyde.get_absolute_url()))

    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "<iframe" not in page
    assert "Play video" in page


def test_listing_page_lists_nearby_makers_who_share_a_process(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(catalogue.clyde.get_absolute_url()))

    nearby = page.split("Nearby makers who share a process", 1)[1]
    assert "Govan Laser Studio" in nearby
    # Shares plywood but no process; and the Paris maker shares CNC milling but is far away.
    assert "Kelvin Timber Supply" not in nearby
    assert "Atelier Belleville" not in nearby
    assert "Secret Draft Workshop" not in nearby


def test_listing_page_runs_a_fixed_number_of_queries(
    client: Client, catalogue: Catalogue, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(8):
        client.get(catalogue.clyde.get_absolute_url())


def test_draft_listing_answers_404(client: Client, catalogue: Catalogue) -> None:
    response = client.get(catalogue.draft.get_absolute_url())

    assert response.status_code == 404
    assert "Secret Draft Workshop" not in text_of(response)
    assert "Page not found" in text_of(response)


def test_node_page_shows_counts_by_kind_a_map_and_its_listings(client: Client, catalogue: Catalogue) -> None:
    response = client.get(catalogue.glasgow.get_absolute_url())

    page = text_of(response)
    assert response.status_code == 200
    assert "<strong>Clyde</strong>" in page
    assert f"{SEARCH}?kind=fabricator&node=glasgow" in page
    assert 'id="node-map"' in page
    assert "Govan Laser Studio" in page
    assert "Atelier Belleville" not in page


def test_unknown_node_answers_404(client: Client, catalogue: Catalogue) -> None:
    assert client.get(reverse("directory:node", kwargs={"slug": "narnia"})).status_code == 404


def test_french_search_page_is_in_french(client: Client, catalogue: Catalogue) -> None:
    response = client.get("/fr/search/", {"material": "plywood"})

    page = text_of(response)
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert "Rechercher" in page
    assert "Contreplaqué" in page
    assert "Fabricant" in page


def test_french_search_error_is_in_french(client: Client, catalogue: Catalogue) -> None:
    response = client.get("/fr/search/", {"radius": "-5", "near": "Glasgow"})

    assert response.status_code == 400
    assert "Le rayon" in text_of(response)


def test_suggestions_return_matching_materials(client: Client, catalogue: Catalogue) -> None:
    response = client.get(reverse("directory:suggest"), {"q": "plyw"})

    page = text_of(response)
    assert response.status_code == 200
    assert (
        f'<a href="{SEARCH}?material=plywood"><span class="suggestion-kind">Material</span> Plywood</a>'
        in page
    )


def test_suggestions_return_matching_listing_names(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(reverse("directory:suggest"), {"q": "govan"}))

    assert (
        f'<a href="{catalogue.govan.get_absolute_url()}"><span class="suggestion-kind">Listing</span>' in page
    )
    assert "Govan Laser Studio" in page


def test_suggestions_for_one_letter_are_empty(client: Client, catalogue: Catalogue) -> None:
    response = client.get(reverse("directory:suggest"), {"q": "p"})

    assert response.status_code == 200
    assert "<li" not in text_of(response)


def test_pages_do_not_accept_posts(client: Client, catalogue: Catalogue) -> None:
    assert client.post(SEARCH).status_code == 405


def test_a_selected_broader_term_stays_visible_so_it_can_be_removed(
    client: Client, catalogue: Catalogue
) -> None:
    page = text_of(client.get(SEARCH, {"material": "wood", "q": "glasgow"}))

    selected = re.findall(
        r'class="facet-link is-selected" href="([^"]+)".*?facet-label">([^<]+)<', page, re.S
    )
    assert ("?q=glasgow", "Wood") in selected


def found(query: str) -> list[str]:
    return [hit.name for hit in search_listings(parse_search_params(QueryDict(query))).hits]


def admin_listing_form(catalogue: Catalogue, **overrides: object) -> dict[str, object]:
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, "PNG")
    form: dict[str, object] = {
        "name": "Admin Made Forge", "slug": "admin-made-forge", "kind": "fabricator", "status": "published",
        "node": catalogue.glasgow.pk, "terms": [catalogue.steel.pk], "city": "Glasgow", "country": "GB",
        "latitude": "55.86", "longitude": "-4.25", "certifications": "[]", "social_links": "[]",
        "batch_sizes": "[]", "works_with": "[]", "production_access": "[]", "languages": "[]",
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "0", "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000", "photos-0-alt_text": "The forge", "photos-0-position": "0",
        "photos-0-image": SimpleUploadedFile("forge.png", image.getvalue(), content_type="image/png"),
    }  # fmt: skip
    form.update(overrides)
    return form


def test_admin_keeps_the_search_index_in_step_with_listing_changes(
    admin_client: Client, catalogue: Catalogue
) -> None:
    created = admin_client.post("/admin/directory/listing/add/", admin_listing_form(catalogue))
    listing = Listing.objects.get(slug="admin-made-forge")
    photo = listing.photos.get()
    remove_photo = {
        "photos-INITIAL_FORMS": "1",
        "photos-0-id": str(photo.pk),
        "photos-0-listing": str(listing.pk),
        "photos-0-DELETE": "on",
        "photos-0-image": "",
    }
    changed = admin_client.post(
        f"/admin/directory/listing/{listing.pk}/change/",
        admin_listing_form(catalogue, name="Renamed Forge", terms=[catalogue.plywood.pk], **remove_photo),
    )

    assert created.status_code == 302
    assert photo.thumbnail, "photos added in the admin get a thumbnail from services.photo_add"
    assert changed.status_code == 302
    assert "Renamed Forge" in found("material=plywood")
    assert "Renamed Forge" not in found("material=steel")
    assert not listing.photos.exists()

    deleted = admin_client.post(f"/admin/directory/listing/{listing.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert "Renamed Forge" not in found("material=plywood")


def test_admin_actions_publish_and_delete_through_the_services(
    admin_client: Client, catalogue: Catalogue
) -> None:
    selected = {"_selected_action": [catalogue.draft.pk]}
    admin_client.post("/admin/directory/listing/", {"action": "publish_selected", **selected})
    published = found("q=secret")
    admin_client.post("/admin/directory/listing/", {"action": "delete_selected", "post": "yes", **selected})

    assert published == ["Secret Draft Workshop"]
    assert found("q=secret") == []


def test_admin_renaming_a_term_reindexes_its_listings(admin_client: Client, catalogue: Catalogue) -> None:
    response = admin_client.post(
        f"/admin/directory/term/{catalogue.wood.pk}/change/",
        {"vocabulary": "material", "name": "Timber", "slug": "wood"},
    )

    assert response.status_code == 302
    # Plywood is a narrower term of wood, so its listings are found by the broader term's new name.
    assert "Clyde Plywood Works" in found("q=timber")


def test_admin_pages_open(admin_client: Client, catalogue: Catalogue) -> None:
    for url in [
        "/admin/directory/listing/",
        "/admin/directory/listing/add/",
        f"/admin/directory/listing/{catalogue.clyde.pk}/change/",
        "/admin/directory/term/",
        "/admin/directory/node/",
        "/admin/directory/place/add/",
    ]:
        assert admin_client.get(url).status_code == 200, url
