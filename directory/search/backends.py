"""The two full-text back ends. Each knows only how to match text, keep its index and find near words;
filters, facets, distance and paging are the engine's, shared by both.

PostgreSQL: a weighted tsvector stored on the listing (GIN index), a text search configuration that
unaccents and stems, ts_rank for relevance, pg_trgm for near words.
SQLite: an FTS5 table (porter stemming, diacritics removed) ranked by bm25, two narrower FTS5 tables
(the names; the sample), and an FTS5 trigram table for near words.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

from directory.models import Listing, SearchWord, Term
from makeworks.lib.text import trigram_similarity, words

# Words of these fields go into the spelling vocabulary; descriptions would add noise, not help.
VOCABULARY_MIN_LENGTH = 3
VOCABULARY_MAX_LENGTH = 64
SIMILARITY_THRESHOLD = 0.3
INDEX_CHUNK = 5000
# Search entries fall into this many buckets (listing id modulo 256), for counting facets on a sample:
# fine enough that one bucket of a million listings is a sample of about 4,000.
SAMPLE_BUCKETS = 256
# The first 16 buckets also have a full-text index of their own (an FTS5 table on SQLite, a partial GIN
# index on PostgreSQL), so a count on a sample reads a sixteenth of a word's posting list: for a word in
# most listings that list is the whole catalogue, and reading it would make the estimate cost as much as
# an exact count.
SAMPLE_INDEX_BUCKETS = 16


# The text each search field covers: the name alone ("name"), the name with the listing's terms, what it
# makes and works with ("title"), or everything indexed ("all").
FTS_COLUMNS = {"name": "name", "title": "name terms"}


@dataclass(frozen=True)
class TextMatch:
    """A piece of SQL a back end contributes (a condition, an expression or a CTE) with its parameters."""

    sql: str
    params: list[Any]


@dataclass(frozen=True)
class Source:
    """Where the entries `e` of a newest-first match come from (a FROM clause), the condition that
    matches the text, and the column that orders them newest first when read in descending order."""

    tables: str
    condition: TextMatch
    order: str


@dataclass(frozen=True)
class Ranking:
    """How a back end orders matches by relevance: an expression on the entry row `e` (best lowest),
    or, where relevance lives only inside the full-text index, a CTE `matched(id, rank)` to join."""

    expression: TextMatch | None = None
    cte: TextMatch | None = None


class Backend(Protocol):
    # The entry columns the facet query keeps for each hit.
    HIT_COLUMNS: str

    def prepare(self, query_words: Sequence[str], *, whole_words: Collection[str]) -> Sequence[str]:
        """The search words in the form this back end's other methods take, worked out once a search.
        A word in `whole_words` is matched as that word; any other as the start of one, as it may be
        still being typed."""
        ...

    def ranking(self, query_words: Sequence[str], *, fields: str) -> Ranking: ...
    def text_condition(
        self, query_words: Sequence[str], *, fields: str, sample_buckets: int = SAMPLE_BUCKETS
    ) -> TextMatch: ...
    def newest_first(self, query_words: Sequence[str], *, fields: str, excluding: str) -> Source: ...
    def term_condition(self, term_ids: Sequence[int]) -> TextMatch: ...
    def term_counts_sql(self, hit_conditions: str) -> str: ...
    def name_prefix_match(self, prefix: str) -> TextMatch: ...
    def write_index(self, listing_ids: Sequence[int], term_text: dict[int, str]) -> None: ...
    def remove_from_index(self, listing_ids: Sequence[int]) -> None: ...
    def is_known_word(self, word: str) -> bool: ...
    def nearest_word(self, word: str) -> str | None: ...


def term_texts() -> dict[int, str]:
    """Each term's searchable text: its names in both languages and those of its broader terms,
    so a listing tagged "Birch plywood" is found by "plywood" and "wood"."""
    terms = {t.pk: t for t in Term.objects.all()}
    texts: dict[int, str] = {}
    for term_id, term in terms.items():
        names: list[str] = []
        seen: set[int] = set()
        current: Term | None = term
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            names.extend(n for n in (current.name, current.name_fr) if n)
            current = terms.get(current.parent_id) if current.parent_id else None
        texts[term_id] = " ".join(names)
    return texts


def _term_values_cte(term_text: dict[int, str]) -> tuple[str, list[Any]]:
    if not term_text:
        return "term_text(id, txt) AS (SELECT CAST(NULL AS BIGINT), CAST(NULL AS TEXT) WHERE 1 = 0)", []
    rows = ", ".join(["(%s, %s)"] * len(term_text))
    params: list[Any] = []
    for term_id, text in term_text.items():
        params.extend([term_id, text])
    return f"term_text(id, txt) AS (VALUES {rows})", params


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + INDEX_CHUNK] for i in range(0, len(ids), INDEX_CHUNK)]


def _vocabulary_rows(listing_ids: Sequence[int], term_text: dict[int, str]) -> set[str]:
    """The words of the given listings' names, summaries, cities and terms."""
    found: set[str] = set()
    through = Listing.terms.through.objects.filter(listing_id__in=listing_ids)
    for term_id in set(through.values_list("term_id", flat=True)):
        found.update(words(term_text.get(term_id, "")))
    rows = Listing.objects.filter(pk__in=listing_ids).values_list("name", "summary", "city")
    for row in rows.iterator(chunk_size=5000):
        for value in row:
            found.update(words(value))
    return {w for w in found if VOCABULARY_MIN_LENGTH <= len(w) <= VOCABULARY_MAX_LENGTH and not w.isdigit()}


def _add_vocabulary(found: set[str]) -> None:
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(found)], batch_size=2000, ignore_conflicts=True
    )


# The entry row of each published listing among the given ids (ids are bound by each back end).
ENTRY_INSERT = """
    INSERT INTO directory_searchentry
        (listing_id, kind, node_id, latitude, longitude, sort_name, created_at, sample{extra_columns})
    SELECT l.id, l.kind, l.node_id, l.latitude, l.longitude, lower(l.name), l.created_at, l.id %% 256
        {extra_values}
    FROM directory_listing l WHERE l.status = 'published' AND {id_condition}
"""
TERMS_TEXT = """coalesce((SELECT {aggregate} FROM directory_listing_terms lt
    JOIN term_text tt ON tt.id = lt.term_id WHERE lt.listing_id = l.id), '')"""
PLACE_TEXT = """l.summary || ' ' || l.city || ' ' || coalesce((SELECT n.name || ' ' || n.name_fr
    FROM directory_node n WHERE n.id = l.node_id), '')"""


def _prefix_tsquery(query_words: Sequence[str]) -> str:
    """All the words, each as a prefix both as typed and as stemmed, for words still being typed.

    Stemming alone fails on a word still being typed ("ply" stems to "pli", which no longer prefixes
    "plywood"); the unstemmed prefix alone fails on a whole word whose stem is shorter ("pottery" is
    indexed as "potteri").
    """
    return (
        "("
        + " && ".join(["(to_tsquery('simple', %s) || to_tsquery('makeworks', %s))"] * len(query_words))
        + ")"
    )


def _prefix_tsquery_params(query_words: Sequence[str]) -> list[str]:
    return [f"{word}:*" for word in query_words for _twice in range(2)]


# A prepared PostgreSQL query is one tsquery text of lexemes, read with the `simple` configuration.
TSQUERY = "to_tsquery('simple', %s)"


PG_COLUMNS = {"name": "e.name_vector", "title": "e.title_vector", "all": "e.vector"}


def _fts_expression(query_words: Sequence[str], fields: str) -> str:
    """An FTS5 query for all the prepared words in `fields`."""
    expression = " AND ".join(query_words)
    return expression if fields == "all" else f"{{{FTS_COLUMNS[fields]}}} : ({expression})"


class PostgresBackend:
    # Term ids ride along with each hit, so facet counts need no join to the term links.
    HIT_COLUMNS = "e.listing_id AS id, e.kind, e.node_id, e.term_ids"

    def prepare(self, query_words: Sequence[str], *, whole_words: Collection[str]) -> Sequence[str]:
        """One tsquery text naming each word's forms once: as typed (a word may still be being typed,
        and "ply" stems to "pli") and as stemmed ("pottery" is indexed as "potteri"); prefixes unless
        the word is whole. Asking for the stems once spares every statement a second index scan."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_lexize('makeworks_stem', w) "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
                [list(query_words)],
            )
            stems = [row[0] or [] for row in cursor.fetchall()]
        groups = []
        for word, word_stems in zip(query_words, stems, strict=True):
            forms = dict.fromkeys([word, *word_stems])
            prefix = "" if word in whole_words else ":*"
            groups.append("(" + " | ".join(f"{form}{prefix}" for form in forms) + ")")
        return [" & ".join(groups)]

    def text_condition(
        self, query_words: Sequence[str], *, fields: str, sample_buckets: int = SAMPLE_BUCKETS
    ) -> TextMatch:
        # Inline, so the planner chooses between GIN and walking another index. Counting on a sample, the
        # engine's `e.sample < k` (k at most SAMPLE_INDEX_BUCKETS) lets it read the partial GIN index of
        # the sample (migration 0008) instead of the word's posting list over every listing.
        return TextMatch(f"{PG_COLUMNS[fields]} @@ {TSQUERY}", list(query_words))

    def newest_first(self, query_words: Sequence[str], *, fields: str, excluding: str) -> Source:
        # The planner walks the primary key backwards and stops after a page when matches are many,
        # or reads the few from GIN and sorts them.
        condition = f"{PG_COLUMNS[fields]} @@ {TSQUERY} AND NOT ({PG_COLUMNS[excluding]} @@ {TSQUERY})"
        return Source(
            "directory_searchentry e", TextMatch(condition, [*query_words, *query_words]), "e.listing_id"
        )

    def ranking(self, query_words: Sequence[str], *, fields: str) -> Ranking:
        # Ranked on the searched field's own vector (the name, for the first tier), in the same pass
        # that filters the rows: short vectors, and no join back to the entries.
        return Ranking(expression=TextMatch(f"-ts_rank({PG_COLUMNS[fields]}, {TSQUERY})", list(query_words)))

    def term_condition(self, term_ids: Sequence[int]) -> TextMatch:
        return TextMatch("e.term_ids && %s::integer[]", [list(term_ids)])

    def term_counts_sql(self, hit_conditions: str) -> str:
        return (
            "SELECT 'term', CAST(t.id AS TEXT), COUNT(*) FROM hits h "
            "CROSS JOIN LATERAL unnest(h.term_ids) AS t(id) "
            f"WHERE 1 = 1{hit_conditions} GROUP BY t.id"
        )

    def name_prefix_match(self, prefix: str) -> TextMatch:
        return TextMatch(
            "matched(id, rank) AS (SELECT e.listing_id, 0 FROM directory_searchentry e "
            f"WHERE e.name_vector @@ {_prefix_tsquery([prefix])})",
            _prefix_tsquery_params([prefix]),
        )

    def write_index(self, listing_ids: Sequence[int], term_text: dict[int, str]) -> None:
        values_cte, values_params = _term_values_cte(term_text)
        terms = TERMS_TEXT.format(aggregate="string_agg(tt.txt, ' ')")
        vector = (
            "setweight(to_tsvector('makeworks', l.name), 'A')"
            f" || setweight(to_tsvector('makeworks', {terms}), 'B')"
            f" || setweight(to_tsvector('makeworks', {PLACE_TEXT}), 'C')"
            " || setweight(to_tsvector('makeworks', l.description || ' ' || l.circularity), 'D')"
        )
        insert = ENTRY_INSERT.format(
            extra_columns=", vector, name_vector, title_vector, term_ids",
            extra_values=(
                f", {vector}, to_tsvector('makeworks', l.name),"
                # Matched against only, never ranked: without positions it takes a third of the room.
                f" strip(to_tsvector('makeworks', l.name || ' ' || {terms})),"
                " coalesce((SELECT array_agg(lt.term_id::integer) FROM directory_listing_terms lt"
                " WHERE lt.listing_id = l.id), '{}')"
            ),
            id_condition="l.id = ANY(%s)",
        )
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                ids = list(chunk)
                cursor.execute("DELETE FROM directory_searchentry WHERE listing_id = ANY(%s)", [ids])
                cursor.execute(f"WITH {values_cte} {insert}", [*values_params, ids])
                _add_vocabulary(_vocabulary_rows(chunk, term_text))

    def remove_from_index(self, listing_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                cursor.execute("DELETE FROM directory_searchentry WHERE listing_id = ANY(%s)", [list(chunk)])

    def is_known_word(self, word: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM directory_searchword WHERE word LIKE %s LIMIT 1", [f"{word}%"])
            return cursor.fetchone() is not None

    def nearest_word(self, word: str) -> str | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM directory_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, length(word), word LIMIT 1",
                [word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None


class SqliteBackend:
    HIT_COLUMNS = "e.listing_id AS id, e.kind, e.node_id"

    def prepare(self, query_words: Sequence[str], *, whole_words: Collection[str]) -> Sequence[str]:
        # FTS5 stems each query token itself, prefixes included. A whole word is matched as a token,
        # which FTS5 reads lazily; a prefix makes it merge every matching token's list up front.
        return [f'"{word}"' if word in whole_words else f'"{word}"*' for word in query_words]

    def ranking(self, query_words: Sequence[str], *, fields: str) -> Ranking:
        # bm25 exists only inside FTS5, so the ranked matches come as a CTE for the engine to join. The
        # names have a table of their own: a column filter on the whole index would read the word's
        # positions in every listing that has it anywhere, most of the catalogue for a common word.
        if fields == "name":
            table, expression = "directory_listing_fts_name", " AND ".join(query_words)
        else:
            table, expression = "directory_listing_fts", _fts_expression(query_words, fields)
        return Ranking(
            cte=TextMatch(
                f"matched(id, rank) AS MATERIALIZED (SELECT rowid, bm25({table}) FROM {table} "
                f"WHERE {table} MATCH %s)",
                [expression],
            )
        )

    def text_condition(
        self, query_words: Sequence[str], *, fields: str, sample_buckets: int = SAMPLE_BUCKETS
    ) -> TextMatch:
        # The sample bucket is the listing id modulo 256, so FTS5 can filter on its rowid directly.
        sample, params = (
            ("AND rowid %% 256 < %s", [sample_buckets]) if sample_buckets < SAMPLE_BUCKETS else ("", [])
        )
        table = (
            "directory_listing_fts_sample"
            if sample_buckets <= SAMPLE_INDEX_BUCKETS and fields == "all"
            else "directory_listing_fts"
        )
        return TextMatch(
            f"e.listing_id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s {sample})",
            [_fts_expression(query_words, fields), *params],
        )

    def newest_first(self, query_words: Sequence[str], *, fields: str, excluding: str) -> Source:
        # FTS5 reads its matches in rowid order, newest first when asked, and stops after a page:
        # driving the query from it costs the same for a word in every listing as for a rare one.
        expression = (
            f"({_fts_expression(query_words, fields)}) NOT ({_fts_expression(query_words, excluding)})"
        )
        return Source(
            "directory_listing_fts f JOIN directory_searchentry e ON e.listing_id = f.rowid",
            TextMatch("directory_listing_fts MATCH %s", [expression]),
            "f.rowid",
        )

    def term_condition(self, term_ids: Sequence[int]) -> TextMatch:
        return TextMatch(
            "EXISTS (SELECT 1 FROM directory_listing_terms lt "
            f"WHERE lt.listing_id = e.listing_id AND lt.term_id IN ({', '.join(['%s'] * len(term_ids))}))",
            list(term_ids),
        )

    def term_counts_sql(self, hit_conditions: str) -> str:
        # CROSS JOIN makes SQLite walk the hits and look up their terms, rather than walk every
        # term link and look up the hits.
        return (
            "SELECT 'term', CAST(lt.term_id AS TEXT), COUNT(*) FROM hits h "
            "CROSS JOIN directory_listing_terms lt "
            f"WHERE lt.listing_id = h.id{hit_conditions} GROUP BY lt.term_id"
        )

    def name_prefix_match(self, prefix: str) -> TextMatch:
        return TextMatch(
            "matched(id, rank) AS (SELECT rowid, 0 FROM directory_listing_fts_name "
            "WHERE directory_listing_fts_name MATCH %s)",
            [f'"{prefix}"*'],
        )

    def write_index(self, listing_ids: Sequence[int], term_text: dict[int, str]) -> None:
        values_cte, values_params = _term_values_cte(term_text)
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                in_ids = f"l.id IN ({', '.join(['%s'] * len(chunk))})"
                self._delete(cursor, chunk)
                cursor.execute(
                    ENTRY_INSERT.format(extra_columns="", extra_values="", id_condition=in_ids), list(chunk)
                )
                cursor.execute(
                    f"""
                    WITH {values_cte}
                    INSERT INTO directory_listing_fts (rowid, name, terms, body, description)
                    SELECT l.id, l.name, {TERMS_TEXT.format(aggregate="group_concat(tt.txt, ' ')")},
                        {PLACE_TEXT}, l.description || ' ' || l.circularity
                    FROM directory_listing l WHERE l.status = 'published' AND {in_ids}
                    """,
                    [*values_params, *chunk],
                )
                rowids = f"rowid IN ({', '.join(['%s'] * len(chunk))})"
                cursor.execute(
                    "INSERT INTO directory_listing_fts_name (rowid, name) "
                    f"SELECT rowid, name FROM directory_listing_fts WHERE {rowids}",
                    list(chunk),
                )
                cursor.execute(
                    "INSERT INTO directory_listing_fts_sample (rowid, name, terms, body, description) "
                    "SELECT rowid, name, terms, body, description FROM directory_listing_fts "
                    f"WHERE {rowids} AND rowid %% 256 < {SAMPLE_INDEX_BUCKETS}",
                    list(chunk),
                )
                _add_vocabulary(_vocabulary_rows(chunk, term_text))

    def remove_from_index(self, listing_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                self._delete(cursor, chunk)

    @staticmethod
    def _delete(cursor: Any, chunk: Sequence[int]) -> None:
        placeholders = ", ".join(["%s"] * len(chunk))
        # The trigger on directory_searchentry removes the rows of every full-text table too.
        cursor.execute(f"DELETE FROM directory_searchentry WHERE listing_id IN ({placeholders})", list(chunk))

    def is_known_word(self, word: str) -> bool:
        # GLOB is case-sensitive, so SQLite can answer it from the unique index on word.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM directory_searchword WHERE word GLOB %s LIMIT 1", [f"{word}*"])
            return cursor.fetchone() is not None

    def nearest_word(self, word: str) -> str | None:
        padded = f"  {word} "
        grams = {padded[i : i + 3] for i in range(len(padded) - 2)}
        # The trigram tokenizer matches substrings of three characters; padding trigrams have no match.
        inner = [g for g in grams if " " not in g]
        if not inner:
            return None
        expression = " OR ".join(f'"{g}"' for g in sorted(inner))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM directory_searchword_trgm WHERE directory_searchword_trgm MATCH %s "
                "ORDER BY rank LIMIT 200",
                [expression],
            )
            candidates = [row[0] for row in cursor.fetchall()]
        scored = sorted(
            ((trigram_similarity(word, c), -len(c), c) for c in candidates),
            key=lambda item: (-item[0], -item[1], item[2]),
        )
        if scored and scored[0][0] >= SIMILARITY_THRESHOLD:
            return scored[0][2]
        return None


def current_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise RuntimeError(f"Search supports PostgreSQL and SQLite, not {connection.vendor}")
