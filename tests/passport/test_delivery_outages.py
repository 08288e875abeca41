"""Nothing is lost when the broker is down: the console still issues (once), the rows remember what is
still to do, and the sweep or a resend delivers it once the broker is back. An award e-mail claimed by
another run is not sent twice.

The broker is a Redis port where nothing listens, so publishing fails for real; "back" means tasks run
in-process again, as on the default settings. tests/passport/test_worker_outages.py does the same with a
real worker and Redis.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import ContactMessage
from directory.tasks import sweep_undelivered_messages
from passport import services
from passport.models import Assertion
from passport.tasks import sweep_undelivered_assertions
from tests.console.test_console_access import Hubs, build_hubs, console_url
from tests.factories import ListingFactory
from tests.outage import broker, free_port

pytestmark = pytest.mark.django_db

EARNER = "june@example.org"


@pytest.fixture
def hubs(db: None) -> Hubs:
    return build_hubs()


@pytest.fixture
def editor(client: Client, hubs: Hubs) -> Client:
    client.force_login(hubs.a.people["editor"])
    return client


def dead_broker() -> str:
    """A Redis URL where nothing listens."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def broker_down() -> Iterator[None]:
    with broker(dead_broker(), "test-broker-down"):
        yield


def issue_form(editor: Client, hubs: Hubs) -> dict[str, Any]:
    """The issue form as the page gives it, with its submission key, filled in for one earner."""
    page = editor.get(console_url("issue", hubs.a)).content.decode()
    key = re.search(r'name="submission" value="([^"]+)"', page)
    assert key is not None
    return {
        "badge_class": hubs.a.badge_class.pk,
        "recipient_email": EARNER,
        "verification": "hosted",
        "submission": key.group(1),
    }


def resend_url(hubs: Hubs, assertion: Assertion) -> str:
    return console_url("assertion_resend", hubs.a, public_id=assertion.public_id)


def test_with_the_broker_down_the_console_issues_the_badge_once_and_says_so(
    editor: Client,
    hubs: Hubs,
    mailoutbox: list[EmailMessage],
    broker_down: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    form = issue_form(editor, hubs)
    before = Assertion.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        first = editor.post(console_url("issue", hubs.a), form, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = editor.post(console_url("issue", hubs.a), form, follow=True)

    assert Assertion.objects.count() == before + 1
    assertion = Assertion.objects.get(submission_key=form["submission"])
    assert first.status_code == 200
    assert "The badge is issued" in first.content.decode()
    assert again.status_code == 200
    assert "already sent" in again.content.decode()
    assert first.redirect_chain[-1][0] == again.redirect_chain[-1][0]
    assert assertion.public_id in first.redirect_chain[-1][0]
    # Remembered as still to deliver, and as never queued, so the sweep takes it at once.
    assert (assertion.baked_at, assertion.pending_email, assertion.delivery_queued_at) == (None, EARNER, None)
    assert mailoutbox == []


def test_once_the_broker_is_back_the_sweep_bakes_and_e_mails_what_was_issued_while_it_was_down(
    png_class: Any, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    with broker(dead_broker(), "test-broker-down"), django_capture_on_commit_callbacks(execute=True):
        assertion = services.assertion_issue(badge_class=png_class, recipient_email=EARNER)
    # Its tasks are not run here (no commit): it stands for one queued a moment ago, still on its way.
    fresh = services.assertion_issue(badge_class=png_class, recipient_email="fresh@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        swept = sweep_undelivered_assertions.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        swept_again = sweep_undelivered_assertions.delay().get()

    assert (swept, swept_again) == (1, 0)

    assertion.refresh_from_db()
    assert assertion.baked_at is not None
    assert assertion.emailed_at is not None
    assert [message.to for message in mailoutbox] == [[EARNER]]
    assert Assertion.objects.get(pk=fresh.pk).emailed_at is None


def test_a_stuck_badge_offers_staff_to_send_its_e_mail_again_and_a_fresh_one_does_not(
    editor: Client, hubs: Hubs
) -> None:
    stuck = services.assertion_issue(badge_class=hubs.a.badge_class, recipient_email=EARNER)
    fresh = services.assertion_issue(badge_class=hubs.a.badge_class, recipient_email="fresh@example.org")
    Assertion.objects.filter(pk=stuck.pk).update(delivery_queued_at=None)

    stuck_page = editor.get(console_url("assertion", hubs.a, public_id=stuck.public_id)).content.decode()
    fresh_page = editor.get(console_url("assertion", hubs.a, public_id=fresh.public_id)).content.decode()

    assert resend_url(hubs, stuck) in stuck_page
    assert resend_url(hubs, fresh) not in fresh_page
    assert "waiting to be sent" in fresh_page


def test_staff_queue_a_batch_s_stuck_badges_again_and_each_is_e_mailed_once(
    editor: Client, hubs: Hubs, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    awards = [services.Award(f"earner{n}@example.org") for n in range(3)]
    batch = services.issue_batch_create(badge_class=hubs.a.badge_class, awards=awards)
    # A worker was killed with their task a quarter of an hour ago.
    Assertion.objects.filter(batch=batch).update(delivery_queued_at=timezone.now() - timedelta(minutes=15))
    batch_url = console_url("batch", hubs.a, batch_id=batch.pk)

    assert "Queue the 3 stuck badges again" in editor.get(batch_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(console_url("batch_retry", hubs.a, batch_id=batch.pk))
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(console_url("batch_retry", hubs.a, batch_id=batch.pk))

    assert sorted(recipient for message in mailoutbox for recipient in message.to) == [
        award.recipient_email for award in awards
    ]
    assert "stuck" not in editor.get(batch_url).content.decode()


def test_resend_queues_again_an_award_e_mail_stuck_since_the_broker_was_down(
    editor: Client, hubs: Hubs, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    stuck = services.assertion_issue(badge_class=hubs.a.badge_class, recipient_email=EARNER)
    Assertion.objects.filter(pk=stuck.pk).update(delivery_queued_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(resend_url(hubs, stuck), {"recipient_email": ""}, follow=True)

    assert "on its way again" in response.content.decode()
    assert [message.to for message in mailoutbox] == [[EARNER]]


def test_resend_does_not_queue_again_an_award_e_mail_queued_a_moment_ago(
    editor: Client, hubs: Hubs, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    waiting = services.assertion_issue(badge_class=hubs.a.badge_class, recipient_email=EARNER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor.post(resend_url(hubs, waiting), {"recipient_email": ""}, follow=True)

    assert "already waiting to be sent" in response.content.decode()
    assert callbacks == []


def test_an_award_e_mail_claimed_by_another_run_is_left_alone_until_the_claim_expires(
    png_class: Any, mailoutbox: list[EmailMessage]
) -> None:
    assertion = services.assertion_issue(badge_class=png_class, recipient_email=EARNER)
    # Another worker claimed it a moment ago, and is talking to a slow mail server.
    Assertion.objects.filter(pk=assertion.pk).update(email_claimed_at=timezone.now())

    with pytest.raises(services.EmailClaimedError):
        services.assertion_email(assertion_id=assertion.pk)
    assert mailoutbox == []

    # That worker was killed mid-send: its claim runs out with the broker's visibility timeout.
    claim = timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 1)
    Assertion.objects.filter(pk=assertion.pk).update(email_claimed_at=timezone.now() - claim)

    assert services.assertion_email(assertion_id=assertion.pk) is True
    assert services.assertion_email(assertion_id=assertion.pk) is False
    assert [message.to for message in mailoutbox] == [[EARNER]]
    assert Assertion.objects.get(pk=assertion.pk).email_claimed_at is None


def test_with_the_broker_down_a_contact_message_is_kept_and_the_sweep_delivers_it_later(
    client: Client, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    listing = ListingFactory.create(contact_email="orders@govan-laser.example")
    form = {"sender_name": "Ada", "sender_email": "ada@example.org", "body": "3 mm steel?", "website": ""}

    with broker(dead_broker(), "test-broker-down"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:listing_contact", kwargs={"slug": listing.slug}), form)

    assert response.status_code == 302
    (message,) = ContactMessage.objects.all()
    assert (message.sent_at, message.queued_at) == (None, None)
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        swept = sweep_undelivered_messages.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        swept_again = sweep_undelivered_messages.delay().get()
    assert (swept, swept_again) == (1, 0)
    assert len(mailoutbox) == 2


def test_with_the_broker_down_the_sign_up_confirmation_is_sent_within_the_request(
    client: Client,
    mailoutbox: list[EmailMessage],
    broker_down: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "password1": "kiln-fired-42-x", "password2": "kiln-fired-42-x"},
        )

    assert response.status_code == 302
    (confirmation,) = mailoutbox
    assert "/accounts/confirm-email/" in confirmation.body
