"""Planning the machines of an Open Know-Where record: each is checked, cleaned and mapped onto the
taxonomies. A machine whose type the taxonomy lacks is kept as an "other" machine, with the type the
source named, rather than dropped; a property the record leaves out is not planned, so it never erases
what the hub already holds."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from badges.models import BadgeClass
from directory.models import Term, Vocabulary
from machinery_map.matching import Lookup, fold_name
from machinery_map.models import Equipment, EquipmentType, ManufacturingProcess
from machinery_map.okw.cleaning import Problems, as_list, as_object, clean_text, number, url, whole
from machinery_map.okw.fields import EQUIPMENT_INTEGERS, EQUIPMENT_TEXTS, OKW_TO_ACCESS, STATUS_WORDS
from machinery_map.okw.keeping import kept_record
from machinery_map.okw.report import ImportNote
from machinery_map.taxonomy import OTHER_TYPE

Named = TypeVar("Named", EquipmentType, ManufacturingProcess)


def _fill(lookup: Lookup[Named], items: list[Named]) -> None:
    # Wikipedia URLs first, then names, then aliases: an alias never shadows another entry's own name.
    for item in items:
        lookup.add(item, item.wikipedia_url)
    for item in items:
        lookup.add(item, item.name, item.slug)
    for item in items:
        lookup.add(item, *item.aliases)


class Taxonomies:
    """The lookups, loaded once per run."""

    def __init__(self) -> None:
        types = list(EquipmentType.objects.prefetch_related("processes").order_by("parent_id", "id"))
        processes = list(ManufacturingProcess.objects.order_by("id"))
        materials = list(Term.objects.filter(vocabulary=Vocabulary.MATERIAL).order_by("parent_id", "id"))
        # Seeded by migration 0004; without it, a machine of an unknown type is skipped as it used to be.
        self.other = next((item for item in types if item.slug == OTHER_TYPE), None)
        self.types: Lookup[EquipmentType] = Lookup()
        self.processes: Lookup[ManufacturingProcess] = Lookup()
        self.materials: Lookup[Term] = Lookup()
        _fill(self.types, types)
        _fill(self.processes, processes)
        for term in materials:
            self.materials.add(term, term.wikipedia_url)
        for term in materials:
            self.materials.add(term, term.name, term.slug, term.name_fr)


@dataclass
class MachinePlan:
    equipment_type: EquipmentType
    # The type as the source named it: what tells two "other" machines apart.
    type_text: str
    # None: the record gave none we could map; an existing machine keeps its own, a new one its type's.
    processes: list[ManufacturingProcess] | None
    materials: list[Term] | None  # None: the record does not list materials
    required_badges: list[BadgeClass] | None
    fields: dict[str, Any]  # only what the record gives
    kept: dict[str, Any] = field(default_factory=dict)  # the public record, for machinery_map.okw.keeping
    key: str = ""


def model_field(name: str) -> models.Field:
    return cast(models.Field, Equipment._meta.get_field(name))


def machine_key(
    equipment_type: EquipmentType, fields: dict[str, Any], occurrence: int, type_text: str = ""
) -> str:
    parts = [fold_name(str(fields.get(name) or "")) for name in ("make", "model", "serial_number")]
    kind = equipment_type.slug
    if equipment_type.slug == OTHER_TYPE:
        kind += ":" + fold_name(type_text)
    return f"{kind}|{'|'.join(parts)}#{occurrence}"[:500]


def _badge_classes(urls: list[Any], problems: Problems, where: str) -> list[BadgeClass]:
    public_ids = []
    for value in urls:
        text = str(value)
        path = urlsplit(text).path
        try:
            match = resolve(path) if text.startswith(settings.SITE_URL.rstrip("/") + "/") else None
        except Resolver404:
            match = None
        if match is None or match.view_name != "badges:badge_class":
            problems.note(
                _("%(where)s: the required badge %(url)s is not one of this site's.")
                % {"where": where, "url": text[:100]}
            )
            continue
        public_ids.append(match.kwargs["public_id"])
    found = list(BadgeClass.objects.filter(public_id__in=public_ids))
    if len(found) < len(set(public_ids)):
        problems.note(_("%(where)s: a required badge no longer exists and was left out.") % {"where": where})
    return found


def _given(item: dict[str, Any], *names: str) -> bool:
    return any(item.get(name) is not None for name in names)


def _scalars(item: dict[str, Any], base: str, where: str, problems: Problems) -> dict[str, Any]:
    """The machine's text, number, status, access and booking fields the record gives."""
    fields: dict[str, Any] = {}
    for okw_name, field_name in EQUIPMENT_TEXTS.items():
        if not _given(item, okw_name):
            continue
        path = f"{base}.{okw_name}"
        text = clean_text(item[okw_name], field_path=path, problems=problems, multiline=field_name == "notes")
        limit = model_field(field_name).max_length or 5000
        if len(text) > limit:
            problems.note(
                _("%(where)s: %(field)s cut to %(limit)d characters.")
                % {"where": where, "field": okw_name, "limit": limit}
            )
            text = text[:limit]
        fields[field_name] = text
    for okw_name, field_name in EQUIPMENT_INTEGERS.items():
        if _given(item, okw_name):
            fields[field_name] = whole(item[okw_name], field_path=f"{base}.{okw_name}", problems=problems)
    if "quantity" in fields and fields["quantity"] is None:
        del fields["quantity"]  # an empty quantity means one, the default
    nozzle = number(item.get("nozzle_size"), field_path=f"{base}.nozzle_size", problems=problems)
    if nozzle is not None:
        try:
            fields["nozzle_size_mm"] = Decimal(str(nozzle)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise problems.malformed(f"{base}.nozzle_size", _("expected a size in millimetres.")) from None
    status_text = fold_name(str(item.get("status") or ""))
    if status_text in STATUS_WORDS:
        fields["status"] = STATUS_WORDS[status_text]
    elif status_text:
        problems.note(
            _("%(where)s: status “%(value)s” is unknown; taken as operational.")
            % {"where": where, "value": status_text}
        )
    access = str(item.get("access") or "").strip()
    access_type = fold_name(str(item.get("access_type") or ""))
    if access in {choice.value for choice in OKW_TO_ACCESS.values()}:
        fields["access"] = access
    elif access_type in OKW_TO_ACCESS:
        fields["access"] = OKW_TO_ACCESS[access_type]
    if _given(item, "booking_url"):
        booking = clean_text(item["booking_url"], field_path=f"{base}.booking_url", problems=problems)
        fields["booking_url"] = url(booking, field_name=f"{where} booking link", problems=problems)
    return fields


def _processes(
    item: dict[str, Any], base: str, where: str, taxonomies: Taxonomies, problems: Problems
) -> list[ManufacturingProcess] | None:
    values = as_list(
        item.get("manufacturing_process"), field_path=f"{base}.manufacturing_process", problems=problems
    )
    values += as_list(
        item.get("manufacturing_processes"), field_path=f"{base}.manufacturing_processes", problems=problems
    )
    processes: list[ManufacturingProcess] = []
    for value in values:
        text = clean_text(value, field_path=f"{base}.manufacturing_process", problems=problems)
        process = taxonomies.processes.find(text)
        if process is None:
            problems.note(
                _("%(where)s: the process “%(process)s” is not in the taxonomy; it is kept as written.")
                % {"where": where, "process": text[:100]}
            )
        elif process not in processes:
            processes.append(process)
    return processes or None


def _materials(
    item: dict[str, Any], base: str, taxonomies: Taxonomies, problems: Problems
) -> tuple[list[Term], list[str]]:
    materials: list[Term] = []
    others: list[str] = []
    values = as_list(item.get("materials_worked"), field_path=f"{base}.materials_worked", problems=problems)
    for index, value in enumerate(values):
        material_value = value.get("material_type") if isinstance(value, dict) else value
        text = clean_text(material_value, field_path=f"{base}.materials_worked[{index}]", problems=problems)
        if not text:
            continue
        term = taxonomies.materials.find(text)
        if term is not None and term not in materials:
            materials.append(term)
        elif term is None and text not in others:
            others.append(text[:300])
    return materials, others


def _equipment_type(
    item: dict[str, Any], base: str, where: str, taxonomies: Taxonomies, problems: Problems
) -> tuple[EquipmentType | None, str]:
    type_text = clean_text(item.get("equipment_type"), field_path=f"{base}.equipment_type", problems=problems)
    if not type_text:
        problems.report.machines_skipped.append(
            ImportNote(problems.where, _("%(where)s has no equipment type.") % {"where": where})
        )
        return None, ""
    found = taxonomies.types.find(type_text)
    if found is not None:
        return found, type_text
    other = taxonomies.other
    if other is None:
        reason = _("%(where)s: the equipment type “%(type)s” is not in the taxonomy.")
        problems.report.machines_skipped.append(
            ImportNote(problems.where, reason % {"where": where, "type": type_text[:200]})
        )
        return None, type_text
    problems.note(
        _(
            "%(where)s: the equipment type “%(type)s” is not in the taxonomy; the machine is kept as "
            "“%(other)s”."
        )
        % {"where": where, "type": type_text[:200], "other": other.label}
    )
    return other, type_text


def machine_plan(
    raw: Any, *, position: int, taxonomies: Taxonomies, problems: Problems
) -> MachinePlan | None:
    """Check and map one machine; None (with the reason in the report) when it cannot be one."""
    base = f"equipment[{position}]"
    item = as_object(raw, field_path=base, problems=problems)
    where = _("machine %(position)d") % {"position": position + 1}
    equipment_type, type_text = _equipment_type(item, base, where, taxonomies, problems)
    if equipment_type is None:
        return None
    fields = _scalars(item, base, where, problems)
    materials: list[Term] | None = None
    if _given(item, "materials_worked"):
        materials, fields["other_materials"] = _materials(item, base, taxonomies, problems)
    badges = None
    if _given(item, "required_badges"):
        required = as_list(item["required_badges"], field_path=f"{base}.required_badges", problems=problems)
        badges = _badge_classes(required, problems, where)
    candidate = Equipment(equipment_type=equipment_type, **fields)
    try:
        candidate.clean_fields(exclude=["hub", "equipment_type", "photo"])
    except ValidationError as error:
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        problems.report.machines_skipped.append(ImportNote(problems.where, f"{where}: {reasons}"))
        return None
    return MachinePlan(
        equipment_type=equipment_type,
        type_text=type_text,
        processes=_processes(item, base, where, taxonomies, problems),
        materials=materials,
        required_badges=badges,
        fields=fields,
        kept=kept_record(item),
    )
