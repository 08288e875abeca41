from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and API keys"

    def ready(self) -> None:
        # Registers how the OpenAPI schema describes API key authentication.
        from partners import schema  # noqa: F401
