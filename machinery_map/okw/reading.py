"""Reading Open Know-Where files: JSON or YAML, one facility or many, in the specification's shape or in the
Internet of Production Alliance's OKW v1 relational shape (facility, address, region, location and
geocoding records), with keys in camelCase or snake_case.

A file that cannot be read as such raises OkwFileError naming the file and, where it can, the line or
the field; the importer then writes nothing at all.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from machinery_map.okw.fields import snake_case

SUFFIXES = (".json", ".yaml", ".yml")
MAX_FILE_BYTES = 200 * 1024 * 1024
# A facility is a few levels deep (location.address.street, equipment[0].materialsWorked[0].brand); forty
# leaves room for any producer's extras while keeping every later walk well inside Python's recursion
# limit. The node budget is far above the 2,237-facility IoPA file (about 60,000 values).
MAX_DEPTH = 40
MAX_NODES = 5_000_000


class OkwFileError(ValueError):
    """A file, or a field in it, is malformed; the message names the file and where."""


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases, and no deeper than MAX_DEPTH while it is composed.

    An alias makes one node stand for another, so nine lines can stand for a billion strings ("billion
    laughs"): the parse is quick, every later walk is not. OKW data never needs them, so they are refused
    where they appear, before anything is built."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not accepted", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _path_text(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _check_shape(name: str, loaded: Any) -> None:
    """Refuse data nested deeper than MAX_DEPTH or holding more than MAX_NODES values, naming the field,
    with an explicit stack so that the check itself cannot exhaust the interpreter's."""
    stack: list[tuple[Any, list[str | int]]] = [(loaded, [])]
    nodes = 0
    while stack:
        value, path = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise OkwFileError(
                _("%(file)s holds more than %(limit)d values.") % {"file": name, "limit": MAX_NODES}
            )
        if len(path) > MAX_DEPTH:
            raise OkwFileError(
                _("%(file)s, field %(field)s: nested deeper than %(limit)d levels.")
                % {"file": name, "field": _path_text(path[:8]) + "…", "limit": MAX_DEPTH}
            )
        if isinstance(value, dict):
            stack.extend((item, [*path, str(key)]) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, [*path, index]) for index, item in enumerate(value))


@dataclass(frozen=True)
class SourceRecord:
    """One facility as a file gave it, with every key folded to snake_case."""

    file: str
    position: int  # 1-based, in the order of the file
    data: dict[str, Any]

    @property
    def label(self) -> str:
        name = self.data.get("name")
        where = _("%(file)s, record %(position)d") % {"file": self.file, "position": self.position}
        return f"{where} ({str(name).strip()[:80]})" if isinstance(name, str) and name.strip() else where


def source_files(path: Path) -> list[Path]:
    """The file itself, or the JSON and YAML files of a directory (not its subdirectories), by name."""
    if path.is_dir():
        files = sorted(
            child for child in path.iterdir() if child.is_file() and child.suffix.lower() in SUFFIXES
        )
        if not files:
            raise OkwFileError(_("%(path)s holds no .json, .yaml or .yml file.") % {"path": path})
        return files
    if not path.exists():
        raise OkwFileError(_("%(path)s does not exist.") % {"path": path})
    return [path]


def _snake_keys(value: Any) -> Any:
    # Recursive, but only ever over data _check_shape has bounded to MAX_DEPTH levels.
    if isinstance(value, dict):
        return {snake_case(str(key)): _snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_snake_keys(item) for item in value]
    return value


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OkwFileError(
            _("%(file)s, line %(line)d: not UTF-8 text (byte %(byte)d).")
            % {"file": name, "line": line, "byte": error.start}
        ) from None


def _load(name: str, text: str) -> Any:
    if name.lower().endswith((".yaml", ".yml")):
        try:
            return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader, stricter still
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = _("line %(line)d") % {"line": mark.line + 1} if mark is not None else _("somewhere")
            problem = getattr(error, "problem", None) or str(error)
            raise OkwFileError(
                _("%(file)s, %(where)s: not valid YAML (%(problem)s).")
                % {"file": name, "where": where, "problem": problem}
            ) from None
        except ValueError as error:  # a number too long to convert, for one
            raise OkwFileError(
                _("%(file)s: not valid YAML (%(problem)s).") % {"file": name, "problem": error}
            ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise OkwFileError(
            _("%(file)s, line %(line)d, column %(column)d: not valid JSON (%(problem)s).")
            % {"file": name, "line": error.lineno, "column": error.colno, "problem": error.msg}
        ) from None
    except RecursionError:
        raise OkwFileError(
            _("%(file)s: nested deeper than %(limit)d levels.") % {"file": name, "limit": MAX_DEPTH}
        ) from None
    except ValueError as error:  # a number too long to convert, for one
        raise OkwFileError(
            _("%(file)s: not valid JSON (%(problem)s).") % {"file": name, "problem": error}
        ) from None


def _iopa_record(data: dict[str, Any], where: str) -> dict[str, Any]:
    """IoPA's relational record as the specification's shape, so one planner reads both."""

    def part(key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise OkwFileError(
                _("%(where)s, field %(field)s: expected an object.") % {"where": where, "field": key}
            )
        return value

    facility, address, region, geocoding = (
        part("facility"),
        part("address"),
        part("region"),
        part("geocoding"),
    )
    record: dict[str, Any] = {
        "id": facility.get("facility_id") or facility.get("url"),
        "name": facility.get("name"),
        "description": facility.get("description"),
        "owner": {"website": facility.get("url")},
        "location": {
            "address": {
                "street": address.get("extended"),
                "postcode": address.get("zip_code"),
                "city": region.get("city_town"),
                "region": region.get("state_region"),
                "country": region.get("country"),
            },
            "latitude": geocoding.get("latitude"),
            "longitude": geocoding.get("longitude"),
        },
    }
    return record


def parse_file(name: str, data: bytes) -> list[SourceRecord]:
    """The facilities of one file, in order; OkwFileError when the file is not OKW data we can read."""
    if len(data) > MAX_FILE_BYTES:
        raise OkwFileError(
            _("%(file)s is larger than %(limit)d MB.") % {"file": name, "limit": MAX_FILE_BYTES // 2**20}
        )
    text = _decode(name, data)
    if not text.strip():
        raise OkwFileError(_("%(file)s is empty.") % {"file": name})
    loaded = _load(name, text)
    _check_shape(name, loaded)
    if isinstance(loaded, dict) and "facilities" in loaded:
        items = loaded["facilities"] if loaded["facilities"] is not None else []
        if not isinstance(items, list):
            raise OkwFileError(_("%(file)s, field facilities: expected a list.") % {"file": name})
    elif isinstance(loaded, dict):
        items = [loaded]
    elif isinstance(loaded, list):
        items = loaded
    else:
        raise OkwFileError(_("%(file)s holds neither a facility nor a list of facilities.") % {"file": name})
    records = []
    for position, item in enumerate(items, start=1):
        where = _("%(file)s, record %(position)d") % {"file": name, "position": position}
        if not isinstance(item, dict):
            raise OkwFileError(
                _("%(where)s: expected an object, found %(found)s.")
                % {"where": where, "found": type(item).__name__}
            )
        record = _snake_keys(item)
        if "facility" in record and "name" not in record:
            record = _iopa_record(record, where)
        records.append(SourceRecord(file=name, position=position, data=record))
    return records
