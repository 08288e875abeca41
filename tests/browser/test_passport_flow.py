"""The Maker Passport end to end in a real browser: a member signs up, verifies their e-mail from the
link in the message, sees the badge a hub issued to that address appear on their passport, makes the
passport and the badge public, and an anonymous visitor verifies that badge on /verify/."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from badges import services as badge_services
from passport import services
from tests.browser.conftest import SITE_MESSAGES, _new_context
from tests.browser.test_directory_pages import blocking_violations
from tests.factories import ListingFactory, badge_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "june@example.org"
PASSWORD = "walnut-veneer-press-31"


@pytest.fixture
def visitor_page(browser: Browser, site: str) -> Iterator[Page]:
    context = _new_context(browser, site)
    yield context.new_page()
    context.close()


def test_a_new_member_shows_a_badge_that_an_anonymous_visitor_verifies(
    page: Page, visitor_page: Page, site: str, settings: Settings, mailoutbox: list
) -> None:
    # Badge ids must point at the live server, so the verifier reads them as this site's own.
    settings.SITE_URL = site
    issuer = badge_services.issuer_create(
        listing=ListingFactory.create(name="Fablab Glasgow"),
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
    )
    laser = badge_services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description="Runs the laser cutter safely.",
        image=SimpleUploadedFile("laser.png", badge_png()),
        criteria_narrative="Passed the laser safety induction.",
    )
    services.assertion_issue(badge_class=laser, recipient_email=EMAIL, recipient_name="June")
    mail.outbox.clear()

    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mailoutbox[-1].body))
    assert link is not None, mailoutbox[-1].body
    page.goto(link.group(0).replace(site, ""))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_text("Account", exact=True).click()
    page.get_by_role("link", name="Your passport", exact=True).click()
    badge = page.get_by_role("listitem").filter(has_text="Laser cutter operator")
    expect(badge).to_contain_text("Issued by Fablab Glasgow")
    expect(badge).to_contain_text("Verified")
    expect(page.get_by_text("Your passport is private: only you can see it.")).to_be_visible()
    assert blocking_violations(page) == []

    page.get_by_role("link", name="Edit your passport").click()
    page.get_by_label("Name to show").fill("June Carter")
    page.get_by_label("Public: anyone can find it").check()
    page.get_by_role("button", name="Save your passport").click()
    expect(page.locator(SITE_MESSAGES)).to_contain_text("Your passport is saved.")
    badge = page.get_by_role("listitem").filter(has_text="Laser cutter operator")
    expect(badge).to_contain_text("Show this badge on your passport?")
    badge.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(SITE_MESSAGES)).to_contain_text("“Laser cutter operator” is shown on your passport.")
    expect(badge.get_by_label("Public")).to_be_checked()
    passport_url = page.url

    visitor_page.goto(passport_url)
    expect(visitor_page.get_by_role("heading", name="June Carter")).to_be_visible()
    public_link = visitor_page.get_by_role("link", name="Public badge and its verification")
    badge_url = public_link.get_attribute("href")
    assert badge_url is not None
    assert badge_url.startswith(f"{site}/badges/assertions/")
    assert blocking_violations(visitor_page) == []

    visitor_page.goto("/verify/")
    visitor_page.get_by_label("Badge URL or signed badge (JWS)").fill(badge_url)
    visitor_page.get_by_role("button", name="Verify").click()
    expect(visitor_page.get_by_text("This badge is valid")).to_be_visible()
