"""Idempotency-Key answers are kept for their 24-hour window and then purged hourly by Celery beat, so a
retry within the window is still answered from the record and the table does not grow for ever."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from api.keys.models import IdempotencyRecord
from api.keys.tasks import purge_idempotency_records
from badges.models import BadgeClass
from makeworks.celery import app
from passport.models import Assertion
from tests.api.conftest import bearer
from tests.api.test_assertions_api import issue_url


def award(client_api: APIClient, badge_class: BadgeClass, token: str, idempotency_key: str) -> dict[str, str]:
    answer = client_api.post(
        issue_url(badge_class),
        {"recipient_email": f"{idempotency_key}@example.org", "send_email": False},
        format="json",
        HTTP_IDEMPOTENCY_KEY=idempotency_key,
        **bearer(token),
    )
    assert answer.status_code == 201, answer.json()
    return dict(answer.items())


def test_answers_older_than_a_day_are_purged_and_recent_ones_still_replay(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    award(client_api, class_a, issue_key_a, "old-retry")
    award(client_api, class_a, issue_key_a, "recent-retry")
    IdempotencyRecord.objects.filter(key="old-retry").update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.filter(key="recent-retry").update(
        created_at=timezone.now() - timedelta(hours=23)
    )

    assert purge_idempotency_records.delay().get() == 1

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent-retry"]
    replay = award(client_api, class_a, issue_key_a, "recent-retry")
    assert replay["Idempotent-Replayed"] == "true"
    assert Assertion.objects.count() == 2
    # Run again, as beat may do while a previous run is late: nothing more goes.
    assert purge_idempotency_records.delay().get() == 0
    assert IdempotencyRecord.objects.count() == 1


def test_celery_beat_runs_the_purge_every_hour() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["purge-idempotency-records"]
    assert entry["task"] == purge_idempotency_records.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60 * 60
