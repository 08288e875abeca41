"""Reads for the badges app: models turned into the plain data badges.openbadges.documents renders,
with every id an absolute URL on SITE_URL, the one origin all badges are verified against."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from audit import selectors as audit_selectors
from audit.models import AuditEntry
from badges import keyring
from badges.models import (
    BadgeClass,
    Endorsement,
    Issuer,
    IssuerMembership,
    IssuerRole,
    SigningKey,
    SigningKeyStatus,
)
from badges.openbadges.documents import (
    AlignmentData,
    BadgeClassData,
    EndorsementData,
    IssuerData,
    KeyData,
)
from makeworks.lib.urls import site_url


def recipient_lookup(email: str) -> str:
    """The lookup digest stored on every badge awarded to `email`, by which a member's badges are found
    (derived from BADGE_KEY_SECRET in badges.keyring, which alone reads the secret)."""
    return keyring.recipient_lookup(email)


def key_secret_fingerprint() -> str:
    """The configured BADGE_KEY_SECRET's fingerprint (never the secret), for backups to say which secret
    they need."""
    return keyring.secret_fingerprint()


def issuer_url(issuer: Issuer) -> str:
    return site_url(reverse("badges:issuer", kwargs={"slug": issuer.slug}))


def issuer_image_url(issuer: Issuer) -> str:
    return site_url(reverse("badges:issuer_image", kwargs={"slug": issuer.slug})) if issuer.image else ""


def badge_class_url(badge_class: BadgeClass) -> str:
    return site_url(reverse("badges:badge_class", kwargs={"public_id": badge_class.public_id}))


def badge_class_image_url(badge_class: BadgeClass) -> str:
    return site_url(reverse("badges:badge_class_image", kwargs={"public_id": badge_class.public_id}))


def key_url(key: SigningKey) -> str:
    return site_url(reverse("badges:key", kwargs={"public_id": key.public_id}))


def revocation_list_url(issuer: Issuer) -> str:
    """The issuer's revocation list, served by the passport app; badges never imports passport, so
    the URL is found by name, with the agreed path for when passport's URLs are not installed."""
    try:
        path = reverse("passport:revocation_list", kwargs={"slug": issuer.slug})
    except NoReverseMatch:
        path = f"/badges/issuers/{issuer.slug}/revocations/"
    return site_url(path)


def active_key_url(issuer: Issuer) -> str:
    """The URL of the key the issuer signs with now, or "" when it has none. The profile names only this
    one (see badges.openbadges.documents.issuer_document); retired keys keep their own URLs."""
    key = SigningKey.objects.filter(issuer=issuer, status=SigningKeyStatus.ACTIVE).only("public_id").first()
    return key_url(key) if key else ""


def active_signing_key(issuer: Issuer) -> SigningKey:
    """The key that signs the issuer's new badges (services keep exactly one)."""
    return SigningKey.objects.select_related("issuer").get(issuer=issuer, status=SigningKeyStatus.ACTIVE)


def issuer_data(issuer: Issuer) -> IssuerData:
    return IssuerData(
        id=issuer_url(issuer),
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description,
        image=issuer_image_url(issuer),
        public_key_id=active_key_url(issuer),
        revocation_list_id=revocation_list_url(issuer),
    )


def badge_class_data(badge_class: BadgeClass) -> BadgeClassData:
    return BadgeClassData(
        id=badge_class_url(badge_class),
        issuer_id=issuer_url(badge_class.issuer),
        name=badge_class.name,
        description=badge_class.description,
        image=badge_class_image_url(badge_class),
        criteria_url=badge_class.criteria_url,
        criteria_narrative=badge_class.criteria_narrative,
        alignments=tuple(
            AlignmentData(
                target_name=alignment.get("targetName", ""),
                target_url=alignment.get("targetUrl", ""),
                target_description=alignment.get("targetDescription", ""),
                target_framework=alignment.get("targetFramework", ""),
                target_code=alignment.get("targetCode", ""),
            )
            for alignment in badge_class.alignments
        ),
        tags=tuple(badge_class.tags),
        endorsement_ids=tuple(
            endorsement_url(endorsement) for endorsement in badge_class_endorsements(badge_class)
        ),
    )


def key_data(key: SigningKey) -> KeyData:
    return KeyData(
        id=key_url(key),
        owner_id=issuer_url(key.issuer),
        public_key_pem=key.public_key_pem,
        revoked=key.status == SigningKeyStatus.REVOKED,
    )


def issuer_by_slug(slug: str) -> Issuer:
    return Issuer.objects.select_related("listing").get(slug=slug)


def badge_class_by_public_id(public_id: str) -> BadgeClass:
    return BadgeClass.objects.select_related("issuer").get(public_id=public_id)


def key_by_public_id(public_id: str) -> SigningKey:
    return SigningKey.objects.select_related("issuer").get(public_id=public_id)


def issuer_badge_classes(issuer: Issuer) -> QuerySet[BadgeClass]:
    return BadgeClass.objects.filter(issuer=issuer).order_by("name")


def issuer_keys(issuer: Issuer) -> QuerySet[SigningKey]:
    return SigningKey.objects.filter(issuer=issuer).order_by("-created_at", "-id")


def issuer_memberships(issuer: Issuer) -> QuerySet[IssuerMembership]:
    """The people working on an issuer's badges: owners, then editors, then staff."""
    rank = Case(*(When(role=role, then=Value(n)) for n, role in enumerate(IssuerRole.values)))
    return (
        IssuerMembership.objects.filter(issuer=issuer).select_related("user").order_by(rank, "user__username")
    )


def audit_entries(issuer: Issuer) -> QuerySet[AuditEntry]:
    """An issuer's audit log, newest first: the lines of the one audit log written within this hub."""
    return audit_selectors.entries_for_scope(issuer)


def standing_endorsements() -> QuerySet[Endorsement]:
    """Endorsements not withdrawn."""
    return Endorsement.objects.filter(withdrawn_at__isnull=True)


def endorsement_counts(badge_class_ids: Iterable[int]) -> dict[int, int]:
    """{badge class id: how many other hubs' issuers endorse it}, for classes with at least one."""
    rows = (
        standing_endorsements()
        .filter(badge_class_id__in=list(badge_class_ids))
        .values("badge_class_id")
        .annotate(endorsers=Count("endorser_id", distinct=True))
    )
    return {row["badge_class_id"]: row["endorsers"] for row in rows}


def accepted_equivalents(badge_class_ids: Iterable[int]) -> dict[int, set[int]]:
    """{badge class id: ids of other hubs' badge classes its issuer accepts in its place}: what a holder
    may show instead of each of these badges, by standing endorsements with `accepted_as` set."""
    wanted = list(badge_class_ids)
    equivalents: dict[int, set[int]] = {badge_class_id: set() for badge_class_id in wanted}
    rows = (
        standing_endorsements()
        .filter(accepted_as_id__in=wanted)
        .values_list("accepted_as_id", "badge_class_id")
    )
    for accepted_as_id, badge_class_id in rows:
        equivalents[accepted_as_id].add(badge_class_id)
    return equivalents


def endorsement_url(endorsement: Endorsement) -> str:
    return site_url(reverse("badges:endorsement", kwargs={"public_id": endorsement.public_id}))


def endorsement_data(endorsement: Endorsement) -> EndorsementData:
    return EndorsementData(
        id=endorsement_url(endorsement),
        issuer_id=issuer_url(endorsement.endorser),
        claim_id=badge_class_url(endorsement.badge_class),
        issued_on=endorsement.issued_on,
        comment=endorsement.comment,
    )


def endorsement_by_public_id(public_id: str) -> Endorsement:
    """An endorsement, standing or withdrawn, with the issuers and classes its page names."""
    return Endorsement.objects.select_related("endorser", "badge_class__issuer", "accepted_as").get(
        public_id=public_id
    )


def badge_class_endorsements(badge_class: BadgeClass) -> QuerySet[Endorsement]:
    """The standing endorsements of one badge class, by endorser name: who recognises it."""
    return (
        standing_endorsements()
        .filter(badge_class=badge_class)
        .select_related("endorser", "badge_class", "accepted_as")
        .order_by("endorser__name", "id")
    )


def endorsements_received(issuer: Issuer) -> QuerySet[Endorsement]:
    """The standing endorsements of any of an issuer's badge classes, by class and endorser."""
    return (
        standing_endorsements()
        .filter(badge_class__issuer=issuer)
        .select_related("endorser", "badge_class", "accepted_as")
        .order_by("badge_class__name", "endorser__name", "id")
    )


def endorsements_given(issuer: Issuer, *, withdrawn: bool = False) -> QuerySet[Endorsement]:
    """The endorsements an issuer gives, newest first: the standing ones, with `withdrawn` all of them."""
    given = Endorsement.objects.filter(endorser=issuer)
    if not withdrawn:
        given = given.filter(withdrawn_at__isnull=True)
    # Standing ones (no withdrawal date) first, then the most recently withdrawn.
    return given.select_related("badge_class__issuer", "accepted_as").order_by(
        F("withdrawn_at").desc(nulls_first=True), "-issued_on", "-id"
    )


def endorsable_badge_classes(endorser: Issuer, *, query: str = "") -> QuerySet[BadgeClass]:
    """Other hubs' badge classes `endorser` does not endorse yet, by hub and name; `query` keeps those
    whose name, or whose hub's name, contains it."""
    endorsed = standing_endorsements().filter(endorser=endorser).values("badge_class_id")
    found = BadgeClass.objects.exclude(issuer=endorser).exclude(pk__in=endorsed).select_related("issuer")
    query = query.strip()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(issuer__name__icontains=query))
    return found.order_by("issuer__name", "name", "id")


def badge_class_from_url(url: str) -> BadgeClass | None:
    """The badge class of this site whose id is `url`; None for another site's or an unknown one."""
    if not url.startswith(settings.SITE_URL + "/"):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "badges:badge_class":
        return None
    return BadgeClass.objects.select_related("issuer").filter(public_id=match.kwargs["public_id"]).first()
