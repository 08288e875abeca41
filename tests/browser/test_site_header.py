"""The site's header: one line on a desktop in either language, signed out and as a hub owner (the person's
own links folded under "Account", the language one button), and on a phone every link within reach
through the Menu."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, ViewportSize, expect

from badges.models import IssuerRole
from tests.browser.conftest import _only_local
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_directory_pages import blocking_violations
from tests.browser.test_phone_layout import PHONE, too_wide
from tests.factories import IssuerMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER = "ada.owner@example.org"
WIDE: ViewportSize = {"width": 1366, "height": 800}

# The height of the header's content next to the brand's: one line when they are the same.
HEADER_LINES = """() => {
  const inner = document.querySelector('.site-header-inner');
  const style = getComputedStyle(inner);
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  const content = inner.getBoundingClientRect().height - padding;
  return content / document.querySelector('.brand').getBoundingClientRect().height;
}"""


@pytest.fixture
def owner(transactional_db: None) -> User:
    user = person(OWNER)
    IssuerMembershipFactory.create(user=user, role=IssuerRole.OWNER)
    return user


def test_the_header_is_one_line_at_1366_px_in_french_signed_out_and_in_english_as_an_owner(
    browser: Browser, site: str, owner: User
) -> None:
    for locale, signed_in, path in [("fr-FR", False, "/fr/"), ("en-GB", True, "/")]:
        context = browser.new_context(base_url=site, locale=locale, viewport=WIDE)
        context.route("**/*", _only_local(site))
        context.set_default_timeout(10_000)
        page = context.new_page()
        if signed_in:
            sign_in(page, OWNER)
        page.goto(path)

        assert page.evaluate(HEADER_LINES) == pytest.approx(1, abs=0.02), f"{locale}: more than one line"
        expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
        if signed_in:
            expect(page.get_by_role("link", name="Console")).to_be_visible()
            expect(page.get_by_role("link", name="Sign out")).to_be_hidden()
            page.get_by_text("Account", exact=True).click()
            expect(page.get_by_role("link", name="Sign out")).to_be_visible()
        assert blocking_violations(page) == []
        context.close()


def test_on_a_phone_every_link_is_reached_through_the_menu(page: Page, owner: User) -> None:
    sign_in(page, OWNER)
    page.set_viewport_size(PHONE)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    links = ["Search", "Nodes", "Makers", "Machines", "Verify a badge", "Add a listing", "Console"]
    expect(nav.get_by_role("link", name="Search")).to_be_hidden()

    page.get_by_text("Menu", exact=True).click()
    for name in links:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    nav.get_by_text("Account", exact=True).click()
    for name in ["Your passport", "Your account", "Sign out"]:
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_be_visible()
    assert too_wide(page) is None
    assert blocking_violations(page) == []

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # The brand is the way home, and says so to a screen reader.
    page.goto("/fr/search/")
    home = page.get_by_role("link", name=re.compile(r"^makeworks\W+page d’accueil$"))
    home.click()
    expect(home).to_have_attribute("aria-current", "page")
