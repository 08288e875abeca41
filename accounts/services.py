import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from accounts.models import CheckedUpload


def email_deliver(*, subject: str, body: str, recipients: list[str], html: str = "") -> None:
    """Send one e-mail now, with an HTML alternative when there is one."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


# How long a checked upload waits for its confirmation; the beat task deletes older ones.
CHECKED_UPLOAD_LIFETIME = timedelta(hours=1)


def checked_upload_keep(*, user: User, purpose: str, data: bytes, options: dict[str, Any]) -> str:
    """Keep a checked file until its owner confirms it; returns the token the confirmation names."""
    token = secrets.token_urlsafe(24)
    CheckedUpload.objects.create(
        user=user,
        purpose=purpose,
        token=token,
        data=data,
        options=options,
        expires_at=timezone.now() + CHECKED_UPLOAD_LIFETIME,
    )
    return token


@transaction.atomic
def checked_upload_take(*, user: User, purpose: str, token: str) -> CheckedUpload | None:
    """Find and delete the person's checked upload, so a confirmation posted twice (even at once, to two
    web processes) gets it once; None when it is gone, expired, for another purpose or someone else's."""
    now = timezone.now()
    mine = CheckedUpload.objects.filter(user=user, purpose=purpose, token=token, expires_at__gt=now)
    found = mine.select_for_update().first()
    if found is None:
        return None
    taken, _ = CheckedUpload.objects.filter(pk=found.pk).delete()
    return found if taken else None


def checked_uploads_purge() -> int:
    """Delete expired checked uploads; returns how many. Run hourly by Celery beat."""
    deleted, _ = CheckedUpload.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
