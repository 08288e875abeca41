from smtplib import SMTPException

from celery import shared_task

from directory.services import claims


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=8)
def deliver_claim_decision(claim_id: int) -> None:
    claims.claim_decision_deliver(claim_id=claim_id)
