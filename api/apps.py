from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Partner API"

    def ready(self) -> None:
        # Registers how the OpenAPI schema describes API key authentication.
        from api import schema  # noqa: F401
        from api.idempotency import STORE
        from makeworks.lib.api import idempotency

        # The domains' creating endpoints call idempotency.idempotent, which may not import the front
        # door; the front door hands it the store instead of a settings string naming it.
        idempotency.install_store(STORE)
