"""Indexing a run of many listing writes at once (imports): what the batch defers must be searchable, with
every term's words, when it ends, and nothing when it fails."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from directory import search, services
from directory.models import ListingKind, ListingStatus
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [hit.name for hit in search.search_listings(search.parse_search_params(QueryDict(query))).hits]


def create(name: str, **fields):
    return services.listing_create(
        name=name, kind=ListingKind.MAKERSPACE, status=ListingStatus.PUBLISHED, **fields
    )


def test_listings_written_in_a_batch_are_found_by_name_and_broader_term_once_it_ends():
    wood = TermFactory(name="Wood", slug="wood")
    plywood = TermFactory(name="Plywood", slug="plywood", parent=wood)

    with search.indexing_batched():
        create("Clyde Joinery", terms=[plywood])
        create("Govan Forge")
        assert found("q=joinery") == []

    assert found("q=joinery") == ["Clyde Joinery"]
    assert found("q=wood") == ["Clyde Joinery"]
    assert found("q=forge") == ["Govan Forge"]


def test_a_batch_of_many_listings_reads_the_terms_once():
    TermFactory(name="Ceramics", slug="ceramics")

    with CaptureQueriesContext(connection) as queries, search.indexing_batched():
        for number in range(5):
            create(f"Pottery {number}")

    # Reading every term: the whole table, no WHERE, no JOIN (setting a listing's terms reads only its own).
    term_reads = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "directory_term"' in query["sql"]
        and "WHERE" not in query["sql"]
        and "JOIN" not in query["sql"]
    ]
    assert len(term_reads) == 1
    assert len(found("q=pottery")) == 5


def test_a_listing_deleted_within_the_batch_is_not_indexed_again():
    with search.indexing_batched():
        kept = create("Leith Woodshop")
        gone = create("Leith Pottery")
        services.listing_delete(listing=gone)

    assert found("q=leith") == [kept.name]


def test_a_failed_batch_indexes_nothing_and_nested_batches_index_when_the_outermost_ends():
    def stopped_import() -> None:
        with search.indexing_batched():
            create("Doomed Lab")
            raise RuntimeError("import stopped")

    with pytest.raises(RuntimeError):
        stopped_import()
    assert found("q=doomed") == []

    with search.indexing_batched():
        with search.indexing_batched():
            create("Inner Lab")
        assert found("q=inner") == []
    assert found("q=inner") == ["Inner Lab"]
