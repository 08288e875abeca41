"""Where confirming an address leads: a new member to the welcome, which asks them to create their
passport first; someone adding a further address back to their addresses. In the language they used."""

from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.accounts.test_accounts import PASSWORD, link_in, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls() -> Iterator[None]:
    """URLs reversed in English, whatever language an earlier request left active in this thread."""
    with translation.override("en"):
        yield


def test_confirming_the_first_address_leads_to_the_welcome_and_its_passport_button(
    client: Client, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, "maker@example.org", django_capture_on_commit_callbacks)

    confirmed = client.post(link_in(mailoutbox[0]))

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/accounts/welcome/"
    welcome = client.get(confirmed["Location"]).content.decode()
    assert "Welcome to makeworks" in welcome
    assert (
        f'<a class="button button-primary" href="{reverse("passport_site:edit")}">Create your passport</a>'
        in welcome
    )
    assert reverse("passport_site:makers") in welcome


def test_a_link_opened_in_another_browser_confirms_then_asks_to_sign_in_on_the_way_to_the_welcome(
    client: Client, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, "maker@example.org", django_capture_on_commit_callbacks)
    phone = Client()

    confirmed = phone.post(link_in(mailoutbox[0]))

    assert confirmed["Location"] == "/accounts/login/?next=%2Faccounts%2Fwelcome%2F"
    assert EmailAddress.objects.get(email="maker@example.org").verified
    signed_in = phone.post(confirmed["Location"], {"login": "maker@example.org", "password": PASSWORD})
    assert signed_in["Location"] == "/accounts/welcome/"


def test_confirming_a_further_address_leads_back_to_the_addresses(
    client: Client, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    user = User.objects.create_user(username="ada", email="ada@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "ada@workshop.example"})

    confirmed = client.post(link_in(mailoutbox[-1]))

    assert confirmed["Location"] == reverse("account_email")


def test_signing_up_in_french_sends_a_french_e_mail_and_welcomes_in_french(
    client: Client, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/accounts/signup/",
            {"email": "fabricante@example.fr", "password1": PASSWORD, "password2": PASSWORD},
        )

    message = mailoutbox[0]
    assert "Confirmez votre adresse e-mail" in str(message.subject)
    assert link_in(message).startswith("/fr/accounts/confirm-email/")
    confirmed = client.post(link_in(message))
    assert confirmed["Location"] == "/fr/accounts/welcome/"
    assert "Créer votre passeport" in client.get(confirmed["Location"]).content.decode()


def test_the_welcome_is_for_signed_in_members_only(client: Client) -> None:
    response = client.get(reverse("accounts:welcome"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
