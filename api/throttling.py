"""Request limits of the partner API, per API key, per signed-in person and per anonymous client.

Counted with makeworks.lib.ratelimit in the default cache, so with Redis every web process counts
against the same numbers. Rates come from settings.API_THROTTLE_RATES, read at each request.
"""

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

from makeworks.lib.api.grants import is_anonymous, key_grant
from makeworks.lib.ratelimit import Limit, attempt_allowed
from makeworks.lib.requests import client_address

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> Limit:
    """ "120/minute" (or /second, /hour, /day, or their first letters) as a Limit."""
    count, _slash, period = rate.partition("/")
    seconds = PERIODS.get(period.strip()[:1].lower())
    if not count.strip().isdigit() or seconds is None:
        raise ImproperlyConfigured(f"An API rate must read like 120/minute, got {rate!r}")
    return Limit(int(count), seconds)


class _WindowThrottle(BaseThrottle):
    scope = ""

    def __init__(self) -> None:
        self.retry_after = 0.0

    def client_key(self, request: "Request") -> str | None:
        """Whom this request counts against, or None when this throttle does not apply to it."""
        raise NotImplementedError

    def allow_request(self, request: "Request", view: "APIView") -> bool:
        client = self.client_key(request)
        if client is None:
            return True
        limit = parse_rate(settings.API_THROTTLE_RATES[self.scope])
        now = time.time()
        self.retry_after = limit.seconds - now % limit.seconds
        return attempt_allowed(scope=f"api-{self.scope}", key=client, limit=limit, now=now)

    def wait(self) -> float:
        return max(1.0, self.retry_after)


class APIKeyThrottle(_WindowThrottle):
    scope = "key"

    def client_key(self, request: "Request") -> str | None:
        grant = key_grant(request)
        return grant.prefix if grant else None


class SessionUserThrottle(_WindowThrottle):
    scope = "user"

    def client_key(self, request: "Request") -> str | None:
        if key_grant(request) is None and request.user.is_authenticated:
            return str(request.user.pk)
        return None


class AnonymousClientThrottle(_WindowThrottle):
    """Per client address: REMOTE_ADDR, or the X-Forwarded-For entry TRUSTED_PROXY_COUNT says."""

    scope = "anonymous"

    def client_key(self, request: "Request") -> str | None:
        return client_address(request._request) if is_anonymous(request) else None
