"""One search over the catalogue, the same on both back ends: text match, filters, distance, facets, pages.

The SQL is written out rather than built with the ORM because the full-text match must be a join on a
CTE (FTS5 cannot be reached through the ORM) and facets come from one materialised pass over the hits.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django_countries import countries

from directory.models import ListingKind, Node, Term, Vocabulary, localized, prefers_french
from directory.search.backends import SAMPLE_BUCKETS, current_backend
from directory.search.params import SearchParams
from makeworks.lib.geo import KM_PER_DEGREE, bounding_box, km_per_degree_east
from makeworks.lib.text import words

MAX_QUERY_WORDS = 12
# Above this many hits, facets are counted on a fixed sample of them and scaled: exact counts would
# cost a pass over every hit, and "about 12,000" tells a visitor as much as "12,214".
EXACT_FACETS_UP_TO = 2000
# A first sample holding at least this many hits estimates facets well enough to keep; a smaller one
# is counted again on a sample sized to hold about EXACT_FACETS_UP_TO.
ENOUGH_SAMPLED_HITS = 500

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
    url: str = ""
    country_name: str = ""
    distance_km: float | None = None
    thumbnail_url: str = ""


@dataclass
class SearchResults:
    params: SearchParams
    total: int
    hits: list[ListingHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # True when the total and facet counts were estimated from a sample of a large result.
    approximate: bool = False
    # The query as searched after spelling correction, when it differs from what was typed.
    corrected_text: str = ""
    page_out_of_range: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.per_page))


def query_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP_WORDS][:MAX_QUERY_WORDS]


def whole_words(query_words: Sequence[str]) -> set[str]:
    """The query words that are words of the index as they stand (not the start of a longer one)."""
    if not query_words:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM directory_searchword WHERE word IN ({_placeholders(query_words)})",
            list(query_words),
        )
        return {row[0] for row in cursor.fetchall()}


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
    by_slug = {
        (vocabulary, slug): pk
        for pk, vocabulary, slug in Term.objects.filter(slug__in=[slug for _v, slug in selected])
        .order_by()
        .values_list("pk", "vocabulary", "slug")
    }
    return Term.objects.branches(by_slug[key] for key in selected)


class _Plan:
    """One search's SQL: the text match, the filters, and the queries for total, facets and page."""

    def __init__(self, params: SearchParams, query_words: list[str]):
        self.params = params
        # The words in the back end's own form (for PostgreSQL, one tsquery text), worked out once.
        self.words = (
            current_backend().prepare(query_words, whole_words=whole_words(query_words))
            if query_words
            else []
        )
        self.node_ids = (
            list(Node.objects.filter(slug__in=params.nodes).order_by().values_list("id", flat=True))
            if params.nodes
            else []
        )
        self.term_groups = _term_ids_with_descendants(params)

    def distance_sql(self) -> tuple[str, list[Any]]:
        """Squared distance in km² by the equirectangular approximation: plain arithmetic, so an index
        on latitude/longitude prefilters and SQLite needs no per-row function calls."""
        near = self.params.near
        assert near is not None
        k = km_per_degree_east(near.latitude)
        expression = (
            "((e.latitude - %s) * %s) * ((e.latitude - %s) * %s)"
            " + ((e.longitude - %s) * %s) * ((e.longitude - %s) * %s)"
        )
        lat, lng = near.latitude, near.longitude
        return expression, [lat, KM_PER_DEGREE, lat, KM_PER_DEGREE, lng, k, lng, k]

    def where(
        self,
        sql: _Sql,
        *,
        fields: str | None = "all",
        sample_buckets: int = SAMPLE_BUCKETS,
        kind: bool = True,
        node: bool = True,
    ) -> None:
        """The conditions on entries `e`: the text over `fields` (None leaves it to the caller), a sample,
        the filters. Kind and node can be left out, as their own facets count the alternatives."""
        backend = current_backend()
        sql.add("WHERE 1 = 1")
        if self.words and fields:
            text = backend.text_condition(self.words, fields=fields, sample_buckets=sample_buckets)
            sql.add(f"AND {text.sql}", text.params)
        if sample_buckets < SAMPLE_BUCKETS:
            sql.add("AND e.sample < %s", [sample_buckets])
        for group in self.term_groups:
            condition = backend.term_condition(group)
            sql.add(f"AND {condition.sql}", condition.params)
        near = self.params.near
        if near:
            (lat_low, lat_high), (lng_low, lng_high) = bounding_box(
                near.latitude, near.longitude, near.radius_km
            )
            sql.add(
                "AND e.latitude BETWEEN %s AND %s AND e.longitude BETWEEN %s AND %s",
                [lat_low, lat_high, lng_low, lng_high],
            )
            expression, params = self.distance_sql()
            sql.add(f"AND {expression} <= %s", [*params, near.radius_km**2])
        if kind and self.params.kinds:
            sql.add(f"AND e.kind IN ({_placeholders(self.params.kinds)})", list(self.params.kinds))
        if node and self.node_ids:
            sql.add(f"AND e.node_id IN ({_placeholders(self.node_ids)})", list(self.node_ids))


def _fetch(sql: _Sql) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql.parts), sql.params)
        return cursor.fetchall()


# Relevance comes in tiers, each a wider part of the match than the one before: all words in the name
# (ranked by bm25 or ts_rank), then in the name or terms (what the listing makes or uses), then anywhere.
# Only the first is ranked row by row; the others list newest first, which the full-text index (SQLite)
# or the primary key (PostgreSQL) gives a page of at once, so a word that matches most listings costs
# no more than a rare one.
TIERS = (("name", None), ("title", "name"), ("all", "title"))


def _page_ids(plan: _Plan) -> list[tuple[int, float | None]]:
    params = plan.params
    skip, need = (params.page - 1) * params.per_page, params.per_page
    sort = params.effective_sort if plan.words or params.effective_sort != "relevance" else "name"
    if sort != "relevance":
        return _sorted_page(plan, sort, skip, need)
    page: list[tuple[int, float | None]] = []
    for fields, narrower in TIERS:
        rows = _tier_rows(plan, fields=fields, narrower=narrower, limit=skip + need)
        taken = rows[skip : skip + need]
        page += taken
        if len(rows) == skip + need:
            break
        skip, need = max(0, skip - len(rows)), need - len(taken)
    return page


def _tier_rows(
    plan: _Plan, *, fields: str, narrower: str | None, limit: int
) -> list[tuple[int, float | None]]:
    """The first `limit` matches over `fields` that are not matches over `narrower`, in tier order."""
    distance, distance_params = plan.distance_sql() if plan.params.near else ("NULL", [])
    if narrower is None:
        ranking = current_backend().ranking(plan.words, fields=fields)
        sql = _Sql()
        if ranking.expression:
            sql.add(f"SELECT e.listing_id, {distance} FROM directory_searchentry e", distance_params)
            plan.where(sql, fields=fields)
            sql.add(
                f"ORDER BY {ranking.expression.sql}, e.listing_id LIMIT %s",
                [*ranking.expression.params, limit],
            )
        else:
            assert ranking.cte is not None
            sql.add(f"WITH {ranking.cte.sql}", ranking.cte.params)
            sql.add(
                f"SELECT e.listing_id, {distance} FROM directory_searchentry e "
                "JOIN matched m ON m.id = e.listing_id",
                distance_params,
            )
            plan.where(sql, fields=None)
            sql.add("ORDER BY m.rank, e.listing_id LIMIT %s", [limit])
        return _with_distances(_fetch(sql))
    source = current_backend().newest_first(plan.words, fields=fields, excluding=narrower)
    sql = _Sql()
    sql.add(f"SELECT e.listing_id, {distance} FROM {source.tables}", distance_params)
    plan.where(sql, fields=None)
    sql.add(f"AND {source.condition.sql}", source.condition.params)
    sql.add(f"ORDER BY {source.order} DESC LIMIT %s", [limit])
    return _with_distances(_fetch(sql))


def _sorted_page(plan: _Plan, sort: str, offset: int, limit: int) -> list[tuple[int, float | None]]:
    sql = _Sql()
    distance, distance_params = plan.distance_sql() if plan.params.near else ("NULL", [])
    sql.add(f"SELECT e.listing_id, {distance} FROM directory_searchentry e", distance_params)
    plan.where(sql)
    order = {
        "distance": "2, e.listing_id",
        "name": "e.sort_name, e.listing_id",
        "newest": "e.created_at DESC, e.listing_id DESC",
    }[sort]
    sql.add(f"ORDER BY {order} LIMIT %s OFFSET %s", [limit, offset])
    return _with_distances(_fetch(sql))


def _with_distances(rows: list[tuple[Any, ...]]) -> list[tuple[int, float | None]]:
    return [(row[0], math.sqrt(row[1]) if row[1] is not None else None) for row in rows]


def _facet_counts(plan: _Plan, sample_buckets: int) -> dict[str, dict[str, int]]:
    """Counts per kind, node and term in one query over the materialised hits (or a sample of them)."""
    backend = current_backend()
    sql = _Sql()
    sql.add(f"WITH hits AS MATERIALIZED (SELECT {backend.HIT_COLUMNS} FROM directory_searchentry e")
    plan.where(sql, sample_buckets=sample_buckets, kind=False, node=False)
    sql.add(")")
    kinds, nodes = list(plan.params.kinds), plan.node_ids
    kind_sql = f" AND h.kind IN ({_placeholders(kinds)})" if kinds else ""
    node_sql = f" AND h.node_id IN ({_placeholders(nodes)})" if nodes else ""
    sql.add("SELECT 'base', NULL, COUNT(*) FROM hits h")
    sql.add(
        f"UNION ALL SELECT 'total', NULL, COUNT(*) FROM hits h WHERE 1 = 1{kind_sql}{node_sql}",
        [*kinds, *nodes],
    )
    sql.add(
        f"UNION ALL SELECT 'kind', h.kind, COUNT(*) FROM hits h WHERE 1 = 1{node_sql} GROUP BY h.kind", nodes
    )
    sql.add(
        "UNION ALL SELECT 'node', CAST(h.node_id AS TEXT), COUNT(*) FROM hits h "
        f"WHERE h.node_id IS NOT NULL{kind_sql} GROUP BY h.node_id",
        kinds,
    )
    sql.add(f"UNION ALL {backend.term_counts_sql(kind_sql + node_sql)}", [*kinds, *nodes])
    counts: dict[str, dict[str, int]] = {"base": {}, "total": {}, "kind": {}, "node": {}, "term": {}}
    scale = SAMPLE_BUCKETS / sample_buckets
    for facet, value, count in _fetch(sql):
        counts[facet][str(value)] = round(count * scale)
    return counts


def _facet_names(
    params: SearchParams, node_counts: dict[str, int], term_counts: dict[str, int]
) -> list[tuple[Any, ...]]:
    """The names of the nodes and terms that have counts or are selected, from one query."""
    queries: list[str] = []
    query_params: list[int | str] = []
    selected_terms = [slug for slugs in params.terms.values() for slug in slugs]
    for table, vocabulary, counted, slugs in (
        ("node", "NULL", node_counts, list(params.nodes)),
        ("term", "t.vocabulary", term_counts, selected_terms),
    ):
        ids = [int(pk) for pk in counted]
        conditions = [f"t.id IN ({_placeholders(ids)})"] if ids else []
        if slugs:
            conditions.append(f"t.slug IN ({_placeholders(slugs)})")
        if conditions:
            queries.append(
                f"SELECT '{table}', t.id, {vocabulary}, t.slug, t.name, t.name_fr FROM directory_{table} t "
                f"WHERE {' OR '.join(conditions)}"
            )
            query_params += [*ids, *slugs]
    if not queries:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(queries), query_params)
        return cursor.fetchall()


def _facets(
    params: SearchParams, counts: dict[str, dict[str, int]], total: int
) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {
        "kind": [
            FacetValue(kind, str(label), counts["kind"].get(kind, 0), kind in params.kinds)
            for kind, label in ListingKind.choices
            if counts["kind"].get(kind) or kind in params.kinds
        ]
    }
    node_counts, term_counts = counts["node"], counts["term"]
    selected = {(vocabulary, slug) for vocabulary, slugs in params.terms.items() for slug in slugs}
    french = prefers_french()
    facets["node"] = []
    by_vocabulary: dict[str, list[FacetValue]] = {v.value: [] for v in Vocabulary}
    for table, pk, vocabulary, slug, name, name_fr in _facet_names(params, node_counts, term_counts):
        label = localized(name, name_fr, french=french)
        if table == "node":
            facets["node"].append(FacetValue(slug, label, node_counts.get(str(pk), 0), slug in params.nodes))
            continue
        # A selected term stays listed, so it can be seen and undone, even when no hit carries it
        # directly (a broader term such as "Wood" matches through its narrower ones): every hit matches it.
        is_selected = (vocabulary, slug) in selected
        if is_selected or str(pk) in term_counts:
            count = total if is_selected else term_counts[str(pk)]
            by_vocabulary[vocabulary].append(FacetValue(slug, label, count, is_selected))
    facets["node"].sort(key=lambda f: (-f.count, f.label))
    for vocabulary, values in by_vocabulary.items():
        facets[vocabulary] = sorted(values, key=lambda f: (not f.selected, -f.count, f.label))
    return facets


# A results card's fields, with the node's names and the first photo's thumbnail, in one round trip.
HITS_SQL = """
    SELECT l.id, l.slug, l.name, l.kind, l.summary, l.city, l.country, l.latitude, l.longitude, l.verified,
        n.name, n.name_fr,
        (SELECT p.thumbnail FROM directory_listingphoto p WHERE p.listing_id = l.id AND p.thumbnail <> ''
         ORDER BY p.position, p.id LIMIT 1)
    FROM directory_listing l LEFT JOIN directory_node n ON n.id = l.node_id
    WHERE l.id IN ({ids})
"""


def listing_hits(rows: list[tuple[int, float | None]]) -> list[ListingHit]:
    """Listings as the cards of a results page show them, in the given order, from (id, distance in km)
    pairs: plain values from one query, as a results page needs no model instances."""
    if not rows:
        return []
    ids = [listing_id for listing_id, _distance in rows]
    with connection.cursor() as cursor:
        cursor.execute(HITS_SQL.format(ids=_placeholders(ids)), ids)
        listings = {row[0]: row for row in cursor.fetchall()}
    kind_labels = dict(ListingKind.choices)
    french = prefers_french()
    # Reversed once and filled in per hit: a page of cards and its map need twenty of these, and each
    # reverse() costs as much as rendering the card.
    url_prefix = reverse("directory:listing", kwargs={"slug": "_"}).removesuffix("_/")
    country_names: dict[str, str] = {}
    hits = []
    for listing_id, distance in rows:
        row = listings.get(listing_id)
        if row is None:
            continue
        _id, slug, name, kind, summary, city, country, latitude, longitude, verified = row[:10]
        node_name, node_name_fr, thumbnail = row[10:]
        country = country or ""
        if country not in country_names:
            country_names[country] = countries.name(country) or ""
        hits.append(
            ListingHit(
                id=listing_id,
                slug=slug,
                name=name,
                kind=kind,
                kind_label=str(kind_labels.get(kind, kind)),
                summary=summary,
                city=city,
                country=country,
                country_name=country_names[country],
                latitude=latitude,
                longitude=longitude,
                verified=bool(verified),
                node_name=localized(node_name or "", node_name_fr or "", french=french),
                url=f"{url_prefix}{slug}/",
                distance_km=distance,
                thumbnail_url=default_storage.url(thumbnail) if thumbnail else "",
            )
        )
    return hits


def _sample_buckets(hits: int) -> int:
    """The fewest sample buckets that hold about EXACT_FACETS_UP_TO of these hits (all, for fewer)."""
    return min(SAMPLE_BUCKETS, math.ceil(SAMPLE_BUCKETS * EXACT_FACETS_UP_TO / max(hits, 1)))


def search_listings(params: SearchParams) -> SearchResults:
    """Run a search: one page of hits in order, the exact total, and facet counts for every filter."""
    searched: list[str] = []
    corrected_text = ""
    if params.text:
        searched, changed = corrected_words(params.text)
        corrected_text = " ".join(searched) if changed and searched else ""
    # A query of only stop words leaves nothing to match on: it is browsing.
    plan = _Plan(params, searched)
    # Count on the smallest sample first; when that shows the result is small, count it all exactly.
    # A large result keeps estimates for its total and facets, as search engines do: from this first
    # sample when it holds enough hits, else from one sized to hold about EXACT_FACETS_UP_TO.
    sample_buckets = 1
    counts = _facet_counts(plan, sample_buckets)
    estimate = counts["base"].get("None", 0)
    if estimate * sample_buckets / SAMPLE_BUCKETS < ENOUGH_SAMPLED_HITS:
        sample_buckets = _sample_buckets(estimate)
        counts = _facet_counts(plan, sample_buckets)
    total = counts["total"].get("None", 0)
    results = SearchResults(
        params=params,
        total=total,
        hits=[],
        corrected_text=corrected_text,
        approximate=sample_buckets < SAMPLE_BUCKETS,
    )
    # An estimated total cannot say where the last page ends, so a large result asks for the page itself.
    results.page_out_of_range = params.page > results.num_pages and not results.approximate
    if total and not results.page_out_of_range:
        results.hits = listing_hits(_page_ids(plan))
        results.page_out_of_range = not results.hits and params.page > 1
    results.facets = _facets(params, counts, total)
    return results
