"""Who a request to the partner API comes from. Kept free of DRF's views, as the authentication and
throttle classes that import it are themselves imported while DRF's views load."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rest_framework.request import Request


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
