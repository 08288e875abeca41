"""The API keys app's Celery tasks. Each calls a service and does no harm run twice."""

from celery import shared_task

from api.idempotency import RETENTION
from api.keys import services


@shared_task
def purge_idempotency_records() -> int:
    """Run by Celery beat: drop Idempotency-Key answers past their 24-hour window. Returns how many."""
    return services.idempotency_records_purge(older_than=RETENTION)
