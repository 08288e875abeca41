"""Bulk-issue files: a CSV of awards read and checked row by row before anything is issued.

The file is UTF-8 text (a byte-order mark is fine) with a header row naming its columns:

- `email` (required): the earner's address; each address once per file.
- `name`, `evidence` (a web address), `narrative` (Markdown: how the badge was earned): optional.
- `issued date` (or `issued_date`): optional, YYYY-MM-DD, not in the future; empty means the moment the
  batch is issued.

Header names ignore case, and spaces or hyphens in them ("E-mail", "Issued date") are read as the names
above. Lines are counted as a text editor counts them, the header being line 1, so each problem names
the line to fix.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from badges.models import BadgeClass
from console.selectors import day_start
from passport.services import Award, awards_check

COLUMNS = ("email", "name", "evidence", "narrative", "issued_date")
REQUIRED_COLUMNS = ("email",)
# A batch is issued within one request, and 10,000 signed awards take a few seconds; larger files are split.
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LineProblem:
    """Why a line of the file cannot be issued; line 1 is the header."""

    line: int
    message: str


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


def _column_name(header_cell: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header_cell.strip().lower())
    return "email" if name == "e_mail" else name


def _header_problem(header: list[str]) -> str:
    if len(header) == 1 and ";" in header[0]:
        return _("The columns are separated by semicolons; save the file with commas between columns.")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        return _("Unknown columns: %(unknown)s. The columns are: %(columns)s.") % {
            "unknown": ", ".join(unknown),
            "columns": "email, name, evidence, narrative, issued date",
        }
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
            _(
                "The file is not UTF-8 text: line %(line)d has a character in another encoding. "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"line": line},
        )
    if "\x00" in text:
        # A spreadsheet's own format can decode as UTF-8 but holds NUL bytes.
        line = text[: text.index("\x00")].count("\n") + 1
        return LineProblem(
            line, _("Line %(line)d holds a NUL character, so this is not a CSV text file.") % {"line": line}
        )
    if not text.strip():
        return LineProblem(1, _("The file is empty: it needs a header row, then one row per badge."))
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
    reader = csv.reader(io.StringIO(text, newline=""))
    today = timezone.localdate()
    first_line_of: dict[str, int] = {}
    try:
        header = [_column_name(cell) for cell in next(reader)]
        header_problem = _header_problem(header)
        if header_problem:
            read.problems.append(LineProblem(1, header_problem))
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
                        )
                    )
                    return read
                _row_read(read, line=line, cells=row, header=header, today=today, first_line_of=first_line_of)
            line = reader.line_num + 1
    except csv.Error as error:
        read.problems.append(
            LineProblem(reader.line_num, _("The file is not valid CSV: %(error)s.") % {"error": error})
        )
        return read
    if not read.awards and not read.problems:
        read.problems.append(LineProblem(2, _("The file has a header but no rows of badges.")))
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
    email = values["email"]
    issued_on = None
    try:
        issued_on = _issued_on(values.get("issued_date", ""), today)
    except ValidationError as error:
        read.problems.extend(LineProblem(line, message) for message in error.messages)
    if email:
        earlier = first_line_of.setdefault(email.lower(), line)
        if earlier != line:
            message = _("%(email)s is also on line %(line)d: each person gets one badge per upload.")
            read.problems.append(LineProblem(line, message % {"email": email, "line": earlier}))
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
        read.problems += [LineProblem(read.lines[problem.row - 1], problem.message) for problem in problems]
        read.problems.sort(key=lambda problem: problem.line)
    return read
