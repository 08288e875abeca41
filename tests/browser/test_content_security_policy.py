"""Every kind of page works in a real browser under the site's Content-Security-Policy: nothing is
refused (no `securitypolicyviolation` event, no console error), and what depends on scripts still
works: htmx swaps search results, Leaflet draws markers, Swagger UI and Redoc render the API."""

import re
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from badges import selectors as badge_selectors
from badges import services as badge_services
from badges.models import BadgeClass
from directory.models import ListingKind
from machinery_map.seeding import taxonomy_seed
from tests.browser.conftest import _new_context
from tests.browser.test_claim_flow import person, sign_in
from tests.directory.conftest import Catalogue
from tests.factories import EquipmentFactory, ListingFactory, badge_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's policy, and keeps what the browser refused.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`
  );
});
"""


class WatchedPage:
    """A browser page that remembers every policy violation and console error of every page it shows."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message: object) -> None:
        kind = getattr(message, "type", "")
        if kind in {"error", "warning"}:
            self.problems.append(f"console {kind}: {getattr(message, 'text', '')}")

    def visit(self, url: str) -> Page:
        response = self.page.goto(url)
        assert response is not None
        assert response.ok, f"{url} answered {response.status}"
        # The page is held to the policy, not merely free of violations for want of one.
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
        self.page.wait_for_load_state("networkidle")
        return self.page

    def assert_nothing_refused(self, *, but: str = "") -> None:
        """No violation nor console error so far, except those naming `but` when it is given."""
        violations = [v for v in self.page.evaluate("window.cspViolations") if not (but and but in v)]
        problems = [p for p in self.problems if not (but and but in p)]
        assert violations == [], f"{self.page.url} broke its policy: {violations}"
        assert problems == [], f"{self.page.url}: {problems}"


@pytest.fixture
def watched(browser: Browser, site: str) -> Iterator[WatchedPage]:
    context = _new_context(browser, site)
    context.add_init_script(RECORD_VIOLATIONS)
    yield WatchedPage(context.new_page())
    context.close()


@pytest.fixture
def badge_class(site: str, settings: Settings) -> BadgeClass:
    settings.SITE_URL = site
    issuer = badge_services.issuer_create(
        listing=ListingFactory.create(name="Fablab Glasgow"),
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
        image=SimpleUploadedFile("logo.png", badge_png("#264653")),
    )
    return badge_services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description="Runs the laser cutter safely.",
        image=SimpleUploadedFile("laser.png", badge_png()),
        criteria_narrative="Passed the laser safety induction.",
    )


def test_the_directory_search_and_map_work_under_the_policy(
    watched: WatchedPage, catalogue: Catalogue
) -> None:
    watched.visit("/")
    watched.assert_nothing_refused()

    page = watched.visit("/search/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(".facet-link", has_text="Laser cutting").click()
    page.wait_for_url(re.compile(r"process=laser-cutting"))
    expect(page.locator(".card-list")).to_contain_text("Govan Laser Studio")
    assert page.evaluate("window.stillTheSamePage") is True, "htmx did not swap the results in place"
    watched.assert_nothing_refused()

    page = watched.visit(catalogue.clyde.get_absolute_url())
    expect(page.locator(".leaflet-marker-icon").first).to_be_attached()
    watched.assert_nothing_refused()


def test_the_map_of_machinery_works_under_the_policy(watched: WatchedPage, transactional_db: None) -> None:
    taxonomy_seed()
    glasgow = ListingFactory.create(
        name="Fablab Glasgow", kind=ListingKind.MAKERSPACE, latitude=55.86, longitude=-4.25
    )
    EquipmentFactory.create(hub=glasgow, equipment_type="laser-cutter", bed_size_mm=1000)

    page = watched.visit("/machines/")

    expect(
        page.locator("#machine-map .leaflet-marker-icon, #machine-map .marker-cluster").first
    ).to_be_attached()
    watched.assert_nothing_refused()


def test_badge_pages_and_the_verifier_work_under_the_policy(
    watched: WatchedPage, badge_class: BadgeClass
) -> None:
    page = watched.visit(badge_selectors.badge_class_url(badge_class))
    expect(page.get_by_role("heading", name="Laser cutter operator")).to_be_visible()
    watched.assert_nothing_refused()
    watched.visit(badge_selectors.issuer_url(badge_class.issuer))
    watched.assert_nothing_refused()

    page = watched.visit("/verify/")
    page.get_by_label("Badge URL or signed badge (JWS)").fill("certainly not a badge")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("This badge is not valid")).to_be_visible()
    watched.assert_nothing_refused()


def test_the_api_reference_renders_under_the_policy(watched: WatchedPage, transactional_db: None) -> None:
    page = watched.visit("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui .title")).to_contain_text("makeworks API")
    watched.assert_nothing_refused()

    page = watched.visit("/api/docs/redoc/")
    expect(page.locator("#redoc-container h1").first).to_contain_text("makeworks API")
    # Redoc's logo from Redocly's CDN is never even asked for (static/js/redoc-init.js).
    watched.assert_nothing_refused()


def test_the_console_and_member_pages_work_under_the_policy(
    watched: WatchedPage, badge_class: BadgeClass
) -> None:
    owner = person("dorothy@example.org")
    badge_services.issuer_member_add(issuer=badge_class.issuer, user=owner, role="owner", actor=None)
    sign_in(watched.page, owner.email)
    hub = f"/console/{badge_class.issuer.slug}"
    pages = [
        "/console/",
        f"{hub}/",
        f"{hub}/issue/",
        f"{hub}/bulk/",
        f"{hub}/assertions/",
        f"{hub}/classes/",
        f"{hub}/classes/new/",
        f"{hub}/people/",
        f"{hub}/keys/",
        f"{hub}/profile/",
        f"{hub}/audit/",
        "/passport/",
        "/listings/new/",
        "/accounts/email/",
        "/accounts/2fa/totp/activate/",
    ]

    for url in pages:
        page = watched.visit(url)
        expect(page.locator("main h1").first).to_be_visible()
        watched.assert_nothing_refused()
