"""Hostile Open Know-Where files are refused with an error naming the file and field, quickly, with
nothing written: YAML alias bombs, nesting deep enough to exhaust recursion, numbers too big to read."""

import json
from pathlib import Path

import pytest

from directory.models import Listing
from machinery_map.okw import OkwFileError, importing, okw_import

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """\
name: Laughing Lab
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
location: {gpsCoordinates: "55.95, -3.19"}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_yaml_alias_bomb_is_refused_at_its_first_anchor_and_nothing_is_written(tmp_path):
    source = write(tmp_path, "laughs.yaml", BILLION_LAUGHS)

    with pytest.raises(OkwFileError) as raised:
        okw_import(path=source)

    assert str(raised.value) == (
        f"{source}, line 2: not valid YAML (anchors and aliases (&name, *name) are not accepted)."
    )
    assert not Listing.objects.exists()


def test_json_nested_deeper_than_python_can_recurse_is_refused_naming_the_file(tmp_path):
    source = write(tmp_path, "deep.json", '{"name": "Deep Lab", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")

    with pytest.raises(OkwFileError, match=r"deep\.json: nested deeper than 40 levels\."):
        okw_import(path=source)


def test_yaml_nested_too_deep_is_refused_with_its_line(tmp_path):
    source = write(tmp_path, "deep.yaml", "name: Deep Lab\nx: " + "[" * 100_000 + "]" * 100_000 + "\n")

    with pytest.raises(OkwFileError, match=r"deep\.yaml, line 2: not valid YAML \(nested deeper than 40"):
        okw_import(path=source)


def test_a_record_nested_past_the_limit_names_the_field_where_it_goes_too_deep(tmp_path):
    nested: object = "bottom"
    for _level in range(45):
        nested = {"inner": nested}
    record = {"name": "Deep Lab", "location": {"gpsCoordinates": "55.95, -3.19"}, "circularEconomy": nested}
    source = write(tmp_path, "deep-field.json", json.dumps(record))

    with pytest.raises(OkwFileError) as raised:
        okw_import(path=source)

    assert str(raised.value).startswith(
        f"{source}, field circularEconomy.inner.inner.inner.inner.inner.inner.inner…: nested deeper than 40"
    )


def test_a_bad_coordinate_names_gps_coordinates_as_the_specification_spells_it(tmp_path):
    record = {"name": "Lost Lab", "location": {"gps_coordinates": "north, by north-west"}}
    source = write(tmp_path, "lost.json", json.dumps([record]))

    with pytest.raises(OkwFileError) as raised:
        okw_import(path=source)

    assert str(raised.value) == (
        f"{source}, record 1 (Lost Lab), field location.gpsCoordinates: expected a number, found “north”."
    )


def test_a_number_too_long_to_read_is_an_error_not_a_traceback(tmp_path):
    json_source = write(tmp_path, "long.json", '{"name": "Long Lab", "floorSize": 1' + "0" * 5000 + "}")
    yaml_source = write(tmp_path, "long.yaml", "name: Long Lab\nfloorSize: 1" + "0" * 5000 + "\n")

    with pytest.raises(OkwFileError, match=r"long\.json: not valid JSON \(Exceeds the limit"):
        okw_import(path=json_source)
    with pytest.raises(OkwFileError, match=r"long\.yaml: not valid YAML \(Exceeds the limit"):
        okw_import(path=yaml_source)


def test_an_infinite_quantity_names_the_machine_field(tmp_path):
    record = {
        "name": "Infinite Lab",
        "location": {"gpsCoordinates": "55.95, -3.19"},
        "equipment": [{"equipmentType": "laser cutter", "quantity": "1e400"}],
    }
    source = write(tmp_path, "infinite.json", json.dumps(record))

    with pytest.raises(OkwFileError, match=r"field equipment\[0\]\.quantity: expected a whole number"):
        okw_import(path=source)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    source = write(tmp_path, "big.json", json.dumps({"name": "Big Lab", "notes": "x" * 2000}))
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1000)

    with pytest.raises(OkwFileError, match=r"big\.json is larger than 0 MB"):
        okw_import(path=source)


def test_coordinates_off_the_earth_skip_the_record_naming_gps_coordinates(tmp_path):
    record = {"name": "Moon Lab", "location": {"gps_coordinates": "95.0, 10.0"}}
    source = write(tmp_path, "moon.json", json.dumps(record))

    report = okw_import(path=source)

    assert [note.message for note in report.skipped] == [
        "its coordinates 95.0, 10.0 (field location.gpsCoordinates) are not on Earth."
    ]
    assert not Listing.objects.exists()


def test_a_value_our_fields_cannot_hold_names_the_field_and_writes_nothing(tmp_path):
    email = "desk@" + ".".join(["a" * 60] * 5) + ".example"
    record = {
        "name": "Long Address Lab",
        "location": {"gpsCoordinates": "55.95, -3.19"},
        "contact": {"contact": {"email": email}},
    }
    source = write(tmp_path, "long-email.json", json.dumps([record]))

    with pytest.raises(OkwFileError) as raised:
        okw_import(path=source)

    assert str(raised.value).startswith(
        f"{source}, record 1 (Long Address Lab) could not be written, so nothing was imported: "
        "contact_email: Ensure this value has at most 254 characters"
    )
    assert not Listing.objects.exists()
