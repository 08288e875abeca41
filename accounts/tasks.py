from smtplib import SMTPException

from celery import shared_task

from accounts import services


# The message is already rendered (allauth puts one-time keys in it), so the task carries its text
# rather than an id to look up. A mail server that is down is retried with growing waits.
@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=8)
def deliver_email(subject: str, body: str, recipients: list[str], html: str = "") -> None:
    services.email_deliver(subject=subject, body=body, recipients=recipients, html=html)


@shared_task
def purge_checked_uploads() -> int:
    """Run hourly by Celery beat: delete checked uploads nobody confirmed in time."""
    return services.checked_uploads_purge()
