"""Golden JSON: the Open Badges documents of assertions, compared with files written by hand from the
Open Badges 2.0 specification. The objects are built in memory with fixed ids, so every byte is known."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from badges.models import BadgeClass, Issuer, SigningKey
from badges.openbadges.recipient import identity_matches
from passport import selectors
from passport.models import Assertion, VerificationType

GOLDEN = Path(__file__).parent / "golden"
# Open Badges dates are to the second: the microseconds must not show.
ISSUED = datetime(2026, 3, 2, 9, 30, 0, 345678, tzinfo=UTC)


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def glasgow() -> Issuer:
    return Issuer(name="Fablab Glasgow", slug="fablab-glasgow")


def hosted_assertion(issuer: Issuer) -> Assertion:
    badge_class = BadgeClass(
        issuer=issuer, public_id="Lc7pR2vXwQ9eYt5u", name="Laser cutter operator", image="badges/laser.png"
    )
    return Assertion(
        public_id="q3Vb8HzLr1NcWmYt0sAeKg",
        badge_class=badge_class,
        recipient_identity="sha256$c13c11bc267f110e3496c5f817ea9b7b0009fc8c3d9eaf69f57d609d33f8e7a3",
        recipient_salt="4f1c2b9a7d3e5f60a1b2c3d4e5f60718",
        recipient_name="Ada Lovelace",
        pending_email="ada@example.org",
        issued_on=ISSUED,
        evidence_url="https://makeworks.example/projects/flat-pack-stool",
        evidence_narrative="Cut and assembled a flat-pack stool from one sheet of birch plywood.",
        narrative="Passed the practical assessment on the hub's laser cutter.",
        verification_type=VerificationType.HOSTED,
    )


def signed_assertion(issuer: Issuer) -> Assertion:
    badge_class = BadgeClass(
        issuer=issuer, public_id="Sv9kD3fGh7Jm2Lp4", name="3D printing (FDM)", image="badges/printing.SVG"
    )
    return Assertion(
        public_id="Zp0xJ4mN8bVc2Qw6Er1TyA",
        badge_class=badge_class,
        recipient_identity="sha256$586ecac9634a96f98c0c0ddd11d871869430ffb726e5af61c2fbdd754e3a1c70",
        recipient_salt="9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
        issued_on=ISSUED,
        expires=datetime(2028, 3, 1, 9, 30, tzinfo=UTC),
        verification_type=VerificationType.SIGNED,
        signing_key=SigningKey(issuer=issuer, public_id="Kx8cV5bN1mQ3wE7r"),
        jws="not read when the document is built",
    )


def test_hosted_assertion_document_matches_the_golden_file(glasgow: Issuer) -> None:
    assert selectors.assertion_document(hosted_assertion(glasgow)) == golden("assertion_hosted.json")


def test_signed_assertion_document_names_its_key_and_expiry(glasgow: Issuer) -> None:
    assert selectors.assertion_document(signed_assertion(glasgow)) == golden("assertion_signed.json")


def test_revoked_assertion_body_is_id_revoked_and_reason(glasgow: Issuer) -> None:
    assertion = hosted_assertion(glasgow)
    assertion.revoked = True
    assertion.revocation_reason = "Awarded to the wrong member."

    assert selectors.revoked_assertion_document(assertion) == golden("assertion_revoked.json")


def test_golden_identities_are_the_salted_hashes_of_the_earners_addresses() -> None:
    hosted, signed = golden("assertion_hosted.json"), golden("assertion_signed.json")

    assert identity_matches(hosted["recipient"]["identity"], hosted["recipient"]["salt"], "ada@example.org")
    assert identity_matches(signed["recipient"]["identity"], signed["recipient"]["salt"], "grace@example.org")


def test_no_document_carries_the_plain_address_or_the_name(glasgow: Issuer) -> None:
    text = json.dumps(selectors.assertion_document(hosted_assertion(glasgow)))

    assert "ada@example.org" not in text
    assert "Ada Lovelace" not in text
