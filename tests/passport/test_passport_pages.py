"""A passport as each visitor sees it: private to the member until they choose, unlisted by link only
and never indexed, public with the badges the member chose to show, each with its state, its public
assertion and how many hubs recognise it; the export is the member's alone."""

import json
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges.models import BadgeClass, Issuer
from badges.services.endorsements import endorsement_give
from directory.services import place_record
from passport import selectors, services
from passport.models import Assertion, Passport, Visibility
from passport.services.passports import passport_badge_show, passport_ensure, passport_update
from tests.factories import IssuerFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


@pytest.fixture
def member() -> User:
    user = UserFactory.create(username="ada", email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def passport(member: User) -> Passport:
    return passport_ensure(user=member)


def make_visible(passport: Passport, visibility: str = Visibility.PUBLIC) -> None:
    passport_update(
        passport=passport, handle=passport.handle, display_name="Ada Lovelace", visibility=visibility
    )


def page_of(client: Client, passport: Passport) -> str:
    response = client.get(reverse("passport_site:passport", kwargs={"handle": passport.handle}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_passport_is_private_to_everyone_but_the_member(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.get(reverse("passport_site:mine"), follow=True)
    assert "Your passport is private: only you can see it." in response.content.decode()
    url = reverse("passport_site:passport", kwargs={"handle": "ada"})

    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 404


def test_an_unlisted_passport_is_seen_by_link_but_not_indexed(client: Client, passport: Passport) -> None:
    make_visible(passport, Visibility.UNLISTED)

    page = page_of(client, passport)

    assert '<meta name="robots" content="noindex">' in page
    assert "Ada Lovelace" in page


def test_a_public_passport_may_be_indexed(client: Client, passport: Passport) -> None:
    make_visible(passport)

    assert "noindex" not in page_of(client, passport)


def test_a_badge_issued_to_a_verified_address_appears_for_the_member_only_until_shown(
    client: Client,
    member: User,
    passport: Passport,
    issue: Callable[..., Assertion],
    png_class: BadgeClass,
) -> None:
    assertion = issue(badge_class=png_class, recipient_email="ADA@example.org")
    make_visible(passport)
    client.force_login(member)
    assert "Laser cutter operator" in page_of(client, passport)
    client.logout()
    assert "Laser cutter operator" not in page_of(client, passport)

    client.force_login(member)
    client.post(
        reverse(
            "passport_site:badge_visibility", kwargs={"kind": "platform", "public_id": assertion.public_id}
        ),
        {"visibility": "public"},
    )
    client.logout()

    page = page_of(client, passport)
    assert "Laser cutter operator" in page
    assert selectors.assertion_url(assertion) in page
    assert "Verified" in page


def test_an_unlisted_badge_is_left_off_the_passport_but_reachable_by_its_link(
    client: Client, passport: Passport, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    assertion = issue(badge_class=png_class, recipient_email=EMAIL)
    make_visible(passport)
    passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.UNLISTED)
    link = reverse(
        "passport_site:passport_badge",
        kwargs={"handle": passport.handle, "kind": "platform", "public_id": assertion.public_id},
    )

    assert "Laser cutter operator" not in page_of(client, passport)
    response = client.get(link)
    assert "Laser cutter operator" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()

    passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.PRIVATE)
    assert client.get(link).status_code == 404


def test_a_revoked_badge_is_flagged_on_the_passport(
    client: Client, passport: Passport, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    assertion = issue(badge_class=png_class, recipient_email=EMAIL)
    make_visible(passport)
    passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.PUBLIC)

    services.assertion_revoke(assertion=assertion, reason="Issued by mistake")

    assert "Revoked by its issuer" in page_of(client, passport)


def test_a_badge_shows_how_many_hubs_recognise_it(
    client: Client, passport: Passport, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    assertion = issue(badge_class=png_class, recipient_email=EMAIL)
    make_visible(passport)
    passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.PUBLIC)
    for name in ("Leeds Makerspace", "Fab Lab Yaoundé"):
        endorsement_give(endorser=IssuerFactory.create(name=name), badge_class=png_class, actor=None)

    assert "Recognised by 2 hubs" in page_of(client, passport)


def test_nobody_may_show_a_badge_that_is_not_theirs(
    client: Client, member: User, passport: Passport, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    someone_elses = issue(badge_class=png_class, recipient_email="grace@example.org")
    client.force_login(member)

    response = client.post(
        reverse(
            "passport_site:badge_visibility",
            kwargs={"kind": "platform", "public_id": someone_elses.public_id},
        ),
        {"visibility": "public"},
        follow=True,
    )

    assert "This badge was not awarded to any of your verified e-mail addresses." in response.content.decode()
    assert not passport.badge_settings.exists()


def test_editing_places_the_member_from_the_gazetteer(
    client: Client, member: User, passport: Passport
) -> None:
    glasgow = place_record(name="Glasgow", country="GB", latitude=55.86, longitude=-4.25)
    client.force_login(member)

    response = client.post(
        reverse("passport_site:edit"),
        {
            "display_name": "Ada L.",
            "handle": "ada-makes",
            "visibility": "public",
            "bio": "I make *engines*.<script>alert(1)</script>",
            "location": "Glasgow",
            "languages": "English, French",
        },
        follow=True,
    )

    passport.refresh_from_db()
    assert (passport.handle, passport.latitude, passport.longitude) == (
        "ada-makes",
        glasgow.latitude,
        glasgow.longitude,
    )
    page = response.content.decode()
    assert "<em>engines</em>" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    ("handle", "message"),
    [("p", "Someone already has the handle"), ("export", "is a page of this site")],
)
def test_a_taken_or_reserved_handle_is_refused(
    client: Client, member: User, passport: Passport, handle: str, message: str
) -> None:
    passport_ensure(user=UserFactory.create(username="p"))
    client.force_login(member)

    response = client.post(
        reverse("passport_site:edit"), {"display_name": "Ada", "handle": handle, "visibility": "private"}
    )

    assert message in response.content.decode()
    passport.refresh_from_db()
    assert passport.handle == "ada"


def test_a_photo_that_is_not_an_image_is_refused(client: Client, member: User, passport: Passport) -> None:
    client.force_login(member)

    response = client.post(
        reverse("passport_site:edit"),
        {
            "display_name": "Ada",
            "handle": "ada",
            "visibility": "private",
            "photo": SimpleUploadedFile("me.png", b"not a picture", "image/png"),
        },
    )

    assert "This file is not an image we can read." in response.content.decode()
    passport.refresh_from_db()
    assert not passport.photo


def test_the_export_holds_every_assertion_and_only_the_member_gets_it(
    client: Client,
    member: User,
    passport: Passport,
    issue: Callable[..., Assertion],
    png_class: BadgeClass,
    issuer: Issuer,
) -> None:
    signed = issue(badge_class=png_class, recipient_email=EMAIL, signed=True)
    hosted = issue(badge_class=png_class, recipient_email=EMAIL)
    make_visible(passport)
    url = reverse("passport_site:export", kwargs={"handle": passport.handle})
    assert client.get(url).status_code == 404

    client.force_login(member)
    response = client.get(url)

    assert response["Content-Disposition"] == 'attachment; filename="passport-ada.json"'
    exported = json.loads(response.content)
    assert exported["displayName"] == "Ada Lovelace"
    assert {(badge["url"], badge["jws"]) for badge in exported["platformBadges"]} == {
        (selectors.assertion_url(signed), signed.jws),
        (selectors.assertion_url(hosted), None),
    }
    assert exported["externalBadges"] == []
