"""A real Celery worker, consuming from Redis: proof that what the site queues is delivered by a worker,
not only by the eager execution the default test run uses.

The worker runs in a thread of this process, so it shares the local-memory outbox and the test
database (committed data only, hence transaction=True). It is skipped when REDIS_URL is not set; CI's
second run sets it.
"""

import os
import time
from collections.abc import Callable, Iterator

import pytest
from celery.worker import state as worker_state
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory.models import ContactMessage
from tests.factories import ListingFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL: the worker consumes from Redis"),
    pytest.mark.celery_worker,
]

DELIVERY_SECONDS = 20
LISTING_ADDRESS = "orders@govan-laser.example"


@pytest.fixture(autouse=True)
def _english_between_requests() -> Iterator[None]:
    with translation.override("en"):
        yield


def wait_for(outbox: list[EmailMessage], condition: Callable[[list[EmailMessage]], bool]) -> None:
    deadline = time.monotonic() + DELIVERY_SECONDS
    while not condition(outbox):
        if time.monotonic() > deadline:
            pytest.fail(f"not delivered within {DELIVERY_SECONDS} s; outbox: {[m.subject for m in outbox]}")
        time.sleep(0.05)


def sent_to(outbox: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [message for message in outbox if any(address in recipient for recipient in message.to)]


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_a_contact_message_and_its_copy(
    redis_worker: None, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    listing = ListingFactory.create(name="Govan Laser Studio", contact_email=LISTING_ADDRESS)
    task_name = "directory.tasks.deliver_contact_message"
    handled_before = worker_state.total_count[task_name]

    response = client.post(
        reverse("directory:listing_contact", kwargs={"slug": listing.slug}),
        {"sender_name": "Ada Lovelace", "sender_email": "ada@example.org", "body": "Can you cut 3 mm steel?"},
    )

    assert response.status_code == 302
    wait_for(mailoutbox, lambda box: bool(sent_to(box, LISTING_ADDRESS) and sent_to(box, "ada@example.org")))
    assert worker_state.total_count[task_name] == handled_before + 1
    (to_listing,) = sent_to(mailoutbox, LISTING_ADDRESS)
    assert to_listing.reply_to == ["Ada Lovelace <ada@example.org>"]
    (copy,) = sent_to(mailoutbox, "ada@example.org")
    assert LISTING_ADDRESS not in copy.message().as_string()
    (message,) = ContactMessage.objects.all()
    assert message.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_sign_up_confirmation(
    redis_worker: None, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    task_name = "accounts.tasks.deliver_email"
    handled_before = worker_state.total_count[task_name]

    response = client.post(
        reverse("account_signup"),
        {"email": "new-maker@example.org", "password1": "kiln-fired-42-x", "password2": "kiln-fired-42-x"},
    )

    assert response.status_code == 302
    wait_for(mailoutbox, lambda box: bool(sent_to(box, "new-maker@example.org")))
    assert worker_state.total_count[task_name] == handled_before + 1
    (confirmation,) = sent_to(mailoutbox, "new-maker@example.org")
    assert "/accounts/confirm-email/" in confirmation.body
