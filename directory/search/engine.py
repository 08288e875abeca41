"""One search over the catalogue, the same on both back ends: text match, filters, distance, facets, pages.

The SQL is written out rather than built with the ORM because the full-text match must be a join on a
CTE (FTS5 cannot be reached through the ORM) and facets come from one materialised pass over the hits.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from directory.models import Listing, ListingKind, ListingPhoto, ListingStatus, Node, Term, Vocabulary
from directory.search.backends import TextMatch, current_backend
from directory.search.params import SearchParams
from makeworks.lib.text import words

KM_PER_DEGREE = 111.32
MAX_QUERY_WORDS = 12

# Dropped from queries on both back ends alike, so "bakers in paris" means "bakers paris".
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "near",
        "au",
        "aux",
        "avec",
        "ce",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class ListingHit:
    id: int
    slug: str
    name: str
    kind: str
    kind_label: str
    summary: str
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    verified: bool
    node_name: str
    distance_km: float | None = None
    thumbnail_url: str = ""


@dataclass
class SearchResults:
    params: SearchParams
    total: int
    hits: list[ListingHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # The query as searched after spelling correction, when it differs from what was typed.
    corrected_text: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.per_page))

    @property
    def page_out_of_range(self) -> bool:
        return self.params.page > self.num_pages


def query_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP_WORDS][:MAX_QUERY_WORDS]


def corrected_words(text: str) -> tuple[list[str], bool]:
    """The query's words, each unknown one replaced by the nearest known word when there is one."""
    backend = current_backend()
    result, changed = [], False
    for word in query_words(text):
        if len(word) >= 4 and not word.isdigit() and not backend.is_known_word(word):
            nearest = backend.nearest_word(word)
            if nearest and nearest != word:
                result.append(nearest)
                changed = True
                continue
        result.append(word)
    return result, changed


class _Sql:
    """Collects SQL fragments with their parameters in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.parts.append(sql)
        self.params.extend(params)


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _term_ids_with_descendants(params: SearchParams) -> list[list[int]]:
    """For each selected term, the ids it stands for: itself and every narrower term."""
    selected = [(vocabulary, slug) for vocabulary, slugs in params.terms.items() for slug in slugs]
    if not selected:
        return []
    rows = list(Term.objects.values_list("id", "vocabulary", "slug", "parent_id"))
    children: dict[int, list[int]] = {}
    for term_id, _vocabulary, _slug, parent_id in rows:
        if parent_id:
            children.setdefault(parent_id, []).append(term_id)
    by_slug = {(vocabulary, slug): term_id for term_id, vocabulary, slug, _parent in rows}
    groups = []
    for key in selected:
        stack, ids = [by_slug[key]], []
        while stack:
            current = stack.pop()
            ids.append(current)
            stack.extend(children.get(current, []))
        groups.append(ids)
    return groups


class _Plan:
    """The parts of one search's SQL, shared by the page query and the facet query."""

    def __init__(self, params: SearchParams, match: TextMatch | None):
        self.params = params
        self.match = match
        self.node_ids = list(Node.objects.filter(slug__in=params.nodes).values_list("id", flat=True))
        self.term_groups = _term_ids_with_descendants(params)

    def with_clause(self) -> _Sql:
        sql = _Sql()
        if self.match:
            sql.add(f"WITH {self.match.sql}", self.match.params)
        return sql

    def from_clause(self) -> str:
        join = " JOIN matched m ON m.id = l.id" if self.match else ""
        return f"FROM directory_listing l{join}"

    def distance_sql(self) -> tuple[str, list[Any]]:
        """Squared distance in km² by the equirectangular approximation: plain arithmetic, so an index
        on latitude/longitude prefilters and SQLite needs no per-row function calls."""
        near = self.params.near
        assert near is not None
        k = KM_PER_DEGREE * math.cos(math.radians(near.latitude))
        expression = (
            "((l.latitude - %s) * %s) * ((l.latitude - %s) * %s)"
            " + ((l.longitude - %s) * %s) * ((l.longitude - %s) * %s)"
        )
        return expression, [
            near.latitude,
            KM_PER_DEGREE,
            near.latitude,
            KM_PER_DEGREE,
            near.longitude,
            k,
            near.longitude,
            k,
        ]

    def shared_filters(self, sql: _Sql) -> None:
        """Filters every facet count respects: all but kind and node, which count as alternatives."""
        sql.add("WHERE l.status = %s", [ListingStatus.PUBLISHED])
        for group in self.term_groups:
            sql.add(
                "AND EXISTS (SELECT 1 FROM directory_listing_terms lt "
                f"WHERE lt.listing_id = l.id AND lt.term_id IN ({_placeholders(group)}))",
                group,
            )
        near = self.params.near
        if near:
            lat_delta = near.radius_km / KM_PER_DEGREE
            lng_delta = near.radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(near.latitude)), 0.01))
            sql.add(
                "AND l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s",
                [near.latitude - lat_delta, near.latitude + lat_delta, near.longitude - lng_delta,
                 near.longitude + lng_delta],
            )  # fmt: skip
            expression, params = self.distance_sql()
            sql.add(f"AND {expression} <= %s", [*params, near.radius_km**2])

    def kind_filter(self, column: str = "l.kind") -> tuple[str, list[Any]]:
        kinds = list(self.params.kinds)
        return (f" AND {column} IN ({_placeholders(kinds)})", kinds) if kinds else ("", [])

    def node_filter(self, column: str = "l.node_id") -> tuple[str, list[Any]]:
        return (
            (f" AND {column} IN ({_placeholders(self.node_ids)})", list(self.node_ids))
            if self.node_ids
            else ("", [])
        )


def _page_ids(plan: _Plan) -> list[tuple[int, float | None]]:
    params = plan.params
    sql = plan.with_clause()
    select = ["l.id"]
    select_params: list[Any] = []
    if params.near:
        expression, distance_params = plan.distance_sql()
        select.append(expression)
        select_params = distance_params
    else:
        select.append("NULL")
    sql.add(f"SELECT {', '.join(select)} {plan.from_clause()}", select_params)
    plan.shared_filters(sql)
    for fragment, fragment_params in (plan.kind_filter(), plan.node_filter()):
        sql.add(fragment, fragment_params)
    order = {
        "relevance": "m.rank, l.name, l.id" if plan.match else "l.name, l.id",
        "distance": "2, l.id",
        "name": "l.name, l.id",
        "newest": "l.created_at DESC, l.id DESC",
    }[params.effective_sort]
    sql.add(f"ORDER BY {order} LIMIT %s OFFSET %s", [params.per_page, (params.page - 1) * params.per_page])
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql.parts), sql.params)
        return [(row[0], math.sqrt(row[1]) if row[1] is not None else None) for row in cursor.fetchall()]


def _facet_counts(plan: _Plan) -> dict[str, dict[str, int]]:
    """Counts per kind, node and term in one query over the materialised hits."""
    sql = plan.with_clause()
    sql.add(("," if plan.match else "WITH") + " hits AS MATERIALIZED (SELECT l.id, l.kind, l.node_id")
    sql.add(plan.from_clause())
    plan.shared_filters(sql)
    kind_sql, kind_params = plan.kind_filter("kind")
    node_sql, node_params = plan.node_filter("node_id")
    term_kind_sql, _ = plan.kind_filter("h.kind")
    term_node_sql, _ = plan.node_filter("h.node_id")
    sql.add(")")
    sql.add(f"SELECT 'kind', kind, COUNT(*) FROM hits WHERE 1 = 1{node_sql} GROUP BY kind", node_params)
    sql.add(
        "UNION ALL SELECT 'node', CAST(node_id AS TEXT), COUNT(*) FROM hits "
        f"WHERE node_id IS NOT NULL{kind_sql} "
        "GROUP BY node_id",
        kind_params,
    )
    sql.add(
        "UNION ALL SELECT 'term', CAST(lt.term_id AS TEXT), COUNT(*) FROM hits h "
        f"JOIN directory_listing_terms lt ON lt.listing_id = h.id WHERE 1 = 1{term_kind_sql}{term_node_sql} "
        "GROUP BY lt.term_id",
        [*kind_params, *node_params],
    )
    counts: dict[str, dict[str, int]] = {"kind": {}, "node": {}, "term": {}}
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql.parts), sql.params)
        for facet, value, count in cursor.fetchall():
            counts[facet][str(value)] = count
    return counts


def _facets(params: SearchParams, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {
        "kind": [
            FacetValue(kind, str(label), counts["kind"].get(kind, 0), kind in params.kinds)
            for kind, label in ListingKind.choices
            if counts["kind"].get(kind) or kind in params.kinds
        ]
    }
    node_counts = counts["node"]
    nodes = Node.objects.filter(pk__in=[int(pk) for pk in node_counts]) | Node.objects.filter(
        slug__in=params.nodes
    )
    facets["node"] = sorted(
        (
            FacetValue(n.slug, n.label, node_counts.get(str(n.pk), 0), n.slug in params.nodes)
            for n in nodes.distinct()
        ),
        key=lambda f: (-f.count, f.label),
    )
    term_counts = counts["term"]
    selected = {(vocabulary, slug) for vocabulary, slugs in params.terms.items() for slug in slugs}
    terms = Term.objects.filter(pk__in=[int(pk) for pk in term_counts])
    by_vocabulary: dict[str, list[FacetValue]] = {v.value: [] for v in Vocabulary}
    for term in terms:
        by_vocabulary[term.vocabulary].append(
            FacetValue(
                term.slug, term.label, term_counts[str(term.pk)], (term.vocabulary, term.slug) in selected
            )
        )
    for vocabulary, values in by_vocabulary.items():
        facets[vocabulary] = sorted(values, key=lambda f: (not f.selected, -f.count, f.label))
    return facets


def _hits(rows: list[tuple[int, float | None]]) -> list[ListingHit]:
    ids = [listing_id for listing_id, _distance in rows]
    listings = Listing.objects.select_related("node").in_bulk(ids)
    thumbnails: dict[int, str] = {}
    for photo in ListingPhoto.objects.filter(listing_id__in=ids).order_by("listing_id", "-position", "-id"):
        # Ordered so the first photo of each listing is written last and wins.
        if photo.thumbnail:
            thumbnails[photo.listing_id] = photo.thumbnail.url
    kind_labels = dict(ListingKind.choices)
    hits = []
    for listing_id, distance in rows:
        listing = listings.get(listing_id)
        if listing is None:
            continue
        hits.append(
            ListingHit(
                id=listing.pk,
                slug=listing.slug,
                name=listing.name,
                kind=listing.kind,
                kind_label=str(kind_labels.get(listing.kind, listing.kind)),
                summary=listing.summary,
                city=listing.city,
                country=str(listing.country or ""),
                latitude=listing.latitude,
                longitude=listing.longitude,
                verified=listing.verified,
                node_name=listing.node.label if listing.node else "",
                distance_km=distance,
                thumbnail_url=thumbnails.get(listing_id, ""),
            )
        )
    return hits


def search_listings(params: SearchParams) -> SearchResults:
    """Run a search: one page of hits in order, the total, and facet counts for every filter."""
    backend = current_backend()
    match, corrected_text = None, ""
    if params.text:
        searched, changed = corrected_words(params.text)
        if not searched:
            # Only stop words: nothing to match on, so treat it as browsing.
            match = None
        else:
            match = backend.text_match(searched)
            corrected_text = " ".join(searched) if changed else ""
    plan = _Plan(params, match)
    counts = _facet_counts(plan)
    total = sum(counts["kind"].get(kind, 0) for kind in (params.kinds or counts["kind"].keys()))
    results = SearchResults(params=params, total=total, hits=[], corrected_text=corrected_text)
    if total and not results.page_out_of_range:
        results.hits = _hits(_page_ids(plan))
    results.facets = _facets(params, counts)
    return results
