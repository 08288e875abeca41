"""One flat-earth distance for every "near a place" search: the rows within a radius are found, nearest
first, and those beyond it are not."""

import pytest

from directory.models import Listing
from makeworks.lib.geo import KM_PER_DEGREE, bounding_box, squared_km, within_radius
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

GLASGOW = (55.8642, -4.2518)


def test_listings_within_the_radius_are_found_nearest_first_and_those_beyond_it_are_not() -> None:
    lat, lng = GLASGOW
    ListingFactory.create(name="Near", latitude=lat + 5 / KM_PER_DEGREE, longitude=lng)
    ListingFactory.create(name="Nearer", latitude=lat + 1 / KM_PER_DEGREE, longitude=lng)
    # 20 km due east: a degree east is shorter this far north, so 0.32 degrees is inside 25 km.
    ListingFactory.create(name="East", latitude=lat, longitude=lng + 0.32)
    ListingFactory.create(name="Edinburgh", latitude=55.9533, longitude=-3.1883)

    found = list(
        Listing.objects.filter(within_radius(lat, lng, 25))
        .annotate(distance_sq=squared_km(lat, lng))
        .order_by("distance_sq")
    )

    assert [listing.name for listing in found] == ["Nearer", "Near", "East"]
    assert [round(listing.distance_sq**0.5, 1) for listing in found] == [1.0, 5.0, 20.0]


def test_the_box_near_a_pole_stays_finite() -> None:
    (lat_low, lat_high), (lng_low, lng_high) = bounding_box(90.0, 0.0, 10)

    assert lat_low < 90 < lat_high
    assert lng_low > -10_000
    assert lng_high < 10_000
