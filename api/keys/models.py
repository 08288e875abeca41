"""Partners' API keys and the answers kept for Idempotency-Key retries.

A key is `<prefix>_<secret>`; the prefix (`mw_live_` and 8 hex digits) is stored and shown in full so a
leaked key can be recognised and found, the secret only as its SHA-256 hash. Writes go through
api.keys.services.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from badges.models import Issuer
from makeworks.fields import NameField


class APIKeyScope(models.TextChoices):
    READ = "read", _("Read: the issuer's badges beyond what is public")
    ISSUE = "issue", _("Issue: award and revoke the issuer's badges")
    MANAGE = "manage", _("Manage: the issuer's badge classes, endorsements and its hub's machines")


class APIKeyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class APIKey(models.Model):
    name = NameField(_("name"), max_length=120, help_text=_("Who uses the key, and for what."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    # SHA-256 of the 32 random bytes of the secret: enough for a random secret, which is not a password.
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    issuer = models.ForeignKey(
        Issuer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuer"),
        help_text=_("The hub whose badges the key may read, issue or manage; empty: public data only."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Updated at most once a minute, so reading with a key stays a read.
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def status(self) -> APIKeyStatus:
        if self.revoked_at is not None:
            return APIKeyStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return APIKeyStatus.EXPIRED
        return APIKeyStatus.ACTIVE


class IdempotencyRecord(models.Model):
    """The first answer to a request sent with an Idempotency-Key, replayed to its retries."""

    api_key = models.ForeignKey(APIKey, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="partners_one_answer_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.api_key_id}: {self.key}"
