"""Open Badges 2.0 JSON-LD documents built from plain data.

Each `*_document` function turns one frozen dataclass into the dict a verifier reads, with every
property named as in the v2 context (https://w3id.org/openbadges/v2). Callers pass absolute ids; these
functions never build URLs, so the same data always gives the same document.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

OB_CONTEXT = "https://w3id.org/openbadges/v2"

# A copy of the document OB_CONTEXT names, so nothing has to fetch it to expand a badge.
CONTEXT_PATH = Path(__file__).resolve().parent / "context" / "v2.json"

VerificationType = Literal["hosted", "signed"]


@dataclass(frozen=True)
class AlignmentData:
    target_name: str
    target_url: str
    target_description: str = ""
    target_framework: str = ""
    target_code: str = ""


@dataclass(frozen=True)
class IssuerData:
    id: str
    name: str
    url: str
    email: str
    description: str = ""
    image: str = ""
    public_key_id: str = ""
    revocation_list_id: str = ""


@dataclass(frozen=True)
class BadgeClassData:
    id: str
    issuer_id: str
    name: str
    description: str
    image: str
    criteria_url: str = ""
    criteria_narrative: str = ""
    alignments: tuple[AlignmentData, ...] = ()
    tags: tuple[str, ...] = ()
    endorsement_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyData:
    id: str
    owner_id: str
    public_key_pem: str
    revoked: bool = False


@dataclass(frozen=True)
class EvidenceData:
    id: str = ""
    narrative: str = ""


@dataclass(frozen=True)
class AssertionData:
    id: str
    badge_class_id: str
    recipient_identity: str
    recipient_salt: str
    issued_on: datetime
    verification_type: VerificationType
    verification_creator: str = ""
    image: str = ""
    expires: datetime | None = None
    evidence: tuple[EvidenceData, ...] = ()
    narrative: str = ""
    revoked: bool = False
    revocation_reason: str = ""


@dataclass(frozen=True)
class RevokedEntry:
    id: str
    revocation_reason: str = ""


@cache
def shipped_context() -> dict[str, Any]:
    """The Open Badges v2 JSON-LD context as shipped with the code (the document OB_CONTEXT names)."""
    loaded: dict[str, Any] = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))
    return loaded


def iso_datetime(moment: datetime) -> str:
    """A timestamp as Open Badges wants it: ISO 8601 in UTC with the `Z` designator, to the second."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Open Badges timestamps need a time zone; got a naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _without_empty(document: dict[str, Any]) -> dict[str, Any]:
    """Optional properties are left out rather than published empty, as the spec's examples do."""
    return {key: value for key, value in document.items() if value not in ("", None, [], {})}


def alignment_document(data: AlignmentData) -> dict[str, Any]:
    return _without_empty(
        {
            "targetName": data.target_name,
            "targetUrl": data.target_url,
            "targetDescription": data.target_description,
            "targetFramework": data.target_framework,
            "targetCode": data.target_code,
        }
    )


def issuer_document(data: IssuerData) -> dict[str, Any]:
    return _without_empty(
        {
            "@context": OB_CONTEXT,
            "type": "Issuer",
            "id": data.id,
            "name": data.name,
            "url": data.url,
            "email": data.email,
            "description": data.description,
            "image": data.image,
            # The one key that signs now, as a plain string as in the spec's example: the IMS reference
            # validator (validator-core 1.1.2) takes publicKey as single-valued and fails a profile that
            # lists several. Keys retired by a rotation stay served at their URLs, naming this issuer as
            # their owner, on its origin; see passport.verification._key_owned.
            "publicKey": data.public_key_id,
            "revocationList": data.revocation_list_id,
        }
    )


def badge_class_document(data: BadgeClassData) -> dict[str, Any]:
    criteria = _without_empty({"id": data.criteria_url, "narrative": data.criteria_narrative})
    if not criteria:
        raise ValueError("A BadgeClass needs criteria: a URL, a narrative or both")
    return _without_empty(
        {
            "@context": OB_CONTEXT,
            "type": "BadgeClass",
            "id": data.id,
            "name": data.name,
            "description": data.description,
            "image": data.image,
            "criteria": criteria,
            "issuer": data.issuer_id,
            "alignment": [alignment_document(alignment) for alignment in data.alignments],
            "tags": list(data.tags),
            "endorsement": list(data.endorsement_ids),
        }
    )


def key_document(data: KeyData) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": OB_CONTEXT,
        "type": "CryptographicKey",
        "id": data.id,
        "owner": data.owner_id,
        "publicKeyPem": data.public_key_pem,
    }
    # The issuer profile stops listing a revoked key; saying so here tells a verifier why.
    if data.revoked:
        document["revoked"] = True
    return document


def _verification(data: AssertionData) -> dict[str, str]:
    if data.verification_type == "hosted":
        return {"type": "HostedBadge"}
    if data.verification_type == "signed":
        if not data.verification_creator:
            raise ValueError("A signed assertion needs verification_creator: the URL of its key")
        return {"type": "SignedBadge", "creator": data.verification_creator}
    raise ValueError(f"verification_type must be 'hosted' or 'signed', got {data.verification_type!r}")


def assertion_document(data: AssertionData) -> dict[str, Any]:
    document = _without_empty(
        {
            "@context": OB_CONTEXT,
            "type": "Assertion",
            "id": data.id,
            "recipient": {
                "type": "email",
                "hashed": True,
                "salt": data.recipient_salt,
                "identity": data.recipient_identity,
            },
            "badge": data.badge_class_id,
            "issuedOn": iso_datetime(data.issued_on),
            "verification": _verification(data),
            "image": data.image,
            "expires": iso_datetime(data.expires) if data.expires else "",
            "evidence": [
                _without_empty({"id": item.id, "narrative": item.narrative})
                for item in data.evidence
                if item.id or item.narrative
            ],
            "narrative": data.narrative,
        }
    )
    if data.revoked:
        document["revoked"] = True
        if data.revocation_reason:
            document["revocationReason"] = data.revocation_reason
    return document


def revocation_list_document(id: str, issuer_id: str, revoked: Sequence[RevokedEntry]) -> dict[str, Any]:
    return {
        "@context": OB_CONTEXT,
        "type": "RevocationList",
        "id": id,
        "issuer": issuer_id,
        "revokedAssertions": [
            _without_empty({"id": entry.id, "revocationReason": entry.revocation_reason}) for entry in revoked
        ],
    }


def revoked_assertion_document(id: str, reason: str) -> dict[str, Any]:
    """The body of a revoked hosted assertion's 410 answer: only `id` and `revoked` are required."""
    return _without_empty({"@context": OB_CONTEXT, "id": id, "revoked": True, "revocationReason": reason})


@dataclass(frozen=True)
class EndorsementData:
    """One issuer vouching for another's badge class: `issuer_id` is the endorser, `claim_id` what it
    endorses."""

    id: str
    issuer_id: str
    claim_id: str
    issued_on: datetime
    comment: str = ""


def endorsement_document(data: EndorsementData) -> dict[str, Any]:
    """An Open Badges 2.0 Endorsement, verified by fetching its id as a hosted assertion is."""
    return {
        "@context": OB_CONTEXT,
        "type": "Endorsement",
        "id": data.id,
        "claim": _without_empty({"id": data.claim_id, "endorsementComment": data.comment}),
        "issuer": data.issuer_id,
        "issuedOn": iso_datetime(data.issued_on),
        "verification": {"type": "HostedBadge"},
    }


def withdrawn_endorsement_document(id: str, reason: str) -> dict[str, Any]:
    """The body of a withdrawn endorsement's 410 answer, worded as a revoked hosted assertion's is."""
    return _without_empty(
        {"@context": OB_CONTEXT, "type": "Endorsement", "id": id, "revoked": True, "revocationReason": reason}
    )
