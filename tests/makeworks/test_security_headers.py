"""Every page carries a Content-Security-Policy that allows no inline script and no framing, and a
Permissions-Policy that refuses camera, microphone, location and payment."""

from typing import Any

import pytest
from django.test import Client

from makeworks.lib.csp import origin_source
from tests.directory.conftest import build_catalogue
from tests.factories import ListingFactory


def policy_of(response: Any) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


@pytest.fixture
def pages(db: None) -> list[str]:
    catalogue = build_catalogue()
    return [
        "/",
        "/search/?q=plywood",
        catalogue.clyde.get_absolute_url(),
        catalogue.glasgow.get_absolute_url(),
        "/machines/",
        "/verify/",
        "/accounts/login/",
        "/api/docs/",
        "/api/docs/redoc/",
        "/no-such-page/",
    ]


def test_every_page_allows_only_its_own_scripts_and_is_never_framed(client: Client, pages: list[str]) -> None:
    for url in pages:
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html"), url
        policy = policy_of(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url


def test_only_the_redoc_page_lets_inline_styles_in(client: Client, pages: list[str]) -> None:
    for url in pages:
        styles = policy_of(client.get(url))["style-src"]
        assert styles == (["'self'", "'unsafe-inline'"] if url == "/api/docs/redoc/" else ["'self'"]), url


def test_every_page_refuses_camera_microphone_location_and_payment(client: Client, pages: list[str]) -> None:
    for url in pages:
        features = dict(item.split("=") for item in client.get(url)["Permissions-Policy"].split(", "))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (url, feature)


def test_the_verifier_may_show_a_badge_image_from_any_issuer_s_site(client: Client, db: None) -> None:
    assert "https:" in policy_of(client.get("/verify/"))["img-src"]
    assert "https:" not in policy_of(client.get("/"))["img-src"]


def test_a_listing_with_a_peertube_video_may_frame_that_instance_only(client: Client, db: None) -> None:
    listing = ListingFactory.create(
        video_url="https://tube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"
    )

    frames = policy_of(client.get(listing.get_absolute_url()))["frame-src"]

    assert "https://tube.example.org" in frames
    assert "https://tube.example.org" not in policy_of(client.get("/"))["frame-src"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("HTTPS://Tiles.Example.org:8443/t/{z}.png", "https://tiles.example.org:8443"),
        ("media/", None),
        ("", None),
        ("https://{tenant}.example.org/{z}.png", None),
        ("javascript:alert(1)", None),
    ],
)
def test_a_tile_media_or_site_url_becomes_the_origin_the_policy_names(url: str, source: str | None) -> None:
    assert origin_source(url) == source
