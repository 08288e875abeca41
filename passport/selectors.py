"""Reads of assertions: their Open Badges documents, their public pages and the issuers' revocation lists.

Every id is an absolute URL on SITE_URL, so a verifier anywhere can fetch what an assertion points to.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer, SigningKey
from badges.openbadges import documents, recipient
from badges.selectors import absolute
from passport.models import Assertion, VerificationType


class ImageFormat(StrEnum):
    PNG = "png"
    SVG = "svg"


class AssertionStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def badge_image_format(badge_class: BadgeClass) -> ImageFormat:
    """PNG or SVG, as the badge class's image was stored (badges keeps only those two)."""
    return ImageFormat.SVG if (badge_class.image.name or "").lower().endswith(".svg") else ImageFormat.PNG


def assertion_url(assertion: Assertion) -> str:
    return absolute(reverse("passport:assertion", kwargs={"public_id": assertion.public_id}))


def assertion_baked_url(assertion: Assertion) -> str:
    extension = badge_image_format(assertion.badge_class)
    return absolute(
        reverse("passport:assertion_baked", kwargs={"public_id": assertion.public_id, "extension": extension})
    )


def signing_key_url(assertion: Assertion) -> str:
    return badge_selectors.key_url(assertion.signing_key) if assertion.signing_key else ""


def revocation_list_url(issuer: Issuer) -> str:
    return absolute(reverse("passport:revocation_list", kwargs={"slug": issuer.slug}))


# A stand-in public id, reversed into URL patterns once per batch and replaced per assertion.
ID_MARKER = "public0id0marker"


@dataclass(frozen=True)
class DocumentUrls:
    """The URLs an assertion's document names, reversed once for a batch of one badge class and key:
    a batch of thousands would otherwise spend longer in reverse() than in signing."""

    assertion: str
    baked: str
    badge_class: str
    key: str

    def for_assertion(self, assertion: Assertion) -> tuple[str, str]:
        """(id, image) of this assertion."""
        return (
            self.assertion.replace(ID_MARKER, assertion.public_id),
            self.baked.replace(ID_MARKER, assertion.public_id),
        )


def document_urls(badge_class: BadgeClass, signing_key: SigningKey | None) -> DocumentUrls:
    extension = badge_image_format(badge_class)
    return DocumentUrls(
        assertion=absolute(reverse("passport:assertion", kwargs={"public_id": ID_MARKER})),
        baked=absolute(
            reverse("passport:assertion_baked", kwargs={"public_id": ID_MARKER, "extension": extension})
        ),
        badge_class=badge_selectors.badge_class_url(badge_class),
        key=badge_selectors.key_url(signing_key) if signing_key else "",
    )


def assertion_data(assertion: Assertion, urls: DocumentUrls | None = None) -> documents.AssertionData:
    """What the Open Badges document of an assertion says, whether or not the assertion is saved yet.
    `urls`, from document_urls(), spares a batch the reversing."""
    evidence: tuple[documents.EvidenceData, ...] = ()
    if assertion.evidence_url or assertion.evidence_narrative:
        evidence = (
            documents.EvidenceData(id=assertion.evidence_url, narrative=assertion.evidence_narrative),
        )
    urls = urls or document_urls(assertion.badge_class, assertion.signing_key)
    assertion_id, image = urls.for_assertion(assertion)
    return documents.AssertionData(
        id=assertion_id,
        badge_class_id=urls.badge_class,
        recipient_identity=assertion.recipient_identity,
        recipient_salt=assertion.recipient_salt,
        issued_on=assertion.issued_on,
        verification_type="signed" if assertion.verification_type == VerificationType.SIGNED else "hosted",
        verification_creator=urls.key,
        image=image,
        expires=assertion.expires,
        evidence=evidence,
        narrative=assertion.narrative,
        revoked=assertion.revoked,
        revocation_reason=assertion.revocation_reason,
    )


def assertion_document(assertion: Assertion) -> dict[str, Any]:
    """The JSON-LD assertion; for a signed one, exactly the payload of its JWS while it is not revoked."""
    return documents.assertion_document(assertion_data(assertion))


def revoked_assertion_document(assertion: Assertion) -> dict[str, Any]:
    """The body of the 410 a revoked assertion answers with."""
    return documents.revoked_assertion_document(assertion_url(assertion), assertion.revocation_reason)


def assertion_status(assertion: Assertion, *, now: datetime | None = None) -> AssertionStatus:
    if assertion.revoked:
        return AssertionStatus.REVOKED
    if assertion.expires is not None and assertion.expires <= (now or timezone.now()):
        return AssertionStatus.EXPIRED
    return AssertionStatus.VALID


def public_assertion(public_id: str) -> Assertion:
    """An assertion with its badge class, issuer and key; Http404 for an unknown id."""
    return get_object_or_404(
        Assertion.objects.select_related("badge_class__issuer", "signing_key"), public_id=public_id
    )


@dataclass(frozen=True)
class AssertionPage:
    assertion: Assertion
    status: AssertionStatus
    assertion_url: str
    baked_url: str
    issuer_url: str
    badge_class_url: str
    badge_image_url: str
    key_url: str


def assertion_page(assertion: Assertion) -> AssertionPage:
    """What the public page of an assertion shows; the image is the baked one once it exists."""
    badge_class = assertion.badge_class
    badge_class_path = reverse("badges:badge_class", kwargs={"public_id": badge_class.public_id})
    baked_url = assertion_baked_url(assertion) if assertion.baked_image else ""
    return AssertionPage(
        assertion=assertion,
        status=assertion_status(assertion),
        assertion_url=assertion_url(assertion),
        baked_url=baked_url,
        issuer_url=reverse("badges:issuer", kwargs={"slug": badge_class.issuer.slug}),
        badge_class_url=badge_class_path,
        badge_image_url=baked_url
        or reverse("badges:badge_class_image", kwargs={"public_id": badge_class.public_id}),
        key_url=signing_key_url(assertion),
    )


def revoked_assertions(issuer: Issuer) -> QuerySet[Assertion]:
    return Assertion.objects.filter(badge_class__issuer=issuer, revoked=True).order_by("revoked_at", "pk")


def revocation_list_document(issuer: Issuer) -> dict[str, Any]:
    """The issuer's RevocationList: every revoked assertion, hosted or signed, with its reason."""
    entries = [
        documents.RevokedEntry(id=assertion_url(assertion), revocation_reason=assertion.revocation_reason)
        for assertion in revoked_assertions(issuer).only("public_id", "revocation_reason")
    ]
    return documents.revocation_list_document(
        revocation_list_url(issuer), badge_selectors.issuer_url(issuer), entries
    )


def public_issuer(slug: str) -> Issuer:
    return get_object_or_404(Issuer, slug=slug)


def assertion_from_url(url: str) -> Assertion | None:
    """The assertion an assertion URL of this site names (or its bare public id); None for anything else."""
    text = url.strip()
    parts = urlsplit(text)
    if not parts.scheme and "/" not in text:
        return Assertion.objects.filter(public_id=text).first() if text else None
    site = urlsplit(settings.SITE_URL)
    if parts.netloc and (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in {"passport:assertion", "passport:assertion_baked"}:
        return None
    return Assertion.objects.filter(public_id=match.kwargs["public_id"]).first()


def member_assertions(user: AbstractBaseUser) -> QuerySet[Assertion]:
    """Badges issued on this platform to any of `user`'s verified e-mail addresses, revoked and expired
    ones included. The lookup key finds candidates by index; each is then proven against the assertion's
    own salted identity, which is what a verifier would check."""
    emails = list(EmailAddress.objects.filter(user_id=user.pk, verified=True).values_list("email", flat=True))
    if not emails:
        return Assertion.objects.none()
    lookups = {recipient.lookup_key(email, settings.BADGE_KEY_SECRET): email for email in emails}
    candidates = Assertion.objects.filter(recipient_lookup__in=list(lookups)).values_list(
        "id", "recipient_identity", "recipient_salt", "recipient_lookup"
    )
    proven = [
        assertion_id
        for assertion_id, identity, salt, lookup in candidates
        if recipient.identity_matches(identity, salt, lookups[lookup])
    ]
    return Assertion.objects.filter(id__in=proven)


def badge_class_ids_held_by(user: AbstractBaseUser, *, now: datetime | None = None) -> set[int]:
    """Ids of the badge classes `user` holds a standing badge of (on this platform: not revoked, not
    expired), as a machine's required badges are checked."""
    now = now or timezone.now()
    held = member_assertions(user).filter(revoked=False).exclude(expires__lte=now)
    return set(held.values_list("badge_class_id", flat=True))
