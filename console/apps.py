from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The hub staff screens: a front door over the domains' services and selectors, which no domain
    imports."""

    name = "console"
