""" "Can I make this here?" on a 390 px phone in French: a visitor reads each machine's own rule and is
asked to sign in only for the badges; signed in, a member holding an endorsed equivalent is told she may
use the laser. No sideways scroll, nothing serious for axe. With MAKEWORKS_SHOTS set to a folder, the
walk also saves screenshots at 1366 and 390 px in both languages, as visitor and member."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from badges.services.endorsements import endorsement_give
from directory.models import ListingKind
from machinery_map.models import EquipmentAccess
from machinery_map.seeding import taxonomy_seed
from passport import services as passport_services
from tests.browser.conftest import _only_local
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_directory_pages import blocking_violations
from tests.browser.test_phone_layout import too_wide
from tests.factories import BadgeClassFactory, EquipmentFactory, IssuerFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
MEMBER = "rosa@example.org"
ASK = "/machines/can-i-make/?what=type:laser-cutter&near=55.86,-4.25&radius=20"


@pytest.fixture
def laser_hubs(transactional_db: None) -> None:
    taxonomy_seed()
    glasgow = ListingFactory.create(
        name="Springburn Fab Lab", kind=ListingKind.MAKERSPACE, latitude=55.86, longitude=-4.25
    )
    ours = BadgeClassFactory.create(
        issuer=IssuerFactory.create(listing=glasgow), name="Laser cutter operator"
    )
    EquipmentFactory.create(hub=glasgow, equipment_type="laser-cutter", required_badge_classes=[ours])
    EquipmentFactory.create(
        hub=glasgow, equipment_type="laser-cutter", make="Epilog", model="Fusion Pro 32", access="members"
    )
    shop = ListingFactory.create(
        name="Clyde Fabrication", kind=ListingKind.FABRICATOR, latitude=55.87, longitude=-4.28
    )
    EquipmentFactory.create(hub=shop, equipment_type="laser-cutter", access=EquipmentAccess.STAFF)
    paris = ListingFactory.create(
        name="La Fabrique", kind=ListingKind.MAKERSPACE, latitude=48.86, longitude=2.35
    )
    theirs = BadgeClassFactory.create(
        issuer=IssuerFactory.create(listing=paris), name="Habilitation découpe laser"
    )
    endorsement_give(endorser=ours.issuer, badge_class=theirs, accepted_as=ours, actor=None)
    person(MEMBER)
    passport_services.assertion_issue(badge_class=theirs, recipient_email=MEMBER, send_email=False)


def check_page(page: Page) -> None:
    assert too_wide(page) is None, too_wide(page)
    assert not blocking_violations(page)


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("MAKEWORKS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width, viewport in (("1366", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=f"{folder}/can-i-make-{name}-{width}.png", full_page=True)
        page.set_viewport_size(PHONE)


def test_can_i_make_on_a_french_phone_as_a_visitor_then_as_a_member(
    browser: Browser, site: str, laser_hubs: None
) -> None:
    context = browser.new_context(base_url=site, locale="fr-FR", viewport=PHONE, has_touch=True)
    context.route("**/*", _only_local(site))
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto("/fr" + ASK)
    expect(page.get_by_text("Réservez une séance avec l’équipe")).to_be_visible()
    expect(page.get_by_text("Adhérez d’abord au tiers-lieu").first).to_be_visible()
    expect(page.get_by_role("link", name="connectez-vous pour vérifier vos badges").first).to_be_visible()
    check_page(page)
    shoot(page, "visitor-fr")
    page.goto(ASK)
    shoot(page, "visitor-en")

    page.set_viewport_size(DESKTOP)
    sign_in(page, MEMBER)
    page.set_viewport_size(PHONE)
    page.goto("/fr" + ASK)
    expect(page.get_by_text("vous avez un équivalent reconnu : Habilitation découpe laser")).to_be_visible()
    expect(page.get_by_text("1 machine que vous pouvez utiliser")).to_be_visible()
    expect(page.get_by_text("Connectez-vous pour vérifier vos badges")).to_have_count(0)
    check_page(page)
    shoot(page, "member-fr")
    page.goto(ASK)
    shoot(page, "member-en")
    context.close()
