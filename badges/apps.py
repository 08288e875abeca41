from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "badges"

    def ready(self) -> None:
        # Registers the system checks.
        from badges import checks  # noqa: F401
