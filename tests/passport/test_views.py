"""The public pages of awards: people get HTML, verifiers get JSON-LD from the same URL, a revoked award
answers 410, each issuer publishes its revocation list, and no plain e-mail address ever shows."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone

from badges.models import BadgeClass, Issuer
from badges.openbadges.documents import OB_CONTEXT
from passport import selectors, services
from passport.models import Assertion
from tests.passport.conftest import EARNER, SITE

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

Issue = Callable[..., Assertion]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
JSON_LD = "application/ld+json"


def page_path(assertion: Assertion) -> str:
    return f"/badges/assertions/{assertion.public_id}/"


def get_json(client: Client, path: str, accept: str = JSON_LD) -> "_MonkeyPatchedWSGIResponse":
    return client.get(path, HTTP_ACCEPT=accept)


def body(response: "_MonkeyPatchedWSGIResponse") -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(response.content)
    return loaded


def test_a_browser_gets_a_readable_page(png_class: BadgeClass, issue: Issue, client: Client) -> None:
    assertion = issue(badge_class=png_class, narrative="Assessed on the *Trotec*.")

    response = client.get(page_path(assertion), HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    text = response.content.decode()
    assert "Laser cutter operator" in text
    assert "Fablab Glasgow" in text
    assert assertion.recipient_identity in text
    assert "<strong>laser safety</strong>" in text
    assert "<em>Trotec</em>" in text
    assert "working with machinery and specialised equipment" in text
    assert "This badge is valid" in text
    assert f'href="{SITE}{page_path(assertion)}baked.png"' in text


@pytest.mark.parametrize(
    "accept", [JSON_LD, "application/json", "application/ld+json, application/json;q=0.9"]
)
def test_a_verifier_gets_the_json_ld_document(
    png_class: BadgeClass, issue: Issue, client: Client, accept: str
) -> None:
    assertion = issue(badge_class=png_class)

    response = get_json(client, page_path(assertion), accept)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == accept.split(",")[0]
    assert response["Access-Control-Allow-Origin"] == "*"
    document = body(response)
    assert document == selectors.assertion_document(assertion)
    assert document["@context"] == OB_CONTEXT
    assert document["id"] == SITE + page_path(assertion)
    assert document["verification"] == {"type": "HostedBadge"}
    assert document["badge"] == f"{SITE}/badges/classes/{png_class.public_id}/"


def test_a_signed_award_page_shows_its_jws_and_key(
    png_class: BadgeClass, issue: Issue, client: Client
) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    assert assertion.signing_key is not None

    text = client.get(page_path(assertion)).content.decode()

    assert assertion.jws in text
    assert f"/badges/keys/{assertion.signing_key.public_id}/" in text


def test_an_unknown_award_is_not_found(issuer: Issuer, client: Client) -> None:
    assert client.get("/badges/assertions/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    assert get_json(client, "/badges/assertions/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404


def test_a_revoked_hosted_award_answers_410_with_its_reason(
    png_class: BadgeClass, issue: Issue, client: Client
) -> None:
    assertion = issue(badge_class=png_class)
    services.assertion_revoke(assertion=assertion, reason="Awarded to the wrong member.")

    response = get_json(client, page_path(assertion))

    assert response.status_code == 410
    assert body(response) == {
        "@context": OB_CONTEXT,
        "id": SITE + page_path(assertion),
        "revoked": True,
        "revocationReason": "Awarded to the wrong member.",
    }


def test_a_browser_is_told_plainly_that_an_award_was_revoked(
    png_class: BadgeClass, issue: Issue, client: Client
) -> None:
    assertion = issue(badge_class=png_class)
    services.assertion_revoke(assertion=assertion, reason="Awarded to the wrong member.")

    response = client.get(page_path(assertion), HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 410
    text = response.content.decode()
    assert "This badge has been revoked." in text
    assert "Awarded to the wrong member." in text
    assert "This badge is valid" not in text


def test_a_revoked_signed_award_answers_410_too(png_class: BadgeClass, issue: Issue, client: Client) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    services.assertion_revoke(assertion=assertion, reason="Key compromised.")

    response = get_json(client, page_path(assertion))

    assert response.status_code == 410
    assert body(response)["revoked"] is True


def test_an_expired_award_document_carries_its_expiry(
    svg_class: BadgeClass, issue: Issue, client: Client
) -> None:
    issued_on = (timezone.now() - timedelta(days=400)).replace(microsecond=0)
    assertion = issue(badge_class=svg_class, issued_on=issued_on)
    assert assertion.expires is not None

    document = body(get_json(client, page_path(assertion)))
    page = client.get(page_path(assertion)).content.decode()

    assert document["expires"] == assertion.expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert assertion.expires < timezone.now()
    assert "This badge expired on" in page


def test_a_revocation_list_with_one_entry(png_class: BadgeClass, issue: Issue, client: Client) -> None:
    revoked = issue(badge_class=png_class)
    issue(badge_class=png_class)
    services.assertion_revoke(assertion=revoked, reason="Awarded to the wrong member.")
    path = f"/badges/issuers/{png_class.issuer.slug}/revocations/"

    response = get_json(client, path)

    assert response.status_code == 200
    assert body(response) == {
        "@context": OB_CONTEXT,
        "type": "RevocationList",
        "id": SITE + path,
        "issuer": f"{SITE}/badges/issuers/{png_class.issuer.slug}/",
        "revokedAssertions": [
            {"id": SITE + page_path(revoked), "revocationReason": "Awarded to the wrong member."}
        ],
    }


def test_a_revocation_list_with_many_entries_lists_only_this_issuers_revoked_awards(
    png_class: BadgeClass, svg_class: BadgeClass, issue: Issue, client: Client, hub: Any
) -> None:
    awards = [issue(badge_class=png_class, signed=number % 2 == 0) for number in range(4)]
    awards.append(issue(badge_class=svg_class))
    for number, award in enumerate(awards[1:], start=1):
        services.assertion_revoke(assertion=award, reason=f"Reason {number}")
    path = f"/badges/issuers/{png_class.issuer.slug}/revocations/"

    entries = body(get_json(client, path, "application/json"))["revokedAssertions"]

    assert entries == [
        {"id": SITE + page_path(award), "revocationReason": f"Reason {number}"}
        for number, award in enumerate(awards[1:], start=1)
    ]


def test_an_empty_revocation_list_and_its_page(issuer: Issuer, client: Client) -> None:
    path = f"/badges/issuers/{issuer.slug}/revocations/"

    assert body(get_json(client, path))["revokedAssertions"] == []
    assert "This issuer has revoked no badges." in client.get(path).content.decode()
    assert client.get("/badges/issuers/no-such-hub/revocations/").status_code == 404


def test_the_revocation_page_lists_reasons_for_people(
    png_class: BadgeClass, issue: Issue, client: Client
) -> None:
    award = issue(badge_class=png_class)
    services.assertion_revoke(assertion=award, reason="Awarded to the wrong member.")

    text = client.get(f"/badges/issuers/{png_class.issuer.slug}/revocations/").content.decode()

    assert "Awarded to the wrong member." in text
    assert page_path(award) in text


def test_no_public_response_shows_the_plain_address_or_the_name(
    png_class: BadgeClass,
    svg_class: BadgeClass,
    issue: Issue,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hosted = issue(badge_class=png_class, recipient_name="Ada Lovelace")
    signed = issue(badge_class=svg_class, signed=True, recipient_name="Ada Lovelace")
    # One award whose e-mail has not gone yet, so its address is still stored.
    with django_capture_on_commit_callbacks(execute=False):
        waiting = services.assertion_issue(
            badge_class=png_class, recipient_email=EARNER, recipient_name="Ada Lovelace"
        )
    revoked = issue(badge_class=png_class, recipient_name="Ada Lovelace")
    services.assertion_revoke(assertion=revoked, reason="Mistake.")
    assert Assertion.objects.get(pk=waiting.pk).pending_email == EARNER
    slug = png_class.issuer.slug

    responses = []
    for award in (hosted, signed, waiting, revoked):
        for accept in (BROWSER_ACCEPT, JSON_LD, "application/json"):
            responses.append(client.get(page_path(award), HTTP_ACCEPT=accept))
    for award, extension in ((hosted, "png"), (signed, "svg")):
        served = client.get(f"{page_path(award)}baked.{extension}")
        responses.append(served)
    for accept in (BROWSER_ACCEPT, JSON_LD):
        responses.append(client.get(f"/badges/issuers/{slug}/revocations/", HTTP_ACCEPT=accept))

    for response in responses:
        content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = content.decode("utf-8", errors="replace").lower()
        assert "ada.lovelace" not in text
        assert "example.org" not in text
        assert "ada lovelace" not in text
