"""The passport's Celery tasks. Each takes ids, calls a service and does no harm run twice."""

import logging
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.db import DatabaseError

from passport import services
from passport.models import ExternalBadge
from passport.services.external_badges import REVERIFY_CHUNK, external_badge_reverify

logger = logging.getLogger(__name__)


class DeliveryTask(Task):
    """A bake or e-mail task that, once it has given up for good, marks the assertions it did not
    deliver as failed, so the console shows them as failed rather than forever pending."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        ids = args[0] if args else kwargs.get("assertion_ids", kwargs.get("assertion_id"))
        try:
            services.assertions_delivery_fail(
                assertion_ids=ids if isinstance(ids, list) else [ids], reason=f"{type(exc).__name__}: {exc}"
            )
        except DatabaseError:
            # Recording the failure must not hide the error that caused it, which Celery logs next.
            logger.exception("Could not mark assertions %s as failed", ids)


# Storage that is briefly unavailable is retried a few times; a badge image that cannot be baked is a
# lasting fault (BakingError) and fails at once, visibly, in the worker's log.
@shared_task(
    base=DeliveryTask, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=300, max_retries=5
)
def bake_assertion(assertion_id: int) -> None:
    services.assertion_bake(assertion_id=assertion_id)


# A mail server that is down or refusing is retried ten times, after random waits of up to 30 s, 1 min,
# 2 min, ... then 10 min (at most about an hour in all); after that the award e-mail stays unsent and
# the assertion is marked failed until staff ask for it again.
# An e-mail that another run has claimed (a redelivery of a slow task, a duplicate from the sweep) is
# looked at again once the claim expires: sent by then, or free for this run to send.
@shared_task(
    bind=True,
    base=DeliveryTask,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=10,
)
def email_assertion(self: Task, assertion_id: int) -> None:
    try:
        services.assertion_email(assertion_id=assertion_id)
    except services.EmailClaimedError as claimed:
        raise self.retry(countdown=claimed.seconds + 1) from claimed


@shared_task(
    base=DeliveryTask, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=300, max_retries=5
)
def bake_assertions(assertion_ids: list[int]) -> None:
    """A batch's bakes; each is skipped when already done, so a retry redoes only what is missing."""
    for assertion_id in assertion_ids:
        services.assertion_bake(assertion_id=assertion_id)


@shared_task(
    bind=True,
    base=DeliveryTask,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=10,
)
def email_assertions(self: Task, assertion_ids: list[int]) -> None:
    """A batch's award e-mails; each is skipped when already sent or claimed by another run, so a retry
    never sends one twice. Those claimed elsewhere are looked at again once their claims expire."""
    claimed_elsewhere: list[int] = []
    wait = 0.0
    for assertion_id in assertion_ids:
        try:
            services.assertion_email(assertion_id=assertion_id)
        except services.EmailClaimedError as claimed:
            claimed_elsewhere.append(assertion_id)
            wait = max(wait, claimed.seconds)
    if claimed_elsewhere:
        raise self.retry(args=[claimed_elsewhere], countdown=wait + 1)


@shared_task
def sweep_undelivered_assertions() -> int:
    """Run by Celery beat every minute: queue again the bakes and award e-mails that never reached the
    broker, or were lost (passport.services.delivery). Returns how many assertions were queued."""
    return services.assertions_delivery_sweep()


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=3)
def reverify_external_badges(external_badge_ids: list[int]) -> None:
    """One chunk of the schedule's re-verification; each badge's state is simply recorded again."""
    for external_badge_id in external_badge_ids:
        external_badge_reverify(external_badge_id=external_badge_id)


@shared_task
def reverify_all_external_badges() -> int:
    """Run by Celery beat: queue every external badge for checking, a chunk per task. Returns how many."""
    ids = list(ExternalBadge.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REVERIFY_CHUNK):
        reverify_external_badges.delay(ids[start : start + REVERIFY_CHUNK])
    return len(ids)
