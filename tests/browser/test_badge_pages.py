"""The public Open Badges pages in a real browser: readable and free of serious accessibility problems."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from badges import selectors, services
from badges.models import BadgeClass
from tests.browser.test_directory_pages import blocking_violations
from tests.factories import ListingFactory, badge_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laser(site: str, settings: Settings) -> BadgeClass:
    # Badge pages show images by their absolute ids, so the ids must point at the live server.
    settings.SITE_URL = site
    issuer = services.issuer_create(
        listing=ListingFactory.create(name="Fablab Glasgow"),
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
        image=SimpleUploadedFile("logo.png", badge_png("#264653")),
    )
    return services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description="Runs the laser cutter safely, from file to finished part.",
        image=SimpleUploadedFile("laser.png", badge_png()),
        criteria_narrative="- Passed the **laser safety** induction\n- Cut a two-material job unsupervised",
        alignments=[{"targetName": "Machinery", "targetUrl": "http://data.europa.eu/esco/skill/S8"}],
        tags=["laser cutting"],
    )


@pytest.mark.parametrize("which", ["issuer", "badge_class", "key"])
def test_badge_pages_have_no_serious_accessibility_violations(
    page: Page, laser: BadgeClass, which: str
) -> None:
    urls = {
        "issuer": selectors.issuer_url(laser.issuer),
        "badge_class": selectors.badge_class_url(laser),
        "key": selectors.key_url(selectors.active_signing_key(laser.issuer)),
    }
    page.goto(urls[which])
    page.wait_for_load_state("networkidle")

    violations = blocking_violations(page)

    assert not violations, "axe found serious or critical violations:\n" + "\n".join(violations)


def test_the_badge_class_page_shows_its_image_and_criteria(page: Page, laser: BadgeClass) -> None:
    page.goto(selectors.badge_class_url(laser))

    image = page.get_by_role("img", name="The Laser cutter operator badge")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 64
    expect(page.get_by_role("heading", name="How to earn it")).to_be_visible()
    expect(page.locator("strong", has_text="laser safety")).to_be_visible()
