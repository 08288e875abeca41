"""The directory's Celery tasks. Each takes an id, calls a service, and does no harm when run twice."""

from smtplib import SMTPException

from celery import shared_task

from directory.services import claims, contact


# A mail server that is down or refusing is retried ten times, after random waits of up to 30 s, 1 min,
# 2 min, ... then 10 min (at most about an hour in all); after that the message stays unsent.
@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=600, max_retries=10)
def deliver_contact_message(message_id: int) -> None:
    contact.contact_message_deliver(message_id=message_id)


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=600, max_retries=10)
def deliver_claim_decision(claim_id: int) -> None:
    claims.claim_decision_deliver(claim_id=claim_id)


@shared_task
def sweep_undelivered_messages() -> int:
    """Run by Celery beat every minute: queue again the contact messages and claim decisions whose
    delivery never reached the broker or was lost. Returns how many were queued."""
    return contact.contact_messages_sweep() + claims.claim_decisions_sweep()
