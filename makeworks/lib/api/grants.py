"""Who a request to the partner API comes from. Kept free of DRF's views, as the authentication and
throttle classes that import it are themselves imported while DRF's views load."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from rest_framework.request import Request

# What a write without an API key or a signed-in person is told (401), by the permission class and by the
# per-object checks of the domains (badges.permissions), which cannot import the DRF views base.py does.
CREDENTIALS_MISSING = gettext_lazy("Send an API key (Authorization: Bearer mw_live_…) or sign in.")


@dataclass(frozen=True)
class KeyGrant:
    """What an API key may do, as authentication hands it to the views in `request.auth`: plain values,
    so the domains ask badges.permissions without importing the front door (api/) that stores keys."""

    key_id: int
    prefix: str
    scopes: frozenset[str]
    issuer_id: int | None


def key_grant(request: "Request") -> KeyGrant | None:
    return request.auth if isinstance(request.auth, KeyGrant) else None


def is_anonymous(request: "Request") -> bool:
    return request.auth is None and not request.user.is_authenticated
