"""Open Badges issuers (one per hub listing), their signing keys and the badge classes they award.

Writes go through badges.services; nothing here has side effects in save(). Public URLs come from
badges.urls by name; ids in URLs are random, never the primary key.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Listing
from makeworks.fields import NameField

# 16 random bytes: a public id nobody can guess or count through, short enough for a URL.
PUBLIC_ID_BYTES = 16


def new_public_id() -> str:
    return secrets.token_urlsafe(PUBLIC_ID_BYTES)


class Issuer(models.Model):
    """A hub's Open Badges issuer profile. Its e-mail is the hub's public badge contact, published in
    the profile as the spec requires, unlike the listing's private contact address."""

    listing = models.OneToOneField(
        Listing, on_delete=models.PROTECT, related_name="badge_issuer", verbose_name=_("hub")
    )
    name = NameField(_("name"), max_length=200)
    url = models.URLField(_("web address"))
    email = models.EmailField(_("public e-mail"))
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="badges/issuers/", blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Staff must sign in with an authenticator app code to work on this hub's badges."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("badge issuer")
        verbose_name_plural = _("badge issuers")

    def __str__(self) -> str:
        return self.name


class SigningKeyStatus(models.TextChoices):
    ACTIVE = "active", _("Active: signs new badges")
    RETIRED = "retired", _("Retired: still verifies what it signed")
    REVOKED = "revoked", _("Revoked: trusted no more")


class SigningKey(models.Model):
    """An issuer's RSA key pair. The private half is stored only encrypted with BADGE_KEY_SECRET."""

    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="signing_keys", verbose_name=_("issuer")
    )
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    public_key_pem = models.TextField(_("public key (PEM)"))
    private_key_encrypted = models.BinaryField(_("private key, encrypted"))
    status = models.CharField(
        _("status"), max_length=8, choices=SigningKeyStatus.choices, default=SigningKeyStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["issuer", "created_at", "id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer"],
                condition=models.Q(status="active"),
                name="badges_one_active_key_per_issuer",
                violation_error_message=_("An issuer has exactly one active signing key."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "retired", "revoked"]),
                name="badges_signing_key_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.public_id} ({self.status})"


class BadgeClass(models.Model):
    """An achievement an issuer recognises; every badge awarded for it points here."""

    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="badge_classes", verbose_name=_("issuer")
    )
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    name = NameField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    image = models.FileField(_("image (PNG or SVG)"), upload_to="badges/classes/")
    criteria_url = models.URLField(_("criteria web address"), blank=True)
    criteria_narrative = models.TextField(_("criteria"), blank=True, help_text=_("Markdown."))
    # A list of {targetName, targetUrl, targetDescription, targetFramework, targetCode}, e.g. ESCO skills.
    alignments = models.JSONField(_("alignments"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    valid_days = models.PositiveIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Badges of this class expire this many days after they are awarded; empty: never."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["issuer", "name"]
        verbose_name = _("badge class")
        verbose_name_plural = _("badge classes")

    def __str__(self) -> str:
        return self.name


class IssuerRole(models.TextChoices):
    """What a person does for a hub's issuer (as Badgr's owner, editor and staff); badges.permissions
    says what each may do."""

    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    STAFF = "staff", _("Staff")


class IssuerMembership(models.Model):
    """One person's role for one issuer. Written only by the membership services, which keep at least
    one owner and record every change in the audit log."""

    issuer = models.ForeignKey(
        Issuer, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("issuer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="issuer_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=8, choices=IssuerRole.choices)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("issuer membership")
        verbose_name_plural = _("issuer memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "user"],
                name="badges_one_membership_per_person_and_issuer",
                violation_error_message=_("This person already has a role for this issuer."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "editor", "staff"]),
                name="badges_issuer_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.issuer}"


class Endorsement(models.Model):
    """One hub's issuer recognising another hub's badge class (Open Badges 2.0 Endorsement, hosted at its
    own URL): mutual recognition. `accepted_as` names the endorser's own badge class that the endorsed
    one stands in for ("our laser safety induction accepts theirs"), so a machine that requires the
    endorser's badge also admits holders of the endorsed one. Withdrawn endorsements stay, marked, so
    their public URL keeps answering."""

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    endorser = models.ForeignKey(
        Issuer,
        on_delete=models.PROTECT,
        related_name="endorsements_given",
        verbose_name=_("endorsing issuer"),
    )
    badge_class = models.ForeignKey(
        BadgeClass,
        on_delete=models.PROTECT,
        related_name="endorsements",
        verbose_name=_("endorsed badge class"),
    )
    accepted_as = models.ForeignKey(
        BadgeClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_equivalents",
        verbose_name=_("accepted in place of"),
        help_text=_("One of the endorsing issuer's own badge classes that this badge counts as."),
    )
    comment = models.TextField(_("endorsement comment"), blank=True, help_text=_("Markdown."))
    issued_on = models.DateTimeField(_("issued on"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["endorser", "badge_class"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="badges_one_standing_endorsement_per_issuer_and_class",
                violation_error_message=_("This issuer already endorses this badge class."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endorser} → {self.badge_class}"


class AuditAction(models.TextChoices):
    """What the badges domain writes to the audit log (audit.services.audit_log)."""

    ASSERTION_ISSUED = "badges.assertion.issued", _("Badge issued")
    ASSERTIONS_ISSUED = "badges.assertions.issued", _("Badges issued in a batch")
    ASSERTION_REVOKED = "badges.assertion.revoked", _("Badge revoked")
    SIGNING_KEY_ROTATED = "badges.signing_key.rotated", _("Signing key rotated")
    SIGNING_KEY_REVOKED = "badges.signing_key.revoked", _("Signing key revoked")
    MEMBER_ADDED = "badges.member.added", _("Person given a role")
    MEMBER_CHANGED = "badges.member.changed", _("Person's role changed")
    MEMBER_REMOVED = "badges.member.removed", _("Person's role taken away")
    ISSUER_UPDATED = "badges.issuer.updated", _("Issuer profile changed")
    BADGE_CLASS_CREATED = "badges.badge_class.created", _("Badge class created")
    BADGE_CLASS_UPDATED = "badges.badge_class.updated", _("Badge class changed")
    ENDORSEMENT_GIVEN = "badges.endorsement.given", _("Endorsement given")
    ENDORSEMENT_WITHDRAWN = "badges.endorsement.withdrawn", _("Endorsement withdrawn")


# How the issuers' audit log named actions and objects before it became the one audit log (badges 0006);
# backups made before then still use these names, and are read with them.
LEGACY_AUDIT_ACTIONS = {
    "assertion_issued": AuditAction.ASSERTION_ISSUED,
    "assertions_issued": AuditAction.ASSERTIONS_ISSUED,
    "assertion_revoked": AuditAction.ASSERTION_REVOKED,
    "signing_key_rotated": AuditAction.SIGNING_KEY_ROTATED,
    "signing_key_revoked": AuditAction.SIGNING_KEY_REVOKED,
    "member_added": AuditAction.MEMBER_ADDED,
    "member_changed": AuditAction.MEMBER_CHANGED,
    "member_removed": AuditAction.MEMBER_REMOVED,
    "issuer_updated": AuditAction.ISSUER_UPDATED,
    "badge_class_created": AuditAction.BADGE_CLASS_CREATED,
    "badge_class_updated": AuditAction.BADGE_CLASS_UPDATED,
    "endorsement_given": AuditAction.ENDORSEMENT_GIVEN,
    "endorsement_withdrawn": AuditAction.ENDORSEMENT_WITHDRAWN,
}
LEGACY_AUDIT_OBJECT_TYPES = {
    "assertion": "passport.assertion",
    "badge_class": "badges.badgeclass",
    "endorsement": "badges.endorsement",
    "issuer": "badges.issuer",
    "issuer_membership": "badges.issuermembership",
    "signing_key": "badges.signingkey",
}


class KeySecretFingerprint(models.Model):
    """The fingerprint of the BADGE_KEY_SECRET this database's signing keys and recipient lookups were
    made with (one row at most), so a server started with another secret is noticed before it writes
    anything it could not read back. Written once by badges.keyring; replaced only by
    badges.services.key_secret.key_secret_replace, when the old secret is lost for good."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("badge key secret fingerprint")
        verbose_name_plural = _("badge key secret fingerprint")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="badges_one_key_secret_fingerprint"),
        ]

    def __str__(self) -> str:
        return self.fingerprint[:12]
