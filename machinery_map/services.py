"""Writes to a hub's equipment. Each function runs in one transaction, checks what it is given and adds a
line to the hub listing's history, so curators see machines come and go with the listing's other edits."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from audit.services import audit_log
from badges.models import BadgeClass
from directory.models import ChangeAction, Listing, Term, Vocabulary
from machinery_map.models import HUB_KINDS, Equipment, EquipmentType, ManufacturingProcess
from makeworks.lib.actors import Actor
from makeworks.lib.images import image_intake, stored_image_reencoded

# Fields a caller may set on a machine; anything else is a programming error, not user input.
EQUIPMENT_FIELDS = {
    "make", "model", "serial_number", "quantity", "condition", "status", "other_materials", "bed_size_mm",
    "build_volume_mm3", "x_travel_mm", "y_travel_mm", "z_travel_mm", "laser_power_w", "spindle_speed_rpm",
    "nozzle_size_mm", "axes", "power_rating_w", "access", "booking_url", "notes", "photo", "okw_properties",
    "import_key", "okw_imported_values",
}  # fmt: skip


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EQUIPMENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown equipment fields: {', '.join(sorted(unknown))}")


def _with_clean_photo(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` with an uploaded photo replaced by its re-encoded copy, so its EXIF (where it was taken, by
    whom) and anything appended to it are never stored; a stored photo or "" (none) pass as they are."""
    photo = fields.get("photo")
    if not isinstance(photo, File) or isinstance(photo, FieldFile):
        return fields
    try:
        clean = image_intake(photo, what=_("The photo"))
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    return {**fields, "photo": clean.as_file()}


def _check_hub(hub: Listing) -> None:
    if hub.kind not in HUB_KINDS:
        raise ValidationError(
            _("Only makerspaces, workshops and fabricators have equipment; %(name)s is a %(kind)s.")
            % {"name": hub.name, "kind": hub.get_kind_display().lower()},
            code="not_a_hub",
        )


def _check_materials(materials: list[Term]) -> None:
    wrong = [term.name for term in materials if term.vocabulary != Vocabulary.MATERIAL]
    if wrong:
        raise ValidationError(
            _("These are not materials: %(names)s.") % {"names": ", ".join(wrong)}, code="not_a_material"
        )


def _history(*, hub: Listing, actor: Actor, before: str | None, after: str | None) -> None:
    audit_log(
        actor=actor,
        action=ChangeAction.UPDATED,
        obj=hub,
        label=hub.name,
        data={"changes": {"equipment": [before, after]}},
    )


@transaction.atomic
def equipment_create(
    *,
    hub: Listing,
    equipment_type: EquipmentType,
    processes: Iterable[ManufacturingProcess] | None = None,
    materials: Iterable[Term] = (),
    required_badge_classes: Iterable[BadgeClass] = (),
    actor: Actor = None,
    **fields: Any,
) -> Equipment:
    """Add a machine to a hub. Without `processes` it gets the usual processes of its type."""
    _check_fields(fields)
    _check_hub(hub)
    fields = _with_clean_photo(fields)
    material_list = list(materials)
    _check_materials(material_list)
    equipment = Equipment(hub=hub, equipment_type=equipment_type, **fields)
    equipment.full_clean()
    equipment.save()
    equipment.processes.set(
        list(processes) if processes is not None else list(equipment_type.processes.all())
    )
    equipment.materials.set(material_list)
    equipment.required_badge_classes.set(list(required_badge_classes))
    _history(hub=hub, actor=actor, before=None, after=equipment.title)
    return equipment


@transaction.atomic
def equipment_update(
    *,
    equipment: Equipment,
    equipment_type: EquipmentType | None = None,
    processes: Iterable[ManufacturingProcess] | None = None,
    materials: Iterable[Term] | None = None,
    required_badge_classes: Iterable[BadgeClass] | None = None,
    actor: Actor = None,
    **fields: Any,
) -> Equipment:
    """Change some fields of a machine; relations given as None stay as they are."""
    _check_fields(fields)
    fields = _with_clean_photo(fields)
    before = equipment.title
    # The stored name: a model form may already have put its upload on `equipment`.
    stored_photo = Equipment.objects.filter(pk=equipment.pk).values_list("photo", flat=True).first()
    if equipment_type is not None:
        equipment.equipment_type = equipment_type
    for field, value in fields.items():
        setattr(equipment, field, value)
    equipment.full_clean()
    equipment.save()
    if processes is not None:
        equipment.processes.set(list(processes))
    if materials is not None:
        material_list = list(materials)
        _check_materials(material_list)
        equipment.materials.set(material_list)
    if required_badge_classes is not None:
        equipment.required_badge_classes.set(list(required_badge_classes))
    _history(hub=equipment.hub, actor=actor, before=before, after=equipment.title)
    if stored_photo and stored_photo != equipment.photo.name:
        # The old file goes once the new one is committed, so a rollback never leaves a row without it.
        storage = equipment.photo.storage
        transaction.on_commit(lambda: storage.delete(stored_photo))
    return equipment


@transaction.atomic
def equipment_photo_reencode(*, equipment: Equipment) -> bool:
    """Replace a machine photo stored as it was uploaded (before every upload was re-encoded, so with its
    EXIF) by its re-encoded copy. False when there is none or it already is one."""
    clean = stored_image_reencoded(equipment.photo, what=_("The photo"))
    if clean is None:
        return False
    storage, original = equipment.photo.storage, str(equipment.photo.name)
    equipment.photo.save(clean.name, clean.as_file(), save=False)
    equipment.save(update_fields=["photo"])
    transaction.on_commit(lambda: storage.delete(original))
    return True


@transaction.atomic
def equipment_delete(*, equipment: Equipment, actor: Actor = None) -> None:
    photo = equipment.photo
    _history(hub=equipment.hub, actor=actor, before=equipment.title, after=None)
    equipment.delete()
    # The file goes only once the row is gone for good, so a rollback never leaves a row without its photo.
    if photo:
        transaction.on_commit(lambda: photo.delete(save=False))
