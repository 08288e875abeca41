from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.actions import action_label


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which object, when, and what it was before and after.

    Written by the domains' services through audit.services.audit_log, in the same transaction as the
    change; never edited or deleted. Objects and scopes are named by their model label and id rather than
    by foreign keys, so the log sits below every domain and outlives what it describes (a deleted listing's
    history still reads, by its label)."""

    # Empty for the system itself (a shell command, demo data) or once the person's account is deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    action = models.CharField(_("action"), max_length=64)
    # The object's model label ("passport.assertion") and its public id where it has one, its primary key
    # otherwise, so an entry can be matched with what verifiers see.
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    # The hub the change belongs to (an issuer, for the badges' log), read as one log by its staff.
    scope_type = models.CharField(_("scope type"), max_length=64, blank=True)
    scope_id = models.CharField(_("scope id"), max_length=64, blank=True)
    # What the action changed: {"before": {...}, "after": {...}}, or {"changes": {"field": [before, after]}}.
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # A default rather than auto_now_add, so the rows moved from the old logs and restored from backups keep
    # the time they were written.
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"], name="audit_object_newest"),
            models.Index(fields=["scope_type", "scope_id", "-created_at"], name="audit_scope_newest"),
            models.Index(fields=["-created_at"], name="audit_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_type} {self.object_id}"

    def get_action_display(self) -> str | Promise:
        return action_label(self.action)

    @property
    def before(self) -> dict | None:
        return self.data.get("before")

    @property
    def after(self) -> dict | None:
        return self.data.get("after")

    @property
    def changes(self) -> dict:
        return self.data.get("changes") or {}
