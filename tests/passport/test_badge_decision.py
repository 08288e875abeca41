"""A badge that arrives in a passport asks its member once: "Show this badge on your passport?". Until
they answer it is private; Show makes it public (and, if they tick it, the passport too), Keep private
records the answer; either way the question goes and the usual choice of who sees it takes its place."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from badges.models import BadgeClass
from passport import services
from passport.models import Assertion, Passport, PassportBadge, Visibility
from passport.services.passports import passport_badge_decide, passport_ensure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"
QUESTION = "Show this badge on your passport?"


@pytest.fixture
def member() -> User:
    user = UserFactory.create(username="ada", email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def passport(member: User) -> Passport:
    return passport_ensure(user=member)


@pytest.fixture
def badge(png_class: BadgeClass) -> Assertion:
    return services.assertion_issue(badge_class=png_class, recipient_email=EMAIL, send_email=False)


def passport_page(client: Client, passport: Passport) -> str:
    response = client.get(reverse("passport_site:passport", kwargs={"handle": passport.handle}))
    assert response.status_code == 200
    return response.content.decode()


def decide(client: Client, badge: Assertion, **answer: str) -> str:
    url = reverse("passport_site:badge_decide", kwargs={"public_id": badge.public_id})
    response = client.post(url, answer, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_badge_asks_its_member_whether_to_show_it_and_stays_private_meanwhile(
    client: Client, member: User, passport: Passport, badge: Assertion
) -> None:
    client.force_login(member)
    page = passport_page(client, passport)
    assert QUESTION in page
    assert "A new badge is waiting: choose whether to show it." in page
    assert "Also make my passport public, so people can see it" in page
    assert "Who can see this badge" not in page
    assert not PassportBadge.objects.exists()


def test_show_with_the_passport_made_public_lets_anyone_see_the_badge(
    client: Client, member: User, passport: Passport, badge: Assertion
) -> None:
    client.force_login(member)
    page = decide(client, badge, choice="show", publish_passport="on")

    assert "“Laser cutter operator” is shown on your passport." in page
    assert QUESTION not in page
    assert "Who can see this badge" in page
    client.logout()
    assert "Laser cutter operator" in passport_page(client, passport)


def test_show_on_a_private_passport_says_nobody_sees_it_yet(
    client: Client, member: User, passport: Passport, badge: Assertion
) -> None:
    client.force_login(member)
    page = decide(client, badge, choice="show")

    assert "is shown, but your passport is private" in page
    passport.refresh_from_db()
    assert passport.visibility == Visibility.PRIVATE
    assert PassportBadge.objects.get().visibility == Visibility.PUBLIC


def test_keep_private_records_the_answer_and_the_question_is_not_asked_again(
    client: Client, member: User, passport: Passport, badge: Assertion
) -> None:
    client.force_login(member)
    page = decide(client, badge, choice="private")

    assert "stays private: only you see it" in page
    assert QUESTION not in page
    assert PassportBadge.objects.get().visibility == Visibility.PRIVATE


def test_an_answer_that_is_neither_show_nor_keep_private_changes_nothing(
    client: Client, member: User, passport: Passport, badge: Assertion
) -> None:
    client.force_login(member)
    page = decide(client, badge, choice="everyone")

    assert "Choose whether to show this badge or keep it private." in page
    assert QUESTION in page
    assert not PassportBadge.objects.exists()


def test_a_badge_of_someone_else_cannot_be_shown_nor_make_the_passport_public(
    png_class: BadgeClass, passport: Passport
) -> None:
    other = services.assertion_issue(
        badge_class=png_class, recipient_email="bob@example.org", send_email=False
    )

    with pytest.raises(ValidationError):
        passport_badge_decide(passport=passport, assertion=other, show=True, publish_passport=True)

    passport.refresh_from_db()
    assert passport.visibility == Visibility.PRIVATE
    assert not PassportBadge.objects.exists()


def test_a_badge_kept_private_cannot_make_the_passport_public(passport: Passport, badge: Assertion) -> None:
    with pytest.raises(ValidationError):
        passport_badge_decide(passport=passport, assertion=badge, show=False, publish_passport=True)

    passport.refresh_from_db()
    assert passport.visibility == Visibility.PRIVATE
    assert not PassportBadge.objects.exists()
