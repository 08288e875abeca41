"""Deleting an account: confirmed with the password, refused to an issuer's only owner, and then all
personal data is gone (files too) while the badges awarded to the member still verify."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass, Issuer, IssuerMembership, IssuerRole
from passport import selectors
from passport.models import Affiliation, Assertion, ExperienceProject, Passport, ProjectImage
from passport.services.passports import affiliation_add, passport_ensure, passport_update, project_add
from passport.verification import badge_verify
from tests.factories import IssuerMembershipFactory, ListingFactory, UserFactory, badge_png

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"
PASSWORD = "walnut-veneer-press-31"


@pytest.fixture
def member() -> User:
    user = UserFactory.create(username="ada", email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def full_passport(member: User) -> Passport:
    passport = passport_ensure(user=member)
    passport_update(
        passport=passport,
        handle="ada",
        display_name="Ada Lovelace",
        photo=SimpleUploadedFile("me.png", badge_png(), "image/png"),
    )
    affiliation_add(passport=passport, listing=ListingFactory.create(), role="Technician")
    project_add(
        passport=passport,
        title="Analytical engine",
        images=[SimpleUploadedFile("engine.png", badge_png("#333333"), "image/png")],
    )
    return passport


def stored_files(settings: Any) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT, "passports").rglob("*") if path.is_file()]


def test_deleting_the_account_erases_the_member_and_keeps_their_badges_valid(
    client: Client,
    member: User,
    full_passport: Passport,
    issue: Callable[..., Assertion],
    png_class: BadgeClass,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assertion = issue(badge_class=png_class, recipient_email=EMAIL, recipient_name="Ada Lovelace")
    assert len(stored_files(settings)) == 2
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("passport_site:account_delete"), {"password": PASSWORD}, follow=True)

    assert "Your account and your passport are deleted." in response.content.decode()
    assert not User.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.filter(email=EMAIL).exists()
    assert not Passport.objects.exists()
    assert not Affiliation.objects.exists()
    assert not ExperienceProject.objects.exists()
    assert not ProjectImage.objects.exists()
    assert stored_files(settings) == []
    assertion.refresh_from_db()
    assert (assertion.recipient_name, assertion.pending_email, assertion.recipient_lookup) == ("", "", "")
    report = badge_verify(url=selectors.assertion_url(assertion), recipient_email=EMAIL)
    assert report.valid
    assert client.get(reverse("passport_site:mine")).status_code == 302  # signed out


def test_a_wrong_password_deletes_nothing(client: Client, member: User, full_passport: Passport) -> None:
    client.force_login(member)

    response = client.post(reverse("passport_site:account_delete"), {"password": "not-my-password"})

    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    assert Passport.objects.filter(pk=full_passport.pk).exists()


def test_the_only_owner_of_an_issuer_cannot_delete_the_account(
    client: Client, member: User, full_passport: Passport, issuer: Issuer, settings: Any
) -> None:
    IssuerMembershipFactory.create(issuer=issuer, user=member, role=IssuerRole.OWNER)
    client.force_login(member)

    response = client.post(reverse("passport_site:account_delete"), {"password": PASSWORD})

    assert (
        "You are the only owner of the badge issuer Fablab Glasgow. Make someone else an owner in the "
        "console first"
    ) in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    assert IssuerMembership.objects.filter(user=member).exists()
    assert len(stored_files(settings)) == 2


def test_a_co_owner_may_leave_and_the_issuer_audit_log_records_it(
    client: Client, member: User, issuer: Issuer
) -> None:
    membership = IssuerMembershipFactory.create(issuer=issuer, user=member, role=IssuerRole.OWNER)
    IssuerMembershipFactory.create(issuer=issuer, role=IssuerRole.OWNER)
    client.force_login(member)

    client.post(reverse("passport_site:account_delete"), {"password": PASSWORD})

    assert not User.objects.filter(pk=member.pk).exists()
    removed = badge_selectors.audit_entries(issuer).get(action=AuditAction.MEMBER_REMOVED)
    assert removed.object_id == str(membership.pk)


def test_someone_signed_out_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("passport_site:account_delete"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
