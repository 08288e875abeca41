"""The partner API's shapes of issuers, hubs, badge classes and endorsements. They check the shape of
what partners send; badges.services checks the rest (images, criteria, alignments, endorsements) and
writes."""

import base64
import binascii
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from badges import selectors
from badges.models import BadgeClass, Endorsement, Issuer
from badges.services import MAX_ALIGNMENTS, MAX_IMAGE_BYTES, MAX_TAGS
from badges.services.endorsements import MAX_COMMENT_LENGTH
from directory.models import Listing
from directory.serializers import ListingListSerializer
from makeworks.lib.api.base import ModelSerializer, StrictCharField

DATA_URI = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[\w=.+-]+)*;base64,", re.ASCII)


class IssuerSerializer(ModelSerializer[Issuer]):
    hub: serializers.SlugRelatedField[Listing] = serializers.SlugRelatedField(
        source="listing", slug_field="slug", read_only=True
    )
    document_url = serializers.SerializerMethodField(help_text="The Open Badges issuer profile (JSON-LD).")
    image = serializers.SerializerMethodField()

    class Meta:
        model = Issuer
        fields = ["slug", "name", "url", "email", "description", "image", "hub", "document_url", "created_at"]

    def get_document_url(self, issuer: Issuer) -> str:
        return selectors.issuer_url(issuer)

    def get_image(self, issuer: Issuer) -> str:
        return selectors.issuer_image_url(issuer)


class IssuerBriefSerializer(serializers.Serializer):
    slug = StrictCharField()
    name = StrictCharField()


class HubSerializer(ListingListSerializer):
    issuer = serializers.SerializerMethodField(help_text="The hub's Open Badges issuer, if it awards badges.")

    class Meta(ListingListSerializer.Meta):
        fields = [*ListingListSerializer.Meta.fields, "issuer"]

    @extend_schema_field(IssuerBriefSerializer(allow_null=True))
    def get_issuer(self, listing: Listing) -> dict[str, str] | None:
        issuer = getattr(listing, "badge_issuer", None)
        return {"slug": issuer.slug, "name": issuer.name} if issuer is not None else None


class AlignmentSerializer(serializers.Serializer):
    targetName = StrictCharField(max_length=500)  # noqa: N815 (the Open Badges spelling)
    targetUrl = serializers.URLField(max_length=500)  # noqa: N815
    targetDescription = StrictCharField(max_length=2000, required=False, allow_blank=True)  # noqa: N815
    targetFramework = StrictCharField(max_length=500, required=False, allow_blank=True)  # noqa: N815
    targetCode = StrictCharField(max_length=200, required=False, allow_blank=True)  # noqa: N815


class BadgeClassSerializer(ModelSerializer[BadgeClass]):
    id = StrictCharField(source="public_id", read_only=True)
    issuer: serializers.SlugRelatedField[Issuer] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    image = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField(help_text="The Open Badges BadgeClass (JSON-LD).")
    alignments = AlignmentSerializer(many=True, read_only=True)
    tags = serializers.ListField(child=StrictCharField(), read_only=True)

    class Meta:
        model = BadgeClass
        fields = [
            "id", "name", "description", "issuer", "image", "criteria_url", "criteria_narrative",
            "alignments", "tags", "valid_days", "document_url", "created_at",
        ]  # fmt: skip

    def get_image(self, badge_class: BadgeClass) -> str:
        return selectors.badge_class_image_url(badge_class)

    def get_document_url(self, badge_class: BadgeClass) -> str:
        return selectors.badge_class_url(badge_class)


@extend_schema_field(OpenApiTypes.STR)
class Base64ImageField(serializers.Field):
    """A PNG or SVG sent in JSON as base64, with or without a `data:image/png;base64,` prefix."""

    default_error_messages = {
        "invalid": _("Send the image as base64 (optionally as a data: URI)."),
        "too_large": _("The badge image is larger than 2 MB."),
    }

    def to_internal_value(self, data: Any) -> SimpleUploadedFile:
        if not isinstance(data, str):
            self.fail("invalid")
        match = DATA_URI.match(data)
        encoded = data[match.end() :] if match else data
        if len(encoded) > (MAX_IMAGE_BYTES * 4) // 3 + 8:
            self.fail("too_large")
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid")
        media_type = (match.group("type") or "") if match else ""
        name = "badge.svg" if media_type == "image/svg+xml" else "badge.png"
        return SimpleUploadedFile(name, content, media_type or "application/octet-stream")

    def to_representation(self, value: Any) -> str:
        return ""


class BadgeClassWriteSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    description = StrictCharField(max_length=5000)
    image = Base64ImageField(help_text="PNG or SVG, at most 2 MB, base64 (a data: URI is fine).")
    criteria_narrative = StrictCharField(
        max_length=10000, required=False, allow_blank=True, default="", help_text="Markdown."
    )
    criteria_url = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    alignments = AlignmentSerializer(many=True, required=False, default=list, max_length=MAX_ALIGNMENTS)  # type: ignore[call-arg]
    tags = serializers.ListField(
        child=StrictCharField(max_length=100), required=False, default=list, max_length=MAX_TAGS
    )
    valid_days = serializers.IntegerField(
        min_value=1, max_value=36500, required=False, allow_null=True, default=None,
        help_text="Badges of this class expire this many days after they are awarded; null: never.",
    )  # fmt: skip


class BadgeClassRefSerializer(serializers.Serializer):
    """A badge class named inside another object: its id, name and issuer."""

    id = StrictCharField(source="public_id", help_text="The badge class's public id.")
    name = StrictCharField()
    issuer = IssuerBriefSerializer()


class EndorsementListSerializer(ModelSerializer[Endorsement]):
    id = StrictCharField(source="public_id", read_only=True)
    endorser = IssuerBriefSerializer(read_only=True, help_text="The hub's issuer that vouches.")
    badge_class = BadgeClassRefSerializer(read_only=True, help_text="The other hub's badge class endorsed.")
    accepted_as = BadgeClassRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The endorser's own badge class the endorsed one counts as, if any.",
    )
    withdrawn = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField(
        help_text="The Open Badges Endorsement (JSON-LD); a withdrawn one answers 410 there."
    )

    class Meta:
        model = Endorsement
        fields = ["id", "endorser", "badge_class", "accepted_as", "issued_on", "withdrawn", "withdrawn_at",
                  "document_url"]  # fmt: skip

    def get_withdrawn(self, endorsement: Endorsement) -> bool:
        return endorsement.withdrawn_at is not None

    def get_document_url(self, endorsement: Endorsement) -> str:
        return selectors.endorsement_url(endorsement)


class EndorsementDetailSerializer(EndorsementListSerializer):
    class Meta(EndorsementListSerializer.Meta):
        fields = [*EndorsementListSerializer.Meta.fields, "comment"]


class EndorsementGiveSerializer(serializers.Serializer):
    """What a hub sends to endorse another hub's badge class; the services check that it makes sense."""

    badge_class = StrictCharField(max_length=32, help_text="Public id of another hub's badge class.")
    accepted_as = StrictCharField(
        max_length=32, required=False, allow_blank=True, allow_null=True, default=None,
        help_text="Public id of one of the endorser's own badge classes the endorsed one counts as.",
    )  # fmt: skip
    comment = StrictCharField(
        max_length=MAX_COMMENT_LENGTH, required=False, allow_blank=True, default="",
        help_text="Why the hub recognises this badge, shown to verifiers (Markdown).",
    )  # fmt: skip

    def _badge_class(self, public_id: str) -> BadgeClass:
        found = BadgeClass.objects.select_related("issuer").filter(public_id=public_id).first()
        if found is None:
            raise serializers.ValidationError(
                _("No badge class has the id “%(id)s”.") % {"id": public_id}, code="unknown_badge_class"
            )
        return found

    def validate_badge_class(self, value: str) -> BadgeClass:
        return self._badge_class(value.strip())

    def validate_accepted_as(self, value: str | None) -> BadgeClass | None:
        return self._badge_class(value.strip()) if value and value.strip() else None
