"""The two full-text back ends. Each knows only how to match text, keep its index and find near words;
filters, facets, distance and paging are the engine's, shared by both.

PostgreSQL: a weighted tsvector stored on the listing (GIN index), a text search configuration that
unaccents and stems, ts_rank for relevance, pg_trgm for near words.
SQLite: an FTS5 table (porter stemming, diacritics removed) ranked by bm25, and an FTS5 trigram table
for near words.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

from directory.models import Term
from makeworks.lib.text import trigram_similarity, words

# Words of these fields go into the spelling vocabulary; descriptions would add noise, not help.
VOCABULARY_MIN_LENGTH = 3
VOCABULARY_MAX_LENGTH = 64
SIMILARITY_THRESHOLD = 0.3
INDEX_CHUNK = 5000


@dataclass(frozen=True)
class TextMatch:
    """A CTE named `matched(id, rank)` selecting the listings whose text matches; lower rank is better."""

    sql: str
    params: list[Any]


class Backend(Protocol):
    def text_match(self, query_words: Sequence[str]) -> TextMatch: ...
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
    """The words of the given listings' names, summaries and cities, plus all term names."""
    from directory.models import Listing

    found: set[str] = set()
    for text in term_text.values():
        found.update(words(text))
    rows = Listing.objects.filter(pk__in=listing_ids).values_list("name", "summary", "city")
    for row in rows.iterator(chunk_size=5000):
        for value in row:
            found.update(words(value))
    return {w for w in found if VOCABULARY_MIN_LENGTH <= len(w) <= VOCABULARY_MAX_LENGTH and not w.isdigit()}


def _add_vocabulary(found: set[str]) -> None:
    from directory.models import SearchWord

    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(found)], batch_size=2000, ignore_conflicts=True
    )


class PostgresBackend:
    def text_match(self, query_words: Sequence[str]) -> TextMatch:
        tsquery = " & ".join(f"{word}:*" for word in query_words)
        return TextMatch(
            "matched(id, rank) AS (SELECT l.id, -ts_rank(l.search_vector, q.query) "
            "FROM directory_listing l, to_tsquery('makeworks', %s) AS q(query) "
            "WHERE l.search_vector @@ q.query)",
            [tsquery],
        )

    def name_prefix_match(self, prefix: str) -> TextMatch:
        # ":*A" restricts the prefix match to weight A, the listing's name.
        return TextMatch(
            "matched(id, rank) AS (SELECT l.id, 0 FROM directory_listing l "
            "WHERE l.search_vector @@ to_tsquery('makeworks', %s))",
            [f"{prefix}:*A"],
        )

    def write_index(self, listing_ids: Sequence[int], term_text: dict[int, str]) -> None:
        values_cte, values_params = _term_values_cte(term_text)
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                cursor.execute(
                    f"""
                    WITH {values_cte}
                    UPDATE directory_listing AS l SET search_vector =
                        setweight(to_tsvector('makeworks', l.name), 'A')
                        || setweight(to_tsvector('makeworks', coalesce((
                            SELECT string_agg(tt.txt, ' ') FROM directory_listing_terms lt
                            JOIN term_text tt ON tt.id = lt.term_id WHERE lt.listing_id = l.id), '')), 'B')
                        || setweight(to_tsvector('makeworks', l.summary || ' ' || l.city || ' ' || coalesce((
                            SELECT n.name || ' ' || n.name_fr FROM directory_node n
                            WHERE n.id = l.node_id), '')),
                            'C')
                        || setweight(to_tsvector('makeworks', l.description || ' ' || l.circularity), 'D')
                    WHERE l.id = ANY(%s)
                    """,
                    [*values_params, list(chunk)],
                )
                _add_vocabulary(_vocabulary_rows(chunk, term_text))

    def remove_from_index(self, listing_ids: Sequence[int]) -> None:
        # The vector lives on the listing row, so it goes with it.
        return None

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
    def text_match(self, query_words: Sequence[str]) -> TextMatch:
        expression = " AND ".join(f'"{word}"*' for word in query_words)
        return TextMatch(
            "matched(id, rank) AS (SELECT rowid, bm25(directory_listing_fts, 10.0, 4.0, 2.0, 1.0) "
            "FROM directory_listing_fts WHERE directory_listing_fts MATCH %s)",
            [expression],
        )

    def name_prefix_match(self, prefix: str) -> TextMatch:
        return TextMatch(
            "matched(id, rank) AS (SELECT rowid, 0 FROM directory_listing_fts "
            "WHERE directory_listing_fts MATCH %s)",
            [f'name : "{prefix}"*'],
        )

    def write_index(self, listing_ids: Sequence[int], term_text: dict[int, str]) -> None:
        values_cte, values_params = _term_values_cte(term_text)
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM directory_listing_fts WHERE rowid IN ({placeholders})", list(chunk)
                )
                cursor.execute(
                    f"""
                    WITH {values_cte}
                    INSERT INTO directory_listing_fts (rowid, name, terms, body, description)
                    SELECT l.id, l.name,
                        coalesce((SELECT group_concat(tt.txt, ' ') FROM directory_listing_terms lt
                                  JOIN term_text tt ON tt.id = lt.term_id WHERE lt.listing_id = l.id), ''),
                        l.summary || ' ' || l.city || ' ' || coalesce((
                            SELECT n.name || ' ' || n.name_fr FROM directory_node n
                            WHERE n.id = l.node_id), ''),
                        l.description || ' ' || l.circularity
                    FROM directory_listing l WHERE l.id IN ({placeholders})
                    """,
                    [*values_params, *chunk],
                )
                _add_vocabulary(_vocabulary_rows(chunk, term_text))

    def remove_from_index(self, listing_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for chunk in _chunks(listing_ids):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM directory_listing_fts WHERE rowid IN ({placeholders})", list(chunk)
                )

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
