"""The admin's CSV import page: who may use it, the report of the check, and the confirm step."""

import html
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit import selectors as audit_selectors
from directory.models import ChangeAction, Listing
from tests.directory.conftest import Catalogue

pytestmark = pytest.mark.django_db

GOOD_FILE = (
    b"name,kind,slug,materials\nAnvil Forge,fabricator,anvil-forge,steel\nBench Joinery,workshop,,plywood\n"
)
BAD_FILE = b"name,kind\nAnvil Forge,fabricator\nBroken,robot\n"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def curator_client(client: Client, catalogue: Catalogue, django_user_model: type[User]) -> Client:
    curator = django_user_model.objects.create_user("curator", "curator@example.org", "pw", is_staff=True)
    catalogue.glasgow.curators.add(curator)
    client.force_login(curator)
    return client


def import_url(catalogue: Catalogue) -> str:
    return reverse("admin:directory_node_import_listings", args=[catalogue.glasgow.pk])


def check(client: Client, url: str, data: bytes, **fields: str) -> str:
    upload = SimpleUploadedFile("listings.csv", data, content_type="text/csv")
    response = client.post(url, {"file": upload, "check": "Check the file", **fields})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def confirm_token(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "the page offers a confirm step"
    return match.group(1)


def test_import_page_is_only_for_staff_who_curate_the_node(
    client: Client, catalogue: Catalogue, django_user_model: type[User]
) -> None:
    url = import_url(catalogue)
    member = django_user_model.objects.create_user("member", "member@example.org", "pw")
    paris_curator = django_user_model.objects.create_user("paris", "paris@example.org", "pw", is_staff=True)
    catalogue.paris.curators.add(paris_curator)

    anonymous = client.get(url)
    client.force_login(member)
    not_staff = client.get(url)
    client.force_login(paris_curator)
    other_node = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert not_staff.status_code == 302
    assert other_node.status_code == 403


def test_node_page_in_the_admin_links_to_the_import(admin_client: Client, catalogue: Catalogue) -> None:
    page = admin_client.get(reverse("admin:directory_node_change", args=[catalogue.glasgow.pk]))

    assert f'href="{import_url(catalogue)}"' in page.content.decode()


def test_import_check_shows_the_report_and_writes_nothing(
    curator_client: Client, catalogue: Catalogue
) -> None:
    page = check(curator_client, import_url(catalogue), GOOD_FILE)

    assert "Checked, nothing written yet: 2 to create, 0 to update." in page
    assert "Confirm and import" in page
    assert not Listing.objects.filter(name__in=["Anvil Forge", "Bench Joinery"]).exists()


def test_import_confirm_writes_the_listings_and_records_the_curator(
    curator_client: Client, catalogue: Catalogue
) -> None:
    url = import_url(catalogue)
    token = confirm_token(check(curator_client, url, GOOD_FILE))

    response = curator_client.post(url, {"token": token, "skip_invalid": "False", "confirm": "Confirm"})

    anvil = Listing.objects.get(slug="anvil-forge")
    change = audit_selectors.entries_for_object(anvil).get()
    assert response.status_code == 302
    # This curator may not open the admin's listing list, so the node's own page shows the result.
    assert response["Location"] == catalogue.glasgow.get_absolute_url()
    assert anvil.node == catalogue.glasgow
    assert [term.slug for term in anvil.terms.all()] == ["steel"]
    assert Listing.objects.filter(name="Bench Joinery", node=catalogue.glasgow).exists()
    assert (change.action, change.actor.username if change.actor else None) == (
        ChangeAction.IMPORTED,
        "curator",
    )
    followed = curator_client.get(response["Location"])
    assert "Imported: 2 created, 0 updated." in html.unescape(followed.content.decode())


def test_import_check_of_a_bad_file_names_the_line_and_offers_no_confirm(
    curator_client: Client, catalogue: Catalogue
) -> None:
    page = check(curator_client, import_url(catalogue), BAD_FILE)

    assert "Nothing was imported: 1 row has errors." in page
    assert re.search(r"<td>3</td><td>kind: Value 'robot' is not a valid choice.</td>", page)
    assert 'name="token"' not in page
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_import_skipping_invalid_rows_confirms_the_valid_ones(
    admin_client: Client, catalogue: Catalogue
) -> None:
    url = import_url(catalogue)
    page = check(admin_client, url, BAD_FILE, skip_invalid="on")

    response = admin_client.post(url, {"token": confirm_token(page), "skip_invalid": "True", "confirm": "1"})

    assert "Checked, nothing written yet: 1 to create, 0 to update; 1 invalid row to skip (line 3)." in page
    assert response.status_code == 302
    changelist = reverse("admin:directory_listing_changelist")
    assert response["Location"] == f"{changelist}?node__id__exact={catalogue.glasgow.pk}"
    assert Listing.objects.filter(name="Anvil Forge").exists()
    assert not Listing.objects.filter(name="Broken").exists()


def test_import_confirm_reaches_the_checked_file_from_another_web_process(
    curator_client: Client, catalogue: Catalogue
) -> None:
    url = import_url(catalogue)
    token = confirm_token(check(curator_client, url, GOOD_FILE))
    # Another process has its own local-memory cache: nothing this one kept in memory reaches it.
    cache.clear()

    response = curator_client.post(url, {"token": token, "skip_invalid": "False", "confirm": "Confirm"})

    assert response.status_code == 302
    assert Listing.objects.filter(slug="anvil-forge", node=catalogue.glasgow).exists()


def test_import_confirm_refuses_the_token_of_another_curators_check(
    client: Client, curator_client: Client, catalogue: Catalogue, django_user_model: type[User]
) -> None:
    url = import_url(catalogue)
    token = confirm_token(check(curator_client, url, GOOD_FILE))
    other = django_user_model.objects.create_user("other", "other@example.org", "pw", is_staff=True)
    catalogue.glasgow.curators.add(other)
    client.force_login(other)

    response = client.post(url, {"token": token, "skip_invalid": "False", "confirm": "Confirm"})

    assert "This check has expired; upload the file again." in html.unescape(response.content.decode())
    assert not Listing.objects.filter(slug="anvil-forge").exists()


def test_import_confirm_after_the_check_expired_asks_for_the_file_again(
    curator_client: Client, catalogue: Catalogue
) -> None:
    response = curator_client.post(import_url(catalogue), {"token": "made-up", "confirm": "Confirm"})

    assert response.status_code == 200
    assert "This check has expired; upload the file again." in html.unescape(response.content.decode())
    assert not Listing.objects.filter(name="Anvil Forge").exists()


def test_import_page_explains_a_file_it_cannot_read(curator_client: Client, catalogue: Catalogue) -> None:
    page = check(curator_client, import_url(catalogue), "name,kind\nCafé,fabricator\n".encode("cp1252"))

    assert "The file is not UTF-8 text: line 2 has a character in another encoding." in page
    assert 'name="token"' not in page


def test_import_page_refuses_a_missing_file(curator_client: Client, catalogue: Catalogue) -> None:
    response = curator_client.post(import_url(catalogue), {"check": "Check the file"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_import_page_sends_files_over_2_mb_to_the_command(
    curator_client: Client, catalogue: Catalogue
) -> None:
    large = b"name,kind\n" + b"Anvil Forge,fabricator\n" * 100_000

    page = check(curator_client, import_url(catalogue), large)

    assert "The file is larger than 2 MB: import it in parts, or with manage.py import_listings." in page
    assert not Listing.objects.filter(name="Anvil Forge").exists()
