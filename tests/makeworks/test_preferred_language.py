"""Which language a page without a language prefix is shown in: the browser's on the first visit, the
one chosen with the language switcher after that; prefixed pages, badge ids and the API stay as they are."""

from typing import Any

import pytest
from django.test import Client

# Typed Any: the test client takes request headers as extra keyword arguments of any type.
FRENCH_BROWSER: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}

pytestmark = pytest.mark.django_db


def test_a_french_browser_at_the_home_page_is_sent_to_the_french_home_page(client: Client) -> None:
    response = client.get("/", **FRENCH_BROWSER)

    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert "Accept-Language" in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_an_english_browser_stays_on_the_english_page(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_a_browser_that_names_no_language_gets_english(client: Client) -> None:
    assert client.get("/").status_code == 200


def test_the_search_keeps_its_query_on_the_way_to_french(client: Client) -> None:
    response = client.get("/search/?q=plywood&near=Lyon", **FRENCH_BROWSER)

    assert response["Location"] == "/fr/search/?q=plywood&near=Lyon"


def test_choosing_english_on_a_french_browser_is_remembered(client: Client) -> None:
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/fr/"}, **FRENCH_BROWSER)
    assert chosen["Location"] == "/"

    response = client.get("/", **FRENCH_BROWSER)

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_choosing_french_on_an_english_browser_is_remembered(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    response = client.get("/search/", HTTP_ACCEPT_LANGUAGE="en-GB")

    assert response["Location"] == "/fr/search/"


def test_a_prefixed_page_is_shown_in_its_own_language_whatever_the_browser(client: Client) -> None:
    response = client.get("/fr/", HTTP_ACCEPT_LANGUAGE="en-GB")

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_badge_ids_the_api_and_unknown_paths_are_not_redirected(client: Client) -> None:
    assert client.get("/api/v1/nodes/", **FRENCH_BROWSER).status_code == 200
    assert client.get("/badges/no-such-badge/", **FRENCH_BROWSER).status_code == 404
    assert client.get("/no-such-page-at-all/", **FRENCH_BROWSER).status_code == 404
    assert client.get("/healthz/", **FRENCH_BROWSER).status_code != 302


def test_a_form_post_is_never_redirected(client: Client) -> None:
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"}, **FRENCH_BROWSER)

    assert response.status_code == 200
