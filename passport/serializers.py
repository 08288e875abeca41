"""The partner API's shapes of awarded badges, verification reports and public passports. Issuing and
revoking are checked here for shape only; passport.services checks the rest and writes."""

import math
from datetime import UTC, datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from badges import selectors as badge_selectors
from badges.serializers import IssuerBriefSerializer
from directory.models import Listing
from makeworks.lib.api.base import ModelSerializer, StrictCharField
from makeworks.lib.safe_fetch import MAX_URL_LENGTH
from makeworks.lib.urls import site_url
from passport import selectors
from passport.models import (
    Affiliation,
    Assertion,
    ExperienceProject,
    ExternalBadge,
    Passport,
    ProjectImage,
    VerificationType,
)
from passport.services import MAX_REASON_LENGTH
from passport.verification import MAX_TEXT_LENGTH

# Dates outside these years are mistakes, and far-future ones overflow date arithmetic.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class BadgeClassBriefSerializer(serializers.Serializer):
    id = StrictCharField(source="public_id")
    name = StrictCharField()


class RecipientSerializer(serializers.Serializer):
    type = StrictCharField(help_text="Always `email`.")
    hashed = serializers.BooleanField()
    identity = StrictCharField(help_text="`sha256$` and the hex SHA-256 of the address and salt.")
    salt = StrictCharField()


class AssertionSerializer(ModelSerializer[Assertion]):
    """What anyone holding an assertion's id may see, as its public page shows."""

    id = StrictCharField(source="public_id", read_only=True)
    badge_class = BadgeClassBriefSerializer(read_only=True)
    issuer = IssuerBriefSerializer(source="badge_class.issuer", read_only=True)
    recipient = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(help_text="valid, expired or revoked.")
    verification = StrictCharField(source="verification_type", read_only=True)
    document_url = serializers.SerializerMethodField(help_text="The Open Badges assertion (JSON-LD).")
    baked_image_url = serializers.SerializerMethodField(
        help_text="The badge image carrying the assertion, once baked."
    )

    class Meta:
        model = Assertion
        fields = [
            "id", "badge_class", "issuer", "recipient", "issued_on", "expires", "status", "revoked",
            "revocation_reason", "verification", "evidence_url", "evidence_narrative", "narrative",
            "document_url", "baked_image_url",
        ]  # fmt: skip

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, assertion: Assertion) -> dict[str, Any]:
        return {
            "type": "email",
            "hashed": True,
            "identity": assertion.recipient_identity,
            "salt": assertion.recipient_salt,
        }

    def get_status(self, assertion: Assertion) -> str:
        return str(selectors.assertion_status(assertion))

    def get_document_url(self, assertion: Assertion) -> str:
        return selectors.assertion_url(assertion)

    def get_baked_image_url(self, assertion: Assertion) -> str:
        return selectors.assertion_baked_url(assertion) if assertion.baked_image else ""


class IssuedAssertionSerializer(AssertionSerializer):
    """What the issuer's keys and staff see: the recipient's name and the signed JWS as well."""

    class Meta(AssertionSerializer.Meta):
        fields = [*AssertionSerializer.Meta.fields, "recipient_name", "jws", "created_at"]


class AssertionIssueSerializer(serializers.Serializer):
    recipient_email = serializers.EmailField(
        max_length=254, help_text="Kept only as a salted hash once e-mailed."
    )
    recipient_name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    evidence_narrative = StrictCharField(max_length=10000, required=False, allow_blank=True, default="")
    narrative = StrictCharField(max_length=10000, required=False, allow_blank=True, default="")
    verification = serializers.ChoiceField(
        choices=VerificationType.choices, default=VerificationType.HOSTED,
        help_text="hosted (verified at its URL) or signed (a JWS with the issuer's key).",
    )  # fmt: skip
    issued_on = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Default: now."
    )
    expires = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="Default: the badge class's validity period after the issue date, or never.",
    )  # fmt: skip
    send_email = serializers.BooleanField(default=True, help_text="E-mail the badge to the recipient.")

    def validate_issued_on(self, value: datetime | None) -> datetime | None:
        return self._in_range(value)

    def validate_expires(self, value: datetime | None) -> datetime | None:
        return self._in_range(value)

    def _in_range(self, value: datetime | None) -> datetime | None:
        if value is not None and not EARLIEST <= value < LATEST:
            raise serializers.ValidationError(_("Give a date between 1970 and 2199."))
        return value


class AssertionRevokeSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=MAX_REASON_LENGTH, help_text="Shown by verifiers to whoever checks the badge."
    )


class VerifyRequestSerializer(serializers.Serializer):
    url = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_URL_LENGTH, help_text="An assertion's URL."
    )
    jws = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH, help_text="A signed assertion."
    )
    assertion_json = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH, help_text="A hosted assertion's JSON."
    )
    image = serializers.FileField(required=False, help_text="A baked PNG or SVG (multipart/form-data).")
    recipient_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Also check the badge was awarded to this address."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("url", "jws", "assertion_json", "image") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("Give exactly one of: url, jws, assertion_json or image."), code="one_input"
            )
        return attrs


class CheckSerializer(serializers.Serializer):
    name = StrictCharField()
    passed = serializers.BooleanField(allow_null=True, help_text="null: not run, or does not apply.")
    detail = StrictCharField()


class VerificationReportSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    verification_type = StrictCharField(help_text="hosted, signed, or empty when unreadable.")
    checks = CheckSerializer(many=True)
    assertion = serializers.DictField(allow_null=True, help_text="The assertion document, when read.")
    badge_class = serializers.DictField(allow_null=True)
    issuer = serializers.DictField(allow_null=True)


class _PassportUrlMixin:
    """Each passport's public page, from one reverse() per serializer rather than one per row."""

    context: dict[str, Any]

    def passport_url(self, handle: str) -> str:
        prefix = self.context.get("_passport_url_prefix")
        if prefix is None:
            marker = reverse("passport_site:passport", kwargs={"handle": "_"})
            prefix = site_url(marker.removesuffix("_/"))
            self.context["_passport_url_prefix"] = prefix
        return f"{prefix}{handle}/"


class PassportListSerializer(_PassportUrlMixin, ModelSerializer[Passport]):
    photo = serializers.SerializerMethodField(help_text="The member's photo, or empty.")
    url = serializers.SerializerMethodField(help_text="The passport's public page.")

    class Meta:
        model = Passport
        fields = ["handle", "display_name", "location", "languages", "photo", "url", "updated_at"]

    def get_photo(self, passport: Passport) -> str:
        return site_url(passport.photo.url) if passport.photo else ""

    def get_url(self, passport: Passport) -> str:
        return self.passport_url(passport.handle)


class PassportSearchHitSerializer(PassportListSerializer):
    distance_km = serializers.SerializerMethodField(help_text="From the `near` place, when given.")

    class Meta(PassportListSerializer.Meta):
        fields = [*PassportListSerializer.Meta.fields, "distance_km"]

    def get_distance_km(self, passport: Passport) -> float | None:
        squared = getattr(passport, "distance_squared", None)
        return round(math.sqrt(squared), 2) if squared is not None else None


class PassportBadgeSerializer(serializers.Serializer):
    """A badge of this platform as the passport shows it to anyone."""

    id = StrictCharField(source="assertion.public_id", help_text="The assertion's public id.")
    badge_class = BadgeClassBriefSerializer(source="assertion.badge_class")
    issuer = IssuerBriefSerializer(source="assertion.badge_class.issuer")
    image = serializers.SerializerMethodField(help_text="The badge class's image.")
    issued_on = serializers.DateTimeField(source="assertion.issued_on")
    expires = serializers.DateTimeField(source="assertion.expires", allow_null=True)
    status = serializers.ChoiceField(
        choices=[status.value for status in selectors.AssertionStatus], help_text="valid, expired or revoked."
    )
    verification = serializers.ChoiceField(
        source="assertion.verification_type",
        choices=VerificationType.choices,
        help_text="hosted (verified at its URL) or signed (a JWS with the issuer's key).",
    )
    assertion_url = StrictCharField(
        source="url", help_text="The public assertion: a page for people, JSON-LD for verifiers."
    )
    endorsements = serializers.IntegerField(help_text="How many other hubs recognise this badge class.")

    def get_image(self, badge: selectors.PlatformBadge) -> str:
        return badge_selectors.badge_class_image_url(badge.assertion.badge_class)


class PassportExternalBadgeSerializer(ModelSerializer[ExternalBadge]):
    """A badge from another issuer, as last checked by this site."""

    id = StrictCharField(source="public_id", read_only=True)
    name = StrictCharField(read_only=True)
    issuer_name = StrictCharField(read_only=True)
    verification = StrictCharField(source="verification_type", read_only=True)
    assertion_url = serializers.SerializerMethodField(
        help_text="The assertion at its issuer, for hosted badges; empty for signed ones."
    )

    class Meta:
        model = ExternalBadge
        fields = ["id", "name", "issuer_name", "state", "state_reason", "checked_at", "expires",
                  "verification", "assertion_url"]  # fmt: skip

    def get_assertion_url(self, badge: ExternalBadge) -> str:
        return badge.assertion_url if badge.verification_type == VerificationType.HOSTED else ""


class AffiliationSerializer(ModelSerializer[Affiliation]):
    listing: serializers.SlugRelatedField[Listing] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The hub's or listing's slug."
    )
    listing_name = StrictCharField(source="listing.name", read_only=True)
    listing_url = serializers.SerializerMethodField(help_text="The listing's public page.")
    confirmed = serializers.BooleanField(
        read_only=True, help_text="Confirmed by the hub; otherwise self-declared by the member."
    )

    class Meta:
        model = Affiliation
        fields = ["listing", "listing_name", "listing_url", "role", "start_date", "end_date", "confirmed"]

    def get_listing_url(self, affiliation: Affiliation) -> str:
        return site_url(affiliation.listing.get_absolute_url())


class ProjectImageSerializer(ModelSerializer[ProjectImage]):
    url = serializers.SerializerMethodField()
    description = StrictCharField(source="alt_text", read_only=True)

    class Meta:
        model = ProjectImage
        fields = ["url", "description", "width", "height"]

    def get_url(self, image: ProjectImage) -> str:
        return site_url(image.image.url)


class ProjectSerializer(ModelSerializer[ExperienceProject]):
    links = serializers.ListField(child=StrictCharField(), read_only=True)
    images = ProjectImageSerializer(many=True, read_only=True)

    class Meta:
        model = ExperienceProject
        fields = ["title", "description", "links", "images"]


class PassportDetailSerializer(PassportListSerializer):
    """A passport as anyone reaching it by its handle sees it: only what the member made public."""

    badges = serializers.SerializerMethodField()
    external_badges = serializers.SerializerMethodField()
    affiliations = serializers.SerializerMethodField()
    experience = serializers.SerializerMethodField()

    class Meta(PassportListSerializer.Meta):
        fields = [*PassportListSerializer.Meta.fields, "bio", "badges", "external_badges", "affiliations",
                  "experience"]  # fmt: skip

    def _page(self) -> selectors.PassportPage:
        page: selectors.PassportPage = self.context["page"]
        return page

    @extend_schema_field(PassportBadgeSerializer(many=True))
    def get_badges(self, passport: Passport) -> Any:
        return PassportBadgeSerializer(self._page().platform_badges, many=True).data

    @extend_schema_field(PassportExternalBadgeSerializer(many=True))
    def get_external_badges(self, passport: Passport) -> Any:
        return PassportExternalBadgeSerializer(self._page().external_badges, many=True).data

    @extend_schema_field(AffiliationSerializer(many=True))
    def get_affiliations(self, passport: Passport) -> Any:
        return AffiliationSerializer(self._page().affiliations, many=True).data

    @extend_schema_field(ProjectSerializer(many=True))
    def get_experience(self, passport: Passport) -> Any:
        return ProjectSerializer(self._page().projects, many=True).data
