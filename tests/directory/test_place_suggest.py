"""Place suggestions while typing: /places/suggest/?q=… answers towns from the gazetteer, in the page's
language, whatever the accents, case or language of the name typed."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.gazetteer import world_load
from directory.models import Place
from directory.search import resolve_near
from machinery_map.forms import MapFilterForm
from machinery_map.selectors import filter_choices
from passport.forms import PassportForm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def world(db: None) -> None:
    if not Place.objects.exclude(geonames_id=None).exists():
        world_load()
    # Each test starts with an empty rate-limit count.
    cache.clear()


def suggested(client: Client, text: str, language: str = "en") -> list[dict[str, object]]:
    with translation.override(language):
        url = reverse("directory:place_suggest")
    response = client.get(url, {"q": text})
    assert response.status_code == 200, response.content
    places: list[dict[str, object]] = response.json()["places"]
    return places


def labels(client: Client, text: str, language: str = "en") -> list[str]:
    return [str(place["label"]) for place in suggested(client, text, language)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Köln", "Köln, Germany"),
        ("koln", "Köln, Germany"),
        ("cologne", "Köln (cologne), Germany"),
        ("COLOGNE", "Köln (COLOGNE), Germany"),
        ("Genève", "Geneva (Genève), Switzerland"),
        ("genev", "Geneva, Switzerland"),
        ("yaounde", "Yaoundé, Cameroon"),
        ("Yaoundé", "Yaoundé, Cameroon"),
        ("lond", "London, United Kingdom"),
    ],
)
def test_a_town_is_suggested_whatever_the_accents_case_or_language_typed(
    client: Client, typed: str, expected: str
) -> None:
    assert labels(client, typed)[0] == expected


def test_col_offers_cologne_among_the_largest_towns_so_named(client: Client) -> None:
    offered = labels(client, "col")
    assert len(offered) == 8
    assert any(label.startswith("Köln") for label in offered)
    assert offered[0] == "Columbus, United States of America"


def test_paris_offers_several_paris_each_with_its_country_the_largest_first(client: Client) -> None:
    places = suggested(client, "paris")
    assert places[0] == {
        "label": "Paris, France",
        "value": "Paris, France",
        "country": "FR",
        "population": 2138551,
    }
    assert {
        "label": "Paris, United States of America",
        "value": "Paris, United States of America",
    }.items() <= (places[1].items())
    assert 2 <= len(places) <= 8


def test_a_suggestion_puts_in_the_field_what_places_that_very_town(client: Client) -> None:
    for place in suggested(client, "paris")[:3] + suggested(client, "san jose")[:3]:
        near = resolve_near(str(place["value"]), 25)
        assert near is not None
        assert near.place is not None
        assert near.place.country == place["country"]


def test_a_country_after_a_comma_keeps_to_that_country(client: Client) -> None:
    assert labels(client, "paris, us") == ["Paris, United States of America"]


def test_labels_name_the_country_in_the_page_language(client: Client) -> None:
    assert labels(client, "Köln", "fr")[0] == "Köln, Allemagne"
    assert suggested(client, "paris", "fr")[1]["value"] == "Paris, États-Unis d'Amérique"


def test_answers_are_one_query_and_may_be_cached(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("directory:place_suggest"), {"q": "lyon"})
    place_queries = [query for query in queries.captured_queries if "directory_placename" in query["sql"]]
    assert len(place_queries) == 1
    assert "max-age=3600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "typed", ["", " ", "a", "zzzzqqq", "%", "_", "' OR 1=1 --", "a\x00b", "<script>", "55.86,-4.25"]
)
def test_short_unknown_or_hostile_text_gets_a_list_never_an_error(client: Client, typed: str) -> None:
    places = suggested(client, typed)
    assert all("<" not in str(place["label"]) for place in places)


def test_an_over_long_text_is_refused_with_the_reason(client: Client) -> None:
    response = client.get(reverse("directory:place_suggest"), {"q": "x" * 101})
    assert response.status_code == 400
    assert response.json() == {"error": "Type at most 100 characters of a place's name.", "places": []}


def test_a_script_asking_hundreds_of_times_a_minute_is_slowed_down(client: Client) -> None:
    url = reverse("directory:place_suggest")
    statuses = {client.get(url, {"q": "ly"}).status_code for _attempt in range(245)}
    assert statuses == {200, 429}


def test_every_place_field_asks_for_suggestions(client: Client) -> None:
    url = reverse("directory:place_suggest")
    assert f'data-place-suggest="{url}"' in client.get(reverse("directory:search")).content.decode()
    assert f'data-place-suggest="{url}"' in str(MapFilterForm(choices=filter_choices())["near"])
    assert f'data-place-suggest="{url}"' in str(PassportForm()["location"])
