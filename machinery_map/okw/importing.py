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

from directory.models import ChangeAction, Listing, ListingKind, ListingStatus
from directory.services import listing_create, listing_indexing_batched, listing_update
from machinery_map import services
from machinery_map.models import Equipment, OkwFacility, OkwIdentity
from machinery_map.okw.keeping import FACILITY_GROUPS, MACHINE_GROUPS, extras, merged_record
from machinery_map.okw.machines import MachinePlan, machine_key, model_field
from machinery_map.okw.planning import (
    FACILITY_LOOKUP_CHUNK,
    FacilityPlan,
    ImportNote,
    OkwImportReport,
    Taxonomies,
    facility_plan,
    okw_facility_of,
)
from machinery_map.okw.reading import MAX_FILE_BYTES, OkwFileError, SourceRecord, parse_file, source_files
from machinery_map.okw.values import equipment_values, facility_values, machine_values


class _Run:
    """What one import knows beyond its plans: the facilities earlier imports left under each identity,
    and the identities this run has handed out."""

    def __init__(self, plans: list[FacilityPlan], actor: User | None, report: OkwImportReport) -> None:
        self.actor, self.report = actor, report
        keys = [key for plan in plans for key in plan.keys]
        self.owners: dict[str, OkwFacility] = {}
        for start in range(0, len(keys), FACILITY_LOOKUP_CHUNK):
            chunk = keys[start : start + FACILITY_LOOKUP_CHUNK]
            for identity in OkwIdentity.objects.filter(key__in=chunk).select_related("facility__listing"):
                self.owners[identity.key] = identity.facility
        self.claimed: set[str] = set()

    def found(self, plan: FacilityPlan) -> tuple[Listing | None, OkwFacility | None]:
        """The hub (and its OKW facility) the plan is about: by any of its identities, else ours."""
        for key in plan.keys:
            if key in self.owners:
                return self.owners[key].listing, self.owners[key]
        if plan.own_hub is not None:
            return plan.own_hub, okw_facility_of(plan.own_hub)
        return None, None


def _link_urls(links: Any) -> list[str]:
    return [str(link.get("url", "")) if isinstance(link, dict) else str(link) for link in links or []]


def _listing_changes(listing: Listing, fields: dict[str, Any]) -> dict[str, Any]:
    """The planned fields that differ from the listing's. Social links are compared by address: OKW has
    no labels, so the same addresses read back leave the listing's labelled links as they are."""
    changes = {}
    for name, value in fields.items():
        current = getattr(listing, name)
        if name == "social_links":
            differs = _link_urls(current) != _link_urls(value)
        else:
            differs = str(current or "") != str(value or "")
        if differs:
            changes[name] = value
    return changes


def _facility_write(plan: FacilityPlan, *, run: _Run) -> None:
    """Create or update the plan's hub, its OKW facility, identities and machines."""
    listing, facility = run.found(plan)
    created = listing is None
    changed = False
    if listing is None:
        listing = listing_create(
            kind=ListingKind.MAKERSPACE,
            status=ListingStatus.PUBLISHED,
            actor=run.actor,
            action=ChangeAction.IMPORTED,
            **plan.listing_fields,
        )
    elif changes := _listing_changes(listing, plan.listing_fields):
        listing_update(listing=listing, actor=run.actor, action=ChangeAction.IMPORTED, **changes)
        changed = True
    facility = facility or OkwFacility(listing=listing)
    changed = _okw_facility_write(plan, listing=listing, facility=facility) or changed
    # A new identity is bookkeeping, not a change anyone would see: it is not counted as one.
    _identities_write(plan, facility=facility, run=run)
    if plan.machines is not None:
        changed = _machines_write(plan.machines, listing=listing, created=created, run=run) or changed
    if created:
        run.report.created += 1
    elif changed:
        run.report.updated += 1
    else:
        run.report.unchanged += 1


def _okw_facility_write(plan: FacilityPlan, *, listing: Listing, facility: OkwFacility) -> bool:
    is_new = facility.pk is None
    names = ("facility_status", "access_type", "typical_batch_size", "properties", "imported_values")
    before = tuple(getattr(facility, name) for name in names)
    for name, value in plan.facility_fields.items():
        setattr(facility, name, value)
    linked = [] if is_new else list(facility.processes.all())
    processes = plan.facility_processes if plan.facility_processes is not None else linked
    values = facility_values(listing, facility, processes)
    facility.properties = merged_record(
        facility.properties, plan.kept, FACILITY_GROUPS, then=facility.imported_values, values=values
    )
    facility.imported_values = values
    if is_new or before != tuple(getattr(facility, name) for name in names):
        facility.full_clean(exclude=["listing"])
        facility.save()
    processes_changed = {process.pk for process in linked} != {process.pk for process in processes}
    if processes_changed:
        facility.processes.set(processes)
    # Counted as a change only what the export would show differently; the kept words of fields whose
    # values did not change, and the bookkeeping, are not.
    visible = before[:3] != tuple(getattr(facility, name) for name in names[:3])
    return (
        visible
        or processes_changed
        or extras(before[3], FACILITY_GROUPS) != extras(facility.properties, FACILITY_GROUPS)
    )


def _identities_write(plan: FacilityPlan, *, facility: OkwFacility, run: _Run) -> None:
    """Add the identities the facility does not have yet; one another facility holds stays with it."""
    new = [key for key in plan.keys if key not in run.owners and key not in run.claimed]
    run.claimed.update(new)
    OkwIdentity.objects.bulk_create([OkwIdentity(facility=facility, key=key) for key in new])
    for key in plan.keys:
        owner = run.owners.get(key)
        if owner is not None and owner.pk != facility.pk:
            run.report.notes.append(
                ImportNote(
                    plan.record.label,
                    _("the id %(key)s already names another hub, %(hub)s; it stays with that one.")
                    % {"key": key.removeprefix("id:"), "hub": owner.listing.name},
                )
            )


def _machines_by_key(listing: Listing, created: bool) -> dict[str, Equipment]:
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
    return existing


def _machine_create(machine: MachinePlan, *, listing: Listing, run: _Run) -> None:
    names = services.EQUIPMENT_FIELDS - {"photo", "okw_properties", "okw_imported_values"}
    fields = {name: model_field(name).get_default() for name in names} | machine.fields
    processes = machine.processes
    if processes is None:
        processes = list(machine.equipment_type.processes.all())
    services.equipment_create(
        hub=listing,
        equipment_type=machine.equipment_type,
        processes=processes,
        materials=machine.materials or [],
        required_badge_classes=machine.required_badges or [],
        actor=run.actor,
        okw_properties=machine.kept,
        okw_imported_values=machine_values(
            equipment_type=machine.equipment_type,
            fields=fields,
            processes=processes,
            materials=machine.materials or [],
            badges=machine.required_badges or [],
        ),
        **machine.fields,
    )
    run.report.machines_created += 1


def _machine_update(machine: MachinePlan, *, current: Equipment, run: _Run) -> bool:
    """Update a machine with what the record gives; False when that changes nothing."""
    now = equipment_values(current)
    names = services.EQUIPMENT_FIELDS - {"photo", "okw_properties", "okw_imported_values"}
    fields = {name: getattr(current, name) for name in names | {"photo"}} | machine.fields
    processes = machine.processes if machine.processes is not None else list(current.processes.all())
    materials = machine.materials if machine.materials is not None else list(current.materials.all())
    badges = machine.required_badges
    badges = badges if badges is not None else list(current.required_badge_classes.all())
    values = machine_values(
        equipment_type=machine.equipment_type,
        fields=fields,
        processes=processes,
        materials=materials,
        badges=badges,
    )
    kept = merged_record(
        current.okw_properties, machine.kept, MACHINE_GROUPS, then=current.okw_imported_values, values=values
    )
    if values == now and extras(kept, MACHINE_GROUPS) == extras(current.okw_properties, MACHINE_GROUPS):
        # Nothing a reader of the export would see: the kept words (and what they were read as) stay, and
        # a machine added here by hand stays so (no import key), never removed by a later import.
        run.report.machines_unchanged += 1
        return False
    services.equipment_update(
        equipment=current,
        equipment_type=machine.equipment_type,
        processes=machine.processes,
        materials=machine.materials,
        required_badge_classes=machine.required_badges,
        actor=run.actor,
        okw_properties=kept,
        okw_imported_values=values,
        **machine.fields,
    )
    run.report.machines_updated += 1
    return True


def _machines_write(machines: list[MachinePlan], *, listing: Listing, created: bool, run: _Run) -> bool:
    existing = _machines_by_key(listing, created)
    changed = False
    seen: set[int] = set()
    for machine in machines:
        current = existing.get(machine.key)
        if current is None:
            _machine_create(machine, listing=listing, run=run)
            changed = True
            continue
        seen.add(current.pk)
        changed = _machine_update(machine, current=current, run=run) or changed
    for equipment in existing.values():
        # Machines people added by hand stay; those an earlier import brought go when the source drops them.
        if equipment.pk not in seen and equipment.import_key:
            services.equipment_delete(equipment=equipment, actor=run.actor)
            run.report.machines_removed += 1
            changed = True
    return changed


def _validation_text(error: ValidationError) -> str:
    """The messages with the fields they are about, where Django says which."""
    if not hasattr(error, "error_dict"):
        return "; ".join(error.messages)
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())


def _read(file: Path) -> bytes:
    try:
        # Refused before it is read, so a huge file costs no memory.
        if file.stat().st_size > MAX_FILE_BYTES:
            raise OkwFileError(
                _("%(file)s is larger than %(limit)d MB.") % {"file": file, "limit": MAX_FILE_BYTES // 2**20}
            )
        return file.read_bytes()
    except OSError as error:
        raise OkwFileError(
            _("Cannot read %(file)s: %(error)s.") % {"file": file, "error": error.strerror}
        ) from None


def okw_plan(*, path: Path | str, report: OkwImportReport) -> list[FacilityPlan]:
    """Read and check every record of the file or directory at `path`, writing nothing: the plans of the
    records that can become hubs; the others are in the report with their reasons."""
    records: list[SourceRecord] = []
    files = source_files(Path(path))
    for file in files:
        records += parse_file(str(file), _read(file))
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


def okw_import(*, path: Path | str, actor: User | None = None, dry_run: bool = False) -> OkwImportReport:
    """Import the OKW file at `path`, or every JSON and YAML file of a directory, in one transaction.
    Raises OkwFileError, having written nothing, when a file or a field is malformed; a dry run plans and
    writes exactly as a real run, then rolls everything back, so it reports the same counts."""
    report = OkwImportReport(dry_run=dry_run)
    plans = okw_plan(path=path, report=report)
    with transaction.atomic():
        # The listings are indexed for search once, together, rather than one by one as each is written.
        with listing_indexing_batched():
            run = _Run(plans, actor, report)
            for plan in plans:
                try:
                    _facility_write(plan, run=run)
                except ValidationError as error:
                    raise OkwFileError(
                        _("%(where)s could not be written, so nothing was imported: %(error)s")
                        % {"where": plan.record.label, "error": _validation_text(error)}
                    ) from None
        if dry_run:
            transaction.set_rollback(True)
    return report
