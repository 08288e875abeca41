"""Each Open Badges document against a golden file written by hand from the 2.0 spec and its examples."""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from badges.openbadges.documents import (
    OB_CONTEXT,
    AlignmentData,
    AssertionData,
    BadgeClassData,
    EvidenceData,
    IssuerData,
    KeyData,
    RevokedEntry,
    assertion_document,
    badge_class_document,
    issuer_document,
    key_document,
    revocation_list_document,
    revoked_assertion_document,
    shipped_context,
)

GOLDEN = Path(__file__).parent / "golden"
SITE = "https://makeworks.example"
ISSUER_ID = f"{SITE}/badges/issuers/fablab-glasgow/"
LASER_ID = f"{SITE}/badges/classes/laser-class/"
KEY_ID = f"{SITE}/badges/keys/first-key/"
PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"
# The identity and salt of the spec's own assertion example.
IDENTITY = "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5"
NEW_YEARS_EVE = datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def issuer_full() -> IssuerData:
    return IssuerData(
        id=ISSUER_ID,
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
        description="Open access digital fabrication on the Clyde.",
        image=f"{SITE}/badges/issuers/fablab-glasgow/image",
        # After a rotation: the profile names the key that signs now, not the retired first-key.
        public_key_id=f"{SITE}/badges/keys/second-key/",
        revocation_list_id=f"{SITE}/badges/issuers/fablab-glasgow/revocations/",
    )


def laser_class() -> BadgeClassData:
    return BadgeClassData(
        id=LASER_ID,
        issuer_id=ISSUER_ID,
        name="Laser cutter operator",
        description="Runs the laser cutter safely, from file to finished part.",
        image=f"{SITE}/badges/classes/laser-class/image",
        criteria_url="https://fablab-glasgow.example/criteria/laser",
        criteria_narrative="- Passed the **laser safety** induction\n- Cut a two-material job unsupervised",
        alignments=(
            AlignmentData(
                target_name="working with machinery and specialised equipment",
                target_url="http://data.europa.eu/esco/skill/S8",
                target_description="Controlling, operating and maintaining machinery.",
                target_framework="ESCO",
                target_code="S8",
            ),
            AlignmentData(
                target_name="Laser safety", target_url="https://fablab-glasgow.example/skills/laser-safety"
            ),
        ),
        tags=("laser cutting", "safety"),
    )


def hosted_assertion() -> AssertionData:
    return AssertionData(
        id=f"{SITE}/badges/assertions/hosted-one/",
        badge_class_id=LASER_ID,
        recipient_identity=IDENTITY,
        recipient_salt="deadsea",
        issued_on=NEW_YEARS_EVE,
        verification_type="hosted",
        image=f"{SITE}/badges/assertions/hosted-one/baked.png",
        # Given in Paris summer time; published in UTC.
        expires=datetime(2017, 7, 1, 1, 59, 59, tzinfo=timezone(timedelta(hours=2))),
        evidence=(
            EvidenceData(
                id="https://fablab-glasgow.example/projects/lamp",
                narrative="Designed and cut a two-material lamp shade.",
            ),
        ),
        narrative="Worked unsupervised for a month.",
    )


def test_issuer_profile_matches_the_golden_file():
    assert issuer_document(issuer_full()) == golden("issuer")


def test_an_issuer_with_only_the_required_properties_leaves_the_others_out():
    data = IssuerData(
        id=ISSUER_ID,
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
    )
    assert issuer_document(data) == golden("issuer_minimal")


def test_an_issuer_with_one_key_names_it_as_a_single_value_as_the_spec_example_does():
    data = IssuerData(
        id=ISSUER_ID,
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
        public_key_id=KEY_ID,
        revocation_list_id=f"{SITE}/badges/issuers/fablab-glasgow/revocations/",
    )
    assert issuer_document(data) == golden("issuer_one_key")


def test_badge_class_with_criteria_alignments_and_tags_matches_the_golden_file():
    assert badge_class_document(laser_class()) == golden("badge_class")


def test_badge_class_with_only_a_criteria_narrative_matches_the_golden_file():
    data = BadgeClassData(
        id=f"{SITE}/badges/classes/print-class/",
        issuer_id=ISSUER_ID,
        name="3D printing (FDM)",
        description="Prepares models for fused-filament printing.",
        image=f"{SITE}/badges/classes/print-class/image",
        criteria_narrative="Printed a model with supports and removed them cleanly.",
    )
    assert badge_class_document(data) == golden("badge_class_minimal")


def test_a_badge_class_without_any_criteria_is_refused():
    data = BadgeClassData(
        id=LASER_ID, issuer_id=ISSUER_ID, name="n", description="d", image=f"{LASER_ID}image"
    )
    with pytest.raises(ValueError, match="needs criteria"):
        badge_class_document(data)


def test_key_document_names_its_owner_and_matches_the_golden_file():
    assert key_document(KeyData(id=KEY_ID, owner_id=ISSUER_ID, public_key_pem=PEM)) == golden("key")


def test_a_revoked_key_document_says_so():
    document = key_document(KeyData(id=KEY_ID, owner_id=ISSUER_ID, public_key_pem=PEM, revoked=True))
    assert document == golden("key_revoked")


def test_hosted_assertion_matches_the_golden_file_with_dates_in_utc():
    assert assertion_document(hosted_assertion()) == golden("assertion_hosted")


def test_signed_assertion_names_its_key_as_creator():
    data = AssertionData(
        id=f"{SITE}/badges/assertions/signed-one/",
        badge_class_id=LASER_ID,
        recipient_identity=IDENTITY,
        recipient_salt="deadsea",
        issued_on=NEW_YEARS_EVE,
        verification_type="signed",
        verification_creator=KEY_ID,
    )
    assert assertion_document(data) == golden("assertion_signed")


def test_a_signed_assertion_without_its_key_is_refused():
    data = AssertionData(
        id="urn:uuid:1",
        badge_class_id=LASER_ID,
        recipient_identity=IDENTITY,
        recipient_salt="deadsea",
        issued_on=NEW_YEARS_EVE,
        verification_type="signed",
    )
    with pytest.raises(ValueError, match="verification_creator"):
        assertion_document(data)


def test_a_timestamp_without_time_zone_is_refused():
    data = AssertionData(
        id="urn:uuid:1",
        badge_class_id=LASER_ID,
        recipient_identity=IDENTITY,
        recipient_salt="deadsea",
        issued_on=datetime(2016, 12, 31, 23, 59, 59),
        verification_type="hosted",
    )
    with pytest.raises(ValueError, match="time zone"):
        assertion_document(data)


@pytest.mark.parametrize(
    ("name", "entries"),
    [
        ("revocation_list_empty", []),
        (
            "revocation_list_one",
            [RevokedEntry(f"{SITE}/badges/assertions/signed-one/", "Awarded by mistake.")],
        ),
        (
            "revocation_list_many",
            [
                RevokedEntry(f"{SITE}/badges/assertions/signed-one/", "Awarded by mistake."),
                RevokedEntry(f"{SITE}/badges/assertions/signed-two/"),
            ],
        ),
    ],
)
def test_revocation_list_matches_the_golden_file(name: str, entries: list[RevokedEntry]):
    document = revocation_list_document(
        f"{SITE}/badges/issuers/fablab-glasgow/revocations/", ISSUER_ID, entries
    )
    assert document == golden(name)


def test_a_revoked_hosted_assertion_body_has_only_id_revoked_and_reason():
    document = revoked_assertion_document(f"{SITE}/badges/assertions/hosted-one/", "Awarded by mistake.")
    assert document == golden("revoked_assertion")


def _properties(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_properties(item) for item in node)) if node else set()
    if isinstance(node, dict):
        return set(node).union(*(_properties(value) for value in node.values()))
    return set()


def _types(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_types(item) for item in node)) if node else set()
    if isinstance(node, dict):
        found = {node["type"]} if isinstance(node.get("type"), str) else set()
        return found.union(*(_types(value) for value in node.values()))
    return set()


def test_the_shipped_context_defines_every_property_and_type_the_documents_use():
    terms = set(shipped_context()["@context"])
    documents = [golden(path.stem) for path in GOLDEN.glob("*.json")]

    assert _properties(documents) - {"@context"} <= terms
    assert _types(documents) - {"email"} <= terms
    assert {document["@context"] for document in documents} == {OB_CONTEXT}


def test_the_shipped_context_maps_terms_as_the_spec_does():
    context = shipped_context()["@context"]

    assert context["obi"] == "https://w3id.org/openbadges#"
    assert context["CryptographicKey"] == "sec:Key"
    assert context["publicKey"] == {"@id": "sec:publicKey", "@type": "@id"}
    assert context["revokedAssertions"] == {"@id": "obi:revoked"}
    assert context["issuedOn"] == {"@id": "obi:issueDate", "@type": "xsd:dateTime"}
    assert context["verify"] == "verification"
