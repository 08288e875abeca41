"""A real Celery worker, consuming from Redis, bakes and e-mails an issued badge exactly once, also when
the same tasks are enqueued again (a duplicate delivery or a retry after a lost acknowledgement).

As in tests/makeworks/test_celery_worker.py, the worker runs in a thread of this process, sharing the
local-memory outbox, the media folder and the test database (committed data only, hence
transaction=True). Skipped without REDIS_URL; CI's second run sets it.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from celery.worker import state as worker_state
from django.conf import settings
from django.core.mail import EmailMessage

from badges.models import BadgeClass
from badges.openbadges.baking import unbake_png
from passport import selectors, services
from passport.models import Assertion
from passport.tasks import bake_assertion, email_assertion
from tests.passport.conftest import EARNER

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL: the worker consumes from Redis"),
    pytest.mark.celery_worker,
]

DELIVERY_SECONDS = 20
BAKE_TASK = "passport.tasks.bake_assertion"
EMAIL_TASK = "passport.tasks.email_assertion"


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DELIVERY_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {DELIVERY_SECONDS} s")
        time.sleep(0.05)


def handled() -> tuple[int, int]:
    return worker_state.total_count[BAKE_TASK], worker_state.total_count[EMAIL_TASK]


def baked_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "badges" / "baked"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db(transaction=True)
def test_a_worker_bakes_and_emails_an_issued_badge_exactly_once_even_when_enqueued_again(
    redis_worker: None, png_class: BadgeClass, mailoutbox: list[EmailMessage]
) -> None:
    bakes_before, emails_before = handled()

    # Outside any test transaction, so on_commit hands both tasks to Redis as soon as this returns.
    assertion = services.assertion_issue(badge_class=png_class, recipient_email=EARNER, signed=True)

    wait_until(lambda: handled() == (bakes_before + 1, emails_before + 1), "the first bake and e-mail")
    wait_until(lambda: len(mailoutbox) == 1, "the award e-mail")
    assertion.refresh_from_db()
    first_bake = (assertion.baked_image.name, assertion.baked_at)
    assert first_bake[1] is not None
    assert assertion.emailed_at is not None
    assert assertion.pending_email == ""

    for _ in range(2):
        bake_assertion.delay(assertion.pk)
        email_assertion.delay(assertion.pk)
    wait_until(lambda: handled() == (bakes_before + 3, emails_before + 3), "the repeated tasks")

    assertion.refresh_from_db()
    assert (assertion.baked_image.name, assertion.baked_at) == first_bake
    assert len(baked_files()) == 1
    (message,) = mailoutbox
    assert message.to == [EARNER]
    assert unbake_png(message.attachments[0][1]) == assertion.jws
    assert Assertion.objects.get(pk=assertion.pk).jws.count(".") == 2


@pytest.mark.django_db(transaction=True)
def test_a_worker_bakes_a_hosted_badge_enqueued_twice_at_once(
    redis_worker: None, png_class: BadgeClass, mailoutbox: list[EmailMessage]
) -> None:
    bakes_before, emails_before = handled()

    assertion = services.assertion_issue(badge_class=png_class, recipient_email=EARNER)
    # The same tasks again, before the worker has run the first ones.
    bake_assertion.delay(assertion.pk)
    email_assertion.delay(assertion.pk)

    wait_until(lambda: handled() == (bakes_before + 2, emails_before + 2), "both deliveries of each task")
    assertion.refresh_from_db()
    assert len(baked_files()) == 1
    assert len(mailoutbox) == 1
    with assertion.baked_image.open("rb") as baked:
        assert unbake_png(baked.read()) == selectors.assertion_url(assertion)
