"""The world gazetteer: GeoNames' towns, found by any of their names, accents and capitals aside."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory import services
from directory.gazetteer import namesakes, world_load
from directory.models import Listing, Place
from directory.search import SearchParamsError, parse_search_params, resolve_near
from directory.services import place_record
from directory.services.opendata.importing import listings_import
from passport.services.passports import passport_ensure, passport_update
from tests.factories import ListingFactory, NodeFactory, UserFactory


@pytest.fixture
def world(db: None) -> None:
    """The migration loads the world into the test database; a test that flushes the database (the
    browser tests) empties it, so load it again then."""
    if not Place.objects.exclude(geonames_id=None).exists():
        world_load()


def placed(text: str) -> tuple[str, str]:
    near = resolve_near(text, 25)
    assert near is not None, text
    assert near.place is not None, text
    return near.place.name, near.place.country


def test_the_migration_loads_every_town_of_15000_people_or_more(world: None) -> None:
    assert Place.objects.exclude(geonames_id=None).count() > 30_000
    assert Place.objects.filter(geonames_id__isnull=False, population__lt=15_000).count() < 100


@pytest.mark.parametrize(
    ("typed", "town"),
    [
        ("London", ("London", "GB")),
        ("london", ("London", "GB")),
        ("Nairobi", ("Nairobi", "KE")),
        ("Lyon", ("Lyon", "FR")),
        ("Lyons", ("Lyon", "FR")),
        ("Edinburgh", ("Edinburgh", "GB")),
        ("Berlin", ("Berlin", "DE")),
        ("Köln", ("Köln", "DE")),
        ("Cologne", ("Köln", "DE")),
        ("koln", ("Köln", "DE")),
        ("KÖLN", ("Köln", "DE")),
        ("Genève", ("Geneva", "CH")),
        ("Geneva", ("Geneva", "CH")),
        ("Genf", ("Geneva", "CH")),
        ("Yaoundé", ("Yaoundé", "CM")),
        ("Yaounde", ("Yaoundé", "CM")),
        ("Londres", ("London", "GB")),
        ("Москва", ("Moscow", "RU")),
    ],
)
def test_a_town_is_found_by_its_english_french_or_local_name(world: None, typed: str, town: tuple) -> None:
    assert placed(typed) == town


def test_a_name_several_towns_share_means_the_most_populous_unless_a_country_is_named(world: None) -> None:
    assert placed("Paris") == ("Paris", "FR")
    assert placed("Paris, US") == ("Paris", "US")
    assert placed("paris, us") == ("Paris", "US")
    assert placed("Paris, United States") == ("Paris", "US")
    assert placed("Paris, États-Unis") == ("Paris", "US")
    assert placed("Paris, France") == ("Paris", "FR")
    assert placed("London, CA") == ("London", "CA")
    assert placed("London, UK") == ("London", "GB")


def test_the_resolver_says_which_town_it_used_and_offers_its_namesakes(world: None) -> None:
    near = resolve_near("Paris", 25)

    assert near is not None
    assert near.place is not None
    assert near.place.label == "Paris, France"
    assert near.place.population > 2_000_000
    # Towns called Paris first, then towns Paris is another name of (Parys, South Africa).
    assert [other.query for other in near.alternatives[:2]] == ["Paris, US", "Parys, ZA"]
    assert "FR" not in [other.country for other in near.alternatives]


def test_a_country_the_town_is_not_in_finds_nothing(world: None) -> None:
    assert resolve_near("Nairobi, FR", 25) is None
    assert resolve_near("Paris, Texas", 25) is None


def test_a_lookup_is_one_query(world: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        found = namesakes("Genève, CH")
    assert found is not None
    assert found.chosen.name == "Geneva"
    assert len(queries) == 1


def test_an_unknown_town_is_refused_with_a_clear_message(world: None) -> None:
    with pytest.raises(SearchParamsError, match=r"We could not find the place “Narnia”\. Try a city name"):
        parse_search_params(QueryDict("near=Narnia"))


@pytest.mark.parametrize("postcode", ["G1 1AA", "SW1A 1AA", "93200", "10115"])
def test_a_postcode_is_refused_with_words_of_its_own(world: None, postcode: str) -> None:
    with pytest.raises(SearchParamsError, match="We cannot place postcodes yet"):
        parse_search_params(QueryDict(f"near={postcode}"))


def test_loading_the_world_again_adds_nothing(world: None) -> None:
    towns, names, _seconds = world_load()
    assert (towns, names) == (0, 0)


def test_a_town_the_world_knows_keeps_its_centre_when_a_listing_names_it(world: None) -> None:
    edinburgh = place_record(name="EDINBURGH", country="GB", latitude=1.0, longitude=2.0)
    assert edinburgh.geonames_id is not None
    assert round(edinburgh.latitude, 1) == 56.0


def test_a_town_too_small_for_the_world_is_recorded_from_its_listing(world: None) -> None:
    ListingFactory(name="Atelier du Bourg", city="Saint-Véran", country="FR", latitude=44.70, longitude=6.87)
    assert placed("saint-veran, fr") == ("Saint-Véran", "FR")


def test_a_passport_placed_in_edinburgh_gets_its_coordinates(world: None) -> None:
    passport = passport_ensure(user=UserFactory.create())

    passport_update(passport=passport, handle="ada", display_name="Ada", location="Edinburgh")

    passport.refresh_from_db()
    assert passport.latitude == pytest.approx(55.95, abs=0.05)
    assert passport.longitude == pytest.approx(-3.19, abs=0.05)


def test_the_search_page_names_the_town_it_searched_around_and_its_namesakes(
    world: None, client: Client
) -> None:
    page = client.get("/search/", {"near": "Paris"}).content.decode()

    assert "Within 25 km of Paris, France." in page
    assert "Did you mean another?" in page
    assert '<a href="?near=Paris%2C+US&amp;radius=25">Paris, United States of America</a>' in page


def test_a_listing_whose_town_is_typed_without_coordinates_is_placed_at_its_centre(world: None) -> None:
    listing = ListingFactory.create(city="Edinburgh", country="GB", latitude=None, longitude=None)

    assert listing.latitude == pytest.approx(55.95, abs=0.05)
    assert listing.longitude == pytest.approx(-3.19, abs=0.05)


def test_a_listing_whose_town_cannot_be_placed_is_refused_under_its_town(world: None) -> None:
    with pytest.raises(ValidationError) as refused:
        ListingFactory(city="Narnia", country="GB", latitude=None, longitude=None)

    assert refused.value.message_dict["city"] == [
        "We could not find the place “Narnia”. Try a city name or coordinates like 55.86,-4.25."
    ]
    assert not Listing.objects.exists()


def test_coordinates_typed_for_a_listing_stay_whatever_its_town(world: None) -> None:
    listing = ListingFactory.create(city="Narnia", country="GB", latitude=55.0, longitude=-3.0)

    services.listing_update(listing=listing, actor=None, city="Edinburgh")

    listing.refresh_from_db()
    assert (listing.latitude, listing.longitude) == (55.0, -3.0)


def test_a_passport_location_that_cannot_be_placed_is_refused_under_the_location(
    world: None, client: Client
) -> None:
    user = UserFactory.create()
    passport = passport_ensure(user=user)
    client.force_login(user)

    page = client.post(
        "/passport/edit/",
        {"display_name": "Ada", "handle": "ada", "visibility": "private", "location": "Narnia"},
    ).content.decode()

    assert "We could not find the place “Narnia”." in page
    passport.refresh_from_db()
    assert passport.location == ""
    assert passport.latitude is None


def test_an_imported_row_whose_town_cannot_be_placed_is_named_and_nothing_is_written(world: None) -> None:
    node = NodeFactory.create()
    data = "name,kind,city,country\nForge One,fabricator,Edinburgh,GB\nForge Two,fabricator,Narnia,GB\n"

    report = listings_import(data=data.encode(), node=node)

    assert [(problem.line, problem.message) for problem in report.errors] == [
        (3, "city: We could not find the place “Narnia”. Try a city name or coordinates like 55.86,-4.25.")
    ]
    assert not Listing.objects.exists()
