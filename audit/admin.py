from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry

AUDIT_ENTRY_FIELDS = (
    "created_at",
    "actor",
    "action_label",
    "object_type",
    "object_id",
    "object_label",
    "scope_type",
    "scope_id",
    "data",
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, to read: the services write it, and nobody adds, changes or deletes a line."""

    list_display = [
        "created_at",
        "actor",
        "action_label",
        "object_type",
        "object_label",
        "scope_type",
        "scope_id",
    ]
    list_filter = ["action", "object_type", "scope_type"]
    search_fields = ["object_id", "object_label", "scope_id", "actor__username", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    fields = AUDIT_ENTRY_FIELDS
    readonly_fields = AUDIT_ENTRY_FIELDS

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: AuditEntry) -> str:
        return str(obj.get_action_display())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
