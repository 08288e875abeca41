"""Affiliations: a member declares one; it stays self-declared until the hub's badge staff (in the
console) or the listing's owners confirm it. Nobody else may, and another hub's ids are refused."""

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from badges.models import Issuer, IssuerRole
from directory.models import Listing
from passport.models import Affiliation, Passport, Visibility
from passport.services.passports import affiliation_add, passport_ensure, passport_update
from tests.factories import IssuerFactory, IssuerMembershipFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    return UserFactory.create(username="ada")


@pytest.fixture
def passport(member: User) -> Passport:
    passport = passport_ensure(user=member)
    passport_update(
        passport=passport, handle="ada", display_name="Ada Lovelace", visibility=Visibility.PUBLIC
    )
    return passport


@pytest.fixture
def affiliation(passport: Passport, issuer: Issuer) -> Affiliation:
    return affiliation_add(passport=passport, listing=issuer.listing, role="Laser technician")


def confirm_in_console(client: Client, issuer: Issuer, affiliation: Affiliation) -> int:
    url = reverse("console:affiliations", kwargs={"slug": issuer.slug})
    return client.post(url, {"affiliation": affiliation.pk}).status_code


def test_a_member_declares_an_affiliation_by_the_listings_address(
    client: Client, member: User, passport: Passport, hub: Listing
) -> None:
    client.force_login(member)

    response = client.post(
        reverse("passport_site:affiliation_add"),
        {
            "listing": f"https://makeworks.example{hub.get_absolute_url()}",
            "role": "Member",
            "start_date": "2023-05-01",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "It shows as self-declared until the hub confirms it." in page
    assert "Self-declared" in page
    assert Affiliation.objects.get(passport=passport).listing == hub


def test_an_end_before_the_start_is_refused(
    client: Client, member: User, passport: Passport, hub: Listing
) -> None:
    client.force_login(member)

    response = client.post(
        reverse("passport_site:affiliation_add"),
        {"listing": hub.slug, "role": "Member", "start_date": "2023-05-01", "end_date": "2022-01-01"},
    )

    assert "The end date is before the start date." in response.content.decode()
    assert not Affiliation.objects.exists()


def test_an_unknown_listing_is_refused(client: Client, member: User, passport: Passport) -> None:
    client.force_login(member)

    response = client.post(
        reverse("passport_site:affiliation_add"), {"listing": "no-such-place", "role": "Member"}
    )

    assert "No published hub or listing has this address." in response.content.decode()


@pytest.mark.parametrize("role", [IssuerRole.STAFF, IssuerRole.EDITOR, IssuerRole.OWNER])
def test_the_hubs_badge_people_confirm_an_affiliation_in_the_console(
    client: Client, issuer: Issuer, affiliation: Affiliation, passport: Passport, role: IssuerRole
) -> None:
    person = IssuerMembershipFactory.create(issuer=issuer, role=role).user
    client.force_login(person)
    page = client.get(reverse("console:affiliations", kwargs={"slug": issuer.slug})).content.decode()
    assert "Laser technician" in page

    assert confirm_in_console(client, issuer, affiliation) == 302

    affiliation.refresh_from_db()
    assert affiliation.confirmed_by == person
    client.logout()
    passport_page = client.get(reverse("passport_site:passport", kwargs={"handle": passport.handle}))
    assert "Confirmed by the hub" in passport_page.content.decode()


def test_someone_without_a_role_on_the_hub_gets_404(
    client: Client, issuer: Issuer, affiliation: Affiliation
) -> None:
    client.force_login(UserFactory.create())

    assert client.get(reverse("console:affiliations", kwargs={"slug": issuer.slug})).status_code == 404
    assert confirm_in_console(client, issuer, affiliation) == 404
    affiliation.refresh_from_db()
    assert not affiliation.confirmed


def test_another_hubs_affiliation_forged_into_a_post_is_refused(
    client: Client, issuer: Issuer, passport: Passport
) -> None:
    other_hub = IssuerFactory.create(name="Leeds Makerspace")
    elsewhere = affiliation_add(passport=passport, listing=other_hub.listing, role="Member")
    client.force_login(IssuerMembershipFactory.create(issuer=issuer, role=IssuerRole.OWNER).user)

    assert confirm_in_console(client, issuer, elsewhere) == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.confirmed


def test_a_listings_owner_confirms_on_their_own_page(client: Client, passport: Passport) -> None:
    owner = UserFactory.create()
    listing = ListingFactory.create(name="Clyde Plywood Works")
    listing.owners.add(owner)
    affiliation = affiliation_add(passport=passport, listing=listing, role="Joiner")
    client.force_login(owner)
    url = reverse("passport_site:affiliations_to_confirm")
    assert "Clyde Plywood Works" in client.get(url).content.decode()

    response = client.post(url, {"affiliation": affiliation.pk}, follow=True)

    message = "Ada Lovelace's affiliation with Clyde Plywood Works is confirmed."
    assert message in html.unescape(response.content.decode())
    affiliation.refresh_from_db()
    assert affiliation.confirmed_by == owner


def test_a_member_who_does_not_own_the_listing_cannot_confirm(client: Client, passport: Passport) -> None:
    affiliation = affiliation_add(passport=passport, listing=ListingFactory.create(), role="Joiner")
    client.force_login(UserFactory.create())
    url = reverse("passport_site:affiliations_to_confirm")
    assert "Joiner" not in client.get(url).content.decode()

    assert client.post(url, {"affiliation": affiliation.pk}).status_code == 404
    affiliation.refresh_from_db()
    assert not affiliation.confirmed
