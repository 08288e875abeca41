"""Writing the audit log: one call for every domain, made inside the transaction of the change it
describes, so the line is written exactly when the change is. There is no service to edit or delete one."""

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from audit.actions import action_known
from audit.models import AuditEntry
from makeworks.lib.actors import Actor, actor_user

LABEL_LENGTH = AuditEntry._meta.get_field("object_label").max_length or 200


def object_key(obj: models.Model) -> tuple[str, str]:
    """How the log names `obj`: its model label and its public id where it has one, its primary key
    otherwise."""
    public_id = getattr(obj, "public_id", None)
    return obj._meta.label_lower, str(public_id or obj.pk)


def scope_key(scope: models.Model | None) -> tuple[str, str]:
    """How the log names the hub a change belongs to (empty for none)."""
    if scope is None:
        return "", ""
    return scope._meta.label_lower, str(scope.pk)


def audit_log(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    data: Mapping[str, Any] | None = None,
    scope: models.Model | None = None,
    label: str = "",
) -> AuditEntry:
    """Add a line to the audit log: `actor` did `action` to `obj`, in the hub `scope`. `data` says what
    changed (JSON: "before"/"after" or "changes"); `label` names the object for people, kept after the
    object is gone (its text by default)."""
    if not action_known(action):
        # A programming error, not user input: every audited action is declared by its app.
        raise ValueError(f"Unknown audit action {action!r}; declare it with audit.actions.actions_register.")
    object_type, object_id = object_key(obj)
    scope_type, scope_id = scope_key(scope)
    entry = AuditEntry(
        actor=actor_user(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=(label or str(obj))[:LABEL_LENGTH],
        scope_type=scope_type,
        scope_id=scope_id,
        data={key: value for key, value in (data or {}).items() if value is not None},
    )
    # In the caller's transaction without a savepoint of its own: the one INSERT either succeeds or undoes
    # the whole change, so a savepoint would cost two round trips for nothing. Whatever may raise is done
    # above, outside it, so a refused call leaves the caller's transaction usable.
    with transaction.atomic(savepoint=False):
        entry.save(force_insert=True)
    return entry
