"""A server started with another BADGE_KEY_SECRET than the one its badge keys were stored with is noticed
at start-up, by /healthz/ and by every service that would use a key, which refuses and changes nothing;
with the original secret back, everything works again."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.checks import Error, Warning
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import Client
from rest_framework.test import APIClient

from api.keys import services as partner_services
from audit.models import AuditEntry
from badges import keyring, selectors
from badges import services as badge_services
from badges.checks import badge_key_secret_check
from badges.models import Issuer, KeySecretFingerprint, SigningKey, SigningKeyStatus
from badges.openbadges import signing
from directory.models import ListingKind
from makeworks.lib.api.errors import NON_FIELD
from passport import services
from passport.models import Assertion
from tests.factories import BadgeClassFactory, IssuerFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WRONG = "a-wrong-secret-typed-into-the-environment-by-mistake-0123456789"


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a freshly started server, which has compared no secret yet."""
    monkeypatch.setattr(keyring, "_matched", set())


@pytest.fixture
def issuer(db: None) -> Issuer:
    """A hub that ran with its secret: its key is stored under it and its fingerprint recorded."""
    return IssuerFactory.create()


def state_of(issuer: Issuer) -> tuple[int, int, list[tuple[str, str]]]:
    keys = [(key.public_id, key.status) for key in SigningKey.objects.filter(issuer=issuer).order_by("pk")]
    # The issuers' audit log: the listing a test makes writes a line of the listing's history, not of it.
    issuers_log = AuditEntry.objects.filter(scope_type="badges.issuer")
    return Assertion.objects.count(), issuers_log.count(), keys


def test_the_first_use_records_a_fingerprint_that_is_not_the_secret(issuer: Issuer, settings: Any) -> None:
    stored = KeySecretFingerprint.objects.get()

    assert stored.fingerprint == signing.secret_fingerprint(settings.BADGE_KEY_SECRET)
    assert settings.BADGE_KEY_SECRET not in stored.fingerprint
    assert keyring.secret_state() == keyring.SecretState.MATCHES


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
def test_issuing_with_a_wrong_secret_is_refused_and_nothing_is_written(
    issuer: Issuer, settings: Any, signed: bool
) -> None:
    badge_class = BadgeClassFactory.create(issuer=issuer)
    before = state_of(issuer)
    settings.BADGE_KEY_SECRET = WRONG

    with pytest.raises(keyring.BadgeKeySecretMismatchError, match="BADGE_KEY_SECRET"):
        services.assertion_issue(
            badge_class=badge_class, recipient_email="ada@example.org", signed=signed, send_email=False
        )

    assert state_of(issuer) == before


def test_rotating_or_creating_keys_with_a_wrong_secret_is_refused_and_the_active_key_stays(
    issuer: Issuer, settings: Any
) -> None:
    active = selectors.active_signing_key(issuer)
    before = state_of(issuer)
    settings.BADGE_KEY_SECRET = WRONG

    with pytest.raises(keyring.BadgeKeySecretMismatchError):
        badge_services.signing_key_rotate(issuer=issuer)
    with pytest.raises(keyring.BadgeKeySecretMismatchError):
        badge_services.signing_key_revoke(key=active)
    with pytest.raises(keyring.BadgeKeySecretMismatchError):
        badge_services.issuer_create(
            listing=ListingFactory.create(kind=ListingKind.MAKERSPACE),
            name="Another hub",
            url="https://another.example",
            email="badges@another.example",
        )

    assert state_of(issuer) == before
    assert Issuer.objects.count() == 1
    assert selectors.active_signing_key(issuer).status == SigningKeyStatus.ACTIVE


def test_a_batch_is_refused_once_for_the_whole_file_not_row_by_row(issuer: Issuer, settings: Any) -> None:
    badge_class = BadgeClassFactory.create(issuer=issuer)
    settings.BADGE_KEY_SECRET = WRONG
    awards = [services.Award(recipient_email=f"maker{n}@example.org") for n in range(3)]

    with pytest.raises(keyring.BadgeKeySecretMismatchError):
        services.issue_batch_create(badge_class=badge_class, awards=awards, send_email=False)

    assert not Assertion.objects.exists()


def test_a_database_with_keys_but_no_fingerprint_does_not_adopt_a_wrong_secret(
    issuer: Issuer, settings: Any
) -> None:
    # As after upgrading a hub whose keys predate the fingerprint.
    KeySecretFingerprint.objects.all().delete()
    settings.BADGE_KEY_SECRET = WRONG

    assert keyring.secret_state() == keyring.SecretState.MISMATCH
    with pytest.raises(keyring.BadgeKeySecretMismatchError):
        badge_services.signing_key_rotate(issuer=issuer)
    assert not KeySecretFingerprint.objects.exists()


def test_with_the_original_secret_back_everything_works_again(issuer: Issuer, settings: Any) -> None:
    original = settings.BADGE_KEY_SECRET
    badge_class = BadgeClassFactory.create(issuer=issuer)
    settings.BADGE_KEY_SECRET = WRONG
    with pytest.raises(keyring.BadgeKeySecretMismatchError):
        badge_services.signing_key_rotate(issuer=issuer)

    settings.BADGE_KEY_SECRET = original
    new_key = badge_services.signing_key_rotate(issuer=issuer)
    signed = services.assertion_issue(
        badge_class=badge_class, recipient_email="ada@example.org", signed=True, send_email=False
    )

    assert signing.verify(signed.jws, new_key.public_key_pem)["id"].endswith(f"/{signed.public_id}/")
    assert signed.recipient_lookup == keyring.recipient_lookup("ada@example.org")


def test_healthz_answers_503_naming_the_secret(client: Client, issuer: Issuer, settings: Any) -> None:
    assert client.get("/healthz/").status_code == 200

    settings.BADGE_KEY_SECRET = WRONG
    answer = client.get("/healthz/")

    assert answer.status_code == 503
    assert answer.json()["badge_key_secret"].startswith("error: BADGE_KEY_SECRET does not match")
    assert answer.json()["database"] == "ok"


def test_the_start_up_check_is_an_error_in_production_and_a_warning_on_a_laptop(
    issuer: Issuer, settings: Any
) -> None:
    assert badge_key_secret_check(None, databases=["default"]) == []

    settings.BADGE_KEY_SECRET = WRONG
    settings.PRODUCTION = True
    (production,) = badge_key_secret_check(None, databases=["default"])
    with pytest.raises(SystemCheckError, match=r"badges\.E001"):
        call_command("check", databases=["default"])
    settings.PRODUCTION = False
    (laptop,) = badge_key_secret_check(None, databases=["default"])

    assert isinstance(production, Error)
    assert "BADGE_KEY_SECRET" in production.msg
    assert isinstance(laptop, Warning)
    assert not isinstance(laptop, Error)


def test_the_console_shows_why_a_rotation_is_refused_instead_of_failing(
    client: Client, issuer: Issuer, settings: Any
) -> None:
    owner = UserFactory.create()
    badge_services.issuer_member_add(issuer=issuer, user=owner, role="owner", actor=None)
    client.force_login(owner)
    settings.BADGE_KEY_SECRET = WRONG

    answer = client.post(f"/console/{issuer.slug}/keys/rotate/")

    assert answer.status_code == 503
    assert "BADGE_KEY_SECRET is not the secret" in answer.content.decode()
    assert SigningKey.objects.filter(issuer=issuer).count() == 1


def test_the_console_issue_form_shows_the_refusal_beside_the_form(
    client: Client, issuer: Issuer, settings: Any
) -> None:
    editor = UserFactory.create()
    badge_services.issuer_member_add(issuer=issuer, user=editor, role="editor", actor=None)
    badge_class = BadgeClassFactory.create(issuer=issuer)
    client.force_login(editor)
    settings.BADGE_KEY_SECRET = WRONG

    answer = client.post(
        f"/console/{issuer.slug}/issue/",
        {"badge_class": badge_class.pk, "recipient_email": "ada@example.org", "verification": "hosted"},
    )

    assert answer.status_code == 400
    assert "BADGE_KEY_SECRET is not the secret" in answer.content.decode()
    assert not Assertion.objects.exists()


def test_the_api_refuses_to_issue_with_a_503_in_its_error_shape(issuer: Issuer, settings: Any) -> None:
    badge_class = BadgeClassFactory.create(issuer=issuer)
    _key, token = partner_services.api_key_create(name="Partner", scopes=["read", "issue"], issuer=issuer)
    settings.BADGE_KEY_SECRET = WRONG

    answer = APIClient().post(
        f"/api/v1/badge-classes/{badge_class.public_id}/assertions/",
        {"recipient_email": "ada@example.org", "send_email": False},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert answer.status_code == 503
    body = answer.json()
    assert body["code"] == "badge_key_secret_mismatch"
    assert "BADGE_KEY_SECRET" in body["message"]
    assert NON_FIELD not in body["fields"]
    assert not Assertion.objects.exists()


def test_a_members_passport_says_badges_are_unavailable_rather_than_showing_none(
    client: Client, issuer: Issuer, settings: Any
) -> None:
    member = UserFactory.create(email="ada@example.org")
    EmailAddress.objects.create(user=member, email="ada@example.org", verified=True, primary=True)
    services.assertion_issue(
        badge_class=BadgeClassFactory.create(issuer=issuer),
        recipient_email="ada@example.org",
        send_email=False,
    )
    client.force_login(member)
    settings.BADGE_KEY_SECRET = WRONG

    answer = client.get("/passport/", follow=True)

    assert answer.status_code == 503
    assert "BADGE_KEY_SECRET is not the secret" in answer.content.decode()


def test_a_wrong_secret_refusal_is_a_validation_error_that_forms_show() -> None:
    assert issubclass(keyring.BadgeKeySecretMismatchError, ValidationError)


def test_only_the_keyring_reads_the_secret() -> None:
    """Every key derived from BADGE_KEY_SECRET goes through badges.keyring's check: no other module may
    read the setting (the settings module defines it; a migration of the past keyed lookups with it)."""
    allowed = {"badges/keyring.py", "passport/migrations/0003_assertion_recipient_lookup.py"}
    readers = {
        str(path.relative_to(ROOT))
        for app in ("accounts", "badges", "directory", "machinery_map", "makeworks", "api", "passport")
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"settings\.BADGE_KEY_SECRET|getattr\(settings", path.read_text(encoding="utf-8"))
        and "BADGE_KEY_SECRET" in path.read_text(encoding="utf-8")
    }

    assert readers <= allowed


def test_replacing_a_lost_secret_needs_confirming_then_gives_every_issuer_a_key_that_signs(
    issuer: Issuer, settings: Any
) -> None:
    badge_class = BadgeClassFactory.create(issuer=issuer)
    old = services.assertion_issue(
        badge_class=badge_class, recipient_email="ada@example.org", signed=True, send_email=False
    )
    old_key = selectors.active_signing_key(issuer)
    settings.BADGE_KEY_SECRET = WRONG
    with pytest.raises(CommandError, match="set it back"):
        call_command("badge_key_secret_replace")
    assert selectors.active_signing_key(issuer) == old_key

    call_command("badge_key_secret_replace", "--the-old-secret-is-lost", stdout=io.StringIO())

    new_key = selectors.active_signing_key(issuer)
    new = services.assertion_issue(
        badge_class=badge_class, recipient_email="ada@example.org", signed=True, send_email=False
    )
    old_key.refresh_from_db()
    assert keyring.secret_state() == keyring.SecretState.MATCHES
    assert (old_key.status, new_key.pk != old_key.pk) == (SigningKeyStatus.RETIRED, True)
    assert signing.verify(old.jws, old_key.public_key_pem)
    assert signing.verify(new.jws, new_key.public_key_pem)
