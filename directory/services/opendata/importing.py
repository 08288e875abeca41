"""Import: listings from a CSV file laid out as the export is, checked whole before anything is written."""

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import (
    ChangeAction,
    Listing,
    ListingStatus,
    Node,
    Term,
    Vocabulary,
)
from directory.services.listings import listing_create, listing_update
from directory.services.opendata.formats import (
    EXPORT_COLUMNS,
    FALSE_WORDS,
    IMPORT_COLUMNS,
    LIST_CHOICES,
    LIST_COLUMNS,
    REQUIRED_COLUMNS,
    TERM_COLUMNS,
    TEXT_COLUMNS,
    TRUE_WORDS,
    list_split,
)
from directory.services.places import place_listing
from makeworks.lib.spreadsheet import cell_restore


class ImportProblem(NamedTuple):
    """Why a row (or the file) cannot be imported; `line` counts from 1, the header being line 1."""

    line: int
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    skip_invalid: bool
    created: int = 0
    updated: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    # False when the file as a whole could not be read (encoding, header): then no row was checked.
    readable: bool = True
    written: bool = False

    @property
    def invalid_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.errors})

    @property
    def skipped(self) -> int:
        return len(self.invalid_lines) if self.skip_invalid and self.readable else 0

    @property
    def writable(self) -> bool:
        """Whether the import writes (or, in a dry run, would write) anything."""
        if not self.readable or (self.errors and not self.skip_invalid):
            return False
        return self.created + self.updated > 0

    @property
    def summary(self) -> str:
        skipped = ""
        lines = {"count": self.skipped, "lines": ", ".join(map(str, self.invalid_lines))}
        if self.skipped and self.written:
            skipped = (
                ngettext(
                    "; %(count)d invalid row skipped (line %(lines)s)",
                    "; %(count)d invalid rows skipped (lines %(lines)s)",
                    self.skipped,
                )
                % lines
            )
        elif self.skipped:
            skipped = (
                ngettext(
                    "; %(count)d invalid row to skip (line %(lines)s)",
                    "; %(count)d invalid rows to skip (lines %(lines)s)",
                    self.skipped,
                )
                % lines
            )
        counts = {"created": self.created, "updated": self.updated, "skipped": skipped}
        if self.written:
            return _("Imported: %(created)d created, %(updated)d updated%(skipped)s.") % counts
        if not self.readable:
            return _("Nothing was imported: the file cannot be read.")
        if self.errors and not self.skip_invalid:
            return ngettext(
                "Nothing was imported: %(count)d row has errors. Fix it, or skip invalid rows.",
                "Nothing was imported: %(count)d rows have errors. Fix them, or skip invalid rows.",
                len(self.invalid_lines),
            ) % {"count": len(self.invalid_lines)}
        if not self.writable:
            return _("Nothing was imported: no row is valid.")
        if self.dry_run:
            return (
                _("Checked, nothing written yet: %(created)d to create, %(updated)d to update%(skipped)s.")
                % counts
            )
        return _("Nothing was imported.")


@dataclass
class _PlannedRow:
    """A checked row: the fields to write and, for an update, which listing they go to."""

    line: int
    listing_pk: int | None
    fields: dict[str, Any]
    terms: list[Term] | None


def _text_decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    # utf-8-sig also accepts a file without the byte-order mark that Excel puts at the start.
    return data.decode("utf-8-sig")


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    if len(header) == 1 and ";" in header[0]:
        problems.append(
            _("The columns are separated by semicolons; save the file with commas between columns.")
        )
        return problems
    duplicated = sorted(column for column, count in Counter(header).items() if count > 1)
    if duplicated:
        problems.append(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )
    unknown = [column for column in header if column not in IMPORT_COLUMNS]
    if unknown:
        problems.append(
            _("Unknown columns: %(unknown)s. The columns are: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join((*EXPORT_COLUMNS, "status"))}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return problems


@dataclass
class _ImportContext:
    node: Node
    terms: dict[tuple[str, str], Term]
    # The first line each key was seen on, so a file naming one listing twice is caught.
    external_id_lines: dict[str, int] = field(default_factory=dict)
    slug_lines: dict[str, int] = field(default_factory=dict)
    listing_lines: dict[int, int] = field(default_factory=dict)


class _RowProblems:
    """What is wrong with one row, each message naming its column; `columns` are the columns at fault."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.columns: set[str] = set()

    def add(self, column: str, message: str) -> None:
        self.columns.add(column)
        if column == NON_FIELD_ERRORS:
            self.messages.append(message)
        else:
            self.messages.append(_("%(column)s: %(message)s") % {"column": column, "message": message})


def _number_parse(text: str, *, column: str, whole: bool, problems: _RowProblems) -> float | int | None:
    text = text.strip()
    if not text:
        return None
    try:
        number = int(text) if whole else float(text)
    except ValueError:
        message = _("“%(value)s” is not a whole number.") if whole else _("“%(value)s” is not a number.")
        problems.add(column, message % {"value": text})
        return None
    if not math.isfinite(number):
        problems.add(column, _("“%(value)s” is not a number.") % {"value": text})
        return None
    return number


def _row_fields(cells: dict[str, str], *, context: _ImportContext, problems: _RowProblems) -> dict[str, Any]:
    """The listing fields a row sets, parsed from its cells; columns the file lacks are left out."""
    fields: dict[str, Any] = {column: cells[column] for column in TEXT_COLUMNS if column in cells}
    for column in ("kind", "team_size"):
        if column in fields:
            fields[column] = fields[column].strip()
    if "country" in fields:
        fields["country"] = fields["country"].strip().upper()
    for column, whole in (("latitude", False), ("longitude", False), ("year_founded", True)):
        if column in cells:
            number = _number_parse(cells[column], column=column, whole=whole, problems=problems)
            if number is not None or not cells[column].strip():
                fields[column] = number
    for column in LIST_COLUMNS:
        if column in cells:
            items = list_split(cells[column])
            allowed = LIST_CHOICES.get(column)
            unknown = [item for item in items if allowed is not None and item not in allowed]
            if unknown:
                message = _("“%(items)s” not among %(allowed)s.") % {
                    "items": "”, “".join(unknown),
                    "allowed": ", ".join(sorted(allowed or ())),
                }
                problems.add(column, message)
            fields[column] = items
    if "verified" in cells:
        word = cells["verified"].strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            message = _("“%(value)s” is neither true nor false.") % {"value": cells["verified"]}
            problems.add("verified", message)
        fields["verified"] = word in TRUE_WORDS
    status = cells.get("status", "").strip().lower() or ListingStatus.PUBLISHED
    if status not in ListingStatus.values:
        message = _("“%(value)s” is neither published nor draft.") % {"value": cells["status"]}
        problems.add("status", message)
    fields["status"] = status
    node_slug = cells.get("node", "").strip()
    if node_slug and node_slug != context.node.slug:
        message = _("this row is for node “%(row_node)s”, but the import is into “%(node)s”.") % {
            "row_node": node_slug,
            "node": context.node.slug,
        }
        problems.add("node", message)
    return fields


def _row_terms(
    cells: dict[str, str], *, context: _ImportContext, problems: _RowProblems
) -> dict[str, list[Term]]:
    """The terms named in the row's term columns, by vocabulary; only for the columns the file has."""
    terms: dict[str, list[Term]] = {}
    for column, vocabulary in TERM_COLUMNS.items():
        if column not in cells:
            continue
        terms[vocabulary] = []
        for slug in list_split(cells[column]):
            term = context.terms.get((vocabulary, slug))
            if term is None:
                message = _("no %(vocabulary)s has the slug “%(slug)s”.") % {
                    "vocabulary": Vocabulary(vocabulary).label.lower(),
                    "slug": slug,
                }
                problems.add(column, message)
            else:
                terms[vocabulary].append(term)
    return terms


def _row_match(
    *, line: int, external_id: str, slug: str, context: _ImportContext, problems: _RowProblems
) -> Listing | None:
    """The listing this row updates: the one with its external id if it has one, else with its slug."""
    for key, value, seen in (
        ("external_id", external_id, context.external_id_lines),
        ("slug", slug, context.slug_lines),
    ):
        if value and seen.setdefault(value, line) != line:
            message = _("“%(value)s” is also on line %(line)d.") % {"value": value, "line": seen[value]}
            problems.add(key, message)
    if external_id:
        existing = Listing.objects.select_related("node").filter(external_id=external_id).first()
    elif slug:
        existing = Listing.objects.select_related("node").filter(slug=slug).first()
    else:
        return None
    if existing is None:
        taken = Listing.objects.filter(slug=slug).first() if slug else None
        if taken is not None:
            message = _(
                "“%(slug)s” is the slug of “%(name)s”, which has another external id; "
                "change the slug or leave it empty."
            ) % {"slug": slug, "name": taken.name}
            problems.add("slug", message)
        return None
    if existing.node_id != context.node.pk:
        message = _("matches “%(name)s”, which is in %(node)s; import it into that node.") % {
            "name": existing.name,
            "node": existing.node.slug if existing.node else _("no node"),
        }
        problems.add("external_id" if external_id else "slug", message)
    if slug and slug != existing.slug:
        message = _("the listing with this external id has the slug “%(slug)s”; an import cannot change it.")
        problems.add("slug", message % {"slug": existing.slug})
    earlier = context.listing_lines.setdefault(existing.pk, line)
    if earlier != line:
        message = _("This row and line %(line)d are the same listing.") % {"line": earlier}
        problems.add(NON_FIELD_ERRORS, message)
    return existing


def _row_plan(
    *, line: int, cells: dict[str, str], context: _ImportContext
) -> tuple[_PlannedRow | None, list[str]]:
    """Check one row; the plan is None and the problems say why when the row cannot be imported."""
    cells = {column: cell_restore(cell) for column, cell in cells.items()}
    problems = _RowProblems()
    fields = _row_fields(cells, context=context, problems=problems)
    terms = _row_terms(cells, context=context, problems=problems)
    external_id = cells.get("external_id", "")
    slug = cells.get("slug", "").strip()
    existing = _row_match(line=line, external_id=external_id, slug=slug, context=context, problems=problems)
    if existing is not None:
        term_list = None
        if terms:
            kept = [term for term in existing.terms.all() if term.vocabulary not in terms]
            term_list = kept + [term for chosen in terms.values() for term in chosen]
        candidate = existing
        for name, value in fields.items():
            setattr(candidate, name, value)
    else:
        term_list = [term for chosen in terms.values() for term in chosen]
        fields.update(node=context.node, slug=slug, external_id=external_id)
        candidate = Listing(**fields)
    # Columns found wrong already are not checked twice; a new row without a slug gets one when written.
    exclude = problems.columns | ({"slug"} if not candidate.slug else set())
    for check in (
        # A town without coordinates must be one the gazetteer places, as the write will require.
        lambda: place_listing(listing=candidate),
        # Matching settled whether the slug and external id are free, so those queries are not repeated.
        lambda: candidate.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False),
    ):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    problems.add(name, message)
    if problems.messages:
        return None, problems.messages
    return _PlannedRow(line, existing.pk if existing else None, fields, term_list), []


def _file_problem(report: ImportReport, line: int, message: str) -> list[_PlannedRow]:
    report.readable = False
    report.errors.append(ImportProblem(line, message))
    return []


def _rows_plan(*, data: bytes | str, node: Node, report: ImportReport) -> list[_PlannedRow]:
    """Read and check every row, recording problems in the report; the plans of the valid rows."""
    try:
        text = _text_decode(data)
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        message = _(
            "The file is not UTF-8 text: line %(line)d has a character in another encoding. "
            "Save it as “CSV UTF-8” and try again."
        )
        return _file_problem(report, line, message % {"line": line})
    if not text.strip():
        message = _("The file is empty: it needs a header row naming the columns, then one row per listing.")
        return _file_problem(report, 1, message)
    if "\x00" in text:
        # Binary files (a spreadsheet's own format, say) can decode as UTF-8 but hold NUL bytes.
        line = text[: text.index("\x00")].count("\n") + 1
        message = _(
            "Line %(line)d holds a NUL character, so this is not a CSV text file. Save it as “CSV UTF-8”."
        )
        return _file_problem(report, line, message % {"line": line})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
        header_problems = _header_problems(header)
        if header_problems:
            return _file_problem(report, 1, " ".join(header_problems))
        context = _ImportContext(node=node, terms={(t.vocabulary, t.slug): t for t in Term.objects.all()})
        plans: list[_PlannedRow] = []
        rows_seen = 0
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows_seen += 1
                if len(row) != len(header):
                    message = _("This row has %(cells)d cells, but the header names %(columns)d columns.")
                    problem = message % {"cells": len(row), "columns": len(header)}
                    report.errors.append(ImportProblem(line, problem))
                else:
                    plan, problems = _row_plan(
                        line=line, cells=dict(zip(header, row, strict=True)), context=context
                    )
                    report.errors.extend(ImportProblem(line, problem) for problem in problems)
                    if plan is not None:
                        plans.append(plan)
            line = reader.line_num + 1
    except csv.Error as error:
        return _file_problem(
            report, reader.line_num, _("The file is not valid CSV: %(error)s.") % {"error": error}
        )
    if not rows_seen:
        return _file_problem(report, 2, _("The file has a header but no listings."))
    return plans


def _plan_write(plan: _PlannedRow, *, actor: User | None) -> None:
    if plan.listing_pk is None:
        listing_create(terms=plan.terms or (), actor=actor, action=ChangeAction.IMPORTED, **plan.fields)
    else:
        listing = Listing.objects.get(pk=plan.listing_pk)
        listing_update(listing=listing, terms=plan.terms, actor=actor, **plan.fields)


def listings_import(
    *,
    data: bytes | str,
    node: Node,
    actor: User | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import a CSV file's listings into `node`. Every row is checked first; then either all rows are
    written in one transaction, or, with `skip_invalid`, the valid ones; with errors otherwise, or in a
    dry run, nothing is. The report lists each problem with its line."""
    report = ImportReport(dry_run=dry_run, skip_invalid=skip_invalid)
    plans = _rows_plan(data=data, node=node, report=report)
    report.created = sum(1 for plan in plans if plan.listing_pk is None)
    report.updated = len(plans) - report.created
    if dry_run or not report.writable:
        return report
    line = 0
    try:
        with transaction.atomic():
            for plan in plans:
                line = plan.line
                _plan_write(plan, actor=actor)
    except (ValidationError, IntegrityError) as error:
        # Checked rows fail only when the catalogue changed meanwhile; the transaction undid every write.
        message = _("This row could not be written, so nothing was imported: %(error)s") % {
            "error": "; ".join(error.messages) if isinstance(error, ValidationError) else error
        }
        report.errors.append(ImportProblem(line, message))
        return report
    report.written = True
    return report
