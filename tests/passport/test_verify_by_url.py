"""Verifying a badge given only by a URL, as the "Verify this badge" link and the API do: a signed
badge's URL, a URL that answers a baked image or a plain one, a URL that is not found; badges signed
before and after a key rotation; and keys or tokens that must not be trusted or even followed."""

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer
from badges.openbadges import documents, signing
from badges.services import signing_key_revoke, signing_key_rotate
from passport import selectors
from passport.models import Assertion
from passport.verification import (
    JOSE,
    Document,
    VerificationReport,
    badge_verify,
    default_fetcher,
    remote_fetcher,
)
from tests.passport.conftest import EARNER

pytestmark = pytest.mark.django_db

NEVER_BAKED = (
    "The address answers an image, not a badge record. The image carries no badge: it was never baked."
)


def failed(report: VerificationReport) -> dict[str, str]:
    return {check.name: check.detail for check in report.failures}


def test_a_signed_badge_verifies_by_its_url_from_the_jws_the_url_serves(
    png_class: BadgeClass, issue: Any
) -> None:
    assertion = issue(badge_class=png_class, signed=True)

    report = badge_verify(url=selectors.assertion_url(assertion), recipient_email=EARNER)

    assert report.valid, failed(report)
    assert report.verification_type == "signed"
    assert report.jws == assertion.jws
    assert report.check("signature").passed  # type: ignore[union-attr]


def test_a_signed_badges_url_answers_its_jws_to_a_verifier_that_asks_for_it(
    png_class: BadgeClass, issue: Any, client: Client
) -> None:
    signed = issue(badge_class=png_class, signed=True)
    hosted = issue(badge_class=png_class)

    answer = client.get(selectors.assertion_url(signed), HTTP_ACCEPT=JOSE)

    assert answer.status_code == 200
    assert answer["Content-Type"] == JOSE
    assert answer.content.decode() == signed.jws
    assert "Accept" in answer["Vary"]
    assert client.get(selectors.assertion_url(hosted), HTTP_ACCEPT=JOSE)["Content-Type"] != JOSE


@pytest.mark.parametrize(
    "answer",
    [Document(406, None, "No JWS here."), Document(200, None, text="<p>See v1.2.3 of our page</p>")],
    ids=["not-acceptable", "a-page-instead"],
)
def test_a_signed_badge_whose_url_gives_no_signature_is_refused_with_the_reason(
    png_class: BadgeClass, issue: Any, answer: Document
) -> None:
    assertion = issue(badge_class=png_class, signed=True)

    def without_jws(url: str, accept: str = "application/json") -> Document:
        return answer if accept == JOSE else default_fetcher(url, accept)

    report = badge_verify(url=selectors.assertion_url(assertion), fetcher=without_jws)

    assert not report.valid
    assert "does not give its signature (JWS)" in failed(report)["assertion"]


def test_a_jws_served_at_a_url_must_be_the_badge_of_that_url(png_class: BadgeClass, issue: Any) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    other = issue(badge_class=png_class, signed=True)

    def other_jws(url: str, accept: str = "application/json") -> Document:
        return Document(200, None, text=other.jws) if accept == JOSE else default_fetcher(url, accept)

    report = badge_verify(url=selectors.assertion_url(assertion), fetcher=other_jws)

    assert failed(report) == {"assertion": "The signature served at this URL is for another badge."}


def test_a_signed_badge_of_another_server_verifies_by_url_over_http(
    live_server: Any, settings: Any, png_class: BadgeClass, issue: Any
) -> None:
    settings.SITE_URL = live_server.url
    settings.VERIFY_ALLOW_LOOPBACK = True
    assertion = issue(badge_class=png_class, signed=True)

    report = badge_verify(url=selectors.assertion_url(assertion), fetcher=remote_fetcher)

    assert report.valid, failed(report)
    assert report.verification_type == "signed"


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
@pytest.mark.parametrize("badge_class", ["png_class", "svg_class"])
def test_a_url_answering_a_baked_badge_is_unbaked_and_verified(
    request: pytest.FixtureRequest, issue: Any, badge_class: str, signed: bool
) -> None:
    assertion = issue(badge_class=request.getfixturevalue(badge_class), signed=signed)

    report = badge_verify(url=selectors.assertion_baked_url(assertion), recipient_email=EARNER)

    assert report.valid, failed(report)
    assert report.verification_type == ("signed" if signed else "hosted")
    assert report.assertion["id"] == selectors.assertion_url(assertion)  # type: ignore[index]


@pytest.mark.parametrize("badge_class", ["png_class", "svg_class"])
def test_a_url_answering_an_image_that_was_never_baked_says_so(
    request: pytest.FixtureRequest, badge_class: str
) -> None:
    image_url = badge_selectors.badge_class_image_url(request.getfixturevalue(badge_class))

    report = badge_verify(url=image_url)

    assert failed(report) == {"input": NEVER_BAKED}


def test_a_url_that_is_not_found_says_not_found(live_server: Any, settings: Any) -> None:
    settings.VERIFY_ALLOW_LOOPBACK = True
    local = badge_verify(url=f"{settings.SITE_URL}/badges/assertions/no-such-badge/")
    remote = badge_verify(url=f"{live_server.url}/badges/assertions/no-such-badge/")

    assert failed(local)["assertion"] == "Not found: this site has no such page."
    assert failed(remote)["assertion"] == "Not found: the address answered 404."


def test_a_url_longer_than_the_limit_is_refused_before_anything_is_fetched(settings: Any) -> None:
    report = badge_verify(url=f"{settings.SITE_URL}/badges/assertions/{'a' * 2000}/")

    assert failed(report) == {"input": "The address is longer than 2000 characters."}


@pytest.fixture
def rotated(png_class: BadgeClass, issue: Any) -> dict[str, Assertion]:
    """Badges of one issuer from before and after it rotated its key."""
    hosted = issue(badge_class=png_class)
    old_signed = issue(badge_class=png_class, signed=True)
    signing_key_rotate(issuer=png_class.issuer)
    new_signed = issue(badge_class=png_class, signed=True)
    return {"hosted": hosted, "old key": old_signed, "new key": new_signed}


@pytest.mark.parametrize("which", ["hosted", "old key", "new key"])
def test_after_a_key_rotation_every_badge_of_the_issuer_still_verifies(
    rotated: dict[str, Assertion], which: str
) -> None:
    assertion = rotated[which]

    by_url = badge_verify(url=selectors.assertion_url(assertion), recipient_email=EARNER)
    given = badge_verify(jws=assertion.jws) if assertion.jws else by_url

    assert by_url.valid, failed(by_url)
    assert given.valid, failed(given)


def test_after_a_rotation_the_profile_names_the_new_key_and_the_old_one_stays_the_issuers(
    rotated: dict[str, Assertion], png_class: BadgeClass
) -> None:
    issuer = png_class.issuer
    profile = documents.issuer_document(badge_selectors.issuer_data(issuer))
    old_key = rotated["old key"].signing_key
    assert old_key is not None

    assert profile["publicKey"] == badge_selectors.key_url(badge_selectors.active_signing_key(issuer))
    assert documents.key_document(badge_selectors.key_data(old_key))["owner"] == profile["id"]
    report = badge_verify(jws=rotated["old key"].jws)
    assert report.check("key_owner").detail == (  # type: ignore[union-attr]
        "Owned by the issuer and published on its site (a key it signed with before)."
    )


def test_a_badge_signed_with_a_revoked_key_no_longer_verifies(png_class: BadgeClass, issue: Any) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    assert assertion.signing_key is not None
    signing_key_revoke(key=assertion.signing_key)

    report = badge_verify(jws=assertion.jws)

    assert failed(report) == {"key_owner": "The issuer has revoked this key."}


@dataclass
class ImpostorSite:
    """Another origin that publishes a key of its own, claiming a real issuer as its owner."""

    private_pem: bytes
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fetcher(self, url: str, accept: str = "application/json") -> Document:
        if url in self.documents:
            return Document(200, self.documents[url])
        return default_fetcher(url, accept)

    def forge(self, assertion: Assertion, key_document: dict[str, Any]) -> str:
        payload = selectors.assertion_document(assertion)
        payload["verification"] = {"type": "SignedBadge", "creator": "https://impostor.example/key"}
        self.documents["https://impostor.example/key"] = {
            "@context": documents.OB_CONTEXT,
            "type": "CryptographicKey",
            "publicKeyPem": signing.public_key_pem(self.private_pem),
            **key_document,
        }
        return signing.sign(payload, self.private_pem)


@pytest.fixture
def impostor() -> ImpostorSite:
    return ImpostorSite(signing.generate_private_key_pem())


def test_a_key_on_another_site_claiming_the_issuer_as_owner_is_not_the_issuers(
    png_class: BadgeClass, issuer: Issuer, issue: Any, impostor: ImpostorSite
) -> None:
    forged = impostor.forge(
        issue(badge_class=png_class),
        {"id": "https://impostor.example/key", "owner": badge_selectors.issuer_url(issuer)},
    )

    report = badge_verify(jws=forged, fetcher=impostor.fetcher)

    assert failed(report) == {
        "key_owner": "The key is not the issuer's: the issuer neither lists it nor publishes it."
    }


def test_a_key_claiming_the_id_of_the_issuers_key_is_read_from_that_id_instead(
    png_class: BadgeClass, issuer: Issuer, issue: Any, impostor: ImpostorSite
) -> None:
    listed = badge_selectors.key_url(badge_selectors.active_signing_key(issuer))
    forged = impostor.forge(
        issue(badge_class=png_class), {"id": listed, "owner": badge_selectors.issuer_url(issuer)}
    )

    report = badge_verify(jws=forged, fetcher=impostor.fetcher)

    assert not report.valid
    assert "signature" in failed(report)
    # The key read is the issuer's real one, which did not make this signature.
    assert report.check("key_owner").passed  # type: ignore[union-attr]


class CountingServer:
    """A stand-in issuer on 127.0.0.1 that counts every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                body = json.dumps({"error": "not a badge"}).encode()
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def counting_server(settings: Any) -> Iterator[CountingServer]:
    settings.VERIFY_ALLOW_LOOPBACK = True
    server = CountingServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _token(header: dict[str, Any], payload: dict[str, Any], signature: str = "c2lnbmF0dXJl") -> str:
    def segment(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{segment(header)}.{segment(payload)}.{signature}"


def _payload_naming(server: CountingServer) -> dict[str, Any]:
    return {
        "@context": documents.OB_CONTEXT,
        "type": "Assertion",
        "id": f"{server.url}/assertion",
        "recipient": {"type": "email", "hashed": False, "identity": EARNER},
        "badge": f"{server.url}/badge-class",
        "verification": {"type": "SignedBadge", "creator": f"{server.url}/key"},
        "issuedOn": "2026-01-01T00:00:00Z",
    }


@pytest.mark.parametrize(
    "header",
    [{"alg": "none"}, {"alg": "HS256"}, {}, {"alg": "RS256", "crit": ["b64"]}],
    ids=["alg-none", "HS256", "no-alg", "critical-extension"],
)
def test_a_token_that_could_never_verify_makes_no_request_at_all(
    counting_server: CountingServer, header: dict[str, Any]
) -> None:
    report = badge_verify(jws=_token(header, _payload_naming(counting_server)))

    assert "The JWS cannot be read" in failed(report)["assertion"]
    assert counting_server.requests == []


@pytest.mark.parametrize(
    "signature", ["", "not+base64/", "c2ln=bmF0"], ids=["empty", "plus-slash", "padding"]
)
def test_a_token_with_a_malformed_signature_makes_no_request_at_all(
    counting_server: CountingServer, signature: str
) -> None:
    report = badge_verify(jws=_token({"alg": "RS256"}, _payload_naming(counting_server), signature))

    assert not report.valid
    assert counting_server.requests == []


def test_a_well_formed_rs256_token_is_followed_to_its_badge_class(counting_server: CountingServer) -> None:
    """The counter works: a token that could verify does make the verifier fetch what it names."""
    report = badge_verify(jws=_token({"alg": "RS256"}, _payload_naming(counting_server)))

    assert failed(report)["badge_class"] == "Not found: the address answered 404."
    assert counting_server.requests == ["/badge-class"]
