"""Accounts as a person meets them: sign up, verify the address, sign in, reset a forgotten password,
add a second address; with passwords hashed by Argon2 and failed log-ins limited."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

PASSWORD = "kiln-fired-stoneware-42"


def link_in(message: mail.EmailMessage) -> str:
    """The path of the one link an account e-mail asks its reader to follow."""
    found = re.search(r"https?://[^/\s]+(/\S+)", str(message.body))
    assert found, message.body
    return found.group(1)


@pytest.fixture
def verified_member(db: None) -> User:
    user = User.objects.create_user(username="ada", email="ada@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_up(client: Client, email: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.django_db
def test_sign_up_e_mails_a_link_that_verifies_the_address_and_signs_in(
    client: Client, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, "maker@example.org", django_capture_on_commit_callbacks)

    assert [message.to for message in mailoutbox] == [["maker@example.org"]]
    assert "makeworks" in mailoutbox[0].subject
    confirm = client.get(link_in(mailoutbox[0]))
    assert confirm.status_code == 200
    client.post(link_in(mailoutbox[0]))
    assert EmailAddress.objects.get(email="maker@example.org").verified
    assert client.get(reverse("account_email")).status_code == 200


@pytest.mark.django_db
def test_an_unverified_address_cannot_sign_in(client: Client, django_capture_on_commit_callbacks) -> None:
    sign_up(client, "maker@example.org", django_capture_on_commit_callbacks)
    client.logout()

    response = client.post(reverse("account_login"), {"login": "maker@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_sign_up_sends_nothing_when_the_form_is_refused(client: Client, mailoutbox: list) -> None:
    response = client.post(
        reverse("account_signup"), {"email": "not-an-address", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []
    assert not User.objects.exists()


@pytest.mark.real_password_hashing
@pytest.mark.django_db
def test_passwords_are_stored_as_argon2_hashes(client: Client, django_capture_on_commit_callbacks) -> None:
    sign_up(client, "maker@example.org", django_capture_on_commit_callbacks)

    stored = User.objects.get(email="maker@example.org").password
    assert stored.startswith("argon2$")
    assert PASSWORD not in stored


def test_a_verified_member_signs_in_and_out(client: Client, verified_member: User) -> None:
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(verified_member.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_failed_log_ins_are_limited_even_for_the_right_password_afterwards(
    client: Client, verified_member: User
) -> None:
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": "ada@example.org", "password": "wrong-guess"})

    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def fail_log_ins(client: Client, count: int) -> list[str]:
    """Failed log-ins, each with another address so only the per-client limit can refuse them."""
    pages = []
    for attempt in range(count):
        data = {"login": f"guess{attempt}@example.org", "password": "wrong-guess"}
        pages.append(client.post(reverse("account_login"), data).content.decode())
    return pages


@pytest.mark.django_db
def test_behind_the_proxy_one_client_s_failed_log_ins_do_not_lock_out_the_others(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    someone_else = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")

    fail_log_ins(guesser, 10)
    (guesser_page,) = fail_log_ins(guesser, 1)
    (someone_else_page,) = fail_log_ins(someone_else, 1)

    assert "Too many failed login attempts" in guesser_page
    assert "Too many failed login attempts" not in someone_else_page


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_log_in_limit(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    fail_log_ins(Client(HTTP_X_FORWARDED_FOR="203.0.113.9"), 10)
    (forged,) = fail_log_ins(Client(HTTP_X_FORWARDED_FOR="198.51.100.4"), 1)

    assert "Too many failed login attempts" in forged


def test_a_forgotten_password_is_reset_through_an_e_mailed_link(
    client: Client, verified_member: User, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]

    # The link moves its key into the session and redirects, so the key never sits in the form's URL.
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    form_url = form_page.redirect_chain[-1][0]
    client.post(form_url, {"password1": "a-new-glaze-recipe-7", "password2": "a-new-glaze-recipe-7"})

    verified_member.refresh_from_db()
    assert verified_member.check_password("a-new-glaze-recipe-7")


def test_a_member_adds_a_second_address_and_verifies_it(
    client: Client, verified_member: User, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    client.force_login(verified_member)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "ada@workshop.example"})
    assert [message.to for message in mailoutbox] == [["ada@workshop.example"]]
    client.post(link_in(mailoutbox[0]))

    addresses = {a.email: a.verified for a in EmailAddress.objects.filter(user=verified_member)}
    assert addresses == {"ada@example.org": True, "ada@workshop.example": True}
