"""How the OpenAPI schema describes API key authentication (drf-spectacular reads this at start-up)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class APIKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.APIKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "mw_live_<8 hex digits>_<secret>",
            "description": (
                "An API key, sent as `Authorization: Bearer mw_live_…`. Its scopes (read, issue, manage) "
                "and its issuer decide what it may do; public reads need no key."
            ),
        }
