"""Search over the catalogue: one interface, a PostgreSQL and an SQLite back end behind it.

Reads: `parse_search_params`, `search_listings`, `suggest`, `listing_hits`. Writes (called by
directory.services inside their transactions): `index_listings`, `unindex_listings`, `rebuild_index`, and
`indexing_batched` around a run of many writes.
"""

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from directory.models import Listing
from directory.search.backends import current_backend, term_texts
from directory.search.engine import FacetValue, ListingHit, SearchResults, listing_hits, search_listings
from directory.search.params import (
    Near,
    SearchParams,
    SearchParamsError,
    parse_search_params,
    resolve_near,
    unplaced_message,
)
from directory.search.suggest import Suggestion, suggest

__all__ = [
    "FacetValue",
    "ListingHit",
    "Near",
    "SearchParams",
    "SearchParamsError",
    "SearchResults",
    "Suggestion",
    "index_listings",
    "indexing_batched",
    "listing_hits",
    "parse_search_params",
    "rebuild_index",
    "resolve_near",
    "search_listings",
    "suggest",
    "unindex_listings",
    "unplaced_message",
]


# The listings waiting to be indexed when the innermost `indexing_batched` block of this thread ends.
_batch = threading.local()


def index_listings(listing_ids: Sequence[int]) -> None:
    """Bring these listings' index entries in line with the database (inside `indexing_batched`, when its
    block ends)."""
    pending: set[int] | None = getattr(_batch, "pending", None)
    if pending is not None:
        pending.update(listing_ids)
    elif listing_ids:
        current_backend().write_index(list(listing_ids), term_texts())


def unindex_listings(listing_ids: Sequence[int]) -> None:
    pending: set[int] | None = getattr(_batch, "pending", None)
    if pending is not None:
        pending.difference_update(listing_ids)
    if listing_ids:
        current_backend().remove_from_index(list(listing_ids))


@contextmanager
def indexing_batched() -> Iterator[None]:
    """Index every listing the block creates or changes once, together, when it ends: each index write
    reads every term's text, which a loop of thousands of listing_create calls would otherwise do thousands
    of times. Until then the block's listings are not searchable; an error leaves them unindexed, as the
    transaction it belongs in is rolled back. Nested blocks join the outermost one."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = set()
    try:
        yield
        listing_ids = sorted(_batch.pending)
    finally:
        _batch.pending = None
    index_listings(listing_ids)


def rebuild_index() -> int:
    """Re-index every listing, for example after a term was renamed. Returns how many were indexed."""
    ids = list(Listing.objects.values_list("id", flat=True))
    index_listings(ids)
    return len(ids)
