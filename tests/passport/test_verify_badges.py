"""The verification service on badges as a verifier meets them: by URL, JWS, JSON or baked image,
valid or tampered, revoked, expired, or awarded to someone else."""

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from badges import services as badge_services
from badges.models import BadgeClass
from badges.openbadges.signing import unverified_payload
from passport import selectors, services
from passport.models import Assertion
from passport.verification import VerificationReport, badge_verify, remote_fetcher
from tests.factories import BadgeClassFactory

pytestmark = pytest.mark.django_db

EARNER = "ada@example.org"
SVG_BADGE = b"""<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<circle cx="32" cy="32" r="30" fill="#2a9d8f"/></svg>"""


def issued(
    signed: bool = False,
    capture: Callable[..., Any] | None = None,
    badge_class: BadgeClass | None = None,
    **kwargs: Any,
) -> Assertion:
    """A badge awarded to EARNER; with `capture`, also baked, as the task does once the issue commits."""
    badge_class = badge_class or BadgeClassFactory.create()
    if capture is None:
        return services.assertion_issue(
            badge_class=badge_class, recipient_email=EARNER, signed=signed, **kwargs
        )
    with capture(execute=True):
        assertion = services.assertion_issue(
            badge_class=badge_class, recipient_email=EARNER, signed=signed, **kwargs
        )
    assertion.refresh_from_db()
    return assertion


def failed(report: VerificationReport) -> dict[str, str]:
    return {check.name: check.detail for check in report.failures}


def test_a_hosted_badge_verifies_by_its_url() -> None:
    assertion = issued()

    report = badge_verify(url=selectors.assertion_url(assertion), recipient_email=EARNER)

    assert report.valid, failed(report)
    assert report.verification_type == "hosted"
    assert {check.name for check in report.checks if check.passed} >= {
        "assertion", "badge_class", "issuer", "hosted_origin", "revocation", "expiry", "recipient"
    }  # fmt: skip


def test_a_signed_badge_verifies_by_its_jws() -> None:
    assertion = issued(signed=True)

    report = badge_verify(jws=assertion.jws, recipient_email=EARNER)

    assert report.valid, failed(report)
    assert report.check("signature").passed  # type: ignore[union-attr]
    assert report.check("key_owner").passed  # type: ignore[union-attr]


def test_assertion_json_is_checked_against_what_its_url_serves() -> None:
    assertion = issued()
    pasted = json.dumps(selectors.assertion_document(assertion))

    assert badge_verify(assertion_json=pasted).valid


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
def test_a_baked_png_verifies(signed: bool, django_capture_on_commit_callbacks) -> None:
    assertion = issued(signed=signed, capture=django_capture_on_commit_callbacks)

    report = badge_verify(image=assertion.baked_image.read(), recipient_email=EARNER)

    assert report.valid, failed(report)


def test_a_baked_svg_verifies(django_capture_on_commit_callbacks) -> None:
    badge_class = BadgeClassFactory.create(image=SimpleUploadedFile("badge.svg", SVG_BADGE, "image/svg+xml"))
    assertion = issued(signed=True, capture=django_capture_on_commit_callbacks, badge_class=badge_class)

    report = badge_verify(image=assertion.baked_image.read())

    assert report.valid, failed(report)


def test_an_image_that_was_never_baked_says_so() -> None:
    report = badge_verify(image=SVG_BADGE)

    assert failed(report) == {"input": "The image carries no badge: it was never baked."}


def test_a_tampered_jws_fails_its_signature() -> None:
    assertion = issued(signed=True)
    header, payload, signature = assertion.jws.split(".")
    other = issued(signed=True, badge_class=assertion.badge_class)
    forged = ".".join([header, other.jws.split(".")[1], signature])

    report = badge_verify(jws=forged)

    assert not report.valid
    assert "signature" in failed(report)
    assert payload != other.jws.split(".")[1]


def test_a_revoked_hosted_badge_fails_with_its_reason() -> None:
    assertion = issued()
    services.assertion_revoke(assertion=assertion, reason="Awarded by mistake")

    report = badge_verify(url=selectors.assertion_url(assertion))

    assert not report.valid
    assert failed(report)["revocation"] == "Revoked: Awarded by mistake."


@pytest.mark.parametrize("others_revoked", [0, 4], ids=["one-entry list", "many-entry list"])
def test_a_revoked_signed_badge_fails_through_the_revocation_list(others_revoked: int) -> None:
    assertion = issued(signed=True)
    for _n in range(others_revoked):
        services.assertion_revoke(
            assertion=issued(signed=True, badge_class=assertion.badge_class), reason="Duplicate"
        )
    services.assertion_revoke(assertion=assertion, reason="Failed the re-assessment")

    report = badge_verify(jws=assertion.jws)

    assert not report.valid
    assert failed(report) == {"revocation": "Listed as revoked: Failed the re-assessment."}


def test_an_expired_badge_fails_its_expiry() -> None:
    assertion = issued(issued_on=datetime(2024, 1, 1, tzinfo=UTC), expires=datetime(2025, 1, 1, tzinfo=UTC))

    report = badge_verify(url=selectors.assertion_url(assertion))

    assert failed(report) == {"expiry": "Expired on 2025-01-01."}


def test_a_badge_awarded_to_someone_else_fails_the_recipient_check() -> None:
    assertion = issued(signed=True)

    report = badge_verify(jws=assertion.jws, recipient_email="grace@example.org")

    assert failed(report) == {"recipient": "Not awarded to this e-mail."}


def test_a_signed_badge_still_verifies_after_its_issuer_rotates_keys() -> None:
    assertion = issued(signed=True)
    badge_services.signing_key_rotate(issuer=assertion.badge_class.issuer)

    report = badge_verify(jws=assertion.jws)

    assert report.valid, failed(report)


def test_a_badge_signed_with_a_revoked_key_fails() -> None:
    assertion = issued(signed=True)
    badge_services.signing_key_rotate(issuer=assertion.badge_class.issuer)
    assert assertion.signing_key is not None
    badge_services.signing_key_revoke(key=assertion.signing_key)

    report = badge_verify(jws=assertion.jws)

    assert not report.valid


def test_a_url_this_site_does_not_serve_fails_clearly(settings) -> None:
    report = badge_verify(url=f"{settings.SITE_URL}/badges/assertions/no-such-badge/")

    assert not report.valid
    assert "assertion" in failed(report)


def test_giving_nothing_or_two_things_is_refused() -> None:
    assert failed(badge_verify()) == {
        "input": "Give exactly one of: an assertion URL, a JWS, assertion JSON or an image."
    }
    assert not badge_verify(url="https://example.org/a", jws="a.b.c").valid


def test_garbage_is_refused_as_input() -> None:
    assert "input" in failed(badge_verify(jws="certainly not a badge"))


def test_another_servers_badge_is_fetched_over_http(live_server, settings) -> None:
    settings.SITE_URL = live_server.url
    settings.VERIFY_ALLOW_LOOPBACK = True
    assertion = issued(signed=True)

    report = badge_verify(jws=assertion.jws, recipient_email=EARNER, fetcher=remote_fetcher)

    assert report.valid, failed(report)
    assert unverified_payload(assertion.jws)["id"].startswith(live_server.url)


def test_a_badge_on_a_private_network_is_not_fetched_by_default(live_server, settings) -> None:
    settings.SITE_URL = live_server.url
    assertion = issued()

    report = badge_verify(url=selectors.assertion_url(assertion), fetcher=remote_fetcher)

    assert not report.valid
    assert "private or local network" in failed(report)["assertion"]


def test_a_badge_issued_in_the_future_is_not_yet_expired() -> None:
    assertion = issued(expires=datetime.now(UTC) + timedelta(days=30))

    assert badge_verify(url=selectors.assertion_url(assertion)).check("expiry").passed  # type: ignore[union-attr]


def _jws_carrying(payload: Any) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{encoded}.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"verification": "signed"}, "The assertion's verification should be an object but is not."),
        ({"recipient": "ada@example.org"}, "The assertion's recipient should be an object but is not."),
    ],
    ids=["verification-as-text", "recipient-as-text"],
)
def test_a_badge_shaped_unlike_the_spec_is_refused_with_the_reason(
    changes: dict[str, Any], reason: str
) -> None:
    assertion = issued(signed=True)
    payload = {**unverified_payload(assertion.jws), **changes}

    report = badge_verify(jws=_jws_carrying(payload), recipient_email=EARNER)

    assert failed(report) == {"assertion": reason}


def test_a_signed_payload_that_is_not_an_object_is_refused() -> None:
    report = badge_verify(jws=_jws_carrying(["not", "a", "badge"]))

    assert failed(report) == {"assertion": "The JWS cannot be read: The JWS payload is not a JSON object"}


def test_a_page_of_this_site_that_is_no_badge_is_refused_not_run(settings: Any) -> None:
    report = badge_verify(url=f"{settings.SITE_URL}/machines/")

    assert failed(report) == {"assertion": "This page of this site is not an Open Badges document."}
