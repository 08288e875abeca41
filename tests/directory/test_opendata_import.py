"""Open data in: importing listings from CSV, row checks, the report, and what is (not) written."""

import csv
import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from audit import selectors as audit_selectors
from audit.models import AuditEntry
from directory.models import ChangeAction, Listing, ListingStatus
from directory.services.opendata import ImportProblem, listings_import
from tests.directory.conftest import Catalogue
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def csv_file(*rows: dict[str, str]) -> bytes:
    """A CSV file with the given rows; its columns are every key any row has, in order of appearance."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def forge(**cells: str) -> dict[str, str]:
    return {"name": "Anvil Forge", "kind": "fabricator", **cells}


def test_import_adds_published_listings_with_their_terms_to_the_node(catalogue: Catalogue) -> None:
    data = csv_file(
        forge(
            external_id="src-1",
            slug="anvil-forge",
            city="Glasgow",
            latitude="55.85",
            longitude="-4.3",
            materials="steel|plywood",
            processes="laser-cutting",
            batch_sizes="one-off|small",
            verified="true",
        )
    )

    report = listings_import(data=data, node=catalogue.glasgow)

    listing = Listing.objects.get(slug="anvil-forge")
    assert (report.created, report.updated, report.written) == (1, 0, True)
    assert report.summary == "Imported: 1 created, 0 updated."
    assert listing.node == catalogue.glasgow
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.external_id == "src-1"
    assert (listing.latitude, listing.longitude) == (55.85, -4.3)
    assert listing.batch_sizes == ["one-off", "small"]
    assert listing.verified is True
    assert sorted(term.slug for term in listing.terms.all()) == ["laser-cutting", "plywood", "steel"]


def test_import_with_a_bad_row_writes_nothing_and_names_the_line(catalogue: Catalogue) -> None:
    count = Listing.objects.count()
    data = csv_file(forge(name="Good One"), forge(name="Bad One", latitude="95"), forge(name="Good Two"))

    report = listings_import(data=data, node=catalogue.glasgow)

    assert report.errors == [ImportProblem(3, "latitude: Ensure this value is less than or equal to 90.")]
    assert not report.written
    assert report.summary == "Nothing was imported: 1 row has errors. Fix it, or skip invalid rows."
    assert Listing.objects.count() == count


def test_import_reports_every_bad_row_with_its_line_and_reason(catalogue: Catalogue) -> None:
    data = csv_file(
        forge(kind="robot"),
        forge(name="Old Forge", year_founded="long ago"),
        forge(name="Unobtainium Forge", materials="unobtainium"),
        forge(name="Web Forge", website="not a web address"),
        forge(name="Huge Forge", batch_sizes="huge"),
        forge(name="Maybe Forge", verified="maybe"),
        forge(name="", slug="no-name"),
        forge(name="Lost Forge", status="archived"),
        forge(name="Float Forge", longitude="west"),
    )

    report = listings_import(data=data, node=catalogue.glasgow)

    assert report.errors == [
        ImportProblem(2, "kind: Value 'robot' is not a valid choice."),
        ImportProblem(3, "year_founded: “long ago” is not a whole number."),
        ImportProblem(4, "materials: no material has the slug “unobtainium”."),
        ImportProblem(5, "website: Enter a valid URL."),
        ImportProblem(6, "batch_sizes: “huge” not among large, one-off, small."),
        ImportProblem(7, "verified: “maybe” is neither true nor false."),
        ImportProblem(8, "name: This field cannot be blank."),
        ImportProblem(9, "status: “archived” is neither published nor draft."),
        ImportProblem(10, "longitude: “west” is not a number."),
    ]
    assert not Listing.objects.filter(name__endswith="Forge").exists()


def test_import_with_skip_invalid_writes_the_valid_rows_and_says_which_were_skipped(
    catalogue: Catalogue,
) -> None:
    data = csv_file(forge(name="Good One"), forge(name="Bad One", kind="robot"), forge(name="Good Two"))

    report = listings_import(data=data, node=catalogue.glasgow, skip_invalid=True)

    assert report.written
    assert (report.created, report.skipped) == (2, 1)
    assert report.errors == [ImportProblem(3, "kind: Value 'robot' is not a valid choice.")]
    assert report.summary == "Imported: 2 created, 0 updated; 1 invalid row skipped (line 3)."
    assert set(Listing.objects.filter(name__startswith="Good").values_list("name", flat=True)) == {
        "Good One",
        "Good Two",
    }
    assert not Listing.objects.filter(name="Bad One").exists()


def test_skip_invalid_with_no_valid_row_writes_nothing(catalogue: Catalogue) -> None:
    report = listings_import(data=csv_file(forge(kind="robot")), node=catalogue.glasgow, skip_invalid=True)

    assert not report.written
    assert report.summary == "Nothing was imported: no row is valid."
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_dry_run_writes_nothing_and_says_what_it_would_do(catalogue: Catalogue) -> None:
    changes = AuditEntry.objects.count()
    data = csv_file(forge(), forge(name="Kelvin Timber", slug="kelvin-timber-supply", kind="supplier"))

    report = listings_import(data=data, node=catalogue.glasgow, dry_run=True)

    assert (report.created, report.updated, report.written) == (1, 1, False)
    assert report.summary == "Checked, nothing written yet: 1 to create, 1 to update."
    assert not Listing.objects.filter(name="Anvil Forge").exists()
    assert Listing.objects.get(slug="kelvin-timber-supply").name == "Kelvin Timber Supply"
    assert AuditEntry.objects.count() == changes


def test_reimporting_the_same_file_updates_the_listings_instead_of_adding_them(catalogue: Catalogue) -> None:
    first = csv_file(
        forge(external_id="src-1", summary="Hot metal."),
        forge(name="Bench Joinery", slug="bench-joinery", summary="Wood."),
        forge(name="No Key Studio", kind="workshop"),
    )
    listings_import(data=first, node=catalogue.glasgow)
    count = Listing.objects.count()
    second = csv_file(
        forge(external_id="src-1", name="Anvil Forge Ltd", summary="Hotter metal."),
        forge(name="Bench Joinery", slug="bench-joinery", summary="Oak."),
    )

    report = listings_import(data=second, node=catalogue.glasgow)

    assert (report.created, report.updated) == (0, 2)
    assert Listing.objects.count() == count
    assert Listing.objects.get(external_id="src-1").summary == "Hotter metal."
    assert Listing.objects.get(external_id="src-1").name == "Anvil Forge Ltd"
    assert Listing.objects.get(slug="bench-joinery").summary == "Oak."


def test_import_matches_on_the_external_id_before_the_slug(catalogue: Catalogue) -> None:
    listings_import(data=csv_file(forge(external_id="src-1", slug="anvil-forge")), node=catalogue.glasgow)

    report = listings_import(
        data=csv_file(forge(external_id="src-2", slug="anvil-forge")), node=catalogue.glasgow
    )

    assert report.errors == [
        ImportProblem(
            2,
            "slug: “anvil-forge” is the slug of “Anvil Forge”, which has another external id; "
            "change the slug or leave it empty.",
        )
    ]
    assert Listing.objects.filter(name="Anvil Forge").count() == 1


def test_import_leaves_what_the_file_has_no_column_for_as_it_is(catalogue: Catalogue) -> None:
    data = csv_file(
        {"slug": "clyde-plywood-works", "name": "Clyde Plywood", "kind": "fabricator", "materials": ""}
    )

    listings_import(data=data, node=catalogue.glasgow)

    clyde = Listing.objects.get(slug="clyde-plywood-works")
    assert clyde.name == "Clyde Plywood"
    assert clyde.summary == "CNC-cut plywood furniture and fit-outs."
    assert clyde.latitude == 55.8530
    assert clyde.verified is True
    # The materials column is there but empty: the material goes, the processes and the rest stay.
    assert sorted(term.slug for term in clyde.terms.all()) == ["cnc-milling", "furniture", "prototyping"]


def test_import_keeps_a_row_whose_status_says_draft_unpublished(catalogue: Catalogue) -> None:
    listings_import(data=csv_file(forge(status="draft"), forge(name="Open Forge")), node=catalogue.glasgow)

    assert Listing.objects.get(name="Anvil Forge").status == ListingStatus.DRAFT
    assert Listing.objects.get(name="Open Forge").status == ListingStatus.PUBLISHED


def test_import_refuses_rows_that_belong_to_another_node(catalogue: Catalogue) -> None:
    ListingFactory(node=catalogue.paris, external_id="paris-1", name="Paris Forge")
    data = csv_file(
        forge(node="paris"),
        forge(name="Moved", external_id="paris-1"),
        forge(name="Atelier", slug="atelier-belleville"),
    )

    report = listings_import(data=data, node=catalogue.glasgow)

    assert report.errors == [
        ImportProblem(2, "node: this row is for node “paris”, but the import is into “glasgow”."),
        ImportProblem(3, "external_id: matches “Paris Forge”, which is in paris; import it into that node."),
        ImportProblem(4, "slug: matches “Atelier Belleville”, which is in paris; import it into that node."),
    ]
    assert Listing.objects.get(external_id="paris-1").node == catalogue.paris


def test_import_refuses_a_file_naming_one_listing_twice(catalogue: Catalogue) -> None:
    data = csv_file(forge(external_id="src-1"), forge(external_id="src-1", name="Again"))

    report = listings_import(data=data, node=catalogue.glasgow)

    assert report.errors == [ImportProblem(3, "external_id: “src-1” is also on line 2.")]
    assert not Listing.objects.filter(external_id="src-1").exists()


def test_import_cannot_change_a_matched_listings_slug(catalogue: Catalogue) -> None:
    ListingFactory(node=catalogue.glasgow, external_id="src-1", name="Anvil Forge")

    report = listings_import(
        data=csv_file(forge(external_id="src-1", slug="new-slug")), node=catalogue.glasgow
    )

    assert report.errors == [
        ImportProblem(
            2,
            "slug: the listing with this external id has the slug “anvil-forge”; an import cannot change it.",
        )
    ]


def test_import_takes_off_only_the_quote_the_export_adds(catalogue: Catalogue) -> None:
    data = csv_file(
        forge(
            name="'=Forge",
            summary="'+44 141",
            city="'-Town",
            address="'@home",
            postcode="''G1",
            minimum_order="'tis a small order",
            latitude="'-4.25",
            longitude="-4.25",
        )
    )

    report = listings_import(data=data, node=catalogue.glasgow)

    listing = Listing.objects.get(summary="+44 141")
    assert report.written
    assert listing.name == "=Forge"
    assert listing.city == "-Town"
    assert listing.address == "@home"
    assert listing.postcode == "'G1"
    assert listing.minimum_order == "'tis a small order"
    assert (listing.latitude, listing.longitude) == (-4.25, -4.25)


def test_import_records_who_imported_in_the_history(
    catalogue: Catalogue, django_user_model: type[User]
) -> None:
    curator = django_user_model.objects.create_user("curator", "curator@example.org", "pw")
    data = csv_file(forge(), forge(name="Kelvin Timber", slug="kelvin-timber-supply", kind="supplier"))

    listings_import(data=data, node=catalogue.glasgow, actor=curator)

    created = audit_selectors.entries_for_object(Listing.objects.get(name="Anvil Forge")).get()
    updated = audit_selectors.entries_for_object(Listing.objects.get(slug="kelvin-timber-supply")).latest(
        "id"
    )
    assert (created.action, created.actor) == (ChangeAction.IMPORTED, curator)
    assert updated.actor == curator
    assert updated.changes["name"] == ["Kelvin Timber Supply", "Kelvin Timber"]


def test_import_of_an_empty_file_says_it_is_empty(catalogue: Catalogue) -> None:
    for data in (b"", b"\n  \n"):
        report = listings_import(data=data, node=catalogue.glasgow)

        assert report.errors == [
            ImportProblem(
                1, "The file is empty: it needs a header row naming the columns, then one row per listing."
            )
        ]
        assert report.summary == "Nothing was imported: the file cannot be read."


def test_import_of_a_header_without_rows_says_there_are_no_listings(catalogue: Catalogue) -> None:
    report = listings_import(data=b"name,kind\n", node=catalogue.glasgow)

    assert report.errors == [ImportProblem(2, "The file has a header but no listings.")]


def test_import_of_a_file_that_is_not_utf8_names_the_line(catalogue: Catalogue) -> None:
    data = "name,kind\nAnvil Forge,fabricator\nCafé Forge,fabricator\n".encode("latin-1")

    report = listings_import(data=data, node=catalogue.glasgow, skip_invalid=True)

    assert report.errors == [
        ImportProblem(
            3,
            "The file is not UTF-8 text: line 3 has a character in another encoding. "
            "Save it as “CSV UTF-8” and try again.",
        )
    ]
    assert not report.written
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_import_accepts_the_byte_order_mark_spreadsheets_write(catalogue: Catalogue) -> None:
    report = listings_import(
        data="\ufeffname,kind\nAnvil Forge,fabricator\n".encode(), node=catalogue.glasgow
    )

    assert report.written


def test_import_with_unknown_or_missing_columns_names_them(catalogue: Catalogue) -> None:
    data = b"name,emial,contact_phone,name\nAnvil Forge,a@example.org,0141,Again\n"

    report = listings_import(data=data, node=catalogue.glasgow, skip_invalid=True)

    (problem,) = report.errors
    assert problem.line == 1
    assert "These columns appear more than once: name." in problem.message
    assert "Unknown columns: emial, contact_phone." in problem.message
    assert "Required columns are missing: kind." in problem.message
    assert not report.written


def test_import_of_a_semicolon_separated_file_says_so(catalogue: Catalogue) -> None:
    report = listings_import(data=b"name;kind\nAnvil Forge;fabricator\n", node=catalogue.glasgow)

    assert report.errors == [
        ImportProblem(
            1, "The columns are separated by semicolons; save the file with commas between columns."
        )
    ]


def test_import_of_a_row_with_the_wrong_number_of_cells_names_the_line(catalogue: Catalogue) -> None:
    data = b'name,kind\nAnvil Forge,fabricator\n"Multi\nline",fabricator,extra\n'

    report = listings_import(data=data, node=catalogue.glasgow)

    assert report.errors == [ImportProblem(3, "This row has 3 cells, but the header names 2 columns.")]
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_import_skips_blank_lines_and_counts_lines_across_multiline_cells(catalogue: Catalogue) -> None:
    data = b'name,kind,description\n"Anvil Forge",fabricator,"one\ntwo"\n\nBad,robot,\n'

    report = listings_import(data=data, node=catalogue.glasgow)

    assert report.errors == [ImportProblem(5, "kind: Value 'robot' is not a valid choice.")]


def test_import_of_a_binary_file_says_it_is_not_csv(catalogue: Catalogue) -> None:
    report = listings_import(data=b"name,kind\nAnvil\x00Forge,fabricator\n", node=catalogue.glasgow)

    assert report.errors == [
        ImportProblem(
            2, "Line 2 holds a NUL character, so this is not a CSV text file. Save it as “CSV UTF-8”."
        )
    ]
    assert not Listing.objects.filter(name__startswith="Anvil").exists()
