"""The directory through the API: the same search as the search page, listings a partner can copy
page by page, taxonomies, nodes and hubs; public to anyone, never a draft or a contact detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from directory.models import ListingKind
from directory.search import parse_search_params, search_listings
from tests.api.conftest import bearer
from tests.directory.conftest import SECRET_EMAIL, SECRET_PHONE, Catalogue, build_catalogue
from tests.factories import IssuerFactory, ListingFactory


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def test_search_gives_the_same_hits_and_facets_as_the_search_page(
    catalogue: Catalogue, client_api: APIClient
) -> None:
    query = "q=plywood&node=glasgow&process=cnc-milling"
    answer = client_api.get(f"/api/v1/search/listings/?{query}")
    assert answer.status_code == 200
    body = answer.json()
    from django.http import QueryDict

    expected = search_listings(parse_search_params(QueryDict(query)))
    assert [hit["slug"] for hit in body["results"]] == [hit.slug for hit in expected.hits]
    assert body["total"] == expected.total == 1
    assert body["results"][0]["url"] == "https://makeworks.example/listings/clyde-plywood-works/"
    assert {facet["value"] for facet in body["facets"]["kind"]} == {"fabricator"}
    assert [facet["value"] for facet in body["facets"]["process"] if facet["selected"]] == ["cnc-milling"]


def test_search_near_a_place_sorts_by_distance_and_says_how_far(
    catalogue: Catalogue, client_api: APIClient
) -> None:
    answer = client_api.get("/api/v1/search/listings/?near=55.8642,-4.2518&radius=10")
    hits = answer.json()["results"]
    assert [hit["slug"] for hit in hits] == [
        "clyde-plywood-works",
        "kelvin-timber-supply",
        "govan-laser-studio",
    ]
    assert hits[0]["distance_km"] < hits[-1]["distance_km"] < 10


def test_search_refuses_bad_parameters_naming_each_one(catalogue: Catalogue, client_api: APIClient) -> None:
    answer = client_api.get(
        "/api/v1/search/listings/?kind=castle&material=unobtainium&sort=distance&radius=x&page_size=0"
    )
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"page_size": ["The page size must be a whole number from 1 to 100."]}
    answer = client_api.get(
        "/api/v1/search/listings/?kind=castle&material=unobtainium&sort=distance&radius=x"
    )
    body = answer.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {
        "kind": ["“castle” is not a kind of listing we know."],
        "material": ["There is no material called “unobtainium”."],
        "radius": ["The radius must be a number of kilometres."],
        "sort": ["Sorting by distance needs a place to measure from."],
    }


def test_search_page_past_the_end_is_404(catalogue: Catalogue, client_api: APIClient) -> None:
    answer = client_api.get("/api/v1/search/listings/?page=9")
    assert answer.status_code == 404
    assert answer.json()["code"] == "page_not_found"


def test_listings_are_published_ones_without_contact_details(
    catalogue: Catalogue, client_api: APIClient
) -> None:
    answer = client_api.get("/api/v1/listings/?page_size=100")
    slugs = [listing["slug"] for listing in answer.json()["results"]]
    assert slugs == [
        catalogue.clyde.slug,
        catalogue.govan.slug,
        catalogue.kelvin.slug,
        catalogue.belleville.slug,
    ]
    detail = client_api.get(f"/api/v1/listings/{catalogue.clyde.slug}/")
    text = detail.content.decode()
    assert detail.json()["website"] == "https://clyde.example"
    assert {term["slug"] for term in detail.json()["terms"]} == {
        "plywood",
        "cnc-milling",
        "furniture",
        "prototyping",
    }
    assert SECRET_EMAIL not in text
    assert SECRET_PHONE not in text
    assert client_api.get(f"/api/v1/listings/{catalogue.draft.slug}/").status_code == 404


def test_listings_are_paged_by_cursor_and_filtered(catalogue: Catalogue, client_api: APIClient) -> None:
    first = client_api.get("/api/v1/listings/?page_size=2").json()
    second = client_api.get(first["next"]).json()
    assert len(first["results"]) == 2
    assert len(second["results"]) == 2
    assert second["next"] is None
    paris = client_api.get("/api/v1/listings/?node=paris").json()["results"]
    assert [listing["slug"] for listing in paris] == [catalogue.belleville.slug]
    answer = client_api.get("/api/v1/listings/?kind=castle")
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"kind": ['"castle" is not a valid choice.']}


@pytest.mark.parametrize("url", ["/api/v1/listings/?page_size={}", "/api/v1/hubs/?page_size={}"])
def test_list_queries_do_not_grow_with_the_page_size(db: None, client_api: APIClient, url: str) -> None:
    for _n in range(6):
        IssuerFactory.create()
        ListingFactory.create(kind=ListingKind.MAKERSPACE)
    counts = []
    for size in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            answer = client_api.get(url.format(size))
        assert len(answer.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_taxonomies_and_their_terms(catalogue: Catalogue, client_api: APIClient) -> None:
    vocabularies = client_api.get("/api/v1/taxonomies/").json()
    assert {v["vocabulary"]: v["term_count"] for v in vocabularies} == {
        "material": 3, "process": 2, "sector": 1, "service": 1,
    }  # fmt: skip
    terms = client_api.get("/api/v1/taxonomies/material/terms/").json()["results"]
    assert {(term["slug"], term["parent"]) for term in terms} == {
        ("plywood", "wood"),
        ("steel", None),
        ("wood", None),
    }
    assert client_api.get("/api/v1/taxonomies/metals/terms/").status_code == 404


def test_nodes_count_published_listings_only(catalogue: Catalogue, client_api: APIClient) -> None:
    nodes = client_api.get("/api/v1/nodes/").json()["results"]
    assert {node["slug"]: node["listing_count"] for node in nodes} == {"glasgow": 3, "paris": 1}
    assert client_api.get("/api/v1/nodes/glasgow/").json()["name"] == "Glasgow"
    assert client_api.get("/api/v1/nodes/atlantis/").status_code == 404


def test_hubs_name_their_badge_issuer(db: None, client_api: APIClient) -> None:
    issuer = IssuerFactory.create(name="Fablab Glasgow")
    ListingFactory.create(name="Hub without badges", kind=ListingKind.MAKERSPACE)
    hubs = {hub["name"]: hub["issuer"] for hub in client_api.get("/api/v1/hubs/").json()["results"]}
    assert hubs[issuer.listing.name] == {"slug": issuer.slug, "name": "Fablab Glasgow"}
    assert hubs["Hub without badges"] is None


def test_public_reads_answer_keys_alike_and_refuse_expired_ones(
    catalogue: Catalogue, client_api: APIClient, read_key_a: str, expired_key_a: str
) -> None:
    for url in (
        "/api/v1/listings/",
        "/api/v1/search/listings/?q=plywood",
        "/api/v1/nodes/",
        "/api/v1/taxonomies/",
    ):
        anonymous = client_api.get(url)
        with_key = client_api.get(url, **bearer(read_key_a))
        assert anonymous.status_code == with_key.status_code == 200
        assert anonymous.json() == with_key.json()
        assert client_api.get(url, **bearer(expired_key_a)).status_code == 401


def test_a_listings_filter_that_is_not_a_slug_is_refused_in_the_api_error_shape(
    catalogue: Catalogue, client_api: APIClient
) -> None:
    answer = client_api.get("/api/v1/listings/?node=not a slug&kind=supplier")

    assert answer.status_code == 400
    message = 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
    assert answer.json() == {"code": "invalid", "message": message, "fields": {"node": [message]}}
