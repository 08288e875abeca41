"""How the partner API answers an exception: in the one error shape of makeworks.lib.api.errors,
whichever layer raised it (a service's ValidationError, a too large body, a 404, DRF's own), and the
JSON 404 for any /api/ address no endpoint answers."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from badges.services import BadgeKeySecretMismatchError
from makeworks.lib.api.errors import NON_FIELD, PayloadTooLarge, error_body


class BadgeKeysUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Badge keys are unavailable."
    default_code = "badge_key_secret_mismatch"


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
