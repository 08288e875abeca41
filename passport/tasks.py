"""The passport's Celery tasks. Each takes an assertion id, calls a service and does no harm run twice."""

from smtplib import SMTPException

from celery import shared_task

from passport import services


# Storage that is briefly unavailable is retried a few times; a badge image that cannot be baked is a
# lasting fault (BakingError) and fails at once, visibly, in the worker's log.
@shared_task(autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=300, max_retries=5)
def bake_assertion(assertion_id: int) -> None:
    services.assertion_bake(assertion_id=assertion_id)


# A mail server that is down or refusing is retried ten times, after random waits of up to 30 s, 1 min,
# 2 min, ... then 10 min (at most about an hour in all); after that the award e-mail stays unsent.
@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=600, max_retries=10)
def email_assertion(assertion_id: int) -> None:
    services.assertion_email(assertion_id=assertion_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=300, max_retries=5)
def bake_assertions(assertion_ids: list[int]) -> None:
    """A batch's bakes; each is skipped when already done, so a retry redoes only what is missing."""
    for assertion_id in assertion_ids:
        services.assertion_bake(assertion_id=assertion_id)


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=600, max_retries=10)
def email_assertions(assertion_ids: list[int]) -> None:
    """A batch's award e-mails; each is skipped when already sent, so a retry never sends one twice."""
    for assertion_id in assertion_ids:
        services.assertion_email(assertion_id=assertion_id)
