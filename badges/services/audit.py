"""The issuers' audit log: who did what to which object, written by every badges service in the
transaction of its change."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from badges.models import AuditAction, AuditEntry, Issuer

# Who asked for a change: a person, or None for the system itself (a shell command, demo data).
Actor = User | AnonymousUser | None


@transaction.atomic
def audit_record(
    *,
    issuer: Issuer,
    actor: Actor,
    action: str,
    obj_type: str,
    obj_id: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add a line to `issuer`'s audit log. Call it inside the transaction of the change it describes, so
    the line is written exactly when the change is. There is no service to edit or delete one."""
    if action not in AuditAction.values:
        # A programming error, not user input: every audited action is listed in AuditAction.
        raise ValueError(f"Unknown audit action {action!r}; add it to badges.models.AuditAction.")
    return AuditEntry.objects.create(
        issuer=issuer,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )
