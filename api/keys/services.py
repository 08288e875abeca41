"""Writes of the API keys app (api.keys): API keys and the answers kept for Idempotency-Key retries."""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.keys.models import APIKey, APIKeyScope, IdempotencyRecord
from api.keys.selectors import secret_hash
from badges import permissions as badge_permissions
from badges.models import Issuer
from badges.permissions import IssuerAction

KEY_PREFIX = "mw_live_"
SECRET_BYTES = 32
# last_used_at is written at most this often per key, so that reads with a key stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Scopes that act on an issuer's badges, and so need the key to name that issuer.
ISSUER_SCOPES = frozenset({APIKeyScope.ISSUE, APIKeyScope.MANAGE})


def _scopes_checked(scopes: Iterable[str], issuer: Issuer | None) -> list[str]:
    wanted = list(dict.fromkeys(scope.strip() for scope in scopes if scope.strip()))
    if not wanted:
        raise ValidationError({"scopes": _("Give the key at least one scope: read, issue or manage.")})
    unknown = [scope for scope in wanted if scope not in APIKeyScope.values]
    if unknown:
        raise ValidationError(
            {
                "scopes": _("Unknown scope “%(scope)s”: use read, issue or manage.")
                % {"scope": unknown[0][:40]}
            }
        )
    if issuer is None and ISSUER_SCOPES.intersection(wanted):
        raise ValidationError({"issuer": _("Keys that issue or manage badges must name the hub's issuer.")})
    return [scope for scope in APIKeyScope.values if scope in wanted]


def api_key_check(
    *,
    name: str,
    scopes: Iterable[str],
    issuer: Issuer | None = None,
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> list[str]:
    """Raise ValidationError unless such a key may be made; returns the scopes as stored. Site
    administrators may make any key; an issuer's owners only keys of that issuer; `created_by` None is
    the system (a shell)."""
    if (
        created_by is not None
        and not created_by.is_superuser
        and (issuer is None or not badge_permissions.can(created_by, IssuerAction.MANAGE_ISSUER, issuer))
    ):
        raise ValidationError(_("Only site administrators and the hub's owners may create its API keys."))
    if not name.strip():
        raise ValidationError({"name": _("Name the key after who uses it and for what.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    return _scopes_checked(scopes, issuer)


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scopes: Iterable[str],
    issuer: Issuer | None = None,
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[APIKey, str]:
    """A new key and its token, which is shown this once and never stored (see api_key_check for who
    may make which key)."""
    checked_scopes = api_key_check(
        name=name, scopes=scopes, issuer=issuer, expires_at=expires_at, created_by=created_by
    )
    prefix = KEY_PREFIX + secrets.token_hex(4)
    while APIKey.objects.filter(prefix=prefix).exists():
        prefix = KEY_PREFIX + secrets.token_hex(4)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    key = APIKey(
        name=name.strip(),
        prefix=prefix,
        secret_hash=secret_hash(secret),
        scopes=checked_scopes,
        issuer=issuer,
        expires_at=expires_at,
        created_by=created_by,
    )
    key.full_clean()
    key.save()
    return key, f"{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, key: APIKey) -> APIKey:
    """Stop a key for good; requests with it are refused from now on."""
    locked = APIKey.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This API key was already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


def api_key_touch(*, key: APIKey, now: datetime | None = None) -> None:
    """Record that the key was used, unless that was recorded less than a minute ago."""
    now = now or timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    APIKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


def idempotency_record_create(
    *, api_key_id: int, key: str, fingerprint: str, status: int, body: Any
) -> IdempotencyRecord:
    """Keep the first answer to an Idempotency-Key. Called inside the transaction of the request it
    answers; raises IntegrityError when another request stored one for the same key first."""
    return IdempotencyRecord.objects.create(
        api_key_id=api_key_id, key=key, fingerprint=fingerprint, response_status=status, response_body=body
    )


def idempotency_record_expire(*, record: IdempotencyRecord) -> None:
    record.delete()


@transaction.atomic
def idempotency_records_purge(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete the answers kept for Idempotency-Key retries once their window has passed, after which
    a request with the same key counts as new anyway; returns how many were deleted."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
