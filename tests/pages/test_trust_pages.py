"""The pages that say who runs the site and what it keeps, the footer that reaches them, and how a shared
link looks (favicon, canonical address, social preview tags)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from tests.pages.conftest import HomeWorld

pytestmark = pytest.mark.django_db

TRUST_PAGES = ["pages:about", "pages:privacy", "pages:terms", "pages:contact"]


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def meta(page: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    assert found, f"no {key} tag"
    return found[1]


@pytest.mark.parametrize("name", TRUST_PAGES)
def test_every_page_footer_links_the_trust_pages_the_api_docs_and_the_open_data(
    client: Client, name: str
) -> None:
    page = page_of(client, reverse(name))

    footer = page.split('class="site-footer"')[1]
    for url in [
        *(reverse(other) for other in TRUST_PAGES),
        reverse("api:docs"),
        reverse("directory:export_csv"),
        reverse("directory:export_json"),
        reverse("machinery_map:all_okw_json"),
    ]:
        assert f'href="{url}' in footer, url


def test_the_contact_page_gives_the_operators_address_from_settings(
    client: Client, settings: Settings
) -> None:
    settings.CONTACT_EMAIL = "bonjour@fablab.example.org"

    page = page_of(client, reverse("pages:contact"))

    assert 'href="mailto:bonjour@fablab.example.org"' in page


def test_the_privacy_page_says_how_to_download_and_erase_and_names_the_map_server(
    client: Client, settings: Settings
) -> None:
    settings.MAP_TILE_URL = "https://tiles.example.net/{z}/{x}/{y}.png"

    page = page_of(client, reverse("pages:privacy"))

    assert "Download your passport (JSON)" in page
    assert "Delete your account" in page
    assert "salted hash" in page
    assert "tiles.example.net" in page
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in page


def test_without_map_tiles_the_privacy_page_says_the_browser_talks_to_no_one_else(
    client: Client, settings: Settings
) -> None:
    settings.MAP_TILE_URL = ""

    assert "your browser talks to no one else" in page_of(client, reverse("pages:privacy"))


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/fr/about/", "À propos de makeworks"),
        ("/fr/privacy/", "Confidentialité"),
        ("/fr/terms/", "Conditions d’utilisation"),
        ("/fr/contact/", "Contact"),
    ],
)
def test_the_trust_pages_read_in_french(client: Client, url: str, heading: str) -> None:
    page = page_of(client, url)

    assert f'<h1 id="trust-heading">{heading}</h1>' in page


def test_every_page_has_a_favicon_a_canonical_address_and_a_social_preview(
    client: Client, settings: Settings
) -> None:
    settings.SITE_URL = "https://makeworks.example.org"

    page = page_of(client, "/fr/about/")

    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    assert 'rel="icon" href="/static/img/favicon-32.png"' in page
    assert '<link rel="canonical" href="https://makeworks.example.org/fr/about/">' in page
    assert meta(page, "og:url") == "https://makeworks.example.org/fr/about/"
    assert meta(page, "og:image") == "https://makeworks.example.org/static/img/social-preview.png"
    assert meta(page, "og:locale") == "fr_FR"
    assert meta(page, "twitter:card") == "summary_large_image"


def test_a_listing_and_a_passport_preview_with_their_own_name_and_photo(
    client: Client, home_world: HomeWorld, settings: Settings
) -> None:
    settings.SITE_URL = "https://makeworks.example.org"
    listing = home_world.catalogue.clyde

    page = page_of(client, listing.get_absolute_url())
    assert meta(page, "og:title") == "Clyde Plywood Works"
    assert meta(page, "og:image").startswith("https://makeworks.example.org/media/")

    page = page_of(client, reverse("passport_site:passport", kwargs={"handle": "amina"}))
    assert meta(page, "og:title") == "Amina Okafor"
    assert meta(page, "og:type") == "profile"
    assert meta(page, "og:image") == "https://makeworks.example.org/static/img/social-preview.png"
