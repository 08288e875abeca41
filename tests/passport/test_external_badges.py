"""Badges from other issuers on a passport: a valid one is added, a revoked, tampered or mis-addressed
one is refused with its failed checks in words, a URL on a private network is never fetched, and the
daily re-verification flags a badge its issuer revoked or that expired.

The other issuer is a small HTTP server on 127.0.0.1 (ExternalIssuer below), reached through safe_fetch
as any remote issuer is; VERIFY_ALLOW_LOOPBACK lets it through except in the SSRF tests."""

import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin

from badges.models import BadgeClass
from badges.openbadges import baking, documents, recipient, signing
from badges.openbadges.documents import AlignmentData
from passport import selectors, services
from passport.models import Assertion, ExternalBadge, ExternalState, Passport, Visibility
from passport.selectors import MakerSearch, maker_search
from passport.services.external_badges import external_badge_add, external_badge_reverify
from passport.services.passports import passport_ensure, passport_update
from passport.tasks import reverify_all_external_badges
from tests.factories import UserFactory, badge_png
from tests.images import AUTHOR, zip_archive

pytestmark = pytest.mark.django_db

MEMBER_EMAIL = "ines@example.org"

SKILL = AlignmentData(
    target_name="Welding",
    target_url="http://data.europa.eu/esco/skill/welding",
    target_framework="ESCO",
    target_code="W-101",
)


@dataclass
class ExternalIssuer:
    base: str
    private_pem: bytes
    # path: (status, JSON document)
    served: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    # Every path requested, in order: proof of what was, and was not, fetched.
    hits: list[str] = field(default_factory=list)
    revoked: list[documents.RevokedEntry] = field(default_factory=list)
    counter: int = 0

    def url(self, path: str) -> str:
        return self.base + path

    def publish(self) -> None:
        """The issuer profile, its key, its badge class and its revocation list."""
        self.served["/issuer"] = (
            200,
            documents.issuer_document(
                documents.IssuerData(
                    id=self.url("/issuer"),
                    name="Makerspace Lisboa",
                    url=self.base,
                    email="badges@lisboa.example",
                    public_key_id=self.url("/key"),
                    revocation_list_id=self.url("/revocations"),
                )
            ),
        )
        self.served["/key"] = (
            200,
            documents.key_document(
                documents.KeyData(
                    id=self.url("/key"),
                    owner_id=self.url("/issuer"),
                    public_key_pem=signing.public_key_pem(self.private_pem),
                )
            ),
        )
        self.served["/class"] = (
            200,
            documents.badge_class_document(
                documents.BadgeClassData(
                    id=self.url("/class"),
                    issuer_id=self.url("/issuer"),
                    name="MIG welding",
                    description="Welds mild steel with MIG safely.",
                    image=self.url("/class.png"),
                    criteria_narrative="Passed the welding assessment.",
                    alignments=(SKILL,),
                )
            ),
        )
        self._publish_revocations()

    def _publish_revocations(self) -> None:
        self.served["/revocations"] = (
            200,
            documents.revocation_list_document(self.url("/revocations"), self.url("/issuer"), self.revoked),
        )

    def _assertion(self, email: str, kind: documents.VerificationType, expires: datetime | None) -> str:
        self.counter += 1
        path = f"/assertions/{self.counter}"
        salt = recipient.new_salt()
        data = documents.AssertionData(
            id=self.url(path),
            badge_class_id=self.url("/class"),
            recipient_identity=recipient.hash_identity(email, salt),
            recipient_salt=salt,
            issued_on=datetime(2025, 3, 1, tzinfo=UTC),
            verification_type=kind,
            verification_creator=self.url("/key") if kind == "signed" else "",
            expires=expires,
        )
        self.served[path] = (200, documents.assertion_document(data))
        return path

    def hosted(self, email: str, *, expires: datetime | None = None) -> str:
        """A hosted badge awarded to `email`: its URL."""
        return self.url(self._assertion(email, "hosted", expires))

    def signed(self, email: str, *, expires: datetime | None = None) -> str:
        """A signed badge awarded to `email`: its JWS."""
        path = self._assertion(email, "signed", expires)
        return signing.sign(self.served[path][1], self.private_pem)

    def revoke_hosted(self, url: str, reason: str) -> None:
        path = url.removeprefix(self.base)
        self.served[path] = (410, documents.revoked_assertion_document(url, reason))

    def revoke_signed(self, jws: str, reason: str) -> None:
        self.revoked.append(documents.RevokedEntry(signing.unverified_payload(jws)["id"], reason))
        self._publish_revocations()


@pytest.fixture(scope="module")
def issuer_key() -> bytes:
    return signing.generate_private_key_pem()


@pytest.fixture
def other_issuer(issuer_key: bytes, settings: Any) -> Iterator[ExternalIssuer]:
    """Another issuer's server on 127.0.0.1, which safe_fetch may reach in these tests."""
    settings.VERIFY_ALLOW_LOOPBACK = True
    private_pem = issuer_key
    state: dict[str, ExternalIssuer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            issuer = state["issuer"]
            issuer.hits.append(self.path)
            status, document = issuer.served.get(self.path, (404, {"error": "not found"}))
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests say what they expect."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["issuer"] = ExternalIssuer(
        base=f"http://127.0.0.1:{httpd.server_address[1]}", private_pem=private_pem
    )
    state["issuer"].publish()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["issuer"]
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def member() -> User:
    user = UserFactory.create(username="ines", email=MEMBER_EMAIL)
    EmailAddress.objects.create(user=user, email=MEMBER_EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def passport(member: User) -> Passport:
    return passport_ensure(user=member)


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(error.value.messages)


def test_a_valid_hosted_badge_from_another_issuer_is_added_private(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    url = other_issuer.hosted(MEMBER_EMAIL)

    badge = external_badge_add(passport=passport, url=url)

    assert (badge.name, badge.issuer_name, badge.state) == ("MIG welding", "Makerspace Lisboa", "verified")
    assert badge.visibility == Visibility.PRIVATE
    assert badge.assertion_url == url
    assert badge.assertion_json["id"] == url


def test_a_signed_badge_given_as_a_jws_is_added(passport: Passport, other_issuer: ExternalIssuer) -> None:
    jws = other_issuer.signed(MEMBER_EMAIL)

    badge = external_badge_add(passport=passport, jws=jws)

    assert badge.state == ExternalState.VERIFIED
    assert badge.signed_jws == jws == badge.source_jws


def test_a_baked_badge_image_is_added_through_the_page(
    client: Client, member: User, passport: Passport, other_issuer: ExternalIssuer
) -> None:
    jws = other_issuer.signed(MEMBER_EMAIL)
    image = SimpleUploadedFile("welding.png", baking.bake_png(badge_png(), jws), "image/png")
    client.force_login(member)

    response = client.post(reverse("passport_site:badge_add"), {"badge": "", "image": image}, follow=True)

    assert "“MIG welding” verified and is on your passport." in response.content.decode()
    badge = ExternalBadge.objects.get(passport=passport)
    assert (badge.source, badge.signed_jws) == ("image", jws)
    assert badge.source_image.read().startswith(b"\x89PNG")


def test_a_hosted_badge_its_issuer_revoked_is_refused_with_the_reason(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    url = other_issuer.hosted(MEMBER_EMAIL)
    other_issuer.revoke_hosted(url, "Assessment was incomplete")

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, url=url)

    assert "Revocation: Revoked: Assessment was incomplete." in refusal(error)
    assert not ExternalBadge.objects.exists()


def test_a_signed_badge_on_its_issuers_revocation_list_is_refused(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    jws = other_issuer.signed(MEMBER_EMAIL)
    other_issuer.revoke_signed(jws, "Awarded twice")

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, jws=jws)

    assert "Revocation: Listed as revoked: Awarded twice." in refusal(error)


def test_a_jws_whose_payload_was_altered_fails_its_signature(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    header, _payload, signature = other_issuer.signed(MEMBER_EMAIL).split(".")
    other_payload = other_issuer.signed("someone@example.org").split(".")[1]

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, jws=f"{header}.{other_payload}.{signature}")

    assert "The signature: The signature does not match" in refusal(error)
    assert not ExternalBadge.objects.exists()


def test_a_hosted_document_copied_to_another_address_is_refused(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    url = other_issuer.hosted(MEMBER_EMAIL)
    path = url.removeprefix(other_issuer.base)
    other_issuer.served["/copy"] = other_issuer.served[path]

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, url=other_issuer.url("/copy"))

    assert "The badge: The document at this URL names another id." in refusal(error)


def test_a_badge_awarded_to_someone_else_is_refused(passport: Passport, other_issuer: ExternalIssuer) -> None:
    url = other_issuer.hosted("somebody.else@example.org")

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, url=url)

    assert "awarded to an e-mail address that is not one of your verified addresses" in refusal(error)
    assert not ExternalBadge.objects.exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_an_address_on_a_private_network_is_refused_without_being_fetched(
    passport: Passport, other_issuer: ExternalIssuer, settings: Any, host: str
) -> None:
    settings.VERIFY_ALLOW_LOOPBACK = False
    url = other_issuer.hosted(MEMBER_EMAIL).replace("127.0.0.1", host)

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, url=url)

    assert "private or local network, which this server does not fetch" in refusal(error)
    assert other_issuer.hits == []
    assert not ExternalBadge.objects.exists()


def test_a_badge_of_this_platform_given_by_url_is_not_added_twice(
    passport: Passport, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    assertion = issue(badge_class=png_class, recipient_email=MEMBER_EMAIL)

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, url=selectors.assertion_url(assertion))

    assert "your passport already lists it" in refusal(error)
    assert not ExternalBadge.objects.exists()
    assert [badge.assertion for badge in selectors.platform_badges(passport)] == [assertion]


def test_the_same_badge_cannot_be_added_twice(passport: Passport, other_issuer: ExternalIssuer) -> None:
    url = other_issuer.hosted(MEMBER_EMAIL)
    external_badge_add(passport=passport, url=url)

    with pytest.raises(ValidationError) as error:
        external_badge_add(passport=passport, url=url)

    assert refusal(error) == "This badge is already on your passport."
    assert ExternalBadge.objects.count() == 1


def test_the_add_page_lists_every_failed_check_in_plain_words(
    client: Client, member: User, passport: Passport, other_issuer: ExternalIssuer
) -> None:
    jws = other_issuer.signed(MEMBER_EMAIL)
    other_issuer.revoke_signed(jws, "Awarded twice")
    client.force_login(member)

    response = client.post(reverse("passport_site:badge_add"), {"badge": jws})

    page = response.content.decode()
    assert response.status_code == 200
    assert "This badge was not added because it did not pass verification." in page
    assert "Revocation: Listed as revoked: Awarded twice." in page
    assert jws in page  # what was typed is kept


def test_the_schedule_flags_a_badge_its_issuer_revoked_since(
    client: Client, member: User, passport: Passport, other_issuer: ExternalIssuer
) -> None:
    url = other_issuer.hosted(MEMBER_EMAIL)
    badge = external_badge_add(passport=passport, url=url)
    other_issuer.revoke_hosted(url, "Certificate withdrawn")

    assert reverify_all_external_badges.delay().get() == 1
    reverify_all_external_badges.delay()

    badge.refresh_from_db()
    assert (badge.state, badge.state_reason) == (ExternalState.REVOKED, "Revoked: Certificate withdrawn.")
    client.force_login(member)
    page = client.get(reverse("passport_site:passport", kwargs={"handle": passport.handle})).content.decode()
    assert "Revoked by its issuer" in page
    assert "Revoked: Certificate withdrawn." in page


def test_the_schedule_flags_a_badge_once_it_expires(passport: Passport, other_issuer: ExternalIssuer) -> None:
    expires = datetime.now(UTC) + timedelta(days=10)
    badge = external_badge_add(passport=passport, url=other_issuer.hosted(MEMBER_EMAIL, expires=expires))

    external_badge_reverify(external_badge_id=badge.pk, now=expires + timedelta(days=1))

    badge.refresh_from_db()
    assert badge.state == ExternalState.EXPIRED
    assert badge.state_reason == f"Expired on {expires.date().isoformat()}."


def test_a_badge_that_verifies_again_is_marked_verified_again(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    url = other_issuer.hosted(MEMBER_EMAIL)
    badge = external_badge_add(passport=passport, url=url)
    saved = other_issuer.served.pop(url.removeprefix(other_issuer.base))
    external_badge_reverify(external_badge_id=badge.pk)
    badge.refresh_from_db()
    assert badge.state == ExternalState.FAILED

    other_issuer.served[url.removeprefix(other_issuer.base)] = saved
    external_badge_reverify(external_badge_id=badge.pk)

    badge.refresh_from_db()
    assert (badge.state, badge.state_reason) == (ExternalState.VERIFIED, "")


def test_a_public_external_badge_is_found_by_its_skill(
    member: User, passport: Passport, other_issuer: ExternalIssuer
) -> None:
    badge = external_badge_add(passport=passport, url=other_issuer.hosted(MEMBER_EMAIL))
    passport_update(passport=passport, handle="ines", display_name="Inês", visibility=Visibility.PUBLIC)
    assert list(maker_search(MakerSearch(skill="welding"))) == []

    services.external_badges.external_badge_show(badge=badge, visibility=Visibility.PUBLIC)

    for skill in ("WELDING", "w-101", "http://data.europa.eu/esco/skill/welding"):
        assert list(maker_search(MakerSearch(skill=skill))) == [passport]
    assert list(maker_search(MakerSearch(skill="weld"))) == []


def test_bidi_controls_in_another_issuers_badge_and_issuer_names_are_not_shown(
    passport: Passport, other_issuer: ExternalIssuer
) -> None:
    other_issuer.served["/class"][1]["name"] = "MIG \u202egnidlew\u202c"
    other_issuer.served["/issuer"][1]["name"] = "\u2067Makerspace Lisboa\u2069"

    badge = external_badge_add(passport=passport, url=other_issuer.hosted(MEMBER_EMAIL))

    assert (badge.name, badge.issuer_name) == ("MIG gnidlew", "Makerspace Lisboa")


def test_a_baked_badge_image_is_kept_re_encoded_with_its_badge_and_nothing_else(
    client: Client, member: User, passport: Passport, other_issuer: ExternalIssuer
) -> None:
    jws = other_issuer.signed(MEMBER_EMAIL)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(badge_png())).save(buffer, "PNG", pnginfo=info)
    given = baking.bake_png(buffer.getvalue(), jws) + zip_archive()
    client.force_login(member)

    client.post(
        reverse("passport_site:badge_add"), {"badge": "", "image": SimpleUploadedFile("w.png", given)}
    )

    stored = ExternalBadge.objects.get(passport=passport).source_image.read()
    assert baking.unbake_png(stored) == jws
    assert AUTHOR.encode() not in stored
    assert b"PK\x03\x04" not in stored
