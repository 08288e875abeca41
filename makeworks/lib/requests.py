"""What views of every app need to know about a request: its htmx details, its signed-in person and
the address of the client behind it."""

import ipaddress

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that passed through django-htmx's middleware."""

    htmx: HtmxDetails


def signed_in_user(request: HttpRequest) -> User:
    """The person behind a request that login_required has let through."""
    assert isinstance(request.user, User)
    return request.user


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, for rate limits: the one place that reads it.

    Behind settings.TRUSTED_PROXY_COUNT proxies, each appends to X-Forwarded-For the address it was
    reached from, so the client is the Nth entry from the right; entries further left are whatever the
    client wrote and are never believed. With no trusted proxy the header is ignored, as anyone can
    send it. A header with fewer entries than trusted proxies (a request that reached the app around
    them) or no address at that place falls back to the connection's own address, REMOTE_ADDR.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if count <= 0 or not forwarded:
        return remote
    entries = forwarded.split(",")
    if len(entries) < count:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-count].strip()))
    except ValueError:
        return remote
