from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User

from badges.models import BadgeClass
from badges.services.endorsements import endorsement_give
from directory.models import ListingKind, ListingStatus, Term
from machinery_map.models import EquipmentAccess, EquipmentStatus
from machinery_map.selectors import HubCard, MapFilters, map_search, verdicts_mark
from makeworks.lib.geo import Near
from passport import services as passport_services
from tests.factories import (
    BadgeClassFactory,
    EquipmentFactory,
    IssuerFactory,
    ListingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GLASGOW = Near(55.8642, -4.2518, 25, "Glasgow")


def hub_names(filters: MapFilters) -> list[str]:
    return [card.hub.name for card in map_search(filters).hubs]


@pytest.fixture
def hubs(vocabulary):
    plywood = Term.objects.get(vocabulary="material", slug="plywood")
    near = ListingFactory.create(
        name="Near Lab", kind=ListingKind.MAKERSPACE, latitude=55.87, longitude=-4.26
    )
    far = ListingFactory.create(name="Far Lab", kind=ListingKind.WORKSHOP, latitude=55.95, longitude=-3.19)
    fab = ListingFactory.create(name="Big Fab", kind=ListingKind.FABRICATOR, latitude=55.86, longitude=-4.30)
    EquipmentFactory.create(hub=near, equipment_type="laser-cutter", bed_size_mm=600, materials=[plywood])
    EquipmentFactory.create(hub=near, equipment_type="sla-printer", build_volume_mm3=3_000_000)
    EquipmentFactory.create(hub=far, equipment_type="fdm-printer", build_volume_mm3=11_000_000)
    EquipmentFactory.create(
        hub=fab, equipment_type="laser-cutter", bed_size_mm=1300, access=EquipmentAccess.STAFF
    )
    return {"near": near, "far": far, "fab": fab}


def test_a_broad_machine_type_finds_every_technology_below_it(hubs):
    assert hub_names(MapFilters(equipment_types=("3d-printer",))) == ["Far Lab", "Near Lab"]
    assert hub_names(MapFilters(equipment_types=("sla-printer",))) == ["Near Lab"]


def test_filters_by_process_material_bed_size_build_volume_and_access(hubs):
    assert hub_names(MapFilters(processes=("laser-cutting",))) == ["Big Fab", "Near Lab"]
    assert hub_names(MapFilters(materials=("wood",))) == ["Near Lab"]
    assert hub_names(MapFilters(min_bed_size_mm=1000)) == ["Big Fab"]
    assert hub_names(MapFilters(min_build_volume_l=Decimal("5"))) == ["Far Lab"]
    assert hub_names(MapFilters(access=(EquipmentAccess.STAFF,))) == ["Big Fab"]


def test_every_filter_applies_to_the_same_machine(hubs):
    # Near Lab has a big-bed laser and an SLA printer, but no SLA printer with a 500 mm bed.
    assert hub_names(MapFilters(equipment_types=("sla-printer",), min_bed_size_mm=500)) == []


def test_near_a_place_keeps_hubs_within_the_radius_nearest_first(hubs):
    results = map_search(MapFilters(near=GLASGOW))

    assert [card.hub.name for card in results.hubs] == ["Near Lab", "Big Fab"]
    assert results.hubs[0].distance_km == pytest.approx(0.7, abs=0.2)


def test_retired_machines_and_unpublished_hubs_are_not_on_the_map(hubs):
    EquipmentFactory.create(
        hub=ListingFactory.create(kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT, name="Draft Lab"),
        equipment_type="kiln",
    )
    EquipmentFactory.create(hub=hubs["far"], equipment_type="kiln", status=EquipmentStatus.RETIRED)

    assert hub_names(MapFilters(equipment_types=("kiln",))) == []


def test_each_hub_lists_only_its_matching_machines_and_the_map_has_its_marker(hubs):
    results = map_search(MapFilters(processes=("stereolithography",)))

    (card,) = results.hubs
    assert [machine.equipment.equipment_type.slug for machine in card.machines] == ["sla-printer"]
    assert results.points == [
        {
            "name": "Near Lab",
            "url": "/machines/near-lab/",
            "lat": 55.87,
            "lng": -4.26,
            "detail": "Glasgow · 3D printer (SLA/resin)",
        }
    ]


def test_pages_of_hubs_count_every_match(hubs):
    results = map_search(MapFilters(per_page=2, page=2))

    assert results.total == 3
    assert results.num_pages == 2
    assert [card.hub.name for card in results.hubs] == ["Near Lab"]


def award(badge_class: BadgeClass, email: str) -> None:
    passport_services.assertion_issue(badge_class=badge_class, recipient_email=email, send_email=False)


def usable(card: HubCard) -> str:
    """The answer for the hub's first listed machine."""
    verdict = card.machines[0].verdict
    assert verdict is not None
    return verdict.outcome.value


def verified_member(email: str) -> User:
    member = UserFactory.create(email=email)
    EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
    return member


def test_can_i_make_marks_machines_whose_badges_the_member_holds_or_an_accepted_equivalent(hubs):
    induction = BadgeClassFactory.create(
        issuer=IssuerFactory.create(listing=hubs["near"]), name="Laser safety"
    )
    other_hub_issuer = IssuerFactory.create(listing=hubs["fab"])
    theirs = BadgeClassFactory.create(issuer=other_hub_issuer, name="Laser induction")
    laser = hubs["near"].equipment.get(equipment_type__slug="laser-cutter")
    laser.required_badge_classes.set([induction])
    member = verified_member("maker@example.org")
    filters = MapFilters(processes=("laser-cutting",), near=GLASGOW, operational_only=True)

    results = map_search(filters)
    verdicts_mark(user=member, results=results)
    # Big Fab's staff operate its laser: booking, whatever the badges.
    assert {card.hub.name: usable(card) for card in results.hubs} == {"Near Lab": "steps", "Big Fab": "book"}

    award(theirs, "maker@example.org")
    results = map_search(filters)
    verdicts_mark(user=member, results=results)
    assert {card.hub.name: usable(card) for card in results.hubs}["Near Lab"] == "steps"

    endorsement_give(endorser=induction.issuer, badge_class=theirs, accepted_as=induction, actor=None)
    results = map_search(filters)
    verdicts_mark(user=member, results=results)
    assert {card.hub.name: usable(card) for card in results.hubs}["Near Lab"] == "yes"
    verdict = results.hubs[0].machines[0].verdict
    assert verdict is not None
    (check,) = verdict.badges
    assert check.via is not None
    assert (check.holding.value, check.via.name, check.via.issuer_name) == (
        "equivalent",
        "Laser induction",
        other_hub_issuer.name,
    )


def test_holding_the_required_badge_itself_qualifies(hubs):
    induction = BadgeClassFactory.create(
        issuer=IssuerFactory.create(listing=hubs["near"]), name="Laser safety"
    )
    hubs["near"].equipment.get(equipment_type__slug="laser-cutter").required_badge_classes.set([induction])
    member = verified_member("maker@example.org")
    filters = MapFilters(equipment_types=("laser-cutter",), near=GLASGOW, operational_only=True)

    award(induction, "maker@example.org")
    results = map_search(filters)
    verdicts_mark(user=member, results=results)

    assert {card.hub.name: usable(card) for card in results.hubs} == {"Near Lab": "yes", "Big Fab": "book"}


def test_a_page_past_the_last_says_so_and_still_counts_every_match(hubs):
    results = map_search(MapFilters(per_page=2, page=5))

    assert results.hubs == []
    assert results.total == 3
    assert results.page_out_of_range


def test_a_member_sees_which_badges_each_machine_requires_on_can_i_make(hubs):
    induction = BadgeClassFactory.create(
        issuer=IssuerFactory.create(listing=hubs["near"]), name="Laser safety"
    )
    hubs["near"].equipment.get(equipment_type__slug="laser-cutter").required_badge_classes.set([induction])
    results = map_search(MapFilters(equipment_types=("laser-cutter",), near=GLASGOW))
    verdicts_mark(user=verified_member("maker@example.org"), results=results)

    required = {
        card.hub.name: [badge.name for badge in card.machines[0].equipment.required_badge_classes.all()]
        for card in results.hubs
    }
    assert required == {"Near Lab": ["Laser safety"], "Big Fab": []}
