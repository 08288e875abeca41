"""The query parameters of the machines list endpoint: the /machines/ page's own, read by its form."""

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field

from directory.selectors import DEFAULT_RADIUS_KM, MAX_RADIUS_KM
from machinery_map import selectors
from machinery_map.forms import MapFilterForm
from machinery_map.models import Equipment, EquipmentAccess
from machinery_map.selectors import MapFilters
from makeworks.lib.api.filters import FormFilterSet, near_filter, radius_filter
from makeworks.lib.api.parameters import near_examples


class MachineFilter(FormFilterSet):
    """Machines matching every filter of the map page, at published hubs (within the radius of `near`)."""

    type = django_filters.CharFilter(help_text="An equipment type's slug; covers its narrower types.")
    process = django_filters.CharFilter(help_text="A manufacturing process's slug.")
    material = django_filters.CharFilter(help_text="A material's slug; covers its narrower materials.")
    access = django_filters.MultipleChoiceFilter(
        choices=EquipmentAccess.choices, help_text="Who may use the machine; repeat for several."
    )
    min_bed = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(help_text="Bed at least this large, in millimetres (1 to 100,000).")
    )
    min_volume = extend_schema_field(OpenApiTypes.NUMBER)(
        django_filters.NumberFilter(
            help_text="Build volume at least this large, in litres (up to three decimals)."
        )
    )
    near = near_filter(near_note=": only hubs within `radius`")
    radius = radius_filter(default_km=DEFAULT_RADIUS_KM, max_km=MAX_RADIUS_KM)
    examples = {
        "type": OpenApiExample("type", value="3d-printer"),
        "process": OpenApiExample("process", value="laser-cutting"),
        "material": OpenApiExample("material", value="wood"),
        "access": OpenApiExample("access", value=["open", "induction"]),
        "min_bed": OpenApiExample("bed", value=600),
        "min_volume": OpenApiExample("volume", value=5),
        **near_examples(default_km=DEFAULT_RADIUS_KM),
    }

    class Meta:
        model = Equipment
        form = MapFilterForm
        fields = ["type", "process", "material", "access", "min_bed", "min_volume", "near", "radius"]

    def form_kwargs(self) -> dict[str, Any]:
        return {"choices": selectors.filter_choices()}

    def filter_queryset(self, queryset: QuerySet[Equipment]) -> QuerySet[Equipment]:
        filters = cast(MapFilterForm, self.form).filters()
        # The hub rules (published, a hub's kind, within the radius) are the map's own, asked of it alone.
        hubs = selectors.matching_hubs(MapFilters(near=filters.near))
        return selectors.matching_machines(filters, among=queryset).filter(hub__in=hubs.values("pk"))
