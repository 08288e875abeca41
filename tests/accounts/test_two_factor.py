"""Two-factor authentication with an authenticator app (TOTP, allauth.mfa): turning it on, signing in
with a code, and an issuer that requires it of everyone working on its badges.

Codes are computed from the secret the site stored, with allauth's own RFC 6238 functions, as the
person's phone would."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from badges import permissions
from badges import selectors as badge_selectors
from badges.models import AuditAction, IssuerMembership
from badges.permissions import IssuerAction, TwoFactorRequired
from passport.models import Assertion
from tests.console.test_console_access import Hubs, build_hubs, console_url, text_of

PASSWORD = "kiln-fired-stoneware-42"
PERIOD_SECONDS = 30


def code_for(secret: str, *, periods_ago: int = 0) -> str:
    counter = int(time.time()) // PERIOD_SECONDS - periods_ago
    return format_hotp_value(hotp_value(secret, counter))


def stored_secret(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def signed_in(client: Client) -> bool:
    return bool(client.session.get("_auth_user_id"))


def sign_in(client: Client, email: str) -> str:
    """Post the log-in form; returns where the site sends the person next."""
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def confirm_password(client: Client) -> None:
    """Setting up an authenticator asks for the password again first, as allauth does for every change
    to how an account signs in."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def with_totp(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture(autouse=True)
def _one_period_of_tolerance(settings: Settings) -> None:
    """A code computed just before a 30-second boundary stays good just after it, as phones allow for."""
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def member(db: None) -> User:
    user = User.objects.create_user(username="ada", email="ada@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def member_with_totp(client: Client, member: User) -> User:
    """The member has just turned TOTP on, with a code from the secret the set-up page stored."""
    sign_in(client, member.email)
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302
    client.logout()
    return member


def test_turning_totp_on_shows_the_secret_and_takes_a_correct_code(client: Client, member: User) -> None:
    sign_in(client, member.email)
    asked = client.get(reverse("mfa_activate_totp"))
    confirm_password(client)

    page = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret, periods_ago=20)})
    on_after_wrong = Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    right = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})

    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert secret in page.content.decode()
    assert "data:image/svg+xml;base64," in page.content.decode()
    assert "issuer=makeworks" in get_adapter().build_totp_url(member, secret)
    assert wrong.status_code == 200
    assert "Incorrect code." in text_of(wrong.content.decode())
    assert not on_after_wrong
    assert right.status_code == 302
    assert right["Location"] == reverse("mfa_view_recovery_codes")
    assert stored_secret(member) == secret
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_signing_in_then_asks_for_a_code_and_a_correct_one_lets_you_in(
    client: Client, member_with_totp: User
) -> None:
    next_step = sign_in(client, member_with_totp.email)

    assert next_step == reverse("mfa_authenticate")
    assert not signed_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": code_for(stored_secret(member_with_totp))})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_wrong_code_does_not_let_you_in(client: Client, member_with_totp: User) -> None:
    sign_in(client, member_with_totp.email)
    secret = stored_secret(member_with_totp)

    stale = client.post(reverse("mfa_authenticate"), {"code": code_for(secret, periods_ago=20)})
    garbage = client.post(reverse("mfa_authenticate"), {"code": "not a code"})

    assert stale.status_code == garbage.status_code == 200
    assert "Incorrect code." in text_of(stale.content.decode())
    assert not signed_in(client)


def test_a_code_cannot_be_used_twice(client: Client, member_with_totp: User) -> None:
    code = code_for(stored_secret(member_with_totp))
    sign_in(client, member_with_totp.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.logout()

    sign_in(client, member_with_totp.email)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})

    assert replay.status_code == 200
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_two_factor_pages_sit_in_the_site_layout_and_the_account_pages_link_to_them(
    client: Client, member: User
) -> None:
    client.force_login(member)

    account = client.get(reverse("account_email")).content.decode()
    two_factor = client.get(reverse("mfa_index")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in account
    for page in (account, two_factor):
        assert "Skip to main content" in page
        assert 'aria-label="Your account"' in page
    assert f'href="{reverse("mfa_index")}" aria-current="page"' in two_factor


# An issuer that requires two-factor authentication


@pytest.fixture
def hubs(db: None) -> Hubs:
    hubs = build_hubs()
    hubs.a.issuer.require_two_factor = True
    hubs.a.issuer.save(update_fields=["require_two_factor"])
    return hubs


@pytest.mark.parametrize("role", ["owner", "editor", "staff", "admin"])
def test_a_hub_requiring_two_factor_sends_anyone_without_it_to_set_it_up(
    client: Client, hubs: Hubs, role: str
) -> None:
    client.force_login(hubs.person(role))

    response = client.get(console_url("dashboard", hubs.a), follow=True)

    assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert "Fablab Glasgow requires two-factor authentication" in text_of(response.content.decode())


def test_every_console_page_and_action_of_that_hub_is_refused_without_it(client: Client, hubs: Hubs) -> None:
    editor = hubs.a.people["editor"]
    client.force_login(editor)
    revoke = console_url("assertion_revoke", hubs.a, public_id=hubs.a.assertion.public_id)

    pages = [client.get(console_url(name, hubs.a)) for name in ("assertions", "issue", "badge_classes")]
    posted = client.post(revoke, {"reason": "Awarded by mistake."})

    assert {response.status_code for response in [*pages, posted]} == {302}
    assert not Assertion.objects.filter(revoked=True).exists()
    assert not permissions.can(editor, IssuerAction.VIEW, hubs.a.issuer)
    with pytest.raises(TwoFactorRequired):
        permissions.require(editor, IssuerAction.VIEW, hubs.a.issuer)


def test_the_other_hubs_of_someone_without_two_factor_stay_open(client: Client, hubs: Hubs) -> None:
    person = hubs.a.people["staff"]
    IssuerMembership.objects.create(issuer=hubs.b.issuer, user=person, role="staff")
    client.force_login(person)

    assert client.get(console_url("dashboard", hubs.b)).status_code == 200


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_a_hub_requiring_two_factor_admits_someone_with_it(client: Client, hubs: Hubs, role: str) -> None:
    client.force_login(with_totp(hubs.person(role)))

    assert client.get(console_url("dashboard", hubs.a)).status_code == 200


def test_people_with_no_role_still_get_not_found(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.outsider)

    assert client.get(console_url("dashboard", hubs.a)).status_code == 404


def test_a_staff_member_signs_in_with_a_code_and_works_on_the_hub(
    client: Client, hubs: Hubs, member_with_totp: User
) -> None:
    IssuerMembership.objects.create(issuer=hubs.a.issuer, user=member_with_totp, role="staff")
    sign_in(client, member_with_totp.email)
    client.post(reverse("mfa_authenticate"), {"code": code_for(stored_secret(member_with_totp))})

    assert client.get(console_url("dashboard", hubs.a)).status_code == 200


# Changing the setting


def profile_data(*, require: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Fablab Paris",
        "url": "https://fablab-paris.example",
        "email": "badges@fablab-paris.example",
    }
    if require:
        data["require_two_factor"] = "on"
    return data


def test_an_owner_must_use_two_factor_before_requiring_it(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.b.people["owner"])

    response = client.post(console_url("profile", hubs.b), profile_data(require=True))

    assert response.status_code == 400
    assert "Set up two-factor authentication for your own account before requiring it" in text_of(
        response.content.decode()
    )
    hubs.b.issuer.refresh_from_db()
    assert not hubs.b.issuer.require_two_factor


def test_requiring_two_factor_and_lifting_it_are_audited(client: Client, hubs: Hubs) -> None:
    owner = with_totp(hubs.b.people["owner"])
    client.force_login(owner)
    client.post(console_url("profile", hubs.b), profile_data(require=False))
    entries_before = badge_selectors.audit_entries(hubs.b.issuer).count()

    on = client.post(console_url("profile", hubs.b), profile_data(require=True))
    off = client.post(console_url("profile", hubs.b), profile_data(require=False))

    assert (on.status_code, off.status_code) == (302, 302)
    entries = list(badge_selectors.audit_entries(hubs.b.issuer).order_by("-id")[:2])
    assert badge_selectors.audit_entries(hubs.b.issuer).count() == entries_before + 2
    assert [(entry.action, entry.actor) for entry in entries] == [(AuditAction.ISSUER_UPDATED, owner)] * 2
    assert [(entry.before, entry.after) for entry in entries] == [
        ({"require_two_factor": True}, {"require_two_factor": False}),
        ({"require_two_factor": False}, {"require_two_factor": True}),
    ]
