"""Badges awarded to makers: Open Badges 2.0 assertions, hosted or signed, and their baked images."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeClass, Issuer, SigningKey

# 16 random bytes: a public id nobody can guess or count through, short enough for a URL.
PUBLIC_ID_BYTES = 16


def new_public_id() -> str:
    """A random URL-safe id that never starts with "-" or "_", so it is never mistaken for a command-line
    option when pasted after `revoke_badge`."""
    while True:
        candidate = secrets.token_urlsafe(PUBLIC_ID_BYTES)
        if candidate[0] not in "-_":
            return candidate


# An assertion is delivered once it is baked and no address waits for the award e-mail (it was sent,
# the badge was revoked first, or no e-mail was asked for).
DELIVERED = models.Q(baked_at__isnull=False, pending_email="")


class VerificationType(models.TextChoices):
    HOSTED = "hosted", _("Hosted")
    SIGNED = "signed", _("Signed")


class IssueBatch(models.Model):
    """Badges of one class awarded together from a bulk upload; its assertions say how far baking and
    e-mailing have got."""

    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="issue_batches", verbose_name=_("issuer")
    )
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="issue_batches", verbose_name=_("badge class")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    total = models.PositiveIntegerField(_("number of badges"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issue batch")
        verbose_name_plural = _("issue batches")

    def __str__(self) -> str:
        return f"{self.badge_class.name} × {self.total}"


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
    # Finds a member's badges among all assertions by index (see recipient.lookup_key); empty for
    # assertions issued before it existed whose address was no longer known.
    recipient_lookup = models.CharField(_("recipient lookup key"), max_length=64, blank=True, db_index=True)
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
    # Set when staff ask for the award e-mail again; a resend is waiting while it is later than emailed_at.
    resend_requested_at = models.DateTimeField(_("e-mail resend requested at"), null=True, blank=True)
    # Set by a bake or e-mail task that gave up for good; cleared when the e-mail is tried again.
    delivery_failed_at = models.DateTimeField(_("delivery failed at"), null=True, blank=True)
    delivery_failure = models.CharField(_("delivery failure"), max_length=500, blank=True)
    batch = models.ForeignKey(
        IssueBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assertions",
        verbose_name=_("issue batch"),
    )
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
