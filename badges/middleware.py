"""Answers 503, with the reason, for any request that reached a badge key while BADGE_KEY_SECRET is wrong
and whose view did not show the refusal itself (a passport page listing a member's badges, say)."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from badges.keyring import BadgeKeySecretMismatchError
from makeworks.lib.api.errors import error_body

logger = logging.getLogger(__name__)


class BadgeKeySecretMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BadgeKeySecretMismatchError):
            return None
        logger.error(
            "Refused %s %s: BADGE_KEY_SECRET does not match the stored fingerprint",
            request.method,
            request.path,
        )
        message = exception.messages[0]
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("badge_key_secret_mismatch", message), status=503)
        return render(request, "badges/key_secret_mismatch.html", {"message": message}, status=503)
