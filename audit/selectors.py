"""Reading the audit log: per object (a listing's history) and per hub (an issuer's log), newest first."""

from collections.abc import Iterable

from django.db import models
from django.db.models import QuerySet

from audit.models import AuditEntry
from audit.services import object_key, scope_key


def _newest(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    return entries.select_related("actor").order_by("-created_at", "-id")


def entries_for_object(obj: models.Model) -> QuerySet[AuditEntry]:
    """What was done to `obj`, newest first."""
    object_type, object_id = object_key(obj)
    return _newest(AuditEntry.objects.filter(object_type=object_type, object_id=object_id))


def entries_for_objects(model: type[models.Model], ids: Iterable[str] | QuerySet) -> QuerySet[AuditEntry]:
    """What was done to the objects of `model` with these ids (as the log names them), newest first."""
    return _newest(AuditEntry.objects.filter(object_type=model._meta.label_lower, object_id__in=ids))


def entries_for_scope(scope: models.Model) -> QuerySet[AuditEntry]:
    """Everything done within the hub `scope`, newest first; page it, it only grows."""
    scope_type, scope_id = scope_key(scope)
    return _newest(AuditEntry.objects.filter(scope_type=scope_type, scope_id=scope_id))
