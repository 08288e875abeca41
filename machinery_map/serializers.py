"""The partner API's shapes of the Map of Machinery: equipment types and processes, machines (list and
detail) with their hub, and what a hub sends to add or change a machine. They shape and check input;
machinery_map.services checks the rest and writes."""

from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from badges.models import BadgeClass
from badges.serializers import BadgeClassRefSerializer
from directory.models import Listing, Term, Vocabulary
from machinery_map.models import (
    Equipment,
    EquipmentAccess,
    EquipmentStatus,
    EquipmentType,
    ManufacturingProcess,
)
from makeworks.lib.api.base import ModelSerializer, StrictCharField, StrictSlugField
from makeworks.lib.urls import site_url

MAX_RELATED = 50


# A component of its own: other shapes of the API have a `status` with other values.
@extend_schema_field(
    {
        "type": "string",
        "enum": EquipmentStatus.values,
        "description": "operational, maintenance (under maintenance) or retired.",
    },
    component_name="EquipmentStatus",
)
class EquipmentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EquipmentStatus.choices, **kwargs)


class ManufacturingProcessSerializer(ModelSerializer[ManufacturingProcess]):
    class Meta:
        model = ManufacturingProcess
        fields = ["slug", "name", "name_fr", "wikipedia_url", "wikidata_url"]


class EquipmentTypeSerializer(ModelSerializer[EquipmentType]):
    parent: serializers.SlugRelatedField[EquipmentType] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True, allow_null=True, help_text="The broader type's slug."
    )
    processes: serializers.SlugRelatedField[ManufacturingProcess] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of the processes it usually does."
    )

    class Meta:
        model = EquipmentType
        fields = ["slug", "name", "name_fr", "parent", "wikipedia_url", "wikidata_url", "processes"]


class EquipmentTypeBriefSerializer(ModelSerializer[EquipmentType]):
    class Meta:
        model = EquipmentType
        fields = ["slug", "name", "wikipedia_url"]


class MachineHubSerializer(ModelSerializer[Listing]):
    country = StrictCharField(source="country.code", help_text="ISO 3166-1 alpha-2 code, or empty.")
    url = serializers.SerializerMethodField(help_text="The hub's machines page.")
    okw_url = serializers.SerializerMethodField(
        help_text="The hub as an Open Know-Where ManufacturingFacility (JSON; `.yaml` for YAML)."
    )

    class Meta:
        model = Listing
        fields = ["slug", "name", "kind", "city", "country", "latitude", "longitude", "url", "okw_url"]

    def _prefix(self) -> str:
        # One reverse() per response rather than one per row: pages list up to 100 machines.
        context = cast(dict[str, Any], self.context)
        prefix = context.get("_hub_url_prefix")
        if prefix is None:
            prefix = site_url(reverse("machinery_map:hub", kwargs={"slug": "_"}).removesuffix("_/"))
            context["_hub_url_prefix"] = prefix
        return str(prefix)

    def get_url(self, hub: Listing) -> str:
        return f"{self._prefix()}{hub.slug}/"

    def get_okw_url(self, hub: Listing) -> str:
        return f"{self._prefix()}{hub.slug}/okw.json"


class MachineListSerializer(ModelSerializer[Equipment]):
    hub = MachineHubSerializer(read_only=True)
    equipment_type = EquipmentTypeBriefSerializer(read_only=True)
    processes: serializers.SlugRelatedField[ManufacturingProcess] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of /manufacturing-processes/."
    )
    materials: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of the material vocabulary's terms."
    )
    status = EquipmentStatusField(read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "id", "hub", "equipment_type", "make", "model", "quantity", "status", "access", "processes",
            "materials", "bed_size_mm", "build_volume_mm3", "updated_at",
        ]  # fmt: skip


class MachineDetailSerializer(MachineListSerializer):
    photo = serializers.SerializerMethodField(help_text="The machine's photo, or empty.")
    required_badge_classes = BadgeClassRefSerializer(
        many=True,
        read_only=True,
        help_text="Badges a person must hold (or one their issuer accepts by endorsement) to use it.",
    )
    nozzle_size_mm = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, read_only=True)

    class Meta(MachineListSerializer.Meta):
        fields = [
            *MachineListSerializer.Meta.fields,
            "condition", "other_materials", "x_travel_mm", "y_travel_mm", "z_travel_mm", "laser_power_w",
            "spindle_speed_rpm", "nozzle_size_mm", "axes", "power_rating_w", "booking_url", "notes", "photo",
            "required_badge_classes", "created_at",
        ]  # fmt: skip

    def get_photo(self, equipment: Equipment) -> str:
        return site_url(equipment.photo.url) if equipment.photo else ""


def _positive(maximum: int, help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=maximum, required=False, allow_null=True, help_text=help_text
    )


class MachineWriteSerializer(serializers.Serializer):
    """What a hub sends to add a machine (or, with only some fields, to change one). Related things are
    named by slug (types, processes, materials) or public id (badge classes)."""

    equipment_type = StrictSlugField(help_text="Slug of an equipment type (/equipment-types/).")
    make = StrictCharField(max_length=120, required=False, allow_blank=True)
    model = StrictCharField(max_length=120, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    condition = StrictCharField(max_length=120, required=False, allow_blank=True)
    status = EquipmentStatusField(required=False)
    access = serializers.ChoiceField(choices=EquipmentAccess.choices, required=False)
    processes = serializers.ListField(
        child=StrictSlugField(),
        required=False,
        max_length=MAX_RELATED,
        help_text="Slugs of manufacturing processes; left out on creation, the usual ones of its type.",
    )
    materials = serializers.ListField(
        child=StrictSlugField(), required=False, max_length=MAX_RELATED, help_text="Material slugs."
    )
    required_badge_classes = serializers.ListField(
        child=StrictCharField(max_length=32),
        required=False,
        max_length=MAX_RELATED,
        help_text="Public ids of the badge classes a person must hold to use it.",
    )
    bed_size_mm = _positive(1_000_000, "Largest dimension of the bed, in millimetres.")
    build_volume_mm3 = serializers.IntegerField(
        min_value=1,
        max_value=10**15,
        required=False,
        allow_null=True,
        help_text="Build volume in cubic millimetres (one litre is 1,000,000).",
    )
    x_travel_mm = _positive(1_000_000, "X travel, in millimetres.")
    y_travel_mm = _positive(1_000_000, "Y travel, in millimetres.")
    z_travel_mm = _positive(1_000_000, "Z travel, in millimetres.")
    laser_power_w = _positive(1_000_000, "Laser power, in watts.")
    spindle_speed_rpm = _positive(1_000_000, "Maximum spindle speed, in revolutions per minute.")
    nozzle_size_mm = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Nozzle diameter, in millimetres.",
    )  # fmt: skip
    axes = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True)
    power_rating_w = _positive(10_000_000, "Power rating, in watts.")
    booking_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    notes = StrictCharField(max_length=5000, required=False, allow_blank=True)

    def validate_equipment_type(self, value: str) -> EquipmentType:
        found = EquipmentType.objects.filter(slug=value).first()
        if found is None:
            raise serializers.ValidationError(
                _("There is no equipment type “%(slug)s”; see /api/v1/equipment-types/.") % {"slug": value}
            )
        return found

    def validate_processes(self, value: list[str]) -> list[ManufacturingProcess]:
        found = {process.slug: process for process in ManufacturingProcess.objects.filter(slug__in=value)}
        _refuse_unknown(value, found, _("There is no manufacturing process “%(slug)s”."))
        return [found[slug] for slug in dict.fromkeys(value)]

    def validate_materials(self, value: list[str]) -> list[Term]:
        terms = Term.objects.filter(vocabulary=Vocabulary.MATERIAL, slug__in=value)
        found = {term.slug: term for term in terms}
        _refuse_unknown(value, found, _("There is no material “%(slug)s”."))
        return [found[slug] for slug in dict.fromkeys(value)]

    def validate_required_badge_classes(self, value: list[str]) -> list[BadgeClass]:
        found = {badge.public_id: badge for badge in BadgeClass.objects.filter(public_id__in=value)}
        _refuse_unknown(value, found, _("No badge class has the id “%(slug)s”."))
        return [found[public_id] for public_id in dict.fromkeys(value)]


def _refuse_unknown(given: list[str], found: dict[str, Any], message: str) -> None:
    unknown = [name for name in dict.fromkeys(given) if name not in found]
    if unknown:
        raise serializers.ValidationError([message % {"slug": name[:80]} for name in unknown])
