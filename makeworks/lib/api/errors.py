"""Every error of the partner API has one shape: {"code", "message", "fields"}. `code` is stable for
programs, `message` is for people (in the request's language), `fields` maps each input at fault (a
body field, a query parameter or a header) to what is wrong with it. Here are the shape, the error
types the domains' views raise and its OpenAPI description; the front door's api.errors turns every
exception into it."""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status

from makeworks.lib.api.base import StrictCharField

# The key under which messages about no field in particular are listed, as DRF names them.
NON_FIELD = "non_field_errors"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with an earlier one."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class PageNotFound(exceptions.NotFound):
    default_code = "page_not_found"


def error_body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": dict(fields or {})}


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    code = StrictCharField(help_text="Stable machine-readable reason, e.g. `invalid`, `not_found`.")
    message = StrictCharField(help_text="What went wrong, in words for a person.")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=StrictCharField()),
        help_text="Each input at fault (body field, query parameter or header) with its problems.",
    )


ERROR_DESCRIPTIONS = {
    400: ("The input is invalid; `fields` names each problem.", "invalid", "Enter a valid email address."),
    401: ("No valid API key or session: missing, unknown, revoked or expired.", "authentication_failed",
          "This API key expired on 2026-01-31."),
    403: ("The key or person may not do this here.", "permission_denied",
          "This API key lacks the “issue” scope."),
    404: ("Nothing here, or nothing among what this key or person may act on.", "not_found",
          "No such hub among yours."),
    409: ("The Idempotency-Key was used before with a different request.", "idempotency_conflict",
          "This Idempotency-Key was already used with a different request."),
    413: ("The upload is too large.", "too_large", "The image is larger than 5 MB."),
    415: ("The body is not in a format this endpoint reads.", "unsupported_media_type",
          "Unsupported media type \"text/plain\" in request."),
    429: ("Too many requests; retry after the number of seconds in Retry-After.", "throttled",
          "Request was throttled. Expected available in 12 seconds."),
}  # fmt: skip


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI descriptions of the error answers an endpoint gives, each with an example."""
    responses = {}
    for code in statuses:
        description, error_code, message = ERROR_DESCRIPTIONS[code]
        responses[code] = OpenApiResponse(
            ErrorSerializer,
            description=description,
            examples=[
                OpenApiExample(
                    f"error {code}",
                    value=error_body(
                        error_code, message, {"recipient_email": [message]} if code == 400 else {}
                    ),
                    response_only=True,
                    status_codes=[str(code)],
                )
            ],
        )
    return responses
