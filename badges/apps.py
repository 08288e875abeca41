from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "badges"

    def ready(self) -> None:
        # Registers the system checks.
        from audit.actions import actions_register
        from badges import checks  # noqa: F401
        from badges.models import AuditAction

        actions_register(AuditAction)
