"""Playwright against pytest-django's live server, driving Debian's Chromium.

Every request that is not for the live server is aborted, so no test ever reaches the network.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.directory.conftest import Catalogue, build_catalogue

# Playwright's sync API runs an event loop in the main thread; Django would otherwise refuse
# synchronous database access from the test code that builds the data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# The page's own messages ("saved", "sent"...): not any status region, since a place field has one of
# its own that announces its suggestions.
SITE_MESSAGES = "div.messages[role=status]"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            "The browser tests drive Debian's Chromium at /usr/bin/chromium, which is missing. "
            "Install it with `apt-get install chromium`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    """The live server's URL, with maps that draw no tiles."""
    settings.MAP_TILE_URL = ""
    return live_server.url


@pytest.fixture
def catalogue(transactional_db: None) -> Catalogue:
    return build_catalogue()


def _only_local(site: str) -> Callable[[Route], None]:
    def handle(route: Route) -> None:
        if route.request.url.startswith(site):
            route.continue_()
        else:
            route.abort()

    return handle


def _new_context(browser: Browser, site: str, *, javascript: bool = True) -> BrowserContext:
    context = browser.new_context(
        base_url=site, java_script_enabled=javascript, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.route("**/*", _only_local(site))
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = _new_context(browser, site)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page_without_javascript(browser: Browser, site: str) -> Iterator[Page]:
    context = _new_context(browser, site, javascript=False)
    page = context.new_page()
    yield page
    context.close()
