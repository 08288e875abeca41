"""Forms of the Map of Machinery: the map's filters, "can I make this here?", and a hub's equipment."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.models import BadgeClass
from directory.forms.widgets import PlaceInput
from directory.models import Term, Vocabulary
from directory.selectors import (
    DEFAULT_RADIUS_KM,
    MAX_QUERY_LENGTH,
    MAX_RADIUS_KM,
    near_place,
    near_place_refusal,
)
from machinery_map.models import Equipment, EquipmentType, ManufacturingProcess
from machinery_map.selectors import FilterChoices, MapFilters
from makeworks.lib.geo import Near

MAX_PAGE = 10_000


class MapFilterForm(forms.Form):
    """The map's query string. Unknown values are errors the page names, never silently ignored."""

    type = forms.ChoiceField(label=gettext_lazy("Machine"), required=False)
    process = forms.ChoiceField(label=gettext_lazy("Process"), required=False)
    material = forms.ChoiceField(label=gettext_lazy("Material"), required=False)
    access = forms.MultipleChoiceField(
        label=gettext_lazy("Access"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_bed = forms.IntegerField(
        label=gettext_lazy("Bed at least (mm)"), required=False, min_value=1, max_value=100_000
    )
    min_volume = forms.DecimalField(
        label=gettext_lazy("Build volume at least (litres)"),
        required=False,
        min_value=Decimal("0.001"),
        max_value=Decimal(1_000_000),
        decimal_places=3,
    )
    near = forms.CharField(
        label=gettext_lazy("Near"), required=False, max_length=MAX_QUERY_LENGTH, widget=PlaceInput()
    )
    radius = forms.FloatField(
        label=gettext_lazy("Within (km)"), required=False, min_value=0.1, max_value=MAX_RADIUS_KM
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self._choose("type", [("", _("Any machine")), *choices.equipment_types])
        self._choose("process", [("", _("Any process")), *choices.processes])
        self._choose("material", [("", _("Any material")), *choices.materials])
        self._choose("access", choices.access)

    def _choose(self, name: str, options: list[tuple[str, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = options

    def clean_near(self) -> str:
        return " ".join(str(self.cleaned_data.get("near") or "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("near") or ""
        cleaned["near_place"] = None
        if text:
            place = near_place(text, cleaned.get("radius") or DEFAULT_RADIUS_KM)
            if place is None:
                self.add_error("near", near_place_refusal(text))
            cleaned["near_place"] = place
        return cleaned

    def filters(self, *, operational_only: bool = False) -> MapFilters:
        data = self.cleaned_data
        near: Near | None = data.get("near_place")
        return MapFilters(
            equipment_types=(data["type"],) if data.get("type") else (),
            processes=(data["process"],) if data.get("process") else (),
            materials=(data["material"],) if data.get("material") else (),
            min_bed_size_mm=data.get("min_bed"),
            min_build_volume_l=data.get("min_volume"),
            access=tuple(data.get("access") or ()),
            near=near,
            operational_only=operational_only,
            page=data.get("page") or 1,
        )


class CanIMakeForm(forms.Form):
    """ "Can I make this here?": one process or machine type, and a place to measure from."""

    what = forms.ChoiceField(label=gettext_lazy("What do you want to do?"))
    near = forms.CharField(label=gettext_lazy("Near"), max_length=MAX_QUERY_LENGTH, widget=PlaceInput())
    radius = forms.FloatField(
        label=gettext_lazy("Within (km)"), required=False, min_value=0.1, max_value=MAX_RADIUS_KM
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["what"]).choices = [
            ("", _("Choose a process or a machine")),
            (_("Processes"), [(f"process:{slug}", label) for slug, label in choices.processes]),
            (
                _("Machines"),
                [(f"type:{slug}", label.lstrip("— ")) for slug, label in choices.equipment_types],
            ),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = " ".join(str(cleaned.get("near") or "").split())
        if text:
            place = near_place(text, cleaned.get("radius") or DEFAULT_RADIUS_KM)
            if place is None:
                self.add_error("near", near_place_refusal(text))
            cleaned["near_place"] = place
        return cleaned

    def filters(self) -> MapFilters:
        kind, _colon, slug = self.cleaned_data["what"].partition(":")
        return MapFilters(
            equipment_types=(slug,) if kind == "type" else (),
            processes=(slug,) if kind == "process" else (),
            near=self.cleaned_data["near_place"],
            operational_only=True,
            page=self.cleaned_data.get("page") or 1,
        )


class BadgeClassChoiceField(forms.ModelMultipleChoiceField):
    """Badge classes named with their issuer, as several hubs may call theirs "Laser safety"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.issuer.name})"


class EquipmentForm(forms.ModelForm):
    equipment_type = forms.ModelChoiceField(
        label=gettext_lazy("Type"), queryset=EquipmentType.objects.order_by("name")
    )
    processes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Manufacturing processes"),
        queryset=ManufacturingProcess.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("Leave empty for the usual processes of its type."),
        widget=forms.CheckboxSelectMultiple,
    )
    materials = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Materials worked"),
        queryset=Term.objects.filter(vocabulary=Vocabulary.MATERIAL).order_by("name"),
        required=False,
    )
    booking_url = forms.URLField(label=gettext_lazy("Booking link"), required=False, assume_scheme="https")
    required_badge_classes = BadgeClassChoiceField(
        label=gettext_lazy("Required badges"),
        queryset=BadgeClass.objects.select_related("issuer").order_by("issuer__name", "name"),
        required=False,
        help_text=gettext_lazy("Badges a person must hold, or an endorsed equivalent, to use this machine."),
    )

    class Meta:
        model = Equipment
        fields = [
            "equipment_type", "make", "model", "serial_number", "quantity", "condition", "status",
            "processes", "materials", "bed_size_mm", "build_volume_mm3", "x_travel_mm", "y_travel_mm",
            "z_travel_mm", "laser_power_w", "spindle_speed_rpm", "nozzle_size_mm", "axes", "power_rating_w",
            "access", "booking_url", "notes", "photo", "required_badge_classes",
        ]  # fmt: skip

    def service_arguments(self) -> dict[str, Any]:
        """What equipment_create and equipment_update take, from the cleaned form."""
        data = dict(self.cleaned_data)
        equipment_type = data.pop("equipment_type")
        processes = list(data.pop("processes")) or list(equipment_type.processes.all())
        arguments = {
            "equipment_type": equipment_type,
            "processes": processes,
            "materials": list(data.pop("materials")),
            "required_badge_classes": list(data.pop("required_badge_classes")),
        }
        photo = data.pop("photo")
        # ClearableFileInput gives False when "clear" is ticked, None when nothing was chosen.
        if photo is False:
            arguments["photo"] = ""
        elif photo is not None:
            arguments["photo"] = photo
        return arguments | data
