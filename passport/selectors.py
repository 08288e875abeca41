"""Reads of assertions: their Open Badges documents, their public pages and the issuers' revocation lists.

Every id is an absolute URL on SITE_URL, so a verifier anywhere can fetch what an assertion points to.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer, SigningKey
from badges.openbadges import documents, recipient
from directory.models import Listing
from makeworks.lib.geo import Near, squared_km, within_radius
from makeworks.lib.urls import site_url
from passport import permissions
from passport.models import (
    Affiliation,
    Assertion,
    ExperienceProject,
    ExternalBadge,
    ExternalState,
    Passport,
    PassportBadge,
    VerificationType,
    Visibility,
)


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
    return site_url(reverse("passport:assertion", kwargs={"public_id": assertion.public_id}))


def assertion_baked_url(assertion: Assertion) -> str:
    extension = badge_image_format(assertion.badge_class)
    return site_url(
        reverse("passport:assertion_baked", kwargs={"public_id": assertion.public_id, "extension": extension})
    )


def signing_key_url(assertion: Assertion) -> str:
    return badge_selectors.key_url(assertion.signing_key) if assertion.signing_key else ""


def revocation_list_url(issuer: Issuer) -> str:
    return site_url(reverse("passport:revocation_list", kwargs={"slug": issuer.slug}))


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
        assertion=site_url(reverse("passport:assertion", kwargs={"public_id": ID_MARKER})),
        baked=site_url(
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
    lookups = {badge_selectors.recipient_lookup(email): email for email in emails}
    candidates = Assertion.objects.filter(recipient_lookup__in=list(lookups)).values_list(
        "id", "recipient_identity", "recipient_salt", "recipient_lookup"
    )
    proven = [
        assertion_id
        for assertion_id, identity, salt, lookup in candidates
        if recipient.identity_matches(identity, salt, lookups[lookup])
    ]
    return Assertion.objects.filter(id__in=proven)


def emails_holding(badge_class: BadgeClass, emails: Iterable[str]) -> set[str]:
    """Which of these addresses already hold a standing (not revoked) badge of `badge_class`, in the
    case they were given, so a bulk upload sent again does not award anyone twice. One indexed query by
    the lookup key; each candidate is then proven against its salted identity."""
    lookups: dict[str, list[str]] = {}
    for email in emails:
        lookups.setdefault(badge_selectors.recipient_lookup(email), []).append(email)
    if not lookups:
        return set()
    candidates = Assertion.objects.filter(
        badge_class=badge_class, revoked=False, recipient_lookup__in=list(lookups)
    ).values_list("recipient_identity", "recipient_salt", "recipient_lookup")
    return {
        email
        for identity, salt, lookup in candidates
        for email in lookups[lookup]
        if recipient.identity_matches(identity, salt, email)
    }


def badge_class_ids_held_by(user: AbstractBaseUser, *, now: datetime | None = None) -> set[int]:
    """Ids of the badge classes `user` holds a standing badge of (on this platform: not revoked, not
    expired), as a machine's required badges are checked."""
    now = now or timezone.now()
    held = member_assertions(user).filter(revoked=False).exclude(expires__lte=now)
    return set(held.values_list("badge_class_id", flat=True))


# The Maker Passport: what a passport shows to whom, its export, affiliations to confirm, skill search.


def passport_of(user: AbstractBaseUser) -> Passport | None:
    return Passport.objects.filter(user_id=user.pk).first()


def passport_by_handle(handle: str) -> Passport:
    return get_object_or_404(Passport.objects.select_related("user"), handle=handle)


@dataclass(frozen=True)
class PlatformBadge:
    assertion: Assertion
    status: AssertionStatus
    visibility: str
    url: str
    endorsements: int
    # Whether the member has chosen who sees it; a badge that just arrived has not, and the passport asks.
    decided: bool = True

    kind = "platform"

    @property
    def public_id(self) -> str:
        return self.assertion.public_id


@dataclass(frozen=True)
class PassportPage:
    passport: Passport
    owner: bool
    platform_badges: list[PlatformBadge]
    external_badges: list[ExternalBadge]
    affiliations: list[Affiliation]
    projects: list[ExperienceProject]

    @property
    def indexable(self) -> bool:
        return self.passport.visibility == Visibility.PUBLIC

    @property
    def undecided(self) -> list[PlatformBadge]:
        """Badges that arrived and wait for the member to say whether to show them."""
        return [badge for badge in self.platform_badges if not badge.decided] if self.owner else []


def platform_badges(passport: Passport, *, now: datetime | None = None) -> list[PlatformBadge]:
    """The member's platform badges, proven from their verified addresses, with the visibility they
    chose (private when they never did, and then `decided` is False) and how many hubs recognise each
    badge class."""
    now = now or timezone.now()
    assertions = list(member_assertions(passport.user).select_related("badge_class__issuer"))
    chosen = dict(PassportBadge.objects.filter(passport=passport).values_list("assertion_id", "visibility"))
    counts = badge_selectors.endorsement_counts({assertion.badge_class_id for assertion in assertions})
    return [
        PlatformBadge(
            assertion=assertion,
            status=assertion_status(assertion, now=now),
            visibility=chosen.get(assertion.pk, Visibility.PRIVATE),
            url=assertion_url(assertion),
            endorsements=counts.get(assertion.badge_class_id, 0),
            decided=assertion.pk in chosen,
        )
        for assertion in assertions
    ]


def passport_page(passport: Passport, user: AbstractBaseUser | AnonymousUser) -> PassportPage:
    """What `user` sees of a passport they may see (check permissions.passport_visible_to first):
    everything for the member; public badges, affiliations and projects for anyone else."""
    owner = permissions.is_passport_owner(user, passport)
    return PassportPage(
        passport=passport,
        owner=owner,
        platform_badges=[
            badge
            for badge in platform_badges(passport)
            if permissions.badge_visible(badge.visibility, owner=owner, listed=True)
        ],
        external_badges=[
            badge
            for badge in passport.external_badges.all()
            if permissions.badge_visible(badge.visibility, owner=owner, listed=True)
        ],
        affiliations=list(passport.affiliations.select_related("listing")),
        projects=list(passport.projects.prefetch_related("images")),
    )


def passport_platform_badge(passport: Passport, public_id: str) -> PlatformBadge | None:
    return next((badge for badge in platform_badges(passport) if badge.public_id == public_id), None)


def passport_external_badge(passport: Passport, public_id: str) -> ExternalBadge | None:
    return passport.external_badges.filter(public_id=public_id).first()


def passport_export(passport: Passport) -> dict[str, Any]:
    """The whole passport as plain JSON: what the member wrote and every badge as a verifier reads it."""
    return {
        "handle": passport.handle,
        "url": site_url(reverse("passport_site:passport", kwargs={"handle": passport.handle})),
        "displayName": passport.display_name,
        "photo": settings.SITE_URL + passport.photo.url if passport.photo else None,
        "bio": passport.bio,
        "location": passport.location,
        "coordinates": ([passport.latitude, passport.longitude] if passport.latitude is not None else None),
        "languages": passport.languages,
        "visibility": passport.visibility,
        "affiliations": [
            {
                "listing": affiliation.listing.name,
                "listingUrl": site_url(affiliation.listing.get_absolute_url()),
                "role": affiliation.role,
                "startDate": affiliation.start_date.isoformat() if affiliation.start_date else None,
                "endDate": affiliation.end_date.isoformat() if affiliation.end_date else None,
                "confirmed": affiliation.confirmed,
                "confirmedAt": affiliation.confirmed_at.isoformat() if affiliation.confirmed_at else None,
            }
            for affiliation in passport.affiliations.select_related("listing")
        ],
        "experience": [
            {
                "title": project.title,
                "description": project.description,
                "links": project.links,
                "images": [
                    {"url": settings.SITE_URL + image.image.url, "description": image.alt_text}
                    for image in project.images.all()
                ],
            }
            for project in passport.projects.prefetch_related("images")
        ],
        "platformBadges": [
            {
                "url": badge.url,
                "jws": badge.assertion.jws or None,
                "badgeClass": badge.assertion.badge_class.name,
                "issuer": badge.assertion.badge_class.issuer.name,
                "status": badge.status.value,
                "visibility": badge.visibility,
            }
            for badge in platform_badges(passport)
        ],
        "externalBadges": [
            {
                "given": {
                    "as": badge.source,
                    "url": badge.source_url or None,
                    "jws": badge.source_jws or None,
                    "image": settings.SITE_URL + badge.source_image.url if badge.source_image else None,
                },
                "assertion": badge.assertion_json,
                "badgeClass": badge.badge_class_json,
                "issuer": badge.issuer_json,
                "state": badge.state,
                "stateReason": badge.state_reason,
                "lastChecked": badge.checked_at.isoformat(),
                "visibility": badge.visibility,
            }
            for badge in passport.external_badges.all()
        ],
    }


def pending_affiliations(listing: Listing) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(listing=listing, confirmed_at__isnull=True)
        .select_related("passport", "listing")
        .order_by("created_at", "pk")
    )


def affiliations_to_confirm(user: AbstractBaseUser) -> list[Affiliation]:
    """Affiliations waiting on listings `user` owns or curates (every one for a site administrator)."""
    pending = Affiliation.objects.filter(confirmed_at__isnull=True)
    if not getattr(user, "is_superuser", False):
        pending = pending.filter(Q(listing__owners=user) | Q(listing__node__curators=user))
    return list(
        pending.select_related("passport", "listing").distinct().order_by("listing__name", "created_at", "pk")
    )


def pending_affiliation(listings: QuerySet[Listing] | list[Listing], affiliation_id: int) -> Affiliation:
    """One pending affiliation among these listings'; 404 for any other id, so none is confirmed."""
    return get_object_or_404(
        Affiliation.objects.select_related("passport", "listing"),
        pk=affiliation_id,
        listing__in=listings,
        confirmed_at__isnull=True,
    )


# Passports listed on one page of the skill search.
SEARCH_PER_PAGE = 20


def alignment_matches(alignment: Any, skill: str) -> bool:
    if not isinstance(alignment, dict):
        return False
    wanted = skill.strip().casefold()
    return any(
        str(alignment.get(key, "")).strip().casefold() == wanted
        for key in ("targetName", "targetCode", "targetUrl")
    )


def badge_class_ids_aligned_to(skill: str) -> list[int]:
    """Badge classes with an alignment whose name, code or URL is `skill`, whatever its case. Read in one
    pass over the badge classes' alignments, a short list even with many issuers."""
    return [
        badge_class_id
        for badge_class_id, alignments in BadgeClass.objects.exclude(alignments=[]).values_list(
            "id", "alignments"
        )
        if isinstance(alignments, list) and any(alignment_matches(item, skill) for item in alignments)
    ]


def skill_line(value: str) -> str:
    """One line of ExternalBadge.skills: the value folded, between newlines."""
    return "\n" + " ".join(value.split()).casefold() + "\n"


@dataclass(frozen=True)
class MakerSearch:
    skill: str = ""
    badge_class: BadgeClass | None = None
    near: Near | None = None


def maker_search(
    search: MakerSearch, *, now: datetime | None = None, among: QuerySet[Passport] | None = None
) -> QuerySet[Passport]:
    """Public passports showing a public, standing badge aligned to the skill or of the badge class,
    optionally near a place: one query, nearest first when a place is given, else by name. `among`: the
    passports to choose from (all, by default); only the public ones among them are ever found."""
    now = now or timezone.now()
    passports = (Passport.objects.all() if among is None else among).filter(visibility=Visibility.PUBLIC)
    if search.skill or search.badge_class:
        class_ids = set(badge_class_ids_aligned_to(search.skill)) if search.skill else None
        if search.badge_class is not None:
            wanted = {search.badge_class.pk}
            class_ids = wanted if class_ids is None else class_ids & wanted
        shown = PassportBadge.objects.filter(
            passport=OuterRef("pk"),
            visibility=Visibility.PUBLIC,
            assertion__revoked=False,
        ).exclude(assertion__expires__lte=now)
        condition = Q(Exists(shown.filter(assertion__badge_class_id__in=sorted(class_ids or ()))))
        if search.skill and search.badge_class is None:
            external = ExternalBadge.objects.filter(
                passport=OuterRef("pk"),
                visibility=Visibility.PUBLIC,
                state=ExternalState.VERIFIED,
                skills__contains=skill_line(search.skill),
            )
            condition |= Q(Exists(external))
        passports = passports.filter(condition)
    if search.near is None:
        return passports.order_by("display_name", "pk")
    near = search.near
    # Squared kilometres on a flat earth, as directory search measures distance.
    return (
        passports.filter(within_radius(near.latitude, near.longitude, near.radius_km))
        .annotate(distance_squared=squared_km(near.latitude, near.longitude))
        .order_by("distance_squared", "pk")
    )


@dataclass(frozen=True)
class ShownBadge:
    """A badge its earner chose to show on their public passport, as the home page's activity lists it."""

    maker_name: str
    passport_url: str
    badge_name: str
    badge_url: str
    issuer_name: str
    issued_on: datetime


def recent_public_badges(*, limit: int = 5, now: datetime | None = None) -> list[ShownBadge]:
    """The latest standing badges shown publicly on public passports, newest award first (one query).
    Only what the earner already shows to everyone: a private or unlisted passport, a badge kept
    private, a revoked or expired one never appears."""
    now = now or timezone.now()
    shown = (
        PassportBadge.objects.filter(
            visibility=Visibility.PUBLIC,
            passport__visibility=Visibility.PUBLIC,
            assertion__revoked=False,
        )
        .exclude(assertion__expires__lte=now)
        .select_related("passport", "assertion__badge_class__issuer")
        .order_by("-assertion__issued_on", "-pk")[:limit]
    )
    return [
        ShownBadge(
            maker_name=row.passport.display_name,
            passport_url=reverse("passport_site:passport", kwargs={"handle": row.passport.handle}),
            badge_name=row.assertion.badge_class.name,
            badge_url=reverse(
                "passport_site:passport_badge",
                kwargs={
                    "handle": row.passport.handle,
                    "kind": "platform",
                    "public_id": row.assertion.public_id,
                },
            ),
            issuer_name=row.assertion.badge_class.issuer.name,
            issued_on=row.assertion.issued_on,
        )
        for row in shown
    ]
