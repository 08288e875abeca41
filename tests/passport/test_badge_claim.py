"""The award e-mail's "add it to my passport" link: someone new lands on sign-up with the address filled
in and, once they confirm it, finds the badge waiting on their passport; someone with an account for the
address logs in; its holder goes straight to the badge; anyone signed in with another address is told
what to do; a forged link says so."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from badges.models import BadgeClass
from passport.claims import claim_path
from passport.models import Assertion
from passport.services.passports import passport_ensure
from tests.factories import UserFactory
from tests.passport.conftest import EARNER

pytestmark = pytest.mark.django_db

PASSWORD = "walnut-veneer-press-31"
Issue = Callable[..., Assertion]


@pytest.fixture
def badge(png_class: BadgeClass, issue: Issue) -> Assertion:
    return issue(badge_class=png_class, recipient_name="Ada Lovelace")


def link_in(message: EmailMessage) -> str:
    """The claim link of an award e-mail, as a path on this site."""
    found = re.search(r"https://makeworks\.example(/(?:fr/)?passport/claim/\S+/)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def member(email: str, *, verified: bool = True) -> User:
    user = UserFactory.create(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_someone_new_signs_up_with_the_address_filled_in_and_finds_the_badge_waiting(
    client: Client, badge: Assertion, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    link = link_in(mailoutbox[0])

    response = client.get(link)

    assert response.status_code == 302
    signup = urlsplit(response["Location"])
    assert signup.path == reverse("account_signup")
    assert parse_qs(signup.query) == {"email": [EARNER], "next": [link]}
    page = client.get(response["Location"]).content.decode()
    assert f'value="{EARNER}"' in page

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = client.post(
            response["Location"],
            {"email": EARNER, "password1": PASSWORD, "password2": PASSWORD, "next": link},
        )
    assert signed_up.status_code == 302
    confirm = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", str(mailoutbox[-1].body))
    assert confirm is not None
    confirmed = client.post(confirm.group(1), follow=True)

    assert confirmed.redirect_chain[-2][0] == link
    page = confirmed.content.decode()
    assert "Show this badge on your passport?" in page
    assert "Laser cutter operator" in page


def test_someone_with_an_account_for_the_address_is_asked_to_log_in(
    client: Client, badge: Assertion, mailoutbox: list[EmailMessage]
) -> None:
    member(EARNER.lower())
    link = link_in(mailoutbox[0])

    response = client.get(link)

    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("account_login")
    assert parse_qs(login.query) == {"next": [link]}


def test_the_holder_of_the_address_goes_straight_to_the_badge(
    client: Client, badge: Assertion, mailoutbox: list[EmailMessage]
) -> None:
    holder = member(EARNER)
    client.force_login(holder)

    response = client.get(link_in(mailoutbox[0]))

    passport = passport_ensure(user=holder)
    expected = reverse("passport_site:passport", kwargs={"handle": passport.handle})
    assert response.status_code == 302
    assert response["Location"] == f"{expected}#badge-{badge.public_id}"


def test_someone_signed_in_with_another_address_is_told_how_to_add_it(
    client: Client, badge: Assertion, mailoutbox: list[EmailMessage]
) -> None:
    client.force_login(member("someone.else@example.org"))

    response = client.get(link_in(mailoutbox[0]))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"The badge was awarded to {EARNER}; you are signed in as someone.else@example.org." in page
    assert reverse("account_email") in page
    assert f"Sign out and continue as {EARNER}" in page


def test_an_address_not_yet_confirmed_on_the_account_is_named_as_such(
    client: Client, badge: Assertion, mailoutbox: list[EmailMessage]
) -> None:
    user = member("ada@work.example")
    EmailAddress.objects.create(user=user, email=EARNER, verified=False, primary=False)
    client.force_login(user)

    page = client.get(link_in(mailoutbox[0])).content.decode()

    assert f"{EARNER} is on your account but not confirmed yet." in page


def test_a_forged_or_cut_link_says_it_does_not_work(client: Client, badge: Assertion) -> None:
    forged = claim_path(badge, "mallory@example.org")
    cut = claim_path(badge, EARNER)[:-12] + "/"

    for link in (forged, cut, forged.replace("claim/", "claim/x")):
        response = client.get(link)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
