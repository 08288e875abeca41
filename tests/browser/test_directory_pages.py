"""The directory in a real browser: searching, facets, maps, the listing page, accessibility, and no-JS."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.directory.conftest import Catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def test_searching_for_a_material_within_a_node(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/?node=glasgow")
    page.get_by_label("What are you looking for?").fill("plywood")
    page.get_by_role("button", name="Search", exact=True).click()

    page.wait_for_url(re.compile(r"q=plywood"))
    assert "node=glasgow" in page.url
    results = page.locator(".card-list")
    expect(results).to_contain_text("Clyde Plywood Works")
    expect(results).to_contain_text("Kelvin Timber Supply")
    expect(results).not_to_contain_text("Atelier Belleville")
    expect(page.get_by_role("heading", name=re.compile(r"^2 results"))).to_be_visible()


def test_searching_from_the_node_page_stays_within_the_node(page: Page, catalogue: Catalogue) -> None:
    page.goto(catalogue.glasgow.get_absolute_url())
    page.get_by_label("Search in Glasgow").fill("plywood")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/search/\?node=glasgow&q=plywood"))
    expect(page.locator(".card-list")).to_contain_text("Clyde Plywood Works")
    expect(page.locator(".card-list")).not_to_contain_text("Atelier Belleville")


def test_suggestions_appear_while_typing_and_the_arrow_key_reaches_them(
    page: Page, catalogue: Catalogue
) -> None:
    page.goto("/")
    page.get_by_label("What are you looking for?").press_sequentially("plyw", delay=50)

    expect(page.get_by_role("link", name="Material Plywood")).to_be_visible()
    expect(page.get_by_role("link", name="Listing Clyde Plywood Works")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".suggestion-list a").first).to_be_focused()


def test_clicking_a_facet_swaps_the_results_and_updates_the_address(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(".facet-link", has_text="Laser cutting").click()

    page.wait_for_url(re.compile(r"process=laser-cutting"))
    results = page.locator(".card-list")
    expect(results).to_contain_text("Govan Laser Studio")
    expect(results).not_to_contain_text("Clyde Plywood Works")
    expect(page.locator(".facet-link.is-selected", has_text="Laser cutting")).to_be_visible()
    expect(page.locator("#results-heading")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True


def test_map_markers_follow_the_results_on_the_page(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/?node=glasgow")
    markers = page.locator("#search-map .leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    assert markers.count() >= 1

    page.locator(".facet-link", has_text="Laser cutting").click()
    page.wait_for_url(re.compile(r"process=laser-cutting"))
    expect(page.locator("#search-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("#search-map .leaflet-marker-icon")).to_have_attribute("alt", "Govan Laser Studio")


def test_a_marker_popup_links_to_its_listing(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/?process=laser-cutting")
    page.locator("#search-map .leaflet-marker-icon").click()

    link = page.locator(".leaflet-popup a", has_text="Govan Laser Studio")
    expect(link).to_have_attribute("href", catalogue.govan.get_absolute_url())


def test_opening_a_listing_shows_its_details_map_and_video_facade(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/?q=plywood")
    page.get_by_role("link", name="Clyde Plywood Works").click()

    page.wait_for_url(f"**{catalogue.clyde.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clyde Plywood Works")
    expect(page.locator("#listing-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".nearby")).to_contain_text("Govan Laser Studio")
    assert page.locator("iframe").count() == 0

    page.get_by_role("button", name="Play video").click()
    frame = page.locator("iframe.video-frame")
    expect(frame).to_have_attribute(
        "src", re.compile(r"^https://www\.youtube-nocookie\.com/embed/dQw4w9WgXcQ")
    )


def test_a_bad_search_shows_its_message_in_place(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/")
    page.get_by_label("Near").fill("Narnia")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("We could not find the place “Narnia”.")


def test_the_language_switcher_opens_the_french_page(page: Page, catalogue: Catalogue) -> None:
    page.goto("/search/?material=plywood")
    page.get_by_role("button", name="Français").click()

    page.wait_for_url(re.compile(r"/fr/search/\?material=plywood"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chercher dans l’annuaire")


@pytest.mark.parametrize("path", ["/", "/search/?node=glasgow", "listing", "node", "/fr/search/?q=plywod"])
def test_pages_have_no_serious_accessibility_violations(page: Page, catalogue: Catalogue, path: str) -> None:
    urls = {"listing": catalogue.clyde.get_absolute_url(), "node": catalogue.glasgow.get_absolute_url()}
    page.goto(urls.get(path, path))
    page.wait_for_load_state("networkidle")

    violations = blocking_violations(page)

    assert not violations, "axe found serious or critical violations:\n" + "\n".join(violations)


def test_search_form_and_facets_work_without_javascript(
    page_without_javascript: Page, catalogue: Catalogue
) -> None:
    page = page_without_javascript
    page.goto("/search/")
    page.get_by_label("What are you looking for?").fill("plywood")
    page.get_by_role("button", name="Search", exact=True).click()

    page.wait_for_url(re.compile(r"q=plywood"))
    expect(page.locator(".card-list")).to_contain_text("Clyde Plywood Works")
    expect(page.locator(".card-list")).to_contain_text("Atelier Belleville")

    page.locator(".facet-link", has_text="Glasgow").click()
    page.wait_for_url(re.compile(r"node=glasgow"))
    assert "q=plywood" in page.url
    expect(page.locator(".card-list")).not_to_contain_text("Atelier Belleville")
    expect(page.locator(".facet-link.is-selected", has_text="Glasgow")).to_be_visible()

    page.get_by_role("link", name="Clyde Plywood Works").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clyde Plywood Works")
    expect(page.get_by_role("link", name="Watch on YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
