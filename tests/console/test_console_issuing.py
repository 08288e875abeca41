"""Issuing from the console: one badge, and a bulk CSV file checked row by row (nothing written while a
row is bad, each bad row named by its line), then issued all at once and followed until every badge is
baked and e-mailed. Celery runs in-process; on-commit callbacks run when the test says the request
committed, as they would after a real request."""

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone

from accounts.models import CheckedUpload
from badges.openbadges.baking import unbake_png
from console import selectors
from console.bulk import bulk_file_check
from passport import services
from passport.models import Assertion, IssueBatch
from passport.tasks import email_assertions
from tests.console.test_console_access import Hubs, console_url
from tests.mail import BACKEND as MAIL_SERVER_DOWN
from tests.mail import MailServerDownOnce

pytestmark = pytest.mark.django_db

GOOD_FILE = (
    "email,name,evidence,narrative,issued date\n"
    "ada@example.org,Ada Lovelace,https://example.org/work/ada,Cut a two-material job,2025-03-14\n"
    "grace@example.org,Grace Hopper,,,\n"
    '"linus@example.org","Linus, the second",,"Cut plywood\nand acrylic",2025-03-15\n'
)


def upload(client: Client, hubs: Hubs, text: str, **options: Any) -> Any:
    data = {
        "badge_class": hubs.a.badge_class.pk,
        "verification": "hosted",
        "file": SimpleUploadedFile("awards.csv", text.encode()),
        **options,
    }
    return client.post(console_url("bulk_issue", hubs.a), data)


def problems(response: Any) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in response.context["checked"].problems]


# One badge --------------------------------------------------------------------------------------


def test_an_editor_issues_one_badge_and_sees_it_baked(
    editor: Client, hubs: Hubs, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    data = {
        "badge_class": hubs.a.badge_class.pk,
        "recipient_email": "june@example.org",
        "recipient_name": "June Almeida",
        "evidence_url": "https://example.org/june/cabinet",
        "narrative": "Built a **cabinet** on the CNC router.",
        "verification": "signed",
        "expires": (timezone.localdate() + timedelta(days=400)).isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(console_url("issue", hubs.a), data)

    assertion = Assertion.objects.get(recipient_name="June Almeida")
    assert response["Location"] == console_url("assertion", hubs.a, public_id=assertion.public_id)
    assert assertion.verification_type == "signed"
    assert assertion.expires is not None
    assert assertion.expires.date() == timezone.localdate() + timedelta(days=400)
    assert assertion.batch is None
    (message,) = mailoutbox
    assert message.to == ["june@example.org"]
    page = editor.get(response["Location"]).content.decode()
    assert "The badge is issued." in page
    baked_url = f"/badges/assertions/{assertion.public_id}/baked.png"
    assert baked_url in page
    assert "Download the baked image" in page
    assert unbake_png(editor.get(baked_url).getvalue()) == assertion.jws


def test_an_expiry_in_the_past_is_refused_beside_its_field_and_nothing_is_issued(
    editor: Client, hubs: Hubs
) -> None:
    before = Assertion.objects.count()
    data = {
        "badge_class": hubs.a.badge_class.pk,
        "recipient_email": "june@example.org",
        "verification": "hosted",
        "expires": "2020-01-01",
    }

    response = editor.post(console_url("issue", hubs.a), data)

    assert response.status_code == 400
    assert response.context["form"].errors["expires"] == ["The expiry date must come after the issue date."]
    assert Assertion.objects.count() == before


# Bulk -------------------------------------------------------------------------------------------


def test_a_file_with_one_bad_row_issues_nothing_and_names_the_row_then_the_fixed_file_issues_all(
    editor: Client, hubs: Hubs, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    before = (Assertion.objects.count(), IssueBatch.objects.count())
    bad = GOOD_FILE.replace("grace@example.org", "grace at example.org")

    refused = upload(editor, hubs, bad)

    assert refused.status_code == 400
    assert problems(refused) == [(3, "“grace at example.org” is not an e-mail address.")]
    page = refused.content.decode()
    assert "Nothing was issued: 1 line has problems." in page
    assert (
        "<tr><td>3</td><td>email</td><td>“grace at example.org” is not an e-mail address.</td></tr>" in page
    )
    # Only if the editor chooses: the valid rows are offered, not issued.
    assert "Issue the 2 valid rows only" in page
    assert (Assertion.objects.count(), IssueBatch.objects.count()) == before

    checked = upload(editor, hubs, GOOD_FILE)

    assert checked.status_code == 200
    assert "Every row is valid: 3 badges" in checked.content.decode()
    assert (Assertion.objects.count(), IssueBatch.objects.count()) == before
    token = checked.context["confirm_form"]["token"].value()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})

    batch = IssueBatch.objects.exclude(pk__in=[hubs.a.batch.pk, hubs.b.batch.pk]).get()
    assert confirmed["Location"] == console_url("batch", hubs.a, batch_id=batch.pk)
    assert (batch.issuer, batch.badge_class, batch.created_by, batch.total) == (
        hubs.a.issuer,
        hubs.a.badge_class,
        hubs.a.people["editor"],
        3,
    )
    issued = {assertion.recipient_name: assertion for assertion in batch.assertions.all()}
    assert set(issued) == {"Ada Lovelace", "Grace Hopper", "Linus, the second"}
    assert issued["Ada Lovelace"].issued_on.date().isoformat() == "2025-03-14"
    assert issued["Ada Lovelace"].evidence_url == "https://example.org/work/ada"
    assert issued["Linus, the second"].narrative == "Cut plywood\nand acrylic"
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ada@example.org",
        "grace@example.org",
        "linus@example.org",
    ]
    progress = editor.get(confirmed["Location"])
    assert progress.context["progress"] == selectors.BatchProgress(total=3, done=3, failed=0)
    page = progress.content.decode()
    assert "Done: every badge is baked and e-mailed." in page
    assert "hx-trigger" not in page


def test_progress_polls_while_pending_and_the_htmx_request_gets_only_the_region(
    editor: Client, hubs: Hubs, django_capture_on_commit_callbacks: Any
) -> None:
    checked = upload(editor, hubs, GOOD_FILE)
    token = checked.context["confirm_form"]["token"].value()
    # Not executed: the worker has not picked the tasks up yet.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirmed = editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})

    page = editor.get(confirmed["Location"]).content.decode()
    region = editor.get(confirmed["Location"], HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in page
    assert "Refresh" in page
    assert region.context["progress"] == selectors.BatchProgress(total=3, done=0, failed=0)
    assert region.content.decode().lstrip().startswith('<div id="batch-progress"')
    assert "HX-Request" in region["Vary"]

    for callback in callbacks:
        callback()
    done = editor.get(confirmed["Location"], HTTP_HX_REQUEST="true")
    assert done.context["progress"].complete
    assert "hx-trigger" not in done.content.decode()


def test_the_preview_names_every_bad_row_by_line_and_reason(hubs: Hubs) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    text = (
        "E-mail,Name,Evidence,Narrative,Issued date\n"
        "ada@example.org,Ada,,,\n"
        "not-an-address,Bob,,,\n"
        "\n"
        "carol@example.org,Carol,,,14/03/2025\n"
        f"dan@example.org,Dan,,,{tomorrow}\n"
        "ADA@example.org,Ada again,,,\n"
        "erin@example.org,Erin\n"
        "frank@example.org,Frank,not a link,,\n"
    )

    checked = bulk_file_check(data=text.encode(), badge_class=hubs.a.badge_class, signed=False, expires=None)

    assert not checked.ready
    assert [(problem.line, problem.message) for problem in checked.problems] == [
        (3, "“not-an-address” is not an e-mail address."),
        (5, "“14/03/2025” is not a date: write it as YYYY-MM-DD, e.g. 2025-03-14."),
        (6, f"The issued date {tomorrow} is in the future."),
        (7, "ADA@example.org is also on line 2: each person gets one badge per upload."),
        (8, "This row has 2 cells, but the header names 5 columns."),
        (9, "Enter a valid URL."),
    ]
    assert checked.bad_lines == [3, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"email;name\na@example.org;A\n", "separated by semicolons"),
        (b"email,colour\na@example.org,red\n", "Unknown columns: colour."),
        (b"name\nAda\n", "The file needs an “email” column."),
        (b"email,name\n", "The file has a header but no rows of badges."),
        (b"email,name\na@example.org,Ren\xe9\n", "line 2 has a character in another encoding"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(hubs: Hubs, data: bytes, message: str) -> None:
    checked = bulk_file_check(data=data, badge_class=hubs.a.badge_class, signed=False, expires=None)

    assert not checked.ready
    assert message in checked.problems[0].message


def test_a_signed_batch_from_an_issuer_without_an_active_key_is_refused_on_the_form(
    editor: Client, hubs: Hubs
) -> None:
    hubs.a.issuer.signing_keys.update(status="revoked")

    response = upload(editor, hubs, GOOD_FILE, verification="signed")

    assert response.status_code == 400
    assert "has no active signing key" in str(response.context["upload_form"].non_field_errors())


def test_a_confirmation_token_works_only_for_its_own_person_and_hub(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.a.people["editor"])
    token = upload(client, hubs, GOOD_FILE).context["confirm_form"]["token"].value()
    before = Assertion.objects.count()

    client.force_login(hubs.a.people["owner"])
    other_person = client.post(
        console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"}, follow=True
    )
    client.force_login(hubs.admin)
    other_hub = client.post(console_url("bulk_issue", hubs.b), {"token": token, "confirm": "1"}, follow=True)

    assert "This check has expired; upload the file again." in other_person.content.decode()
    assert "This check has expired; upload the file again." in other_hub.content.decode()
    assert Assertion.objects.count() == before


def test_a_checked_file_is_confirmed_by_whichever_web_process_takes_the_confirmation(
    editor: Client, hubs: Hubs, django_capture_on_commit_callbacks: Any
) -> None:
    token = upload(editor, hubs, GOOD_FILE).context["confirm_form"]["token"].value()
    before = Assertion.objects.count()
    # Another process has its own local-memory cache: nothing this one kept in memory reaches it.
    cache.clear()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})

    assert confirmed.status_code == 302
    assert Assertion.objects.count() == before + 3


def test_a_confirmation_issues_once_even_if_posted_twice(
    editor: Client, hubs: Hubs, django_capture_on_commit_callbacks: Any
) -> None:
    token = upload(editor, hubs, GOOD_FILE).context["confirm_form"]["token"].value()
    before = Assertion.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})
        again = editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})

    assert again["Location"] == console_url("bulk_issue", hubs.a)
    assert Assertion.objects.count() == before + 3


# Delivery failures and resending ----------------------------------------------------------------


def test_a_batch_whose_e_mails_fail_for_good_shows_them_failed_until_they_are_sent_again(
    editor: Client,
    hubs: Hubs,
    settings: Any,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = upload(editor, hubs, GOOD_FILE).context["confirm_form"]["token"].value()
    with django_capture_on_commit_callbacks(execute=False):
        confirmed = editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})
    batch_id = int(re.findall(r"/(\d+)/$", confirmed["Location"])[0])
    ids = list(Assertion.objects.filter(batch_id=batch_id).values_list("pk", flat=True))
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    MailServerDownOnce.failures_left = 1

    # The task's last retry, as a worker runs it after the back-off: it fails again and gives up.
    result = email_assertions.apply(args=(ids,), retries=email_assertions.max_retries, throw=False)

    assert result.failed()
    progress = editor.get(confirmed["Location"]).context["progress"]
    assert progress == selectors.BatchProgress(total=3, done=0, failed=3)
    assert progress.complete
    failed = Assertion.objects.filter(batch_id=batch_id).first()
    assert failed is not None
    address = failed.pending_email
    assert failed.baked_at is not None
    assert failed.delivery_failure.startswith("SMTPServerDisconnected")
    listed = editor.get(console_url("assertions", hubs.a), {"batch": str(batch_id), "status": "failed"})
    assert listed.context["page"].paginator.count == 3

    MailServerDownOnce.failures_left = 0
    with django_capture_on_commit_callbacks(execute=True):
        resent = editor.post(console_url("assertion_resend", hubs.a, public_id=failed.public_id))

    assert resent.status_code == 302
    assert [message.to for message in mailoutbox] == [[address]]
    failed.refresh_from_db()
    assert (failed.delivery_failed_at, failed.pending_email) == (None, "")
    assert editor.get(confirmed["Location"]).context["progress"] == selectors.BatchProgress(3, 1, 2)
    assert "Try the failed ones again" in editor.get(confirmed["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        retried = editor.post(confirmed["Location"] + "retry/")

    after = editor.get(retried["Location"])
    assert "2 badges are being delivered again." in after.content.decode()
    assert after.context["progress"] == selectors.BatchProgress(total=3, done=3, failed=0)
    assert len(mailoutbox) == 3


def test_a_sent_e_mail_is_resent_only_to_the_earner_s_own_address_and_once_per_request(
    editor: Client, hubs: Hubs, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assertion = services.assertion_issue(
            badge_class=hubs.a.badge_class, recipient_email="Ada@Example.org"
        )
    url = console_url("assertion_resend", hubs.a, public_id=assertion.public_id)
    assert len(mailoutbox) == 1

    missing = editor.post(url, {"recipient_email": ""})
    wrong = editor.post(url, {"recipient_email": "eve@example.org"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor.post(url, {"recipient_email": " ada@example.org "})
        waiting = editor.post(url, {"recipient_email": "ada@example.org"}, follow=True)
    for callback in callbacks * 2:
        callback()

    assert missing.status_code == wrong.status_code == 400
    assert "only its hash was kept" in missing.content.decode()
    assert "This is not the address the badge was awarded to." in wrong.content.decode()
    assert "The award e-mail is already waiting to be sent." in waiting.content.decode()
    assert [message.to for message in mailoutbox] == [["Ada@Example.org"], ["ada@example.org"]]
    assertion.refresh_from_db()
    assert assertion.pending_email == ""
    assert assertion.resend_requested_at is not None
    assert assertion.emailed_at is not None
    assert assertion.emailed_at > assertion.resend_requested_at


def test_a_revoked_badge_is_not_e_mailed_again(editor: Client, hubs: Hubs) -> None:
    services.assertion_revoke(assertion=hubs.a.assertion, reason="Mistake.")

    response = editor.post(
        console_url("assertion_resend", hubs.a, public_id=hubs.a.assertion.public_id),
        {"recipient_email": "ada@glasgow.example"},
    )

    assert response.status_code == 400
    assert "A revoked badge is not e-mailed again." in response.content.decode()


# 5,000 rows -------------------------------------------------------------------------------------

BIG_BATCH = 5000


def big_file(rows: int) -> bytes:
    lines = ["email,name,evidence,narrative,issued date"]
    lines += [
        f"maker{n}@example.org,Maker {n},https://example.org/work/{n},Finished the induction,"
        f"2025-01-{n % 28 + 1:02d}"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_a_5000_row_file_is_previewed_and_issued_as_one_batch(
    editor: Client, hubs: Hubs, django_capture_on_commit_callbacks: Any
) -> None:
    data = big_file(BIG_BATCH)
    before = Assertion.objects.count()

    started = time.perf_counter()
    checked = editor.post(
        console_url("bulk_issue", hubs.a),
        {
            "badge_class": hubs.a.badge_class.pk,
            "verification": "signed",
            "file": SimpleUploadedFile("awards.csv", data),
        },
    )
    preview_seconds = time.perf_counter() - started
    assert checked.status_code == 200, problems(checked)[:3]
    token = checked.context["confirm_form"]["token"].value()
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirmed = editor.post(console_url("bulk_issue", hubs.a), {"token": token, "confirm": "1"})
    issue_seconds = time.perf_counter() - started

    print(f"\n5,000-row file: preview {preview_seconds:.2f} s, signed issue {issue_seconds:.2f} s")
    assert confirmed.status_code == 302
    batch = IssueBatch.objects.get(total=BIG_BATCH)
    assert Assertion.objects.count() == before + BIG_BATCH
    assert batch.assertions.count() == BIG_BATCH
    assert batch.assertions.exclude(jws="").count() == BIG_BATCH
    # Bake and e-mail tasks each take TASK_CHUNK ids, so 5,000 awards queue 500 of each, not 10,000.
    assert len(callbacks) == 2 * BIG_BATCH // services.TASK_CHUNK
    assert selectors.batch_progress(batch) == selectors.BatchProgress(total=BIG_BATCH, done=0, failed=0)
    assert not CheckedUpload.objects.filter(token=token).exists()
    # The first chunk's tasks run as a worker would run them; its badges count as done.
    callbacks[0]()
    callbacks[1]()
    progress = selectors.batch_progress(batch)
    assert (progress.done, progress.pending) == (services.TASK_CHUNK, BIG_BATCH - services.TASK_CHUNK)
