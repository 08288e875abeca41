"""Badges awarded to makers: Open Badges 2.0 assertions, hosted or signed, and their baked images."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeClass, Issuer, SigningKey
from makeworks.fields import NameField
from makeworks.lib.language import LANGUAGE_MAX_LENGTH
from makeworks.lib.safe_fetch import MAX_URL_LENGTH
from makeworks.lib.text import strip_bidi

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
# An undelivered assertion whose tasks never reached the broker, or were queued this long ago, is stuck:
# its task was probably lost (a broker outage, a killed worker), and staff may queue it again.
STUCK_AFTER = timedelta(minutes=10)


def stuck(now: datetime) -> models.Q:
    """Assertions still to deliver, not given up on, whose tasks were never queued or long ago."""
    queued_long_ago = models.Q(delivery_queued_at__isnull=True) | models.Q(
        delivery_queued_at__lt=now - STUCK_AFTER
    )
    return ~DELIVERED & models.Q(delivery_failed_at__isnull=True) & queued_long_ago


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
    # The rows of the upload left out when staff chose to issue only the valid ones, each as
    # {"line": 4, "column": "email", "message": "..."}, so the batch page can say what was not issued.
    skipped = models.JSONField(_("rows skipped"), default=list, blank=True)

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
    recipient_name = NameField(_("recipient name"), max_length=200, blank=True)
    # The only copy of the plain address, kept until the award e-mail is sent and then emptied; never
    # shown on a public page or in a document.
    pending_email = models.EmailField(_("e-mail waiting to be sent"), blank=True)
    # The language the badge was issued in (the issuing staff's page), which the award e-mail is written in.
    email_language = models.CharField(
        _("language of the award e-mail"), max_length=LANGUAGE_MAX_LENGTH, default="en", editable=False
    )
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
    # Held by the task sending the award e-mail, taken before it sends (makeworks.celery explains why):
    # another run finds it taken and leaves the e-mail alone until it expires.
    email_claimed_at = models.DateTimeField(_("e-mail being sent since"), null=True, blank=True)
    # When the bake or e-mail was last handed to the broker; empty when the broker refused it. The
    # delivery sweep queues again pending assertions that were never queued or were queued long ago.
    delivery_queued_at = models.DateTimeField(_("delivery queued at"), null=True, blank=True)
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
    # The random key of the console form that issued it, so the same form posted twice issues one badge.
    submission_key = models.CharField(_("form submission key"), max_length=64, blank=True, editable=False)
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
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="assertion_submission_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge_class.name} ({self.public_id})"


# The Maker Passport: a member's profile, affiliations, experience and the badges they show.


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can find it")
    UNLISTED = "unlisted", _("Unlisted: only people with the link")
    PRIVATE = "private", _("Private: only you")


def passport_photo_path(passport: "Passport", filename: str) -> str:
    return f"passports/{passport.user_id}/photo/{filename}"


class Passport(models.Model):
    """One member's public face as a maker. Private until the member chooses otherwise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passport", verbose_name=_("member")
    )
    handle = models.SlugField(_("handle"), max_length=40, unique=True)
    display_name = NameField(_("display name"), max_length=100)
    photo = models.ImageField(_("photo"), upload_to=passport_photo_path, blank=True)
    bio = models.TextField(_("about you"), blank=True, help_text=_("Markdown."))
    location = models.CharField(_("location"), max_length=120, blank=True)
    # Found from the location in the gazetteer, so "near" searches can place the maker; empty otherwise.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    visibility = models.CharField(
        _("who can see your passport"), max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = _("passport")
        verbose_name_plural = _("passports")
        indexes = [
            models.Index(fields=["visibility", "latitude", "longitude"], name="passport_visibility_place"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (@{self.handle})"


class Affiliation(models.Model):
    """A member's tie to a hub or listing; self-declared until someone who speaks for the listing
    confirms it."""

    passport = models.ForeignKey(
        Passport, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("passport")
    )
    listing = models.ForeignKey(
        "directory.Listing", on_delete=models.CASCADE, related_name="+", verbose_name=_("hub or listing")
    )
    role = NameField(_("role"), max_length=100)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        indexes = [
            models.Index(
                fields=["listing"], condition=models.Q(confirmed_at__isnull=True), name="affiliation_pending"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} · {self.listing_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ExperienceProject(models.Model):
    """Something the member made or took part in, told in their own words."""

    passport = models.ForeignKey(
        Passport, on_delete=models.CASCADE, related_name="projects", verbose_name=_("passport")
    )
    title = NameField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    # Web addresses, in the order the member gave them.
    links = models.JSONField(_("links"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.title


def project_image_path(image: "ProjectImage", filename: str) -> str:
    return f"passports/projects/{image.project_id}/{filename}"


class ProjectImage(models.Model):
    project = models.ForeignKey(
        ExperienceProject, on_delete=models.CASCADE, related_name="images", verbose_name=_("project")
    )
    image = models.ImageField(
        _("image"), upload_to=project_image_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("project image")
        verbose_name_plural = _("project images")

    def __str__(self) -> str:
        return self.alt_text or f"Image {self.pk}"


class PassportBadge(models.Model):
    """Who may see one of the member's platform badges on their passport. A badge without a row is
    private: nothing shows until the member chooses."""

    passport = models.ForeignKey(
        Passport, on_delete=models.CASCADE, related_name="badge_settings", verbose_name=_("passport")
    )
    assertion = models.ForeignKey(
        Assertion, on_delete=models.CASCADE, related_name="+", verbose_name=_("badge")
    )
    visibility = models.CharField(
        _("who can see this badge"), max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )

    class Meta:
        verbose_name = _("badge on a passport")
        verbose_name_plural = _("badges on passports")
        constraints = [
            models.UniqueConstraint(fields=["passport", "assertion"], name="passport_badge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.passport_id} · {self.assertion_id} ({self.visibility})"


class ExternalSource(models.TextChoices):
    URL = "url", _("Assertion URL")
    JWS = "jws", _("Signed badge (JWS)")
    IMAGE = "image", _("Baked image")


class ExternalState(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    REVOKED = "revoked", _("Revoked by its issuer")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("No longer verifies")


def external_badge_path(badge: "ExternalBadge", filename: str) -> str:
    return f"passports/external/{badge.passport_id}/{filename}"


class ExternalBadge(models.Model):
    """A badge another issuer awarded the member, added only once it verified and checked again on a
    schedule. What the member gave is kept as given, with the documents it verified against."""

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    passport = models.ForeignKey(
        Passport, on_delete=models.CASCADE, related_name="external_badges", verbose_name=_("passport")
    )
    source = models.CharField(_("given as"), max_length=8, choices=ExternalSource.choices)
    source_url = models.URLField(_("given URL"), max_length=MAX_URL_LENGTH, blank=True)
    source_jws = models.TextField(_("given JWS"), blank=True)
    source_image = models.FileField(_("given image"), upload_to=external_badge_path, blank=True)
    # What re-verification checks: the hosted assertion's URL, or the signed assertion's JWS.
    verification_type = models.CharField(_("verification"), max_length=8, choices=VerificationType.choices)
    assertion_url = models.URLField(_("assertion id"), max_length=MAX_URL_LENGTH, db_index=True)
    signed_jws = models.TextField(_("signed assertion (JWS)"), blank=True)
    assertion_json = models.JSONField(_("assertion"), default=dict)
    badge_class_json = models.JSONField(_("badge class"), default=dict)
    issuer_json = models.JSONField(_("issuer"), default=dict)
    # Each alignment's targetName, targetCode and targetUrl folded to lower case, one per line between
    # newlines, so a skill search matches a whole line in the database on any back end.
    skills = models.TextField(_("skills"), blank=True, editable=False)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=ExternalState.choices, default=ExternalState.VERIFIED
    )
    state_reason = models.TextField(_("why"), blank=True)
    checked_at = models.DateTimeField(_("last checked"))
    visibility = models.CharField(
        _("who can see this badge"), max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name = _("badge from another issuer")
        verbose_name_plural = _("badges from other issuers")
        constraints = [
            models.UniqueConstraint(fields=["passport", "assertion_url"], name="external_badge_once"),
        ]

    def __str__(self) -> str:
        return str(self.badge_class_json.get("name") or self.assertion_url)

    # Names from another issuer's documents, kept as they verified; what is shown has no bidi controls.
    @property
    def name(self) -> str:
        return strip_bidi(str(self.badge_class_json.get("name") or ""))

    @property
    def issuer_name(self) -> str:
        return strip_bidi(str(self.issuer_json.get("name") or ""))
