"""`manage.py export_listings` and `manage.py import_listings`: output, licence notice, and bad input."""

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from directory import services
from directory.models import Listing
from directory.services.opendata import LICENCE_URL
from tests.directory.conftest import SECRET_EMAIL, Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_export_command_writes_csv_to_stdout_and_the_licence_to_stderr(catalogue: Catalogue) -> None:
    stdout, stderr = run("export_listings")

    slugs = sorted(row["slug"] for row in csv.DictReader(io.StringIO(stdout, newline="")))
    assert slugs == [
        "atelier-belleville",
        "clyde-plywood-works",
        "govan-laser-studio",
        "kelvin-timber-supply",
    ]
    assert "CC BY 4.0" in stderr
    assert LICENCE_URL in stderr
    assert "CC BY 4.0" not in stdout
    assert SECRET_EMAIL not in stdout


def test_export_command_writes_one_nodes_json_to_a_file(catalogue: Catalogue, tmp_path: Path) -> None:
    output = tmp_path / "glasgow.json"

    stdout, _stderr = run("export_listings", "--format", "json", "--node", "glasgow", "--output", str(output))

    document = json.loads(output.read_text(encoding="utf-8"))
    assert stdout == ""
    assert document["license"]["url"] == LICENCE_URL
    assert sorted(listing["slug"] for listing in document["listings"]) == [
        "clyde-plywood-works",
        "govan-laser-studio",
        "kelvin-timber-supply",
    ]


def test_export_command_with_an_unknown_node_names_the_known_ones(catalogue: Catalogue) -> None:
    with pytest.raises(
        CommandError, match=r"No node has the slug 'atlantis'\. The nodes are: glasgow, paris\."
    ):
        run("export_listings", "--node", "atlantis")


def test_export_command_says_when_it_cannot_write_the_file(catalogue: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot write .*missing/out\.csv: No such file or directory\."):
        run("export_listings", "--output", str(tmp_path / "missing" / "out.csv"))


def test_import_command_imports_an_export_back(catalogue: Catalogue, tmp_path: Path) -> None:
    exported = tmp_path / "glasgow.csv"
    run("export_listings", "--node", "glasgow", "--output", str(exported))
    services.listing_delete(listing=catalogue.kelvin)

    stdout, stderr = run("import_listings", str(exported), "--node", "glasgow")

    assert stdout.strip() == "Imported: 1 created, 2 updated."
    assert stderr == ""
    assert Listing.objects.get(slug="kelvin-timber-supply").node == catalogue.glasgow
    assert Listing.objects.filter(node=catalogue.glasgow).count() == 4


def test_import_command_dry_run_writes_nothing(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_text("name,kind\nAnvil Forge,fabricator\n", encoding="utf-8")

    stdout, _stderr = run("import_listings", str(source), "--node", "glasgow", "--dry-run")

    assert stdout.strip() == "Checked, nothing written yet: 1 to create, 0 to update."
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_import_command_with_a_bad_row_fails_naming_the_line(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("name,kind\nAnvil Forge,fabricator\nBroken,robot\n", encoding="utf-8")
    stderr = io.StringIO()

    with pytest.raises(CommandError, match=r"Nothing was imported: 1 row has errors\."):
        call_command("import_listings", str(source), "--node", "glasgow", stdout=io.StringIO(), stderr=stderr)

    assert f"{source}, line 3: kind: Value 'robot' is not a valid choice." in stderr.getvalue()
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_import_command_skip_invalid_imports_the_rest(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("name,kind\nAnvil Forge,fabricator\nBroken,robot\n", encoding="utf-8")

    stdout, stderr = run("import_listings", str(source), "--node", "glasgow", "--skip-invalid")

    assert stdout.strip() == "Imported: 1 created, 0 updated; 1 invalid row skipped (line 3)."
    assert "line 3: kind:" in stderr
    assert Listing.objects.filter(name="Anvil Forge").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"Nothing was imported: the file cannot be read\."),
        ("name,kind\nCafé,fabricator\n".encode("latin-1"), r"the file cannot be read"),
        (b"title,type\nAnvil Forge,fabricator\n", r"the file cannot be read"),
    ],
)
def test_import_command_explains_a_file_it_cannot_read(
    catalogue: Catalogue, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "odd.csv"
    source.write_bytes(content)
    stderr = io.StringIO()

    with pytest.raises(CommandError, match=message):
        call_command("import_listings", str(source), "--node", "glasgow", stdout=io.StringIO(), stderr=stderr)

    assert f"{source}, line " in stderr.getvalue()


def test_import_command_with_a_missing_file_says_so(catalogue: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.csv: No such file or directory\."):
        run("import_listings", str(tmp_path / "nowhere.csv"), "--node", "glasgow")


def test_import_command_with_an_unknown_node_says_so(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_text("name,kind\nAnvil Forge,fabricator\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"No node has the slug 'atlantis'"):
        run("import_listings", str(source), "--node", "atlantis")
