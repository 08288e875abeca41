"""Partner API keys: made by a command or the admin, shown once, stored hashed, refused clearly when
unknown, revoked or expired, and recorded as used at most once a minute."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.keys import services
from api.keys.models import APIKey
from badges.models import Issuer, IssuerRole
from tests.api.conftest import KeyMaker, bearer
from tests.factories import IssuerMembershipFactory, UserFactory

KEY_URL = "/api/v1/key/"


def test_create_api_key_command_prints_a_key_that_works_and_is_stored_only_hashed(
    issuer_a: Issuer, client_api: APIClient
) -> None:
    out = StringIO()
    call_command(
        "create_api_key", "--name", "Learning platform", "--scopes", "read,issue",
        "--issuer", str(issuer_a.pk), "--expires-days", "30", stdout=out, stderr=StringIO(),
    )  # fmt: skip
    token = out.getvalue().strip()
    assert token.startswith("mw_live_")
    key = APIKey.objects.get()
    assert key.prefix == token[:16]
    assert token[17:] not in str(APIKey.objects.values().get())
    assert key.secret_hash == hashlib.sha256(token[17:].encode()).hexdigest()
    answer = client_api.get(KEY_URL, **bearer(token))
    assert answer.status_code == 200
    assert answer.json()["scopes"] == ["read", "issue"]
    assert answer.json()["issuer"] == issuer_a.slug


def test_create_api_key_command_accepts_the_issuer_slug_and_refuses_an_unknown_one(issuer_a: Issuer) -> None:
    call_command(
        "create_api_key",
        "--name",
        "N",
        "--scopes",
        "manage",
        "--issuer",
        issuer_a.slug,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert APIKey.objects.get().issuer == issuer_a
    with pytest.raises(CommandError, match="No issuer"):
        call_command(
            "create_api_key", "--name", "N", "--scopes", "read", "--issuer", "nowhere", stdout=StringIO()
        )


def test_issuing_keys_must_name_an_issuer(db: None) -> None:
    with pytest.raises(CommandError, match="must name the hub"):
        call_command("create_api_key", "--name", "N", "--scopes", "issue", stdout=StringIO())


def test_unknown_scope_is_refused_with_its_name(db: None) -> None:
    with pytest.raises(CommandError, match="Unknown scope “delete”"):
        call_command("create_api_key", "--name", "N", "--scopes", "read,delete", stdout=StringIO())


def test_only_owners_and_site_administrators_may_create_an_issuers_keys(issuer_a: Issuer) -> None:
    editor = IssuerMembershipFactory.create(issuer=issuer_a, role=IssuerRole.EDITOR).user
    owner = IssuerMembershipFactory.create(issuer=issuer_a, role=IssuerRole.OWNER).user
    with pytest.raises(ValidationError, match="Only site administrators"):
        services.api_key_create(name="N", scopes=["issue"], issuer=issuer_a, created_by=editor)
    key, _token = services.api_key_create(name="N", scopes=["issue"], issuer=issuer_a, created_by=owner)
    assert key.created_by == owner


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer mw_live_00000000_aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "This API key is not known."),
        ("Bearer not-a-key", "This API key is not known."),
        ("Bearer two words", "Send the key as"),
    ],
)
def test_unknown_or_malformed_keys_are_refused_with_401(
    db: None, client_api: APIClient, header: str, message: str
) -> None:
    answer = client_api.get("/api/v1/listings/", HTTP_AUTHORIZATION=header)
    assert answer.status_code == 401
    assert answer.json()["message"].startswith(message)
    assert answer["WWW-Authenticate"] == 'Bearer realm="api"'


def test_revoked_key_is_refused_with_401_saying_so(
    make_key: KeyMaker, issuer_a: Issuer, client_api: APIClient
) -> None:
    token = make_key(scopes=["read"], issuer=issuer_a)
    services.api_key_revoke(key=APIKey.objects.get(prefix=token[:16]))
    answer = client_api.get("/api/v1/listings/", **bearer(token))
    assert answer.status_code == 401
    assert answer.json() == {"code": "key_revoked", "message": "This API key was revoked.", "fields": {}}


def test_expired_key_is_refused_with_401_naming_when_it_expired(
    expired_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.get("/api/v1/issuers/", **bearer(expired_key_a))
    assert answer.status_code == 401
    assert answer.json()["code"] == "key_expired"
    assert "expired on" in answer.json()["message"]


def test_last_use_is_recorded_at_most_once_a_minute(read_key_a: str, client_api: APIClient) -> None:
    client_api.get(KEY_URL, **bearer(read_key_a))
    first = APIKey.objects.get().last_used_at
    assert first is not None
    client_api.get(KEY_URL, **bearer(read_key_a))
    assert APIKey.objects.get().last_used_at == first
    services.api_key_touch(key=APIKey.objects.get(), now=first + timedelta(minutes=2))
    assert APIKey.objects.get().last_used_at == first + timedelta(minutes=2)


def test_current_key_endpoint_needs_a_key(db: None, client_api: APIClient) -> None:
    answer = client_api.get(KEY_URL)
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"


def test_admin_shows_a_new_key_once_and_revokes_keys(issuer_a: Issuer, client: object) -> None:
    admin_user = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin_user)  # type: ignore[attr-defined]
    answer = client.post(  # type: ignore[attr-defined]
        reverse("admin:partners_apikey_add"),
        {
            "name": "Hub tool",
            "scopes": ["read", "issue"],
            "issuer": issuer_a.pk,
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )
    key = APIKey.objects.get()
    shown = [str(message) for message in answer.context["messages"]]
    assert any(key.prefix + "_" in message and "will not be shown again" in message for message in shown)
    assert key.created_by == admin_user
    page = client.get(reverse("admin:partners_apikey_change", args=[key.pk]))  # type: ignore[attr-defined]
    assert key.prefix in page.content.decode()
    client.post(  # type: ignore[attr-defined]
        reverse("admin:partners_apikey_changelist"), {"action": "revoke_keys", "_selected_action": [key.pk]}
    )
    assert APIKey.objects.get().revoked_at is not None


def test_admin_refuses_an_issuing_key_without_issuer(db: None, client: object) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))  # type: ignore[attr-defined]
    answer = client.post(reverse("admin:partners_apikey_add"), {"name": "Hub tool", "scopes": ["issue"]})  # type: ignore[attr-defined]
    assert answer.status_code == 200
    assert "must name the hub" in answer.content.decode()
    assert not APIKey.objects.exists()


def test_keys_with_a_past_expiry_cannot_be_made(issuer_a: Issuer) -> None:
    with pytest.raises(ValidationError, match="future"):
        services.api_key_create(name="N", scopes=["read"], expires_at=timezone.now() - timedelta(days=1))
