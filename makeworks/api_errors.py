"""Every error of the partner API has one shape: {"code", "message", "fields"}. `code` is stable for
programs, `message` is for people (in the request's language), `fields` maps each input at fault (a
body field, a query parameter or a header) to what is wrong with it."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from badges.keyring import BadgeKeySecretMismatchError
from makeworks.api_base import StrictCharField

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


class BadgeKeysUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Badge keys are unavailable."
    default_code = "badge_key_secret_mismatch"


class PageNotFound(exceptions.NotFound):
    default_code = "page_not_found"


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as {"alignments.0.targetUrl": ["…"]}."""
    if isinstance(detail, Mapping):
        fields: dict[str, list[str]] = {}
        for name, value in detail.items():
            # Django's model validation names errors about no field "__all__".
            key = NON_FIELD if name == "__all__" and not prefix else str(name)
            fields.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
        return fields
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        fields = {}
        for position, value in enumerate(detail):
            fields.update(_flatten(value, f"{prefix}.{position}" if prefix else str(position)))
        return fields
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD: [str(item) for item in items]}


def _first(messages: Iterable[list[str]]) -> str:
    return next((message for group in messages for message in group), "")


def error_body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": dict(fields or {})}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, after turning the services' ValidationError, a too large body and the rest into
    API exceptions, with its answer reshaped; anything else is a bug and stays a 500."""
    if isinstance(exc, BadgeKeySecretMismatchError):
        # The server is misconfigured, not the request: 503, so clients retry later instead of editing.
        exc = BadgeKeysUnavailable(exc.messages[0])
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(_("The request body is larger than this API accepts."))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    codes = exc.get_codes()
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(detail)
        non_field = fields.pop(NON_FIELD, [])
        message = non_field[0] if non_field else _first(fields.values())
        if non_field[1:]:
            fields[NON_FIELD] = non_field[1:]
        code = "invalid"
    else:
        fields = {}
        message = str(detail) if not isinstance(detail, list | dict) else _first(_flatten(detail).values())
        code = codes if isinstance(codes, str) else exc.default_code
    response.data = error_body(code, message or _("The request cannot be answered."), fields)
    set_rollback()
    return response


# Exempt, so a POST to a wrong address gets this 404 rather than a CSRF page.
@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address no endpoint answers, in the API's error shape rather than an HTML page."""
    body = error_body("not_found", _("There is no API endpoint at %(path)s.") % {"path": request.path})
    return JsonResponse(body, status=404)


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
