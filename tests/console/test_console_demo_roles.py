"""`seed_badges` gives demo accounts a role each on the first demo hub, so the console has people to
show, and does it once however often it runs; never in production."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from badges import permissions
from badges.models import Issuer, IssuerMembership
from directory.models import ListingKind
from passport.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.factories import IssuerFactory, ListingFactory

pytestmark = pytest.mark.django_db


def demo_roles() -> dict[str, str | None]:
    hub = Issuer.objects.order_by("pk").first()
    assert hub is not None
    return {
        email: permissions.issuer_role(User.objects.get(email=email), hub) for email, _role in DEMO_ACCOUNTS
    }


def test_seeding_gives_an_owner_an_editor_and_a_staff_member_to_the_first_hub_once() -> None:
    for number in range(2):
        ListingFactory.create(name=f"Hub {number}", kind=ListingKind.MAKERSPACE)

    call_command("seed_badges", stdout=StringIO())
    call_command("seed_badges", stdout=StringIO())

    assert demo_roles() == {
        "owner@demo.makeworks.example": "owner",
        "editor@demo.makeworks.example": "editor",
        "staff@demo.makeworks.example": "staff",
    }
    assert User.objects.filter(email__endswith="@demo.makeworks.example").count() == 3
    assert IssuerMembership.objects.count() == 3


def test_a_demo_owner_signs_in_with_the_demo_password_and_opens_the_console(client: Client) -> None:
    ListingFactory.create(name="Fablab Glasgow", kind=ListingKind.MAKERSPACE)
    call_command("seed_badges", stdout=StringIO())
    hub = Issuer.objects.get()

    signed_in = client.post(
        reverse("account_login"), {"login": "owner@demo.makeworks.example", "password": DEMO_PASSWORD}
    )
    people = client.get(reverse("console:staff", kwargs={"slug": hub.slug}))

    assert signed_in.status_code == 302
    assert people.status_code == 200
    assert "editor@demo.makeworks.example" in people.content.decode()


def test_a_database_seeded_before_the_demo_roles_gets_them_on_the_next_run() -> None:
    IssuerFactory.create(name="Older hub")
    out = StringIO()

    call_command("seed_badges", stdout=out)

    assert "seed_badges skipped" in out.getvalue()
    assert set(demo_roles().values()) == {"owner", "editor", "staff"}


def test_production_gets_no_demo_accounts(settings: Settings) -> None:
    settings.PRODUCTION = True
    IssuerFactory.create()

    call_command("seed_badges", stdout=StringIO())

    assert not User.objects.filter(email__endswith="@demo.makeworks.example").exists()
