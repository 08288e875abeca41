"""The bake and e-mail tasks: the earner gets one e-mail with the baked badge, their address is then
forgotten, and running either task again (a retry, a duplicate delivery) bakes and sends nothing more."""

from collections.abc import Callable
from pathlib import Path
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext

from badges.models import BadgeClass
from badges.openbadges.baking import unbake_png, unbake_svg
from passport import selectors, services
from passport.models import Assertion
from passport.tasks import bake_assertion, email_assertion
from tests.mail import BACKEND as MAIL_SERVER_DOWN_ONCE
from tests.mail import MailServerDownOnce
from tests.passport.conftest import EARNER

pytestmark = pytest.mark.django_db

Issue = Callable[..., Assertion]


def baked_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "badges" / "baked"
    return sorted(folder.iterdir()) if folder.exists() else []


def issue_uncommitted(capture: Any, badge_class: BadgeClass, **options: Any) -> Assertion:
    """An award whose tasks have not run, as when the worker has not picked them up yet."""
    with capture(execute=False):
        return services.assertion_issue(badge_class=badge_class, recipient_email=EARNER, **options)


def test_the_earner_gets_one_email_with_the_baked_badge_and_links(
    png_class: BadgeClass, issue: Issue, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue(badge_class=png_class, recipient_name="Ada Lovelace", signed=True)

    (message,) = mailoutbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == [EARNER]
    assert message.subject == "You have earned the badge “Laser cutter operator” from Fablab Glasgow"
    url = selectors.assertion_url(assertion)
    assert "Hello Ada Lovelace," in message.body
    assert url in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{url}"' in str(html)
    assert "Show this badge on your passport?" in str(html)
    ((filename, content, content_type),) = message.attachments
    assert filename == "laser-cutter-operator.png"
    assert content_type == "image/png"
    assert unbake_png(content) == assertion.jws


def test_an_svg_badge_is_attached_as_svg(
    svg_class: BadgeClass, issue: Issue, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue(badge_class=svg_class)

    ((filename, content, content_type),) = mailoutbox[0].attachments
    assert (filename, content_type) == ("3d-printing-fdm.svg", "image/svg+xml")
    text = content.decode() if isinstance(content, bytes) else content
    assert unbake_svg(text) == selectors.assertion_url(assertion)


def test_the_address_is_forgotten_once_the_email_is_sent(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class)

    assert assertion.emailed_at is not None
    assert assertion.pending_email == ""
    assert not Assertion.objects.filter(pending_email__icontains="lovelace").exists()


def test_a_mail_server_failure_keeps_the_bake_and_the_retry_sends_once(
    png_class: BadgeClass,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[EmailMessage],
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN_ONCE
    MailServerDownOnce.failures_left = 1
    assertion = issue_uncommitted(django_capture_on_commit_callbacks, png_class)

    with pytest.raises(SMTPServerDisconnected):
        services.assertion_email(assertion_id=assertion.pk)
    assertion.refresh_from_db()
    assert assertion.baked_at is not None
    assert assertion.pending_email == EARNER
    assert assertion.emailed_at is None

    # throw=False lets Celery run the retry in-process, as a worker would after the back-off wait.
    result = email_assertion.apply(args=(assertion.pk,), throw=False)

    assert result.successful()
    assert len(mailoutbox) == 1
    assert len(baked_files()) == 1
    assertion.refresh_from_db()
    assert assertion.emailed_at is not None
    assert assertion.pending_email == ""


def test_running_each_task_twice_bakes_once_and_sends_once(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue_uncommitted(django_capture_on_commit_callbacks, png_class)

    bake_assertion.delay(assertion.pk)
    assertion.refresh_from_db()
    first_bake = (assertion.baked_image.name, assertion.baked_at)
    bake_assertion.delay(assertion.pk)
    email_assertion.delay(assertion.pk)
    email_assertion.delay(assertion.pk)

    assertion.refresh_from_db()
    assert (assertion.baked_image.name, assertion.baked_at) == first_bake
    assert len(baked_files()) == 1
    assert len(mailoutbox) == 1
    assert services.assertion_bake(assertion_id=assertion.pk) is False
    assert services.assertion_email(assertion_id=assertion.pk) is False


def test_the_email_task_bakes_first_when_it_runs_before_the_bake(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue_uncommitted(django_capture_on_commit_callbacks, png_class)

    email_assertion.delay(assertion.pk)
    bake_assertion.delay(assertion.pk)

    assertion.refresh_from_db()
    assert assertion.baked_at is not None
    assert len(baked_files()) == 1
    (message,) = mailoutbox
    assert unbake_png(message.attachments[0][1]) == selectors.assertion_url(assertion)


def test_the_bake_reads_the_award_once_and_writes_it_once(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any
) -> None:
    assertion = issue_uncommitted(django_capture_on_commit_callbacks, png_class)

    with CaptureQueriesContext(connection) as queries:
        bake_assertion.delay(assertion.pk)

    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert [verb for verb in statements if verb in {"SELECT", "UPDATE", "INSERT", "DELETE"}] == [
        "SELECT",
        "UPDATE",
    ]
    assertion.refresh_from_db()
    assert unbake_png(assertion.baked_image.read()) == selectors.assertion_url(assertion)


def test_the_email_task_after_the_bake_reads_the_award_once(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue_uncommitted(django_capture_on_commit_callbacks, png_class)
    bake_assertion.delay(assertion.pk)

    with CaptureQueriesContext(connection) as queries:
        email_assertion.delay(assertion.pk)

    reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "passport_assertion"' in query["sql"]
    ]
    assert len(reads) == 1
    assert len(mailoutbox) == 1
    assert len(baked_files()) == 1


def test_a_badge_revoked_before_the_email_went_sends_nothing_and_forgets_the_address(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue_uncommitted(django_capture_on_commit_callbacks, png_class)
    services.assertion_revoke(assertion=assertion, reason="Mistake.")

    email_assertion.delay(assertion.pk)

    assertion.refresh_from_db()
    assert mailoutbox == []
    assert assertion.pending_email == ""
    assert assertion.emailed_at is None


def test_an_award_issued_without_email_is_baked_but_stores_no_address(
    png_class: BadgeClass, issue: Issue, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue(badge_class=png_class, send_email=False)

    assert assertion.baked_at is not None
    assert assertion.pending_email == ""
    assert mailoutbox == []


def test_tasks_for_an_award_that_no_longer_exists_do_nothing(
    issuer: Any, mailoutbox: list[EmailMessage]
) -> None:
    bake_assertion.delay(987654)
    email_assertion.delay(987654)

    assert mailoutbox == []
    assert baked_files() == []
