"""Bulk CSV files as spreadsheets really write them: other column names (English and French), the
template to download, hostile files each refused with its own message, and the choice to issue the
valid rows of a file with bad ones, never issuing anyone twice."""

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from console.bulk import bulk_file_check, bulk_file_read
from passport.models import Assertion, IssueBatch
from tests.console.test_console_access import Hubs, console_url

pytestmark = pytest.mark.django_db

MIXED_FILE = (
    "email,name,issued date\n"
    "ada@example.org,Ada Lovelace,2025-03-14\n"
    "grace at example.org,Grace Hopper,\n"
    "linus@example.org,Linus Pauling,\n"
    'hedy@example.org,=HYPERLINK("https://evil.example"),\n'
    "june@example.org,June Almeida,2025-02-30\n"
)


def upload(client: Client, hubs: Hubs, data: bytes | str) -> Any:
    content = data.encode() if isinstance(data, str) else data
    form = {
        "badge_class": hubs.a.badge_class.pk,
        "verification": "hosted",
        "file": SimpleUploadedFile("awards.csv", content),
    }
    return client.post(console_url("bulk_issue", hubs.a), form)


def confirm(client: Client, hubs: Hubs, response: Any, capture: Any) -> Any:
    token = response.context["confirm_form"]["token"].value()
    with capture(execute=True):
        return client.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"}, follow=True)


@pytest.mark.parametrize(
    "header",
    [
        "Email,Name,Issued",
        "\ufeffE-mail address , Full name, issued_on",
        "EMAIL,NAME,Date",
        "Courriel;Nom;Date de délivrance".replace(";", ","),
        "recipient,recipient name,Issued Date",
    ],
)
def test_common_column_names_are_read_as_the_columns_they_mean(header: str) -> None:
    read = bulk_file_read(f"{header}\nada@example.org,Ada Lovelace,2025-03-14\n".encode())

    assert read.problems == []
    assert read.awards[0].recipient_email == "ada@example.org"
    assert read.awards[0].recipient_name == "Ada Lovelace"
    assert read.awards[0].issued_on is not None


def test_the_template_download_reads_back_through_the_importer_without_a_problem(
    editor: Client, hubs: Hubs
) -> None:
    response = editor.get(console_url("bulk_template", hubs.a))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.splitlines()[0] == "email,name,evidence,narrative,issued date"
    checked = bulk_file_check(
        data=response.content, badge_class=hubs.a.badge_class, signed=False, expires=None
    )
    assert checked.problems == []
    assert checked.ready


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("email,name\nzoë@example.org,Zoë\n".encode("latin-1"), "is not UTF-8 text"),
        (b"email;name\nada@example.org;Ada\n", "separated by semicolons"),
        (b"", "The submitted file is empty"),
        (b"email,name\n", "a header but no rows"),
        (b'email,name\nada@example.org,"Ada\n', "not valid CSV"),
        (b"email,shoe size\nada@example.org,42\n", "Unknown columns: shoe_size"),
        (b'email,name\nada@example.org,=HYPERLINK("https://evil.example")\n', "run as a formula"),
        (b"email,name\n@SUM(1+1),Ada\n", "run as a formula"),
        (b"\x00\x01PK\x03\x04", "NUL character"),
    ],
)
def test_a_hostile_or_broken_file_gets_a_clear_message_and_issues_nothing(
    editor: Client, hubs: Hubs, data: bytes, message: str
) -> None:
    before = Assertion.objects.count()

    response = upload(editor, hubs, data)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"')
    assert Assertion.objects.count() == before


def test_a_huge_file_is_refused_on_the_form(editor: Client, hubs: Hubs) -> None:
    data = b"email\n" + b"someone@example.org\n" * 300_000

    response = upload(editor, hubs, data)

    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_each_bad_row_is_named_with_its_line_and_column(editor: Client, hubs: Hubs) -> None:
    response = upload(editor, hubs, MIXED_FILE)

    problems = [(p.line, p.column) for p in response.context["checked"].problems]
    assert problems == [(3, "email"), (5, "name"), (6, "issued date")]
    page = response.content.decode()
    assert "Issue the 2 valid rows only" in page
    assert "Nothing was issued: 3 lines have problems." in page


def test_the_valid_rows_are_issued_on_request_and_nobody_twice_when_the_file_comes_again(
    editor: Client, hubs: Hubs, django_capture_on_commit_callbacks: Any
) -> None:
    before = Assertion.objects.count()

    batch_page = confirm(editor, hubs, upload(editor, hubs, MIXED_FILE), django_capture_on_commit_callbacks)

    batch = IssueBatch.objects.latest("pk")
    assert batch.total == 2
    assert Assertion.objects.count() == before + 2
    assert sorted(a.recipient_name for a in batch.assertions.all()) == ["Ada Lovelace", "Linus Pauling"]
    assert [row["line"] for row in batch.skipped] == [3, 5, 6]
    page = batch_page.content.decode()
    assert "2 badges issued, 3 problems left out" in page
    assert "Line 3 (email): “grace at example.org” is not an e-mail address." in html.unescape(page)

    # The same confirmation again issues nothing more.
    token_again = editor.post(
        console_url("bulk_issue", hubs.a), {"token": "x" * 20, "confirm": "1"}, follow=True
    )
    assert "This check has expired" in token_again.content.decode()

    # The fixed file, sent whole: the two already issued are refused, the fixed three are offered.
    fixed = (
        MIXED_FILE.replace("grace at example.org", "grace@example.org")
        .replace('=HYPERLINK("https://evil.example")', "Hedy Lamarr")
        .replace("2025-02-30", "2025-02-28")
    )
    again = upload(editor, hubs, fixed)
    assert [p.line for p in again.context["checked"].problems] == [2, 4]
    assert "already holds this badge" in again.content.decode()
    confirm(editor, hubs, again, django_capture_on_commit_callbacks)

    assert Assertion.objects.count() == before + 5
    assert IssueBatch.objects.latest("pk").total == 3


def test_a_check_that_changed_since_the_preview_issues_nothing(
    editor: Client, hubs: Hubs, django_capture_on_commit_callbacks: Any
) -> None:
    first = upload(editor, hubs, MIXED_FILE)
    second = upload(editor, hubs, MIXED_FILE)
    confirm(editor, hubs, first, django_capture_on_commit_callbacks)
    count = Assertion.objects.count()

    stale = confirm(editor, hubs, second, django_capture_on_commit_callbacks)

    assert "no longer passes its check" in stale.content.decode()
    assert Assertion.objects.count() == count
