"""Writes to the gazetteer: the towns of listings and nodes, and towns edited by hand. The world's towns
are loaded by a migration (directory/gazetteer.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from directory import search
from directory.models import Listing, Place, PlaceName
from makeworks.lib.text import fold


def _key(name: str) -> str:
    return fold(" ".join(name.split()))


@transaction.atomic
def place_record(*, name: str, country: str, latitude: float, longitude: float) -> Place:
    """Add a town to the gazetteer unless it knows the name in that country already (a town of the world's,
    under any of its names, or one recorded before): the first coordinates given for a name stay."""
    key = _key(name)
    known = (
        PlaceName.objects.filter(key=key, place__country=country)
        .select_related("place")
        .order_by("-main", "-place__population", "place_id")
        .first()
    )
    if known is not None:
        return known.place
    place = Place.objects.create(name=name, country=country, latitude=latitude, longitude=longitude)
    PlaceName.objects.create(place=place, key=key, main=True)
    return place


def place_listing(*, listing: Listing) -> None:
    """Give a listing whose town was typed without coordinates the town's centre, or refuse the town, so
    no listing is stored with a town that "near" cannot find it by. Coordinates typed stay as they are."""
    if (listing.latitude is not None and listing.longitude is not None) or not listing.city.strip():
        return
    city = " ".join(listing.city.split())
    near = search.resolve_near(f"{city}, {listing.country}" if listing.country else city, 1.0)
    if near is None:
        raise ValidationError({"city": [search.unplaced_message(city)]})
    listing.latitude, listing.longitude = near.latitude, near.longitude


def place_record_city(*, listing: Listing) -> None:
    if listing.city and listing.latitude is not None and listing.longitude is not None:
        place_record(
            name=listing.city,
            country=str(listing.country or ""),
            latitude=listing.latitude,
            longitude=listing.longitude,
        )


@transaction.atomic
def place_save(*, place: Place) -> Place:
    """Save a town edited by hand: the key of its own name follows the name; its other names stay."""
    place.full_clean()
    place.save()
    key = _key(place.name)
    place.names.filter(main=True).exclude(key=key).delete()
    PlaceName.objects.update_or_create(place=place, key=key, defaults={"main": True})
    return place
