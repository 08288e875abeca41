"""Badges awarded to makers: Open Badges 2.0 assertions, hosted or signed, and their baked images."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeClass, SigningKey

# 16 random bytes: a public id nobody can guess or count through, short enough for a URL.
PUBLIC_ID_BYTES = 16


def new_public_id() -> str:
    """A random URL-safe id that never starts with "-" or "_", so it is never mistaken for a command-line
    option when pasted after `revoke_badge`."""
    while True:
        candidate = secrets.token_urlsafe(PUBLIC_ID_BYTES)
        if candidate[0] not in "-_":
            return candidate


class VerificationType(models.TextChoices):
    HOSTED = "hosted", _("Hosted")
    SIGNED = "signed", _("Signed")


class Assertion(models.Model):
    """One badge awarded to one person, named only by a salted hash of their e-mail address."""

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="assertions", verbose_name=_("badge class")
    )
    recipient_identity = models.CharField(_("recipient identity (hashed e-mail)"), max_length=100)
    recipient_salt = models.CharField(_("recipient salt"), max_length=64)
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    # The only copy of the plain address, kept until the award e-mail is sent and then emptied; never
    # shown on a public page or in a document.
    pending_email = models.EmailField(_("e-mail waiting to be sent"), blank=True)
    issued_on = models.DateTimeField(_("issued on"))
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    evidence_url = models.URLField(_("evidence URL"), max_length=500, blank=True)
    evidence_narrative = models.TextField(_("evidence narrative"), blank=True, help_text=_("Markdown."))
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown."))
    verification_type = models.CharField(
        _("verification"), max_length=8, choices=VerificationType.choices, default=VerificationType.HOSTED
    )
    signing_key = models.ForeignKey(
        SigningKey,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assertions",
        verbose_name=_("signing key"),
    )
    jws = models.TextField(_("signed assertion (JWS)"), blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    baked_image = models.FileField(_("baked image"), upload_to="badges/baked/", blank=True)
    baked_at = models.DateTimeField(_("baked at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("assertion")
        verbose_name_plural = _("assertions")
        indexes = [
            # The revocation lists read only revoked rows, a small part of all awards.
            models.Index(fields=["badge_class"], condition=models.Q(revoked=True), name="assertion_revoked"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(verification_type=VerificationType.HOSTED, signing_key__isnull=True, jws="")
                    | (
                        models.Q(verification_type=VerificationType.SIGNED, signing_key__isnull=False)
                        & ~models.Q(jws="")
                    )
                ),
                name="assertion_signed_has_key_and_jws",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked=False) | ~models.Q(revocation_reason=""),
                name="assertion_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(expires__isnull=True) | models.Q(expires__gt=models.F("issued_on")),
                name="assertion_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge_class.name} ({self.public_id})"
