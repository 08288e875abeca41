"""Writing an Open Know-Where import: the plans of planning.py become hubs and machines, all in one
transaction, or nothing at all on a dry run or an error (the module docstring of planning.py gives the
rules each record follows)."""

from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory import search
from directory.models import ChangeAction, Listing, ListingKind, ListingStatus
from directory.services import listing_create, listing_update
from machinery_map import services
from machinery_map.models import Equipment, ManufacturingProcess, OkwFacility

# Facility properties the planner reads itself; any other is kept on the OKW record and exported again.
from machinery_map.okw.planning import (
    FACILITY_LOOKUP_CHUNK,
    FacilityPlan,
    ImportNote,
    MachinePlan,
    OkwImportReport,
    Taxonomies,
    facility_plan,
    machine_key,
    model_field,
)
from machinery_map.okw.reading import OkwFileError, SourceRecord, parse_file, source_files


def _listing_changed(listing: Listing, fields: dict[str, Any]) -> bool:
    return any(str(getattr(listing, name) or "") != str(value or "") for name, value in fields.items())


def _facility_write(
    plan: FacilityPlan, *, facility: OkwFacility | None, actor: User | None, report: OkwImportReport
) -> None:
    """Create or update the plan's hub; `facility` is the one an earlier import tied to the plan's key."""
    listing = facility.listing if facility is not None else plan.own_hub
    created = listing is None
    changed = False
    if listing is None:
        listing = listing_create(
            kind=ListingKind.MAKERSPACE,
            status=ListingStatus.PUBLISHED,
            actor=actor,
            action=ChangeAction.IMPORTED,
            **plan.listing_fields,
        )
    elif _listing_changed(listing, plan.listing_fields):
        listing_update(listing=listing, actor=actor, action=ChangeAction.IMPORTED, **plan.listing_fields)
        changed = True
    if facility is None:
        existing = None if created else OkwFacility.objects.filter(listing=listing).first()
        facility = existing or OkwFacility(listing=listing)
    is_new_facility = facility.pk is None
    before = (facility.pk, facility.source_key, *(getattr(facility, name) for name in plan.facility_fields))
    facility.source_key = plan.key
    for name, value in plan.facility_fields.items():
        setattr(facility, name, value)
    if before != (facility.pk, facility.source_key, *plan.facility_fields.values()):
        facility.full_clean(exclude=["listing", "source_key"])
        facility.save()
        changed = True
    linked = set() if is_new_facility else set(facility.processes.values_list("id", flat=True))
    if linked != {process.pk for process in plan.facility_processes}:
        facility.processes.set(plan.facility_processes)
        changed = True
    changed = _machines_write(plan, listing=listing, created=created, actor=actor, report=report) or changed
    if created:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _machine_snapshot(equipment: Equipment) -> tuple[Any, ...]:
    return (
        equipment.equipment_type_id,
        *(str(getattr(equipment, name)) for name in sorted(services.EQUIPMENT_FIELDS - {"photo"})),
        frozenset(equipment.processes.values_list("id", flat=True)),
        frozenset(equipment.materials.values_list("id", flat=True)),
        frozenset(equipment.required_badge_classes.values_list("id", flat=True)),
    )


def _machines_write(
    plan: FacilityPlan, *, listing: Listing, created: bool, actor: User | None, report: OkwImportReport
) -> bool:
    existing: dict[str, Equipment] = {}
    occurrences: Counter[str] = Counter()
    # A hub this import has just created has no machines to look up.
    machines = Equipment.objects.none() if created else Equipment.objects.filter(hub=listing)
    for equipment in machines.select_related("equipment_type").order_by("id"):
        if equipment.import_key:
            existing[equipment.import_key] = equipment
            continue
        values = {name: getattr(equipment, name) for name in ("make", "model", "serial_number")}
        base = machine_key(equipment.equipment_type, values, 0)
        existing.setdefault(machine_key(equipment.equipment_type, values, occurrences[base]), equipment)
        occurrences[base] += 1
    changed = False
    seen: set[int] = set()
    for machine in plan.machines:
        current = existing.get(machine.key)
        if current is None:
            services.equipment_create(
                hub=listing,
                equipment_type=machine.equipment_type,
                processes=machine.processes,
                materials=machine.materials,
                required_badge_classes=machine.required_badges,
                actor=actor,
                **machine.fields,
            )
            report.machines_created += 1
            changed = True
            continue
        seen.add(current.pk)
        before = _machine_snapshot(current)
        processes = (
            machine.processes
            if machine.processes is not None
            else list(machine.equipment_type.processes.all())
        )
        if before == _planned_snapshot(machine, processes):
            report.machines_unchanged += 1
            continue
        services.equipment_update(
            equipment=current,
            equipment_type=machine.equipment_type,
            processes=processes,
            materials=machine.materials,
            required_badge_classes=machine.required_badges,
            actor=actor,
            **machine.fields,
        )
        report.machines_updated += 1
        changed = True
    for equipment in existing.values():
        # Machines people added by hand stay; those an earlier import brought go when the source drops them.
        if equipment.pk not in seen and equipment.import_key:
            services.equipment_delete(equipment=equipment, actor=actor)
            report.machines_removed += 1
            changed = True
    return changed


def _planned_snapshot(machine: MachinePlan, processes: list[ManufacturingProcess]) -> tuple[Any, ...]:
    """What a machine would look like after the update, in _machine_snapshot's terms."""
    names = services.EQUIPMENT_FIELDS - {"photo"}
    values = {name: model_field(name).get_default() for name in names} | machine.fields
    return (
        machine.equipment_type.pk,
        *(str(values[name]) for name in sorted(services.EQUIPMENT_FIELDS - {"photo"})),
        frozenset(process.pk for process in processes),
        frozenset(term.pk for term in machine.materials),
        frozenset(badge.pk for badge in machine.required_badges),
    )


def okw_plan(*, path: Path | str, report: OkwImportReport) -> list[FacilityPlan]:
    """Read and check every record of the file or directory at `path`, writing nothing: the plans of the
    records that can become hubs; the others are in the report with their reasons."""
    records: list[SourceRecord] = []
    files = source_files(Path(path))
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise OkwFileError(
                _("Cannot read %(file)s: %(error)s.") % {"file": file, "error": error.strerror}
            ) from None
        records += parse_file(str(file), data)
    report.files, report.records = len(files), len(records)
    taxonomies = Taxonomies()
    plans: list[FacilityPlan] = []
    first_seen: dict[str, str] = {}
    for record in records:
        plan = facility_plan(record, taxonomies=taxonomies, report=report)
        if plan is None:
            continue
        if plan.key in first_seen:
            message = _("it is the same facility as %(other)s.") % {"other": first_seen[plan.key]}
            report.skipped.append(ImportNote(record.label, message))
            continue
        first_seen[plan.key] = record.label
        plans.append(plan)
    return plans


def _facilities_by_key(keys: list[str]) -> dict[str, OkwFacility]:
    """The facilities earlier imports tied to these keys, with their listings, a few queries in all."""
    found: dict[str, OkwFacility] = {}
    for start in range(0, len(keys), FACILITY_LOOKUP_CHUNK):
        chunk = keys[start : start + FACILITY_LOOKUP_CHUNK]
        for facility in OkwFacility.objects.filter(source_key__in=chunk).select_related("listing"):
            found[facility.source_key] = facility
    return found


def okw_import(*, path: Path | str, actor: User | None = None, dry_run: bool = False) -> OkwImportReport:
    """Import the OKW file at `path`, or every JSON and YAML file of a directory, in one transaction.
    Raises OkwFileError, having written nothing, when a file or a field is malformed; a dry run plans and
    writes exactly as a real run, then rolls everything back, so it reports the same counts."""
    report = OkwImportReport(dry_run=dry_run)
    plans = okw_plan(path=path, report=report)
    with transaction.atomic():
        # The listings are indexed for search once, together, rather than one by one as each is written.
        with search.indexing_batched():
            facilities = _facilities_by_key([plan.key for plan in plans])
            for plan in plans:
                try:
                    _facility_write(plan, facility=facilities.get(plan.key), actor=actor, report=report)
                except ValidationError as error:
                    raise OkwFileError(
                        _("%(where)s could not be written, so nothing was imported: %(error)s")
                        % {"where": plan.record.label, "error": "; ".join(error.messages)}
                    ) from None
        if dry_run:
            transaction.set_rollback(True)
    return report
