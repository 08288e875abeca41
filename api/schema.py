"""How the OpenAPI schema describes API key authentication (drf-spectacular reads this at start-up)."""

from typing import Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_examples_list


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


class ApiFilterSetExtension(DjangoFilterExtension):
    """drf-spectacular's description of django-filter's query parameters, with each filter's help text as
    written and the example our FilterSets give (makeworks.lib.api.filters.ApiFilterSet.examples), which
    it would drop: the parameters read as they did when each endpoint described them by hand."""

    priority = 1

    def get_schema_operation_parameters(
        self, auto_schema: Any, *args: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(
            auto_schema, *args, **kwargs
        )
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        examples = getattr(filterset_class, "examples", {})
        filters = getattr(filterset_class, "base_filters", {})
        for parameter in parameters:
            help_text = (
                filters[parameter["name"]].extra.get("help_text") if parameter["name"] in filters else None
            )
            if help_text:
                # As written: drf-spectacular appends the choices, which the parameter's enum already lists.
                parameter["description"] = str(help_text)
            if parameter["name"] in examples:
                parameter["examples"] = build_examples_list([examples[parameter["name"]]])
        return parameters
