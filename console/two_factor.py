"""How the console answers a hub that requires two-factor authentication someone has not set up: not
with a bare 403 but by sending them to set up an authenticator app, saying which hub asks for it."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import URLPattern, URLResolver

from badges.permissions import TwoFactorRequired

View = Callable[..., HttpResponse]
SETUP_URL_NAME = "mfa_activate_totp"


def sends_to_two_factor_setup(view: View) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TwoFactorRequired as refusal:
            messages.warning(request, str(refusal))
            if getattr(request, "htmx", False):
                # htmx would swap the set-up page into a polled region; it loads it as a whole page instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = resolve_url(SETUP_URL_NAME)
                return response
            return redirect(SETUP_URL_NAME)

    return guarded


def guard_console(urlpatterns: Iterable[object]) -> None:
    """Make every page of `urlpatterns`, included ones too, send a refused person to set up two-factor
    authentication. Called once, where the console's URLs are defined."""
    for pattern in urlpatterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = sends_to_two_factor_setup(pattern.callback)
        elif isinstance(pattern, URLResolver):
            guard_console(pattern.url_patterns)
