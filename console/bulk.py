"""Bulk-issue files: a CSV of awards read and checked row by row before anything is issued.

The file is UTF-8 text (a byte-order mark is fine) with a header row naming its columns:

- `email` (required): the earner's address; each address once per file.
- `name`, `evidence` (a web address), `narrative` (Markdown: how the badge was earned): optional.
- `issued date`: optional, YYYY-MM-DD, not in the future; empty means the moment the batch is issued.

Each column also answers to the names spreadsheets commonly give it, in English and French (ALIASES:
"E-mail address", "issued_on", "date", "courriel", "date de délivrance"...); case, accents, spaces,
hyphens, underscores and a byte-order mark are ignored. Lines are counted as a text editor counts them,
the header being line 1, so each problem names the line (and the column) to fix.

A file whose problems are only in some rows can still have its other rows issued, if staff choose to:
`BulkFile.valid_awards`. A row whose person already holds the badge is such a problem, so a file sent
again after its bad rows are fixed awards nobody twice.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from badges.models import BadgeClass
from console.selectors import day_start
from makeworks.lib.spreadsheet import FORMULA_STARTS
from passport import selectors as passport_selectors
from passport.services import Award, awards_check

COLUMNS = ("email", "name", "evidence", "narrative", "issued_date")
# The header of the template file offered for download, and how the page names the columns.
HEADER = ("email", "name", "evidence", "narrative", "issued date")
REQUIRED_COLUMNS = ("email",)
# Other names a column goes by, folded as _column_name folds a header cell.
ALIASES = {
    "email": (
        "e_mail", "mail", "email_address", "e_mail_address", "recipient", "recipient_email", "courriel",
        "adresse", "adresse_email", "adresse_e_mail", "adresse_mail", "adresse_courriel",
    ),
    "name": ("full_name", "recipient_name", "earner", "nom", "nom_complet", "prenom_nom", "destinataire"),
    "evidence": ("evidence_url", "url", "link", "preuve", "lien", "justificatif", "url_de_la_preuve"),
    "narrative": ("description", "notes", "note", "recit", "commentaire", "comment"),
    "issued_date": (
        "issued", "issued_on", "date", "issue_date", "date_issued", "awarded", "awarded_on", "earned_on",
        "date_de_delivrance", "delivre_le", "date_d_obtention", "obtenu_le", "date_d_emission",
    ),
}  # fmt: skip
_CANONICAL = {alias: column for column, aliases in ALIASES.items() for alias in (column, *aliases)}
# The cells of a row as the page names them in a problem.
COLUMN_LABELS = dict(zip(COLUMNS, HEADER, strict=True))
# How the awards' fields read as the file's columns.
FIELD_COLUMNS = {
    "recipient_email": "email",
    "recipient_name": "name",
    "evidence_url": "evidence",
    "narrative": "narrative",
    "issued_on": "issued_date",
    "expires": "issued_date",
}
EXAMPLE_ROW = (
    "ada@example.org",
    "Ada Lovelace",
    "https://example.org/work/ada",
    "Cut a two-material job unsupervised",
    "2025-03-14",
)
# A batch is issued within one request, and 10,000 signed awards take a few seconds; larger files are split.
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LineProblem:
    """Why a line of the file cannot be issued; line 1 is the header."""

    line: int
    message: str
    # The column it concerns, as the template names it ("email", "issued date"); empty for the row.
    column: str = ""
    # A problem of the file as a whole (its encoding, its header): no row of it can be issued.
    whole_file: bool = False


@dataclass
class BulkFile:
    """A read file: one award per data row (with the line it came from), and every problem found."""

    awards: list[Award] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Whether every row is valid, so the batch can be issued."""
        return bool(self.awards) and not self.problems

    @property
    def bad_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.problems})

    @property
    def valid_lines(self) -> list[int]:
        """The lines of the rows that can be issued; none when the file as a whole is refused."""
        if any(problem.whole_file for problem in self.problems):
            return []
        bad = set(self.bad_lines)
        return [line for line in self.lines if line not in bad]

    @property
    def valid_awards(self) -> list[Award]:
        valid = set(self.valid_lines)
        return [award for line, award in zip(self.lines, self.awards, strict=True) if line in valid]

    @property
    def partly_ready(self) -> bool:
        """Whether some rows are valid and others not, so staff may choose to issue the valid ones."""
        return bool(self.problems) and bool(self.valid_lines)

    def skipped(self) -> list[dict[str, object]]:
        """The problems of the rows left out, as the batch keeps them."""
        return [{"line": p.line, "column": p.column, "message": str(p.message)} for p in self.problems]


def _column_name(header_cell: str) -> str:
    """The column a header cell names: folded (case, accents, spaces, hyphens, a stray byte-order mark
    ignored), then read through ALIASES; an unknown name is returned folded, to be reported."""
    text = unicodedata.normalize("NFKD", header_cell.replace("\ufeff", "").strip().lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    name = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return _CANONICAL.get(name, name)


def _header_problem(cells: list[str]) -> str:
    header = [_column_name(cell) for cell in cells]
    if len(cells) == 1 and ";" in cells[0]:
        return _("The columns are separated by semicolons; save the file with commas between columns.")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        return _(
            "Unknown columns: %(unknown)s. The columns are: %(columns)s (download the template to see them)."
        ) % {"unknown": ", ".join(unknown), "columns": ", ".join(HEADER)}
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        return _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(duplicated)}
    if "email" not in header:
        return _("The file needs an “email” column.")
    return ""


def _issued_on(text: str, today: date) -> datetime | None:
    """The start of the day a cell names, in the site's time zone; None for an empty cell."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2025-03-14.") % {"value": text}
        ) from None
    if day > today:
        raise ValidationError(
            _("The issued date %(date)s is in the future.") % {"date": day.isoformat()},
        )
    return day_start(day)


def _text(data: bytes) -> str | LineProblem:
    try:
        # utf-8-sig also accepts a file without the byte-order mark that Excel puts at the start.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        return LineProblem(
            line,
            whole_file=True,
            message=_(
                "The file is not UTF-8 text: line %(line)d has a character in another encoding. "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"line": line},
        )
    if "\x00" in text:
        # A spreadsheet's own format can decode as UTF-8 but holds NUL bytes.
        line = text[: text.index("\x00")].count("\n") + 1
        return LineProblem(
            line,
            _("Line %(line)d holds a NUL character, so this is not a CSV text file.") % {"line": line},
            whole_file=True,
        )
    if not text.strip():
        return LineProblem(
            1, _("The file is empty: it needs a header row, then one row per badge."), whole_file=True
        )
    return text


def bulk_file_read(data: bytes) -> BulkFile:
    """Read a bulk-issue file into awards, noting every problem of its format (encoding, header, cell
    counts, dates, addresses given twice) with its line. The awards themselves are checked by
    bulk_file_check."""
    read = BulkFile()
    text = _text(data)
    if isinstance(text, LineProblem):
        read.problems.append(text)
        return read
    # strict: a quote left open would otherwise swallow the rest of the file into one cell, silently.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    today = timezone.localdate()
    first_line_of: dict[str, int] = {}
    try:
        cells = next(reader)
        header = [_column_name(cell) for cell in cells]
        header_problem = _header_problem(cells)
        if header_problem:
            read.problems.append(LineProblem(1, header_problem, whole_file=True))
            return read
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(read.awards) == MAX_ROWS:
                    read.problems.append(
                        LineProblem(
                            line,
                            _("The file has more than %(count)s rows: split it into several uploads.")
                            % {"count": number_format(MAX_ROWS, force_grouping=True)},
                            whole_file=True,
                        )
                    )
                    return read
                _row_read(read, line=line, cells=row, header=header, today=today, first_line_of=first_line_of)
            line = reader.line_num + 1
    except csv.Error as error:
        read.problems.append(
            LineProblem(
                reader.line_num,
                _("The file is not valid CSV: %(error)s.") % {"error": error},
                whole_file=True,
            )
        )
        return read
    if not read.awards and not read.problems:
        read.problems.append(
            LineProblem(2, _("The file has a header but no rows of badges."), whole_file=True)
        )
    return read


def _row_read(
    read: BulkFile,
    *,
    line: int,
    cells: list[str],
    header: list[str],
    today: date,
    first_line_of: dict[str, int],
) -> None:
    if len(cells) != len(header):
        message = _("This row has %(cells)d cells, but the header names %(columns)d columns.")
        read.problems.append(LineProblem(line, message % {"cells": len(cells), "columns": len(header)}))
        return
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    for name, value in values.items():
        if value.startswith(FORMULA_STARTS[:4]) and not (name == "narrative" and value[:1] in "-+"):
            # A spreadsheet would run it as a formula (=HYPERLINK(...)) when the file is opened again.
            message = _(
                "“%(value)s” starts with “%(first)s”, which spreadsheets run as a formula: remove it."
            )
            read.problems.append(
                LineProblem(line, message % {"value": value[:40], "first": value[0]}, COLUMN_LABELS[name])
            )
    email = values["email"]
    issued_on = None
    try:
        issued_on = _issued_on(values.get("issued_date", ""), today)
    except ValidationError as error:
        read.problems.extend(LineProblem(line, message, "issued date") for message in error.messages)
    if email:
        earlier = first_line_of.setdefault(email.lower(), line)
        if earlier != line:
            message = _("%(email)s is also on line %(line)d: each person gets one badge per upload.")
            read.problems.append(LineProblem(line, message % {"email": email, "line": earlier}, "email"))
    read.awards.append(
        Award(
            recipient_email=email,
            recipient_name=values.get("name", ""),
            evidence_url=values.get("evidence", ""),
            narrative=values.get("narrative", ""),
            issued_on=issued_on,
        )
    )
    read.lines.append(line)


def bulk_file_check(
    *, data: bytes, badge_class: BadgeClass, signed: bool, expires: datetime | None
) -> BulkFile:
    """Read a bulk-issue file and check every award as issuing would, writing nothing: the preview.
    Each problem names its line. Raises ValidationError for what concerns the whole batch (no active
    key for a signed batch, an expiry already past)."""
    read = bulk_file_read(data)
    if read.awards:
        problems = awards_check(badge_class=badge_class, awards=read.awards, signed=signed, expires=expires)
        read.problems += [
            LineProblem(
                read.lines[problem.row - 1],
                problem.message,
                COLUMN_LABELS.get(FIELD_COLUMNS.get(problem.field, ""), ""),
            )
            for problem in problems
        ]
        _holders_refused(read, badge_class)
        read.problems.sort(key=lambda problem: problem.line)
    return read


def _holders_refused(read: BulkFile, badge_class: BadgeClass) -> None:
    """A row whose person already holds this badge is a problem: the file was probably sent before."""
    emails = [award.recipient_email for award in read.awards if award.recipient_email]
    holding = passport_selectors.emails_holding(badge_class, emails)
    for line, award in zip(read.lines, read.awards, strict=True):
        if award.recipient_email in holding:
            message = _("%(email)s already holds this badge: it is not issued twice.")
            read.problems.append(LineProblem(line, message % {"email": award.recipient_email}, "email"))


def bulk_template() -> str:
    """The template file staff can download: the header the importer reads, and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerow(EXAMPLE_ROW)
    return buffer.getvalue()
