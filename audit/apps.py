from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The one audit log every domain writes to. It sits below every domain and imports none of them."""

    name = "audit"
    verbose_name = _("Audit log")
