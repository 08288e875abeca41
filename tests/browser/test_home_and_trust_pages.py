"""A first visit: the home on a desktop and a phone, in English and French, both of its searches, and
the trust pages reached from the footer; then the API reference, which must reach no other server."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, ViewportSize, expect
from pytest_django.fixtures import Settings

from tests.browser.test_directory_pages import blocking_violations
from tests.browser.test_phone_layout import too_wide
from tests.pages.conftest import HomeWorld, build_home_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

WORDS = {
    "en": {
        "prefix": "",
        "locale": "en-GB",
        "maker": "Search the directory",
        "skill_label": "Which skill?",
        "skill": "Find makers with badges",
        "footer": ["About", "Privacy", "Terms of use", "Contact"],
    },
    "fr": {
        "prefix": "/fr",
        "locale": "fr-FR",
        "maker": "Chercher dans l’annuaire",
        "skill_label": "Quelle compétence ?",
        "skill": "Trouver des makers badgés",
        "footer": ["À propos", "Confidentialité", "Conditions d’utilisation", "Contact"],
    },
}


@pytest.fixture
def world(site: str, settings: Settings) -> HomeWorld:
    settings.SITE_URL = site
    return build_home_world()


def first_visit(browser: Browser, site: str, language: str, viewport: ViewportSize) -> BrowserContext:
    context = browser.new_context(base_url=site, locale=str(WORDS[language]["locale"]), viewport=viewport)
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(site) else route.abort()
    )
    context.set_default_timeout(10_000)
    return context


def assert_fits_and_passes_axe(page: Page) -> None:
    assert too_wide(page) is None, too_wide(page)
    assert blocking_violations(page) == []


def open_footer_link(page: Page, name: str) -> None:
    page.locator(".site-footer").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_first_visit_finds_a_maker_and_a_skill_from_the_home_and_reads_the_trust_pages(
    browser: Browser, site: str, world: HomeWorld, language: str
) -> None:
    words = WORDS[language]
    prefix = str(words["prefix"])
    errors: list[str] = []
    for viewport in (DESKTOP, PHONE):
        context = first_visit(browser, site, language, viewport)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(f"{prefix}/")
        expect(page.locator("#nodes-map .leaflet-marker-icon").first).to_be_attached()
        expect(page.locator("#featured-heading ~ ul .card-image").first).to_be_visible()
        assert_fits_and_passes_axe(page)

        search = page.locator("form[action$='/search/']")
        search.locator("input[name=q]").fill("plywood")
        search.get_by_role("button", name=str(words["maker"])).click()
        page.wait_for_url(re.compile(r"/search/\?q=plywood"))
        expect(page.locator(".card-list")).to_contain_text("Clyde Plywood Works")

        page.goto(f"{prefix}/")
        page.get_by_label(str(words["skill_label"])).fill("Laser cutting")
        page.get_by_role("button", name=str(words["skill"])).click()
        page.wait_for_url(re.compile(r"/p/\?skill=Laser\+cutting"))
        expect(page.get_by_role("link", name="Amina Okafor")).to_be_visible()

        for name in words["footer"]:
            open_footer_link(page, str(name))
            expect(page.locator("h1#trust-heading")).to_be_visible()
            assert_fits_and_passes_axe(page)
        context.close()
    assert not errors, errors


@pytest.fixture
def recorded(browser: Browser, site: str) -> Iterator[tuple[Page, list[str]]]:
    """A page whose every request for another server is aborted and written down."""
    context = browser.new_context(base_url=site, viewport=DESKTOP)
    elsewhere: list[str] = []

    def handle(route: Route) -> None:
        if route.request.url.startswith(site):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    def note(request: Request) -> None:
        if not request.url.startswith((site, "data:", "blob:")):
            elsewhere.append(request.url)

    context.route("**/*", handle)
    context.on("request", note)
    yield context.new_page(), elsewhere
    context.close()


def test_the_api_reference_renders_without_asking_any_other_server(
    recorded: tuple[Page, list[str]], transactional_db: None
) -> None:
    page, elsewhere = recorded

    page.goto("/api/docs/redoc/")
    page.wait_for_load_state("networkidle")

    expect(page.locator("#redoc-container h1").first).to_contain_text("makeworks API")
    expect(page.locator("#redoc-container [role=search] input, #redoc-container input").first).to_be_visible()
    assert elsewhere == []
    fonts = page.evaluate("getComputedStyle(document.querySelector('#redoc-container h1')).fontFamily")
    assert "Montserrat" not in fonts
    assert fonts.startswith("system-ui")
