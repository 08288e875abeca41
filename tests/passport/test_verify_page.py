"""The public verifier page, /verify/, as a visitor uses it: a badge's URL or JWS pasted, or a baked
image uploaded, with or without the earner's e-mail, and the plain-words report that comes back."""

import base64
import html
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from badges import services as badge_services
from badges.models import BadgeClass
from badges.selectors import badge_class_image_url, badge_class_url
from badges.services.endorsements import endorsement_give
from passport import selectors, services
from passport.models import Assertion
from passport.verification import CHECKS
from passport.views.verify import CHECK_SENTENCES, VERIFICATIONS_PER_CLIENT
from tests.factories import IssuerFactory, ListingFactory
from tests.passport.conftest import EARNER, SVG_BADGE

pytestmark = pytest.mark.django_db

NEVER_BAKED = (
    "The address answers an image, not a badge record. The image carries no badge: it was never baked."
)

Issue = Callable[..., Assertion]


def text_of(response: Any) -> str:
    """The page's text as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def verify(client: Client, **data: Any) -> Any:
    return client.post(reverse("passport_site:verify"), data)


def baked(assertion: Assertion, name: str) -> SimpleUploadedFile:
    assertion.baked_image.open("rb")
    try:
        return SimpleUploadedFile(name, assertion.baked_image.read())
    finally:
        assertion.baked_image.close()


def test_the_page_offers_a_url_or_jws_field_an_image_field_and_the_earners_email(client: Client) -> None:
    page = client.get(reverse("passport_site:verify")).content.decode()

    assert '<label for="id_badge">Badge URL or signed badge (JWS):</label>' in page
    assert '<label for="id_image">Baked badge image:</label>' in page
    assert '<label for="id_email">Earner&#x27;s e-mail:</label>' in page
    assert 'enctype="multipart/form-data"' in page
    assert ">Verify</button>" in page


def test_every_check_the_verifier_makes_has_a_plain_sentence() -> None:
    assert set(CHECK_SENTENCES) == set(CHECKS)


def test_every_page_links_to_the_verifier(client: Client) -> None:
    page = client.get(reverse("pages:home")).content.decode()

    assert f'<a href="{reverse("passport_site:verify")}">Verify a badge</a>' in page


def test_a_valid_hosted_badge_by_its_url(client: Client, png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class)

    response = verify(client, badge=selectors.assertion_url(assertion), email=EARNER)

    text = text_of(response)
    assert response.status_code == 200
    assert "This badge is valid" in text
    assert "The badge is published on its issuer's own website." in text
    assert "The issuer has not revoked the badge." in text
    assert "It was awarded to the e-mail address you gave." in text
    assert "Laser cutter operator" in text
    assert "Runs the laser cutter safely, from file to finished part." in text
    assert "laser safety" in text
    assert "Fablab Glasgow" in text
    assert "Revoked No" in text
    assert "Expiry Does not expire" in text
    assert f'src="{badge_class_image_url(png_class)}"' in response.content.decode()


def test_a_valid_signed_badge_by_its_jws(client: Client, svg_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=svg_class, signed=True)

    text = text_of(verify(client, badge=assertion.jws))

    assert "This badge is valid" in text
    assert "The digital signature matches: nobody has changed the badge since the issuer signed it." in text
    assert "That key belongs to the issuer, who lists it in its profile." in text
    assert "Not checked: give the earner's e-mail address" in text
    assert "Valid until" in text


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
def test_a_baked_png_upload(client: Client, png_class: BadgeClass, issue: Issue, signed: bool) -> None:
    assertion = issue(badge_class=png_class, signed=signed)

    response = verify(client, image=baked(assertion, "badge.png"), email=EARNER)

    assert "This badge is valid" in text_of(response)


def test_a_baked_svg_upload_is_judged_by_its_content_not_its_name(
    client: Client, svg_class: BadgeClass, issue: Issue
) -> None:
    assertion = issue(badge_class=svg_class, signed=True)

    response = verify(client, image=baked(assertion, "download"), email=EARNER)

    assert "This badge is valid" in text_of(response)


def test_a_revoked_badge_is_not_valid_and_says_why(
    client: Client, png_class: BadgeClass, issue: Issue
) -> None:
    assertion = issue(badge_class=png_class)
    services.assertion_revoke(assertion=assertion, reason="Awarded by mistake")

    text = text_of(verify(client, badge=selectors.assertion_url(assertion)))

    assert "This badge is not valid" in text
    assert "The issuer has revoked the badge: it no longer counts." in text
    assert "Awarded by mistake" in text


def test_a_revoked_signed_badge_is_found_on_the_revocation_list(
    client: Client, png_class: BadgeClass, issue: Issue
) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    services.assertion_revoke(assertion=assertion, reason="Failed the re-assessment")

    text = text_of(verify(client, badge=assertion.jws))

    assert "This badge is not valid The issuer has revoked the badge: it no longer counts." in text
    assert "Revoked Yes, by its issuer" in text


def test_a_tampered_badge_fails_its_signature(client: Client, png_class: BadgeClass, issue: Issue) -> None:
    header, _payload, signature = issue(badge_class=png_class, signed=True).jws.split(".")
    other_payload = issue(
        badge_class=png_class, signed=True, recipient_email="mallory@example.org"
    ).jws.split(".")[1]

    text = text_of(verify(client, badge=".".join([header, other_payload, signature])))

    assert "This badge is not valid" in text
    assert "The badge's proof of origin does not hold" in text
    assert "Not checked, because an earlier check failed." in text


def test_a_badge_awarded_to_another_address(client: Client, png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class)

    text = text_of(verify(client, badge=selectors.assertion_url(assertion), email="grace@example.org"))

    assert "This badge is not valid It was not awarded to the e-mail address you gave." in text
    assert "Earner Not awarded to the e-mail address you gave" in text


def test_an_expired_badge(client: Client, png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(
        badge_class=png_class,
        issued_on=datetime(2024, 1, 1, tzinfo=UTC),
        expires=datetime(2025, 1, 1, tzinfo=UTC),
    )

    text = text_of(verify(client, badge=selectors.assertion_url(assertion)))

    assert "This badge is not valid The badge has expired" in text
    assert "Expiry Expired on 1 January 2025" in text


def test_the_report_names_the_hubs_that_recognise_the_badge(
    client: Client, png_class: BadgeClass, issue: Issue
) -> None:
    endorsement_give(endorser=IssuerFactory.create(name="Fab Lab Yaoundé"), badge_class=png_class, actor=None)
    assertion = issue(badge_class=png_class)

    text = text_of(verify(client, badge=selectors.assertion_url(assertion)))

    assert "Recognised by 1 other hub: Fab Lab Yaoundé" in text


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
def test_the_public_badge_page_links_to_a_report_on_it(
    client: Client, png_class: BadgeClass, issue: Issue, signed: bool
) -> None:
    assertion = issue(badge_class=png_class, signed=signed)
    page = client.get(
        reverse("passport:assertion", kwargs={"public_id": assertion.public_id})
    ).content.decode()
    link = re.search(r'href="([^"]*)">Verify this badge</a>', page)
    assert link is not None

    text = text_of(client.get(html.unescape(link.group(1))))

    assert "This badge is valid" in text
    assert "Laser cutter operator" in text


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
def test_the_address_of_a_baked_badge_image_is_verified_as_the_badge_it_carries(
    client: Client, svg_class: BadgeClass, issue: Issue, signed: bool
) -> None:
    assertion = issue(badge_class=svg_class, signed=signed)

    text = text_of(verify(client, badge=selectors.assertion_baked_url(assertion), email=EARNER))

    assert "This badge is valid" in text
    assert "3D printing (FDM)" in text


def test_the_address_of_an_image_that_was_never_baked_says_so(client: Client, png_class: BadgeClass) -> None:
    text = text_of(verify(client, badge=badge_class_image_url(png_class)))

    assert "This badge is not valid" in text
    assert NEVER_BAKED in text


def test_a_badge_address_longer_than_the_limit_is_refused_by_the_form(client: Client, db: None) -> None:
    answer = verify(client, badge="https://makeworks.example/badges/assertions/" + "a" * 2000)

    assert answer.status_code == 400
    assert "A badge's web address has at most 2000 characters; this one has 2044." in text_of(answer)


def test_an_image_that_was_never_baked_is_not_a_badge(client: Client, db: None) -> None:
    text = text_of(verify(client, image=SimpleUploadedFile("plain.svg", SVG_BADGE)))

    assert "This badge is not valid We could not read what you gave us as an Open Badge." in text
    assert "never baked" in text


def test_an_image_larger_than_2_mb_is_refused(client: Client, db: None) -> None:
    big = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), bytes(range(256)) * (1200 * 1200 * 3 // 256)).save(
        big, "PNG", compress_level=0
    )
    assert big.tell() > 2 * 1024 * 1024

    response = verify(client, image=SimpleUploadedFile("huge.png", big.getvalue()))

    assert response.status_code == 400
    assert "The image is larger than 2 MB" in text_of(response)


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
        b"%PDF-1.7\n",
        b"<html><body>not an image</body></html>",
    ],
    ids=["jpeg", "pdf", "html"],
)
def test_a_file_that_is_not_a_png_or_svg_is_refused_whatever_its_name(
    client: Client, db: None, content: bytes
) -> None:
    response = verify(client, image=SimpleUploadedFile("badge.png", content, "image/png"))

    assert response.status_code == 400
    assert "This file is not a PNG or SVG image, so it cannot carry a badge." in text_of(response)


def test_giving_nothing_asks_for_a_badge(client: Client, db: None) -> None:
    response = verify(client, badge="  ", email="")

    assert response.status_code == 400
    assert "Paste a badge's web address or signed text, or upload a baked badge image." in text_of(response)


def test_giving_both_a_text_and_an_image_is_refused(client: Client, db: None) -> None:
    response = verify(client, badge="https://example.org/a", image=SimpleUploadedFile("b.svg", SVG_BADGE))

    assert response.status_code == 400
    assert "not both" in text_of(response)


def test_a_malformed_email_is_marked_and_what_was_typed_is_kept(client: Client, db: None) -> None:
    response = verify(client, badge="https://example.org/badges/1", email="not-an-address")

    assert response.status_code == 400
    assert "Enter a valid email address." in text_of(response)
    assert "https://example.org/badges/1</textarea>" in response.content.decode()


def test_text_that_is_no_badge_gets_a_report_not_an_error(client: Client, db: None) -> None:
    text = text_of(verify(client, badge="certainly not a badge"))

    assert "This badge is not valid We could not read what you gave us as an Open Badge." in text


def test_a_client_that_verifies_too_often_is_asked_to_wait(client: Client, db: None) -> None:
    statuses = [verify(client, badge="").status_code for _n in range(VERIFICATIONS_PER_CLIENT.count)]

    refused = verify(client, badge="")

    assert set(statuses) == {400}
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(VERIFICATIONS_PER_CLIENT.seconds)
    assert "Please wait a few minutes, then try again." in text_of(refused)
    other_client = Client(REMOTE_ADDR="192.0.2.8")
    assert verify(other_client, badge="").status_code == 400


def test_behind_the_proxy_each_client_has_its_own_verification_limit(
    client: Client, db: None, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    busy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    for _n in range(VERIFICATIONS_PER_CLIENT.count):
        verify(busy, badge="")

    assert verify(busy, badge="").status_code == 429
    assert verify(other, badge="").status_code == 400


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_verification_limit(
    db: None, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(VERIFICATIONS_PER_CLIENT.count):
        verify(Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), badge="")

    assert verify(Client(HTTP_X_FORWARDED_FOR="198.51.100.4"), badge="").status_code == 429


def test_a_badge_from_another_site_is_fetched_from_there(
    client: Client, live_server: Any, settings: Any
) -> None:
    """Issued while this site is the live server, then verified as someone else's: every document comes
    over HTTP through safe_fetch."""
    settings.SITE_URL = live_server.url
    settings.VERIFY_ALLOW_LOOPBACK = True
    issuer = badge_services.issuer_create(
        listing=ListingFactory.create(name="Remote Fablab"),
        name="Remote Fablab",
        url="https://remote.example",
        email="badges@remote.example",
    )
    badge_class = badge_services.badge_class_create(
        issuer=issuer,
        name="Welding basics",
        description="Welds steel safely.",
        image=SimpleUploadedFile("weld.svg", SVG_BADGE),
        criteria_narrative="Passed the practical.",
    )
    assertion = services.assertion_issue(
        badge_class=badge_class, recipient_email=EARNER, signed=True, send_email=False
    )
    settings.SITE_URL = "https://another-site.example"

    text = text_of(verify(client, badge=assertion.jws, email=EARNER))

    assert "This badge is valid" in text
    assert "Welding basics" in text
    assert "Remote Fablab" in text


def test_a_signed_badge_shaped_unlike_any_badge_gets_a_report_not_an_error(
    client: Client, png_class: BadgeClass
) -> None:
    payload = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "urn:uuid:0b7c5c3e-2b1a-4f7e-9d1e-1c2b3a4d5e6f",
        "recipient": "ada@example.org",
        "badge": badge_class_url(png_class),
        "verification": "signed",
        "issuedOn": "2026-01-01T00:00:00Z",
    }
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")

    response = verify(client, badge=f"eyJhbGciOiJSUzI1NiJ9.{encoded}.c2lnbmF0dXJl")

    assert response.status_code == 200
    assert "This badge is not valid" in text_of(response)


@pytest.mark.parametrize(
    "badge",
    [
        '{"id": ' * 5000 + '"x"' + "}" * 5000,
        "eyJhbGciOiJSUzI1NiJ9."
        + base64.urlsafe_b64encode(b"[" * 20_000 + b"]" * 20_000).decode().rstrip("=")
        + ".c2lnbmF0dXJl",
    ],
    ids=["assertion-json", "jws-payload"],
)
def test_json_nested_thousands_deep_gets_a_report_saying_so_not_an_error(
    client: Client, db: None, badge: str
) -> None:
    response = verify(client, badge=badge)

    assert response.status_code == 200
    text = text_of(response)
    assert "This badge is not valid" in text
    assert "nested more than 32 levels deep" in text


def test_in_french_the_checklist_details_are_french_too(
    client: Client, png_class: BadgeClass, issue: Issue
) -> None:
    assertion = issue(badge_class=png_class)

    response = client.post(
        "/fr/verify/", {"badge": selectors.assertion_url(assertion), "email": "other@example.org"}
    )

    text = text_of(response)
    assert "(Une assertion hébergée.)" in text
    assert "(Hébergé sur le site de son émetteur.)" in text
    assert "(N’expire pas.)" in text
    assert "(Non décerné à cette adresse e-mail.)" in text
    assert "Well formed" not in text
    assert "Does not expire" not in text
