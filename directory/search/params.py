"""What a visitor asks of the search: parsed from a query string, validated, and turned back into one.

Every state of the search page is a shareable URL, so parsing and `to_query_string` are inverses.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_countries import countries

from directory.gazetteer import namesakes
from directory.models import ListingKind, Node, Place, Term, Vocabulary
from makeworks.lib.geo import NamedPlace, Near
from makeworks.lib.geocode import geocode
from makeworks.lib.text import fold

MAX_QUERY_LENGTH = 200
MAX_RADIUS_KM = 500.0
DEFAULT_RADIUS_KM = 25.0
MAX_FILTER_VALUES = 20
PER_PAGE = 20
MAX_PAGE = 10_000
# Namesakes in other countries a page offers instead of the town it took a name to mean.
MAX_ALTERNATIVES = 5

Sort = Literal["relevance", "distance", "name", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "distance", "name", "newest")
TERM_PARAMS: tuple[str, ...] = tuple(v.value for v in Vocabulary)
# "G1 1AA", "SW1A 1AA", "93200", "10115", "GA-123-4567": letters and digits with at least one digit.
POSTCODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 -]{1,11}$")
COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class SearchParams:
    text: str = ""
    kinds: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    # Term slugs per vocabulary: {"material": ("plywood",), "process": ("cnc-milling",)}.
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    near: Near | None = None
    near_text: str = ""
    sort: Sort | None = None
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def effective_sort(self) -> Sort:
        """The sort asked for; else nearest first around a place (words or not: someone who names a
        place wants what is close), else the best match for words, else by name."""
        if self.sort:
            return self.sort
        if self.near:
            return "distance"
        return "relevance" if self.text else "name"

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.kinds or self.nodes or any(self.terms.values()) or self.near)

    def with_page(self, page: int) -> "SearchParams":
        return replace(self, page=page)

    def to_query_string(self, **overrides: object) -> str:
        """The URL query that reproduces this search, with some parameters replaced (None drops one)."""
        pairs: dict[str, object] = {
            "q": self.text,
            "kind": list(self.kinds),
            "node": list(self.nodes),
            **{vocabulary: list(self.terms.get(vocabulary, ())) for vocabulary in TERM_PARAMS},
            "near": self.near_text,
            "radius": _format_radius(self.near.radius_km) if self.near else "",
            "sort": self.sort or "",
            "page": self.page if self.page > 1 else "",
        }
        pairs.update(overrides)
        items: list[tuple[str, object]] = []
        for key, value in pairs.items():
            values = value if isinstance(value, list | tuple) else [value]
            items.extend((key, v) for v in values if v not in (None, ""))
        return urlencode(items)


def _format_radius(radius: float) -> str:
    return f"{radius:g}"


class SearchParamsError(ValueError):
    """The query string cannot be searched; `messages` says why, in words for the visitor, and `fields`
    says it again under the parameter at fault (q, near, radius, sort, page) where there is one, so a
    form can show each message under its field."""

    def __init__(self, messages: list[str], fields: dict[str, list[str]] | None = None):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.fields = fields or {}


def parse_search_params(query: QueryDict, *, per_page: int = PER_PAGE) -> SearchParams:
    """Validate a search query string. Raises SearchParamsError listing every problem found."""
    errors: list[str] = []
    # Each field's messages, also in `errors`: the form shows them under the field.
    fields: dict[str, list[str]] = {name: [] for name in ("q", "near", "radius", "sort", "page")}

    text = " ".join(query.get("q", "").split())
    if len(text) > MAX_QUERY_LENGTH:
        fields["q"].append(
            _("Your search is %(length)d characters long; please keep it under %(max)d.")
            % {"length": len(text), "max": MAX_QUERY_LENGTH}
        )
        text = ""

    kinds = _distinct(query.getlist("kind"))
    known_kinds = set(ListingKind.values)
    for kind in kinds:
        if kind not in known_kinds:
            errors.append(_("“%(value)s” is not a kind of listing we know.") % {"value": kind[:60]})

    nodes = _distinct(query.getlist("node"))
    if nodes:
        found = set(Node.objects.filter(slug__in=nodes).order_by().values_list("slug", flat=True))
        for slug in nodes:
            if slug not in found:
                errors.append(_("There is no node called “%(value)s”.") % {"value": slug[:60]})

    terms = {vocabulary: _distinct(query.getlist(vocabulary)) for vocabulary in TERM_PARAMS}
    terms = {vocabulary: slugs for vocabulary, slugs in terms.items() if slugs}
    if terms:
        errors.extend(_unknown_terms(terms))

    for name, values in [("kind", kinds), ("node", nodes), *terms.items()]:
        if len(values) > MAX_FILTER_VALUES:
            errors.append(_("Too many values for “%(name)s”.") % {"name": name})

    near_text = " ".join(query.get("near", "").split())[:MAX_QUERY_LENGTH]
    radius = _parse_radius(query.get("radius", ""), fields["radius"])
    near = None
    if near_text:
        near = resolve_near(near_text, radius)
        if near is None:
            fields["near"].append(unplaced_message(near_text))

    sort_value = query.get("sort", "")
    sort: Sort | None = None
    if sort_value:
        if sort_value not in SORTS:
            fields["sort"].append(_("“%(value)s” is not a way to sort results.") % {"value": sort_value[:40]})
        elif sort_value == "distance" and not near_text:
            fields["sort"].append(_("Sorting by distance needs a place to measure from."))
        else:
            sort = sort_value

    page = _parse_page(query.get("page", ""), fields["page"])

    # The order the page has always listed them in.
    errors = fields["q"] + errors + fields["radius"] + fields["near"] + fields["sort"] + fields["page"]
    if errors:
        raise SearchParamsError(errors, {name: messages for name, messages in fields.items() if messages})
    return SearchParams(
        text=text,
        kinds=kinds,
        nodes=nodes,
        terms=terms,
        near=near,
        near_text=near_text,
        sort=sort,
        page=page,
        per_page=per_page,
    )


def _distinct(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def _unknown_terms(terms: dict[str, tuple[str, ...]]) -> list[str]:
    known = set(
        Term.objects.filter(slug__in=[s for slugs in terms.values() for s in slugs])
        .order_by()
        .values_list("vocabulary", "slug")
    )
    labels = dict(Vocabulary.choices)
    return [
        _("There is no %(vocabulary)s called “%(value)s”.")
        % {"vocabulary": str(labels[vocabulary]).lower(), "value": slug[:60]}
        for vocabulary, slugs in terms.items()
        for slug in slugs
        if (vocabulary, slug) not in known
    ]


def _parse_radius(value: str, errors: list[str]) -> float:
    if not value.strip():
        return DEFAULT_RADIUS_KM
    try:
        radius = float(value)
    except ValueError:
        errors.append(_("The radius must be a number of kilometres."))
        return DEFAULT_RADIUS_KM
    if not 0 < radius <= MAX_RADIUS_KM:  # also refuses NaN
        errors.append(_("The radius must be more than 0 and at most %(max)d km.") % {"max": MAX_RADIUS_KM})
        return DEFAULT_RADIUS_KM
    return radius


def _parse_page(value: str, errors: list[str]) -> int:
    if not value.strip():
        return 1
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_PAGE:
        errors.append(_("The page number must be a whole number from 1 to %(max)d.") % {"max": MAX_PAGE})
        return 1
    return int(value)


def resolve_near(text: str, radius_km: float) -> Near | None:
    """Turn "Glasgow" or "55.86,-4.25" into coordinates: from the local gazetteer, then from the
    online geocoder when GEOCODER_URL is set."""
    match = COORDINATES.match(text)
    if match:
        latitude, longitude = float(match.group(1)), float(match.group(2))
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            return Near(latitude, longitude, radius_km, text)
        return None
    found_here = namesakes(text)
    if found_here is not None:
        town = found_here.chosen
        return Near(
            town.latitude,
            town.longitude,
            radius_km,
            text,
            place=_named(town),
            alternatives=tuple(_named(other) for other in found_here.others[:MAX_ALTERNATIVES]),
        )
    if settings.GEOCODER_URL:
        found = _geocode_cached(text)
        if found:
            return Near(found[0], found[1], radius_km, text)
    return None


def unplaced_message(text: str) -> str:
    """Why a typed place was refused, in words for the visitor: every place form says the same."""
    if POSTCODE.match(text):
        # No registry package ships postcodes for the countries we serve offline.
        return _(
            "We cannot place postcodes yet (“%(place)s”); type a town, or coordinates like 55.86,-4.25."
        ) % {"place": text}
    return _("We could not find the place “%(place)s”. Try a city name or coordinates like 55.86,-4.25.") % {
        "place": text
    }


def _named(town: Place) -> NamedPlace:
    return NamedPlace(
        name=town.name,
        country=str(town.country or ""),
        country_name=str(countries.name(town.country)) if town.country else "",
        population=town.population,
    )


def _geocode_cached(text: str) -> tuple[float, float] | None:
    """Ask the online geocoder, remembering answers for a day (its usage policies ask for caching)."""
    key = "geocode:" + hashlib.sha256(fold(text).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return (cached[0], cached[1]) if cached else None
    place = geocode(text, url=settings.GEOCODER_URL, user_agent=f"{settings.SITE_NAME} ({settings.SITE_URL})")
    answer = [place.latitude, place.longitude] if place else []
    cache.set(key, answer, 24 * 3600)
    return (place.latitude, place.longitude) if place else None
