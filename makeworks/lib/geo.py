"""Distances on a flat earth: the equirectangular approximation every "near a place" search uses.

Within the few hundred kilometres anyone searches, treating a degree of latitude as KM_PER_DEGREE and a
degree of longitude as that times the cosine of the latitude errs by well under one per cent, and keeps
the distance plain arithmetic: both databases evaluate it without per-row function calls, after an
index on latitude/longitude has narrowed the rows to a bounding box."""

import math
from dataclasses import dataclass

from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.lookups import LessThanOrEqual

KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class NamedPlace:
    """A town a typed name was taken to mean, or could have meant, so a page can say which."""

    name: str
    country: str  # ISO code; empty when unknown
    country_name: str
    population: int

    @property
    def label(self) -> str:
        """ "Paris, France", for reading."""
        return f"{self.name}, {self.country_name}" if self.country_name else self.name

    @property
    def query(self) -> str:
        """ "Paris, FR", what to type to get this town rather than a namesake."""
        return f"{self.name}, {self.country}" if self.country else self.name


@dataclass(frozen=True)
class Near:
    """A place to search around, as a visitor typed it (`label`), with the radius to search within; when
    the gazetteer placed it, the town it used (`place`) and its namesakes elsewhere, most populous first."""

    latitude: float
    longitude: float
    radius_km: float
    label: str
    place: NamedPlace | None = None
    alternatives: tuple[NamedPlace, ...] = ()


def km_per_degree_east(latitude: float) -> float:
    """The length of a degree of longitude at `latitude`; never quite zero, so a box near a pole stays
    finite."""
    return KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01)


def bounding_box(
    latitude: float, longitude: float, radius_km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The (latitude, longitude) ranges of the square around a point that holds the circle of
    `radius_km`: what an index can narrow the rows to before distances are measured."""
    lat_delta = radius_km / KM_PER_DEGREE
    lng_delta = radius_km / km_per_degree_east(latitude)
    return (latitude - lat_delta, latitude + lat_delta), (longitude - lng_delta, longitude + lng_delta)


def squared_km(latitude: float, longitude: float) -> ExpressionWrapper:
    """The squared distance in km² from a point to a row's `latitude` and `longitude`, as an expression
    (squared, so no square root per row; compare it with the radius squared)."""
    north = (F("latitude") - Value(latitude)) * Value(KM_PER_DEGREE)
    east = (F("longitude") - Value(longitude)) * Value(km_per_degree_east(latitude))
    return ExpressionWrapper(north * north + east * east, output_field=FloatField())


def within_radius(latitude: float, longitude: float, radius_km: float) -> Q:
    """The condition that a row's `latitude` and `longitude` lie within `radius_km` of a point: inside the
    bounding box (which an index can use) and at a squared distance no greater than the radius squared.
    Annotate squared_km() under a name of your own to sort by it or show it."""
    lat_range, lng_range = bounding_box(latitude, longitude, radius_km)
    close_enough = LessThanOrEqual(squared_km(latitude, longitude), Value(float(radius_km) ** 2))
    return Q(latitude__range=lat_range, longitude__range=lng_range) & Q(close_enough)
