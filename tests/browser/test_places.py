"""A visitor on a French phone looks for makers near Cologne: suggestions while typing, picked with the
keyboard; the results nearest first, the map with the place and the circle searched on country outlines
(the tests draw no tiles); then a place we cannot find, named under the field with the page intact."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from directory.gazetteer import world_load
from directory.models import Place
from directory.selectors import near_place
from tests.browser.conftest import _only_local
from tests.browser.test_directory_pages import blocking_violations
from tests.directory.conftest import Catalogue
from tests.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/work/wt/shots/places"


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_french_phone_picks_cologne_from_the_suggestions_and_is_told_of_an_unknown_place(
    browser: Browser, site: str, catalogue: Catalogue
) -> None:
    # The browser tests empty the database between tests, the world's towns with it.
    if not Place.objects.exclude(geonames_id=None).exists():
        world_load()
    # Two workshops on the Rhine, the farther one named first so the order is the sort's doing.
    ListingFactory(name="Werkstatt Bonn", city="Bonn", country="DE", latitude=50.7374, longitude=7.0982)
    ListingFactory(name="Holzwerk Deutz", city="Köln", country="DE", latitude=50.9375, longitude=6.9603)
    context = browser.new_context(
        base_url=site, locale="fr-FR", viewport={"width": 390, "height": 844}, has_touch=True
    )
    context.route("**/*", _only_local(site))
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/fr/search/")
    near = page.get_by_role("combobox", name="Près de")
    near.press_sequentially("col", delay=50)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    cologne = listbox.get_by_role("option", name=re.compile(r"^Köln.*Allemagne$"))
    expect(cologne).to_be_visible()
    assert fits_the_screen(page)
    assert not blocking_violations(page)
    page.screenshot(path=f"{SHOTS}/suggestions-390-fr.png")

    # Down through the list to Köln, then Enter puts it in the field (and does not send the form).
    options = listbox.get_by_role("option")
    position = [text.startswith("Köln") for text in options.all_inner_texts()].index(True)
    for _step in range(position + 1):
        near.press("ArrowDown")
    expect(near).to_have_attribute("aria-activedescendant", cologne.get_attribute("id") or "")
    near.press("Enter")
    expect(near).to_have_value("Köln, Allemagne")
    expect(listbox).to_be_hidden()
    assert page.url.endswith("/fr/search/")

    # Paris is some 400 km from Köln: within 500 km, its workshop is found too, after the Rhine's.
    page.get_by_label("Rayon (km)").fill("500")
    near.press("Enter")
    page.wait_for_url(re.compile(r"near=K%C3%B6ln"))
    expect(page.get_by_text(re.compile(r"À moins de 500\s*km de Köln, Allemagne"))).to_be_visible()
    distances = [
        float(found.replace(",", "."))
        for found in re.findall(r"([\d,]+)\s*km", " ".join(page.locator(".card-list").all_inner_texts()))
    ]
    assert len(distances) == 3
    assert distances == sorted(distances)
    expect(page.locator(".card-list h3").first).to_have_text("Holzwerk Deutz")
    expect(page.locator("#search-sort")).to_have_value("")
    expect(page.locator("#search-sort option:checked")).to_have_text("Le plus proche d’abord")
    search_map = page.locator("#search-map")
    expect(search_map.locator("path.map-radius")).to_have_count(1)
    expect(search_map.locator(".leaflet-origin-pane .map-origin-marker")).to_have_count(1)
    assert search_map.locator("path.map-country").count() > 100
    expect(
        page.get_by_text("Les fonds de carte sont indisponibles ; seuls les contours des pays sont affichés.")
    ).to_be_visible()
    assert fits_the_screen(page)
    assert not blocking_violations(page)
    page.screenshot(path=f"{SHOTS}/results-390-fr.png", full_page=True)

    # A place we cannot find: the message under the field, the words and the rest of the page in place.
    near.fill("Nullepartville")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    message = page.locator("#search-near-error")
    expect(message).to_contain_text("Nous n’avons pas trouvé le lieu « Nullepartville »")
    near = page.locator("#search-near")
    expect(near).to_have_attribute("aria-invalid", "true")
    expect(near).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("link[rel=stylesheet]").first).to_be_attached()
    expect(page.locator(".site-header")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.field-error')).color") != "rgb(0, 0, 0)"
    assert fits_the_screen(page)
    assert not blocking_violations(page)
    page.screenshot(path=f"{SHOTS}/unknown-390-fr.png", full_page=True)
    context.close()
    assert not errors, errors


def test_without_javascript_an_unknown_place_comes_back_as_the_whole_page_with_the_message(
    page_without_javascript: Page, catalogue: Catalogue
) -> None:
    page = page_without_javascript
    page.goto("/machines/")
    page.get_by_label("Near").fill("Nowhereville")
    page.get_by_role("button", name="Show hubs").click()
    expect(page.locator(".field-invalid")).to_contain_text("We could not find the place “Nowhereville”")
    expect(page.get_by_role("heading", name="Map of Machinery", level=1)).to_be_visible()


def test_nothing_found_near_nairobi_still_shows_where_was_searched_and_the_origin_sits_above_clusters(
    page: Page, catalogue: Catalogue
) -> None:
    if not Place.objects.exclude(geonames_id=None).exists():
        world_load()
    nairobi = near_place("Nairobi", 5)
    assert nairobi is not None
    for path in ["/search/?q=plywood&near=Nairobi&radius=5", "/machines/?near=Nairobi&radius=5"]:
        page.goto(path)
        area = page.get_by_role("region", name="Map of the area searched")
        expect(area.locator("path.map-radius")).to_have_count(1)
        expect(area.locator(".map-origin-marker")).to_have_count(1)
        expect(area.locator(".leaflet-marker-icon:not(.map-origin-marker)")).to_have_count(0)
        expect(
            page.get_by_text(re.compile("Nothing matches this search|No hub has a machine"))
        ).to_be_visible()
        assert not blocking_violations(page)

    # Three workshops in the city centre make a cluster where the search measures from: the target is on top.
    for name in ["Gikomba Metal Works", "Kariokor Leather", "Nairobi Makers"]:
        ListingFactory(
            name=name, city="Nairobi", country="KE", latitude=nairobi.latitude, longitude=nairobi.longitude
        )
    page.goto("/search/?near=Nairobi&radius=5")
    search_map = page.locator("#search-map")
    expect(search_map.locator(".marker-cluster")).to_have_count(1)
    origin = search_map.locator(".map-origin-marker")
    box = origin.bounding_box()
    assert box is not None
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).classList.contains('map-origin-marker')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top, "the cluster hides the place searched from"
