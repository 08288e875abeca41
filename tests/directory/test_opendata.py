"""Open data out: the CSV and JSON exports, their licence, what they leave out, and the round trip back in."""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory import services
from directory.models import Listing, ListingKind, ListingStatus, Node
from directory.services.opendata import (
    EXPORT_COLUMNS,
    LICENCE_URL,
    listings_csv_chunks,
    listings_export_rows,
    listings_import,
    listings_json_chunks,
)
from tests.directory.conftest import SECRET_EMAIL, SECRET_PHONE, Catalogue
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def downloaded(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def snapshot(listing: Listing) -> dict[str, Any]:
    """What an export promises to carry over: every public field, the node, the terms."""
    listing.refresh_from_db()
    fields = {column: getattr(listing, column) for column in EXPORT_COLUMNS if hasattr(listing, column)}
    fields.pop("updated_at")
    fields["country"] = str(listing.country)
    fields["node"] = listing.node.slug if listing.node else ""
    fields["status"] = listing.status
    fields["terms"] = sorted((term.vocabulary, term.slug) for term in listing.terms.all())
    return fields


def tricky_listing(node: Node) -> Listing:
    """A listing whose text looks like formulas, holds the list separator and spans lines."""
    return ListingFactory.create(
        node=node,
        external_id="=ext-1",
        name='=HYPERLINK("https://evil.example","click")',
        summary="+44 141 496 0000",
        description="First line\r\nsecond line\n\tindented\n",
        address="@home, 1 Formula Street",
        city="-Town",
        postcode="'quoted already",
        minimum_order="'=not a formula either",
        lead_time="\rcarriage return first",
        certifications=["ISO 9001 | ISO 14001", "back\\slash", "-minus"],
        languages=["fr", "en"],
        latitude=55.86,
        longitude=-4.25,
        year_founded=1990,
    )


def test_node_csv_export_lists_the_nodes_published_listings_only(
    client: Client, catalogue: Catalogue
) -> None:
    response = client.get(reverse("directory:node_export_csv", args=["glasgow"]))

    rows = csv_rows(downloaded(response))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="makeworks-glasgow-listings.csv"'
    assert sorted(rows) == ["clyde-plywood-works", "govan-laser-studio", "kelvin-timber-supply"]


def test_csv_export_has_one_column_per_public_field_with_lists_joined_by_a_bar(
    client: Client, catalogue: Catalogue
) -> None:
    text = downloaded(client.get(reverse("directory:node_export_csv", args=["glasgow"])))

    header = next(csv.reader(io.StringIO(text)))
    clyde = csv_rows(text)["clyde-plywood-works"]
    assert tuple(header) == EXPORT_COLUMNS
    assert clyde["node"] == "glasgow"
    assert clyde["materials"] == "plywood"
    assert clyde["processes"] == "cnc-milling"
    assert clyde["sectors"] == "furniture"
    assert clyde["services"] == "prototyping"
    assert clyde["batch_sizes"] == "one-off|small"
    assert clyde["languages"] == "en|gd"
    assert clyde["verified"] == "true"
    assert clyde["year_founded"] == "2009"
    assert clyde["latitude"] == "55.853"


def test_whole_catalogue_exports_every_published_listing(client: Client, catalogue: Catalogue) -> None:
    csv_text = downloaded(client.get(reverse("directory:export_csv")))
    document = json.loads(downloaded(client.get(reverse("directory:export_json"))))

    expected = ["atelier-belleville", "clyde-plywood-works", "govan-laser-studio", "kelvin-timber-supply"]
    assert sorted(csv_rows(csv_text)) == expected
    assert sorted(listing["slug"] for listing in document["listings"]) == expected
    assert document["node"] is None


def test_exports_never_contain_contact_email_or_phone(client: Client, catalogue: Catalogue) -> None:
    urls = [
        reverse("directory:node_export_csv", args=["glasgow"]),
        reverse("directory:node_export_json", args=["glasgow"]),
        reverse("directory:export_csv"),
        reverse("directory:export_json"),
    ]

    for url in urls:
        text = downloaded(client.get(url))
        assert "Clyde Plywood Works" in text, url
        assert SECRET_EMAIL not in text, url
        assert SECRET_PHONE not in text, url
        assert "contact_" not in text, url


def test_json_export_states_the_licence_and_gives_lists_as_arrays(
    client: Client, catalogue: Catalogue
) -> None:
    response = client.get(reverse("directory:node_export_json", args=["glasgow"]))

    document = json.loads(downloaded(response))
    clyde = next(listing for listing in document["listings"] if listing["slug"] == "clyde-plywood-works")
    assert response["Content-Type"] == "application/json"
    assert response["Link"] == LICENCE_LINK
    assert document["license"]["name"] == "CC BY 4.0"
    assert document["license"]["url"] == LICENCE_URL
    assert "CC BY 4.0" in document["license"]["notice"]
    assert document["node"] == "glasgow"
    assert document["source"].endswith("/nodes/glasgow/listings.json")
    assert clyde["materials"] == ["plywood"]
    assert clyde["batch_sizes"] == ["one-off", "small"]
    assert clyde["social_links"] == ["https://www.instagram.com/clydeplywood", "javascript:alert(1)"]
    assert clyde["latitude"] == 55.853
    assert clyde["year_founded"] == 2009
    assert clyde["verified"] is True


def test_csv_download_names_its_licence_in_a_link_header(client: Client, catalogue: Catalogue) -> None:
    for url in (reverse("directory:node_export_csv", args=["glasgow"]), reverse("directory:export_csv")):
        assert client.get(url)["Link"] == LICENCE_LINK


def test_downloads_are_streamed(client: Client, catalogue: Catalogue) -> None:
    for name, args in (
        ("directory:node_export_csv", ["glasgow"]),
        ("directory:node_export_json", ["glasgow"]),
        ("directory:export_csv", []),
        ("directory:export_json", []),
    ):
        response = client.get(reverse(name, args=args))
        assert isinstance(response, StreamingHttpResponse), name
        assert response.streaming


def test_export_of_an_unknown_node_is_not_found(client: Client, catalogue: Catalogue) -> None:
    assert client.get(reverse("directory:node_export_csv", args=["atlantis"])).status_code == 404
    assert client.get(reverse("directory:node_export_json", args=["atlantis"])).status_code == 404


def test_node_page_offers_the_downloads_under_the_licence(client: Client, catalogue: Catalogue) -> None:
    page = client.get(catalogue.glasgow.get_absolute_url()).content.decode()

    assert f'href="{reverse("directory:node_export_csv", args=["glasgow"])}"' in page
    assert f'href="{reverse("directory:node_export_json", args=["glasgow"])}"' in page
    assert f'href="{reverse("directory:export_csv")}"' in page
    assert f'href="{reverse("directory:export_json")}"' in page
    assert f'<a href="{LICENCE_URL}" rel="license">' in page
    assert "CC BY 4.0" in page


def test_csv_export_neutralises_text_a_spreadsheet_would_run_as_a_formula(catalogue: Catalogue) -> None:
    tricky_listing(catalogue.glasgow)

    text = "".join(listings_csv_chunks(node=catalogue.glasgow))

    row = next(row for row in csv_rows(text).values() if row["external_id"].startswith("'"))
    assert row["external_id"] == "'=ext-1"
    assert row["name"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["summary"] == "'+44 141 496 0000"
    assert row["address"] == "'@home, 1 Formula Street"
    assert row["city"] == "'-Town"
    assert row["lead_time"] == "'\rcarriage return first"
    # Only a cell's first character matters to a spreadsheet; a "|" inside an item is escaped.
    assert row["certifications"] == "ISO 9001 \\| ISO 14001|back\\\\slash|-minus"
    # A cell that already starts with a quote gets one more, so import can tell the two apart.
    assert row["postcode"] == "''quoted already"
    assert row["description"] == "First line\r\nsecond line\n\tindented\n"
    # Numbers are numbers: a negative longitude is neither quoted nor prefixed.
    assert row["longitude"] == "-4.25"
    assert ",55.86,-4.25," in text


def test_export_reads_listings_a_chunk_at_a_time(catalogue: Catalogue) -> None:
    ListingFactory(node=catalogue.glasgow)  # four published listings in Glasgow, read two at a time

    chunks = listings_csv_chunks(node=catalogue.glasgow, chunk_size=2)
    with CaptureQueriesContext(connection) as header_queries:
        header = next(chunks)
    with CaptureQueriesContext(connection) as first_chunk_queries:
        first_chunk = next(chunks)
    with CaptureQueriesContext(connection) as rest_queries:
        rest = list(chunks)

    assert header.startswith("external_id,slug,name")
    assert len(header_queries) == 0
    # The first two listings cost one query for them and one for their terms; the others are not read yet.
    assert len(first_chunk_queries) == 2
    assert len(list(csv.reader(io.StringIO(first_chunk)))) == 2
    assert len(rest_queries) == 3
    assert sum(len(list(csv.reader(io.StringIO(chunk)))) for chunk in rest) == 2


def test_json_export_reads_listings_a_chunk_at_a_time(catalogue: Catalogue) -> None:
    chunks = listings_json_chunks(chunk_size=2)
    with CaptureQueriesContext(connection) as opening_queries:
        opening = next(chunks)
    with CaptureQueriesContext(connection) as first_chunk_queries:
        first_chunk = next(chunks)
    document = json.loads(opening + first_chunk + "".join(chunks))

    assert len(opening_queries) == 0
    assert len(first_chunk_queries) == 2
    assert len(document["listings"]) == 4


def test_export_rows_are_produced_lazily(catalogue: Catalogue) -> None:
    rows = listings_export_rows(chunk_size=1)
    with CaptureQueriesContext(connection) as first_row_queries:
        first = next(rows)

    assert first["slug"] == "clyde-plywood-works"
    assert len(first_row_queries) == 2


def test_export_then_import_into_an_empty_catalogue_gives_back_the_same_listings(
    catalogue: Catalogue,
) -> None:
    tricky = tricky_listing(catalogue.glasgow)
    ListingFactory(node=catalogue.glasgow, external_id="legacy-7", latitude=None, longitude=None, country="")
    originals = Listing.objects.published().filter(node=catalogue.glasgow)
    before = {listing.slug: snapshot(listing) for listing in originals}
    exported = "".join(listings_csv_chunks(node=catalogue.glasgow))
    for listing in Listing.objects.all():
        services.listing_delete(listing=listing)

    report = listings_import(data=exported.encode(), node=catalogue.glasgow)

    after = {listing.slug: snapshot(listing) for listing in Listing.objects.all()}
    assert report.errors == []
    assert report.created == 5
    assert sorted(after) == sorted(before)
    for slug, fields in before.items():
        for name, value in fields.items():
            assert after[slug][name] == value, f"{slug}.{name}"
    assert after[tricky.slug]["longitude"] == -4.25
    assert after[tricky.slug]["name"].startswith("=HYPERLINK")


def test_round_trip_keeps_a_node_whose_listings_carry_many_terms(catalogue: Catalogue) -> None:
    belleville = snapshot(catalogue.belleville)
    exported = "".join(listings_csv_chunks(node=catalogue.paris))
    services.listing_delete(listing=catalogue.belleville)

    listings_import(data=exported.encode(), node=catalogue.paris)

    assert snapshot(Listing.objects.get(slug="atelier-belleville")) == belleville


def test_export_leaves_out_drafts(catalogue: Catalogue) -> None:
    ListingFactory(
        node=catalogue.glasgow, status=ListingStatus.DRAFT, kind=ListingKind.WORKSHOP, name="Hidden"
    )

    slugs = {row["slug"] for row in listings_export_rows()}

    assert "secret-draft-workshop" not in slugs
    assert "hidden" not in slugs
