"""`seed_demo` tells the story people try first: the hub issuing "Laser cutter operator" has a laser
cutter requiring it, other hubs accept it in place of their own badge, some machines are members-only or
staff-operated, every demo account signs in, the demo member's public passport shows badges, and a
"near" search from London, Köln, Nairobi or Lyon finds listings next door first."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from badges.models import BadgeClass, Endorsement
from directory.search import parse_search_params, search_listings
from machinery_map.models import Equipment, EquipmentAccess
from passport.seeding import DEMO_ACCOUNTS, DEMO_CURATOR, DEMO_LISTING_OWNER, DEMO_MEMBER, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """One seeded demo (without photos) shared by the class, rolled back when it is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--no-photos", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


# The demo is seeded once, before any test's fast hasher applies: its passwords are real Argon2 hashes.
@pytest.mark.real_password_hashing
@pytest.mark.usefixtures("demo")
class TestSeedDemoStory:
    def test_the_hub_issuing_the_laser_badge_has_a_laser_cutter_requiring_it(self) -> None:
        laser = BadgeClass.objects.get(name="Laser cutter operator")

        machines = Equipment.objects.filter(hub=laser.issuer.listing, equipment_type__slug="laser-cutter")

        assert machines.filter(required_badge_classes=laser, status="operational").exists()

    def test_other_hubs_accept_the_laser_badge_for_their_own_gated_laser_cutters(self) -> None:
        laser = BadgeClass.objects.get(name="Laser cutter operator")
        endorsements = Endorsement.objects.filter(badge_class=laser, accepted_as__isnull=False)

        assert endorsements.count() >= 2
        for endorsement in endorsements:
            gated = Equipment.objects.filter(
                hub=endorsement.endorser.listing,
                equipment_type__slug="laser-cutter",
                required_badge_classes=endorsement.accepted_as,
            )
            assert gated.exists(), endorsement.endorser.name

    def test_some_machines_are_members_only_and_some_staff_operated(self) -> None:
        accesses = set(Equipment.objects.values_list("access", flat=True))

        assert {EquipmentAccess.MEMBERS, EquipmentAccess.STAFF, EquipmentAccess.OPEN} <= accesses

    def test_every_demo_account_signs_in_with_the_published_password(self) -> None:
        emails = [email for email, _role in DEMO_ACCOUNTS] + [DEMO_CURATOR, DEMO_LISTING_OWNER, DEMO_MEMBER]
        for email in emails:
            response = Client().post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
            assert response.status_code == 302, (email, response.context["form"].errors)

    def test_the_demo_members_public_passport_shows_their_badges(self) -> None:
        page = Client().get(reverse("passport_site:passport", kwargs={"handle": "rosa-quinn"})).text

        assert "Rosa Quinn" in page
        assert "Laser cutter operator" in page
        assert "3D printing (FDM)" in page

    def test_the_demo_member_may_use_a_paris_laser_through_an_endorsed_equivalent(self) -> None:
        client = Client()
        client.post(reverse("account_login"), {"login": DEMO_MEMBER, "password": DEMO_PASSWORD})

        page = client.get(
            reverse("machinery_map:can_i_make"),
            {"what": "type:laser-cutter", "near": "Paris", "radius": "50"},
        ).text

        assert "you hold an endorsed equivalent: Laser cutter operator from" in page

    @pytest.mark.parametrize(
        ("place", "country", "towns"),
        [
            ("London", "GB", {"London"}),
            ("Köln", "DE", {"Köln"}),
            ("Nairobi", "KE", {"Nairobi"}),
            ("Lyon", "FR", {"Lyon", "Villeurbanne"}),
        ],
    )
    def test_a_near_search_finds_listings_next_door_first(self, place: str, country: str, towns: set[str]):
        params = parse_search_params(QueryDict(f"near={place}&sort=distance"))
        assert params.near is not None

        results = search_listings(params)

        assert results.total >= 3
        first = results.hits[0]
        assert (first.country, first.city in towns) == (country, True)
