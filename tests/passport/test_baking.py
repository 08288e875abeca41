"""Baking: each award's badge image carries the award (URL when hosted, JWS when signed), in PNG and
SVG, and the baked file is what the assertion's `image` points to and the page offers for download."""

from collections.abc import Callable

import pytest
from django.test import Client

from badges.models import BadgeClass
from badges.openbadges.baking import unbake_png, unbake_svg
from passport import selectors, services
from passport.models import Assertion

pytestmark = pytest.mark.django_db

Issue = Callable[..., Assertion]


def baked_bytes(assertion: Assertion) -> bytes:
    with assertion.baked_image.open("rb") as baked:
        return baked.read()


def test_a_hosted_png_badge_unbakes_to_its_url(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class)

    assert assertion.baked_at is not None
    assert unbake_png(baked_bytes(assertion)) == selectors.assertion_url(assertion)


def test_a_signed_png_badge_unbakes_to_its_jws(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class, signed=True)

    assert unbake_png(baked_bytes(assertion)) == assertion.jws


def test_a_hosted_svg_badge_unbakes_to_its_url(svg_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=svg_class)

    assert unbake_svg(baked_bytes(assertion).decode("utf-8")) == selectors.assertion_url(assertion)


def test_a_signed_svg_badge_unbakes_to_its_jws(svg_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=svg_class, signed=True)

    baked = baked_bytes(assertion).decode("utf-8")

    assert unbake_svg(baked) == assertion.jws
    assert 'xmlns:openbadges="http://openbadges.org"' in baked


def test_the_document_image_is_the_baked_image_url(
    png_class: BadgeClass, svg_class: BadgeClass, issue: Issue
) -> None:
    png, svg = issue(badge_class=png_class), issue(badge_class=svg_class)

    assert selectors.assertion_document(png)["image"] == selectors.assertion_url(png) + "baked.png"
    assert selectors.assertion_document(svg)["image"] == selectors.assertion_url(svg) + "baked.svg"


def test_the_baked_png_is_served_at_the_documents_image_url(
    png_class: BadgeClass, issue: Issue, client: Client
) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    path = selectors.assertion_document(assertion)["image"].removeprefix("https://makeworks.example")

    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == baked_bytes(assertion)  # type: ignore[attr-defined]
    assert "laser-cutter-operator" in response["Content-Disposition"]


def test_the_baked_svg_is_served_as_svg_that_may_run_nothing(
    svg_class: BadgeClass, issue: Issue, client: Client
) -> None:
    assertion = issue(badge_class=svg_class)

    response = client.get(f"/badges/assertions/{assertion.public_id}/baked.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    served = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert unbake_svg(served) == selectors.assertion_url(assertion)


def test_the_other_format_and_an_unknown_id_are_not_found(
    png_class: BadgeClass, issue: Issue, client: Client
) -> None:
    assertion = issue(badge_class=png_class)

    assert client.get(f"/badges/assertions/{assertion.public_id}/baked.svg").status_code == 404
    assert client.get("/badges/assertions/no-such-award/baked.png").status_code == 404


def test_an_award_not_yet_baked_is_not_found_yet(
    png_class: BadgeClass, client: Client, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[attr-defined]
        assertion = services.assertion_issue(badge_class=png_class, recipient_email="ada@example.org")

    response = client.get(f"/badges/assertions/{assertion.public_id}/baked.png")

    assert response.status_code == 404
