"""Keeping what an Open Know-Where import does not model, so that exporting a facility loses nothing.

An import keeps each facility's and each machine's public record (private contact details removed) as it
came, with camelCase keys, and the values it mapped the record to. The export then writes, group of fields
by group of fields (the address from number, street and district; the coordinates from any of their
shapes...):
- the source's own words, when our fields still hold what the import made of them (with ours beside
  them at the properties the source did not use);
- our rendering, when someone edited them here since (the source's words are stale then);
- every property we have no field for, as it came, under what we render;
- below everything, what we only fill in for lack of a value (the owner's name is the hub's).
A later file merges into the kept record: a property it leaves out is kept; a group it gives replaces
the kept one whole, so stale shapes do not linger, unless it means what the kept words already meant (our
own export read back), which then stay.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from machinery_map.okw.fields import EQUIPMENT_INTEGERS, EQUIPMENT_TEXTS, camel_case, snake_case

# Contact details the export never writes (it points at the listing's contact form), so never kept
# either: OKW's Contact properties (email, landline, mobile, fax, whatsapp) and any producer's variant of
# them ("emailAddress", "phone_number", "contactEmail"), matched by word in the snake_case key. A mailing
# list is public, as OKW means it to be.
PRIVATE_KEY = re.compile(
    r"(?:^|_)(?:e_?mail|phone|telephone|tel|mobile|cell|landline|fax|whatsapp|sms)(?:_|$)"
)

Path = tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Fields of ours and the record's properties (dotted, snake_case) they are mapped from together."""

    fields: tuple[str, ...]
    source: tuple[str, ...]

    @property
    def paths(self) -> list[Path]:
        return [tuple(camel_case(part) for part in path.split(".")) for path in self.source]


FACILITY_GROUPS = (
    Group(("name",), ("name",)),
    Group(("description",), ("description",)),
    Group(("address",), ("location.address.number", "location.address.street", "location.address.district")),
    Group(("city",), ("location.address.city", "location.city")),
    Group(("postcode",), ("location.address.postcode",)),
    Group(("country",), ("location.address.country", "location.country")),
    Group(
        ("latitude", "longitude"),
        ("location.gps_coordinates", "location.coordinates", "location.latitude", "location.longitude"),
    ),
    Group(("website",), ("owner.website", "url")),
    Group(
        ("social_links",),
        ("owner.social_media.facebook", "owner.social_media.twitter", "owner.social_media.other_urls"),
    ),
    Group(("languages",), ("owner.languages",)),
    Group(("certifications",), ("certifications",)),
    Group(("year_founded",), ("date_founded",)),
    Group(("facility_status",), ("facility_status",)),
    Group(("access_type",), ("access_type",)),
    Group(("typical_batch_size",), ("typical_batch_size",)),
    Group(("processes",), ("manufacturing_processes",)),
)
MACHINE_GROUPS = (
    Group(("equipment_type",), ("equipment_type",)),
    Group(("processes",), ("manufacturing_process", "manufacturing_processes")),
    Group(("materials", "other_materials"), ("materials_worked",)),
    *(Group((field,), (okw_name,)) for okw_name, field in EQUIPMENT_TEXTS.items()),
    *(Group((field,), (okw_name,)) for okw_name, field in EQUIPMENT_INTEGERS.items()),
    Group(("nozzle_size_mm",), ("nozzle_size",)),
    Group(("status",), ("status",)),
    Group(("access",), ("access", "access_type")),
    Group(("booking_url",), ("booking_url",)),
    Group(("required_badges",), ("required_badges",)),
    # A photo uploaded here stands for the image the source linked; one exported, then deleted, goes.
    Group(("photo",), ("image",)),
)


def kept_record(record: dict[str, Any], *, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    """A record as kept: JSON values (YAML may give dates), camelCase keys, no private contact details,
    without the top-level properties handled elsewhere (`leave_out`: the id, the machines)."""

    def walk(value: Any) -> Any:
        # Recursive over data reading.py has bounded in depth.
        if isinstance(value, dict):
            kept = {}
            for key, item in value.items():
                if item is None or PRIVATE_KEY.search(snake_case(str(key))):
                    continue  # null says nothing, as a missing property
                inner = walk(item)
                if inner == {} and item != {}:
                    continue  # an object that held only private details
                kept[camel_case(str(key))] = inner
            return kept
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    skipped = set(leave_out)
    plain = json.loads(json.dumps(record, default=str))
    return cast(dict[str, Any], walk({key: value for key, value in plain.items() if key not in skipped}))


def _copy(tree: Any) -> Any:
    """A copy of JSON data, several times quicker than copy.deepcopy, which the export pays per hub."""
    if isinstance(tree, dict):
        return {key: _copy(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_copy(value) for value in tree]
    return tree


def _has(tree: dict[str, Any], path: Path) -> bool:
    node: Any = tree
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return node is not None


def _remove(tree: dict[str, Any], path: Path) -> None:
    """Remove the value at `path`, and the objects it leaves empty."""
    parents = []
    node: Any = tree
    for part in path[:-1]:
        if not isinstance(node, dict) or not isinstance(node.get(part), dict):
            return
        parents.append((node, part))
        node = node[part]
    if isinstance(node, dict):
        node.pop(path[-1], None)
    for parent, part in reversed(parents):
        if parent[part]:
            break
        del parent[part]


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`: objects merge key by key, any other value of `over` replaces."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def merged_record(
    old: dict[str, Any],
    new: dict[str, Any],
    groups: Iterable[Group],
    *,
    then: dict[str, Any],
    values: dict[str, Any],
) -> dict[str, Any]:
    """The kept record after a file gave `new`, mapped to `values` (`then`: what the last import mapped).
    What `new` leaves out stays. A group `new` gives is taken from `new` alone, unless it means what the
    last import made of the group already: then the kept words (or their absence) stay, so reading back
    our own export, which writes every value, changes nothing."""
    old, new = _copy(old), _copy(new)
    for group in groups:
        paths = group.paths
        if not any(_has(new, path) for path in paths):
            continue
        same = all(field in then and then[field] == values.get(field) for field in group.fields)
        if same:
            for path in paths:
                _remove(new, path)
        else:
            for path in paths:
                _remove(old, path)
    return deep_merge(old, new)


def extras(record: dict[str, Any], groups: Iterable[Group]) -> dict[str, Any]:
    """The properties of a kept record that no field of ours maps: what the export writes as they came,
    so what tells whether a file changed anything a reader of the export would see."""
    rest = _copy(record)
    for group in groups:
        for path in group.paths:
            _remove(rest, path)
    return rest


def without_defaults(record: dict[str, Any], defaults: dict[str, Any], kept: dict[str, Any]) -> None:
    """Remove from `record` (snake_case keys, as read) each value equal to what our export writes only for
    want of one (`defaults`, camelCase) and that the kept record does not hold: reading our own export
    back must not take our stand-ins for the source's words."""

    def leaves(tree: dict[str, Any], path: Path = ()) -> Iterable[tuple[Path, Any]]:
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from leaves(value, (*path, key))
            else:
                yield (*path, key), value

    for path, value in list(leaves(defaults)):
        snake = tuple(snake_case(part) for part in path)
        node: Any = record
        for part in snake[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(snake[-1]) == value and not _has(kept, path):
            _remove(record, snake)


def exported(
    *,
    rendered: dict[str, Any],
    defaults: dict[str, Any],
    kept: dict[str, Any],
    groups: Iterable[Group],
    now: dict[str, Any],
    then: dict[str, Any],
) -> dict[str, Any]:
    """The document to write: `rendered` (our fields, as we write them), the `kept` record and `defaults`
    combined as the module docstring says; `now` and `then` are our mapped values today and after the
    last import."""
    order = list(rendered)
    rendered, kept = _copy(rendered), _copy(kept)
    for group in groups:
        paths = group.paths
        if not any(_has(kept, path) for path in paths):
            continue
        untouched = all(field in then and now.get(field) == then[field] for field in group.fields)
        for path in paths:
            # Untouched, the source's words replace ours where it has some; elsewhere ours stay beside
            # them (the city under location as well as under its address), saying the same thing.
            if not untouched:
                _remove(kept, path)
            elif _has(kept, path):
                _remove(rendered, path)
    merged = deep_merge(deep_merge(defaults, kept), rendered)
    # Our properties first, in our order, then the rest as they came: the same document reads the same.
    return {key: merged[key] for key in order if key in merged} | merged
