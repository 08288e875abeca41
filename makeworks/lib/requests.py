"""What views of every app need to know about a request: its htmx details and its signed-in person."""

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
