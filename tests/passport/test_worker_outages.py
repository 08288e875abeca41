"""Real outages, with real parts: a Celery worker in its own process, killed with SIGKILL mid-batch and
started again, and a Redis broker that is down while a badge is issued and comes back. Every award
e-mail reaches the (slow) mail server exactly once.

The worker shares the test database (PostgreSQL: committed data only, hence transaction=True), the media
folder and a Redis server of the test's own (tests/outage.py). Marked `celery_worker`, these run in
CI's PostgreSQL and Redis leg, and are skipped without REDIS_URL.
"""

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.test import Client

from badges.models import BadgeClass
from passport import services
from passport.models import Assertion
from passport.tasks import sweep_undelivered_assertions
from tests.console.test_console_access import Hubs, build_hubs, console_url
from tests.outage import RedisServer, SlowSmtpServer, WorkerProcess, broker, wait_until
from tests.passport.conftest import EARNER
from tests.passport.test_delivery_outages import issue_form

pytestmark = pytest.mark.celery_worker

# Short, so that a killed worker's task is handed out again within seconds (production: 15 minutes).
VISIBILITY_SECONDS = 5
AWARDS = 30


@pytest.fixture
def queue() -> str:
    return f"test-outage-{uuid.uuid4().hex}"


@pytest.fixture
def worker(private_redis: RedisServer, slow_smtp: SlowSmtpServer, queue: str) -> Iterator[WorkerProcess]:
    process = WorkerProcess(
        broker_url=private_redis.url,
        queue=queue,
        smtp_port=slow_smtp.port,
        visibility_timeout=VISIBILITY_SECONDS,
    )
    try:
        yield process
    finally:
        process.stop()


def broker_idle(server: RedisServer, queue: str) -> bool:
    """Nothing waiting in the queue, and nothing taken but unacknowledged (a running task, a retry)."""
    client = redis.Redis.from_url(server.url)
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_then_restarted_sends_every_award_e_mail_exactly_once_within_a_minute(
    private_redis: RedisServer,
    slow_smtp: SlowSmtpServer,
    worker: WorkerProcess,
    queue: str,
    png_class: BadgeClass,
) -> None:
    private_redis.start()
    awards = [services.Award(f"earner{n}@example.org") for n in range(AWARDS)]
    with broker(private_redis.url, queue):
        worker.start()
        batch = services.issue_batch_create(badge_class=png_class, awards=awards)

        wait_until(lambda: len(slow_smtp.recipients()) >= AWARDS // 4, "the first award e-mails")
        # Killed while it talks to the mail server, before the server has taken that e-mail.
        slow_smtp.hold()
        wait_until(slow_smtp.waiting.is_set, "a send in progress")
        worker.kill()
        killed_at = time.monotonic()
        sent_before_the_kill = len(slow_smtp.recipients())
        slow_smtp.release()
        worker.start()

        emailed = Assertion.objects.filter(batch=batch, emailed_at__isnull=False)
        wait_until(lambda: emailed.count() == AWARDS, "every award e-mail", seconds=60)
        all_sent_after = time.monotonic() - killed_at
        # Then nothing more: no task left to run that could send one again.
        wait_until(lambda: broker_idle(private_redis, queue), "the queue emptying")

    assert sent_before_the_kill < AWARDS
    assert sorted(slow_smtp.recipients()) == sorted(award.recipient_email for award in awards)
    assert all_sent_after < 60
    assert not Assertion.objects.filter(batch=batch, email_claimed_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_a_badge_issued_while_the_broker_was_down_is_baked_and_e_mailed_once_by_the_sweep_when_it_is_back(
    private_redis: RedisServer, slow_smtp: SlowSmtpServer, worker: WorkerProcess, queue: str, client: Client
) -> None:
    hubs: Hubs = build_hubs()
    client.force_login(hubs.a.people["editor"])
    form = {**issue_form(client, hubs), "recipient_email": EARNER}
    before = Assertion.objects.count()

    with broker(private_redis.url, queue):
        first = client.post(console_url("issue", hubs.a), form)
        again = client.post(console_url("issue", hubs.a), form)

        assert (first.status_code, again.status_code) == (302, 302)
        assert first["Location"] == again["Location"]
        assert Assertion.objects.count() == before + 1
        assertion = Assertion.objects.get(submission_key=form["submission"])
        assert assertion.delivery_queued_at is None

        private_redis.start()
        worker.start()
        # What Celery beat sends every minute.
        sweep_undelivered_assertions.delay()

        wait_until(lambda: bool(slow_smtp.recipients()), "the award e-mail", seconds=60)
        wait_until(lambda: broker_idle(private_redis, queue), "the queue emptying")

    assertion.refresh_from_db()
    assert assertion.baked_at is not None
    assert assertion.emailed_at is not None
    assert slow_smtp.recipients() == [EARNER.lower()]


@pytest.mark.django_db(transaction=True)
def test_two_workers_redelivering_a_slow_batch_to_each_other_send_each_award_e_mail_once(
    private_redis: RedisServer, queue: str, png_class: BadgeClass
) -> None:
    # Each e-mail takes half a second, so a task of ten outlasts a 2 s visibility timeout: Redis hands
    # it to the other worker while the first is still sending, as with a slow mail server in production.
    private_redis.start()
    slow = SlowSmtpServer(delay=0.5)
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    workers = [
        WorkerProcess(broker_url=private_redis.url, queue=queue, smtp_port=slow.port, visibility_timeout=2)
        for _ in range(2)
    ]
    awards = [services.Award(f"earner{n}@example.org") for n in range(services.TASK_CHUNK)]
    try:
        with broker(private_redis.url, queue):
            for worker in workers:
                worker.start()
            batch = services.issue_batch_create(badge_class=png_class, awards=awards)

            emailed = Assertion.objects.filter(batch=batch, emailed_at__isnull=False)
            wait_until(lambda: emailed.count() == len(awards), "every award e-mail", seconds=60)
            wait_until(lambda: broker_idle(private_redis, queue), "the queue emptying")
    finally:
        for worker in workers:
            worker.stop()
        slow.shutdown()
        slow.server_close()

    assert sorted(slow.recipients()) == sorted(award.recipient_email for award in awards)
