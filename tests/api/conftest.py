"""Two hubs with issuers and badge classes, and partner keys for them, made through the services."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from api.keys import services as partner_services
from api.keys.models import APIKey
from badges.models import BadgeClass, Issuer
from tests.factories import BadgeClassFactory, IssuerFactory

SITE = "https://makeworks.example"


@pytest.fixture(autouse=True)
def _site_and_language(settings: Any) -> Iterator[None]:
    settings.SITE_URL = SITE
    with translation.override("en"):
        yield


@pytest.fixture
def client_api() -> APIClient:
    return APIClient()


@pytest.fixture
def issuer_a(db: None) -> Issuer:
    return IssuerFactory.create(name="Fablab Glasgow")


@pytest.fixture
def issuer_b(db: None) -> Issuer:
    return IssuerFactory.create(name="Makerspace Accra")


@pytest.fixture
def class_a(issuer_a: Issuer) -> BadgeClass:
    return BadgeClassFactory.create(issuer=issuer_a, name="Laser cutter operator")


@pytest.fixture
def class_b(issuer_b: Issuer) -> BadgeClass:
    return BadgeClassFactory.create(issuer=issuer_b, name="Sewing machine")


KeyMaker = Callable[..., str]


@pytest.fixture
def make_key(db: None) -> KeyMaker:
    """A key's token, as a partner holds it."""

    def make(*, scopes: list[str], issuer: Issuer | None = None, **options: Any) -> str:
        _key, token = partner_services.api_key_create(
            name=options.pop("name", "Partner"), scopes=scopes, issuer=issuer, **options
        )
        return token

    return make


@pytest.fixture
def read_key_a(make_key: KeyMaker, issuer_a: Issuer) -> str:
    return make_key(scopes=["read"], issuer=issuer_a)


@pytest.fixture
def issue_key_a(make_key: KeyMaker, issuer_a: Issuer) -> str:
    return make_key(scopes=["read", "issue"], issuer=issuer_a)


@pytest.fixture
def manage_key_a(make_key: KeyMaker, issuer_a: Issuer) -> str:
    return make_key(scopes=["manage"], issuer=issuer_a)


@pytest.fixture
def issue_key_b(make_key: KeyMaker, issuer_b: Issuer) -> str:
    return make_key(scopes=["read", "issue", "manage"], issuer=issuer_b)


@pytest.fixture
def expired_key_a(make_key: KeyMaker, issuer_a: Issuer) -> str:
    """A key with every scope on A that expired an hour ago (made valid, then its expiry passed)."""
    token = make_key(
        scopes=["read", "issue", "manage"], issuer=issuer_a, expires_at=timezone.now() + timedelta(days=1)
    )
    APIKey.objects.filter(prefix=token[:16]).update(expires_at=timezone.now() - timedelta(hours=1))
    return token


def bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
