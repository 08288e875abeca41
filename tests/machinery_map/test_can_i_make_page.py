""" "Can I make this here?" as a visitor and as a member, in English and French: the machine's own rule
for everyone, the badge part only once signed in, with an endorsed equivalent from another hub."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from badges.models import BadgeClass
from badges.services.endorsements import endorsement_give
from directory.models import Listing, ListingKind
from machinery_map.models import EquipmentAccess
from passport import services as passport_services
from tests.factories import BadgeClassFactory, EquipmentFactory, IssuerFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db
ASK = {"what": "type:laser-cutter", "near": "55.86,-4.25", "radius": "20"}


@pytest.fixture
def laser_hubs(hub: Listing) -> dict[str, BadgeClass]:
    """Fablab Glasgow's laser requires its own badge; a fabricator nearby runs a staff-operated laser and
    a members-only one; a Paris hub's badge is accepted by Fablab Glasgow in place of its own."""
    ours = BadgeClassFactory.create(issuer=IssuerFactory.create(listing=hub), name="Laser cutter operator")
    EquipmentFactory.create(
        hub=hub,
        equipment_type="laser-cutter",
        access=EquipmentAccess.INDUCTION,
        required_badge_classes=[ours],
    )
    shop = ListingFactory.create(name="Clyde Fabrication", kind=ListingKind.FABRICATOR, latitude=55.87)
    EquipmentFactory.create(hub=shop, equipment_type="laser-cutter", access=EquipmentAccess.STAFF)
    club = ListingFactory.create(name="Members Club", kind=ListingKind.MAKERSPACE, latitude=55.85)
    EquipmentFactory.create(hub=club, equipment_type="laser-cutter", access=EquipmentAccess.MEMBERS)
    paris = ListingFactory.create(
        name="La Fabrique", kind=ListingKind.MAKERSPACE, latitude=48.86, longitude=2.35
    )
    theirs = BadgeClassFactory.create(issuer=IssuerFactory.create(listing=paris), name="Habilitation laser")
    endorsement_give(endorser=ours.issuer, badge_class=theirs, accepted_as=ours, actor=None)
    return {"ours": ours, "theirs": theirs}


def member_holding(badge_class: BadgeClass) -> User:
    member = UserFactory.create(email="maker@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    passport_services.assertion_issue(badge_class=badge_class, recipient_email=member.email, send_email=False)
    return member


def test_a_visitor_sees_each_machines_rule_and_is_asked_to_sign_in_only_for_badges(
    laser_hubs, client: Client
):
    response = client.get(reverse("machinery_map:can_i_make"), ASK)

    page = response.text
    assert response.status_code == 200
    assert "3 hubs nearby" in page
    assert "Book a session with the staff" in page
    assert "Join the hub first" in page
    assert "Sign in to check your badges" in page
    assert "Needs the badge" in page
    assert "Your passport qualifies" not in page
    assert "/accounts/login/?next=" in page


def test_a_visitor_reads_the_same_answers_in_french(laser_hubs, client: Client):
    response = client.get("/fr" + reverse("machinery_map:can_i_make"), ASK)

    page = response.text
    assert response.status_code == 200
    assert "Réservez une séance avec l’équipe" in page
    assert "Adhérez d’abord au tiers-lieu" in page
    assert "Connectez-vous pour vérifier vos badges" in page


def test_a_member_holding_an_endorsed_equivalent_may_use_the_laser(laser_hubs, client: Client):
    client.force_login(member_holding(laser_hubs["theirs"]))

    page = client.get(reverse("machinery_map:can_i_make"), ASK).text

    assert "you hold an endorsed equivalent: Habilitation laser from" in page
    assert "1 machine you may use" in page
    assert "Sign in to check your badges" not in page


def test_a_member_without_the_badge_is_told_where_to_get_it_in_french(laser_hubs, client: Client):
    client.force_login(member_holding(BadgeClassFactory.create(name="Sewing")))

    page = client.get("/fr" + reverse("machinery_map:can_i_make"), ASK).text

    assert "Nécessite un badge que vous n’avez pas encore" in page
    assert "à obtenir auprès de" in page
    assert "machine que vous pouvez utiliser" not in page


def test_a_member_holding_the_badge_itself_is_told_so(laser_hubs, client: Client):
    client.force_login(member_holding(laser_hubs["ours"]))

    page = client.get(reverse("machinery_map:can_i_make"), ASK).text

    assert "you hold it." in page
    assert "You may use it" in page
