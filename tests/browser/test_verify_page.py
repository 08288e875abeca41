"""The verifier page in a real browser: a visitor checks a badge by its address or its baked image, reads
the report, and meets no serious accessibility problem, with or without JavaScript."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from badges import services as badge_services
from passport import selectors, services
from passport.models import Assertion
from tests.browser.test_directory_pages import blocking_violations
from tests.factories import ListingFactory, badge_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EARNER = "ada@example.org"


@pytest.fixture
def assertion(site: str, settings: Settings) -> Assertion:
    # Badge ids are absolute, so they must point at the live server for the page to show their images.
    settings.SITE_URL = site
    issuer = badge_services.issuer_create(
        listing=ListingFactory.create(name="Fablab Glasgow"),
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
    )
    badge_class = badge_services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description="Runs the laser cutter safely, from file to finished part.",
        image=SimpleUploadedFile("laser.png", badge_png()),
        criteria_narrative="- Passed the **laser safety** induction",
    )
    issued = services.assertion_issue(badge_class=badge_class, recipient_email=EARNER, send_email=False)
    issued.refresh_from_db()
    return issued


def test_the_verifier_has_no_serious_accessibility_violations(page: Page, assertion: Assertion) -> None:
    page.goto("/verify/")
    assert not blocking_violations(page), blocking_violations(page)

    page.get_by_label("Badge URL or signed badge (JWS)").fill(selectors.assertion_url(assertion))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="This badge is valid")).to_be_visible()
    page.wait_for_load_state("networkidle")

    violations = blocking_violations(page)
    assert not violations, "axe found serious or critical violations:\n" + "\n".join(violations)


def test_a_visitor_verifies_a_badge_by_its_address_and_email(page: Page, assertion: Assertion) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Verify a badge").click()

    page.get_by_label("Badge URL or signed badge (JWS)").fill(selectors.assertion_url(assertion))
    page.get_by_label("Earner's e-mail").fill(EARNER)
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", name="This badge is valid")).to_be_visible()
    expect(page.get_by_text("It was awarded to the e-mail address you gave.")).to_be_visible()
    expect(page.get_by_role("img", name="Badge image: Laser cutter operator")).to_be_visible()
    assert (
        page.get_by_role("img", name="Badge image: Laser cutter operator").evaluate("img => img.naturalWidth")
        == 64
    )


def test_a_visitor_uploads_a_baked_badge_without_javascript(
    page_without_javascript: Page, assertion: Assertion, tmp_path: Path
) -> None:
    image = tmp_path / "badge.png"
    image.write_bytes(assertion.baked_image.read())
    page = page_without_javascript
    page.goto("/verify/")

    page.get_by_label("Baked badge image").set_input_files(str(image))
    page.get_by_label("Earner's e-mail").fill("grace@example.org")
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", name="This badge is not valid")).to_be_visible()
    expect(page.get_by_text("It was not awarded to the e-mail address you gave.").first).to_be_visible()
