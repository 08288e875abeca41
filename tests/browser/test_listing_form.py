"""A workshop adds its listing in a real browser: the first step with the map picker and the term filter,
then the edit page's sections and a photo previewed before upload, then the gallery's lightbox. Walked
once on a desktop in English and once on a 390 px phone in French, with axe and the no-scroll check."""

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from directory.demo_data.photos import demo_photo
from directory.models import Listing
from tests.browser.conftest import SITE_MESSAGES, _new_context
from tests.browser.test_directory_pages import blocking_violations
from tests.directory.conftest import Catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

# Set to a folder to keep a screenshot of every step (the reviewer's look at the pages).
SHOTS = os.environ.get("LISTING_SHOTS", "")

WALKS: dict[str, dict[str, Any]] = {
    "desktop-en": {"width": 1366, "height": 900, "prefix": "", "locale": "en-GB"},
    "phone-fr": {"width": 390, "height": 844, "prefix": "/fr", "locale": "fr-FR"},
}
WORDS = {
    "desktop-en": {"name": "Name", "kind": "Kind", "town": "Town or city", "find": "Find a term",
                   "save": "Save and continue", "saved": "saved as a draft", "upload": "Upload",
                   "photo": "Photo", "close": "Close", "node": "Node", "added": "The photo is added"},
    "phone-fr": {"name": "Nom", "kind": "Type", "town": "Ville", "find": "Chercher un terme",
                 "save": "Enregistrer et continuer", "saved": "enregistrée comme brouillon",
                 "upload": "Envoyer", "photo": "Photo", "close": "Fermer", "node": "Antenne",
                 "added": "La photo a été ajoutée"},
}  # fmt: skip


def settle(page: Page, walk: str, step: str) -> None:
    """Every page of the walk passes axe and fits the screen; a screenshot is kept when asked."""
    assert blocking_violations(page) == [], step
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll_width <= inner_width, f"{step}: {scroll_width} px wide on a {inner_width} px screen"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{walk}-{step}.png", full_page=True)


def sign_in(context: BrowserContext, site: str, username: str) -> None:
    """A session made by Django's test client, handed to the browser: quicker than the sign-in form."""
    client = Client()
    client.force_login(User.objects.create_user(username=username, email=f"{username}@example.org"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])


def signed_in(browser: Browser, site: str, walk: str) -> Page:
    setup = WALKS[walk]
    context = _new_context(browser, site)
    context.set_extra_http_headers({"Accept-Language": str(setup["locale"])})
    page = context.new_page()
    page.set_viewport_size({"width": int(setup["width"]), "height": int(setup["height"])})
    sign_in(context, site, "atelier")
    return page


def jpeg() -> bytes:
    return demo_photo(seed=11, label="bench", kind="workshop").read()


@pytest.mark.parametrize("walk", list(WALKS))
def test_a_workshop_adds_its_listing_with_the_map_terms_and_a_photo(
    browser: Browser, site: str, catalogue: Catalogue, walk: str
) -> None:
    words, prefix = WORDS[walk], WALKS[walk]["prefix"]
    page = signed_in(browser, site, walk)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{prefix}/listings/new/")
    page.get_by_label(words["node"]).select_option(label="Glasgow")
    page.get_by_label(words["name"], exact=True).fill("Atelier du Canal")
    page.get_by_label(words["kind"]).select_option(value="workshop")
    page.get_by_label(words["town"]).fill("Glasgow")
    page.locator("#id_country").select_option(value="GB")
    map_box = page.locator("#place-map")
    expect(map_box).to_be_visible()
    map_box.scroll_into_view_if_needed()
    map_box.click(position={"x": 120, "y": 90})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    picked = (
        float(page.locator("#id_latitude").input_value()),
        float(page.locator("#id_longitude").input_value()),
    )

    term_filter = page.get_by_label(words["find"])
    term_filter.fill("laser")
    laser = page.locator(f'input[value="{catalogue.laser.pk}"]')
    expect(laser).to_be_visible()
    expect(page.locator(f'input[value="{catalogue.steel.pk}"]')).to_be_hidden()
    laser.check()
    expect(page.locator(".chip")).to_have_count(1)
    settle(page, walk, "1-first-step")
    page.get_by_role("button", name=words["save"]).click()

    expect(page.locator(SITE_MESSAGES)).to_contain_text(words["saved"])
    listing = Listing.objects.get(name="Atelier du Canal")
    assert (listing.latitude, listing.longitude) == pytest.approx(picked)
    assert list(listing.terms.values_list("pk", flat=True)) == [catalogue.laser.pk]
    settle(page, walk, "2-edit-sections")

    page.locator("#id_image").set_input_files(
        {"name": "bench.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    preview = page.locator("[data-photo-preview-image]")
    expect(preview).to_be_visible()
    assert (preview.get_attribute("src") or "").startswith("blob:")
    page.locator("#id_alt_text").fill("L'établi")
    settle(page, walk, "3-photo-preview")
    page.get_by_role("button", name=words["upload"]).click()
    expect(page.locator(SITE_MESSAGES)).to_contain_text(words["added"])
    assert re.search(r"/edit/#photos$", page.url)

    page.goto(f"{prefix}{listing.get_absolute_url()}")
    page.locator("a[data-lightbox]").first.click()
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    expect(dialog.locator("img")).to_have_attribute("alt", "L'établi")
    settle(page, walk, "4-lightbox")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    settle(page, walk, "5-listing-page")

    # Listings without a photo show their kind's drawing on the search page's cards.
    page.goto(f"{prefix}/search/?q=plywood")
    expect(page.locator(".card-placeholder.kind-fabricator").first).to_be_visible()
    settle(page, walk, "6-cards")
    assert not errors, errors


def test_the_term_picker_without_javascript_is_plain_checkboxes(
    page_without_javascript: Page, site: str, catalogue: Catalogue
) -> None:
    page = page_without_javascript
    sign_in(page.context, site, "plain")

    page.goto("/listings/new/")

    expect(page.get_by_label("Find a term")).to_be_hidden()
    page.get_by_label("Laser cutting").check()
    expect(page.get_by_label("Laser cutting")).to_be_checked()
    expect(page.locator("#place-map")).to_be_hidden()
    expect(page.locator("#id_latitude")).to_be_editable()
