"""Open Badges issuers (one per hub listing), their signing keys and the badge classes they award.

Writes go through badges.services; nothing here has side effects in save(). Public URLs come from
badges.urls by name; ids in URLs are random, never the primary key.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Listing

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
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web address"))
    email = models.EmailField(_("public e-mail"))
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="badges/issuers/", blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
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
    name = models.CharField(_("name"), max_length=200)
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
