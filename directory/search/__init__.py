"""Search over the catalogue: one interface, a PostgreSQL and an SQLite back end behind it.

Reads: `parse_search_params`, `search_listings`, `suggest`, `listing_hits`. Writes (called by
directory.services inside their transactions): `index_listings`, `unindex_listings`, `rebuild_index`.
"""

from collections.abc import Sequence

from directory.models import Listing
from directory.search.backends import current_backend, term_texts
from directory.search.engine import FacetValue, ListingHit, SearchResults, listing_hits, search_listings
from directory.search.params import Near, SearchParams, SearchParamsError, parse_search_params, resolve_near
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
    "listing_hits",
    "parse_search_params",
    "rebuild_index",
    "resolve_near",
    "search_listings",
    "suggest",
    "unindex_listings",
]


def index_listings(listing_ids: Sequence[int]) -> None:
    """Bring these listings' index entries in line with the database."""
    if listing_ids:
        current_backend().write_index(list(listing_ids), term_texts())


def unindex_listings(listing_ids: Sequence[int]) -> None:
    if listing_ids:
        current_backend().remove_from_index(list(listing_ids))


def rebuild_index() -> int:
    """Re-index every listing, for example after a term was renamed. Returns how many were indexed."""
    ids = list(Listing.objects.values_list("id", flat=True))
    index_listings(ids)
    return len(ids)
