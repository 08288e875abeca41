import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict

from directory.models import Listing
from directory.search import parse_search_params, search_listings
from machinery_map.models import Equipment, OkwFacility
from machinery_map.okw import OkwFileError, OkwImportReport, okw_import
from machinery_map.okw.importing import okw_plan
from tests.machinery_map.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def machines_of(name: str) -> list[str]:
    hub = Listing.objects.get(name=name)
    return sorted(f"{m.equipment_type.slug}:{m.make}:{m.model}" for m in hub.equipment.all())


def test_a_full_spec_record_becomes_a_hub_with_every_machine_the_unknown_ones_as_other(reference, vocabulary):
    report = okw_import(path=reference / "facility-full.json")

    hub = Listing.objects.get(name="Additive Manufacturing Center")
    assert (hub.city, str(hub.country), hub.postcode) == ("Boston", "US", "61226")
    assert (hub.latitude, hub.longitude) == (42.3588336, -71.0578303)
    assert hub.address == "7250 Sergio Spurs"
    assert hub.contact_email == "info@sanchez-sanchez.biz"
    assert hub.certifications == ["ISO 14001", "OHSAS 18001", "AS9100"]
    assert machines_of(hub.name) == [
        "3d-printer:Prusa:S5",
        "other:Bel Air:Powershot C",
        "other:Festo:Semi-Auto Line",
        "sla-printer:Brand A:Model 889",
    ]
    printer = hub.equipment.get(make="Prusa")
    assert (printer.quantity, printer.power_rating_w, printer.condition) == (5, 6231, "Fair")
    assert {p.slug for p in printer.processes.all()} == {"fused-filament-fabrication"}
    assert {t.slug for t in printer.materials.all()} == {"pla", "petg", "abs"}
    assert printer.other_materials == ["https://en.wikipedia.org/wiki/TPU"]
    assert printer.okw_properties["maintenanceSchedule"] == "Every 1 months"
    station = hub.equipment.get(make="Bel Air")
    assert station.okw_properties["equipmentType"] == "https://en.wikipedia.org/wiki/Post-processing_station"
    assert hub.okw_facility.facility_status == "Planned"
    assert hub.okw_facility.properties["floorSize"] == 2282
    assert report.machines_skipped == []
    assert any(
        "the equipment type “https://en.wikipedia.org/wiki/Assembly_station” is not in the taxonomy; "
        "the machine is kept as “Other machine”." in note.message
        for note in report.notes
    )


def test_dirty_process_names_are_mapped_to_the_taxonomy(reference):
    okw_import(path=reference / "facility-minimal-dirty.json")

    hub = Listing.objects.get(name="Harness Additive Lab")
    machine = hub.equipment.get()
    assert machine.equipment_type.slug == "3d-printer"
    assert [p.slug for p in machine.processes.all()] == ["3d-printing"]
    assert [p.slug for p in hub.okw_facility.processes.all()] == ["3d-printing"]


def test_every_iopa_record_is_planned_or_reported_with_a_reason(reference):
    report = OkwImportReport(dry_run=True)
    plans = okw_plan(path=reference / "iopa-facilities-2237.json", report=report)

    assert report.records == 2237
    assert len(plans) + len(report.skipped) == 2237
    assert len(plans) > 2000
    reasons = {note.message for note in report.skipped}
    assert reasons == {"it has no coordinates (latitude and longitude), so it cannot go on the map."}
    notes = [note.message for note in report.notes]
    assert any(
        message.startswith("odd characters removed from location.address.postcode: U+0009")
        for message in notes
    )
    assert any(message == "no city given." for message in notes)
    assert any("is longer than 20 characters and was left out" for message in notes)


def test_iopa_records_import_and_a_second_import_changes_nothing(reference, tmp_path):
    records = json.loads((reference / "iopa-facilities-2237.json").read_text())[:60]
    source = tmp_path / "iopa-60.json"
    source.write_text(json.dumps(records))

    first = okw_import(path=source)
    second = okw_import(path=source)

    assert first.created == 60 - len(first.skipped) > 40
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert Listing.objects.count() == first.created
    assert OkwFacility.objects.count() == first.created
    assert not Listing.objects.filter(name="Fablab Songpa").exists()  # it has no coordinates


def test_camel_case_yaml_with_dirty_names_imports_and_reports_what_it_could_not_map(vocabulary):
    report = okw_import(path=FIXTURES / "camel-case.yaml")

    assert machines_of("Leith Community Woodshop") == ["laser-cutter::", "table-saw:SawStop:PCS"]
    laser = Equipment.objects.get(equipment_type__slug="laser-cutter")
    assert (laser.laser_power_w, laser.bed_size_mm) == (60, 900)
    assert laser.okw_properties["throughput"] == "4 sheets an hour"
    bakehouse = Listing.objects.get(name="Portobello Bakehouse")
    assert str(bakehouse.country) == "GB"
    oven = bakehouse.equipment.get(equipment_type__slug="oven")
    assert [p.slug for p in oven.processes.all()] == ["baking"]
    flux = bakehouse.equipment.get(equipment_type__slug="other")
    assert flux.okw_properties == {"equipmentType": "Flux capacitor"}
    assert report.machines_skipped == []
    assert (
        f"{FIXTURES / 'camel-case.yaml'}, record 2 (Portobello Bakehouse): machine 2: "
        "the equipment type “Flux capacitor” is not in the taxonomy; the machine is kept as “Other machine”."
    ) in [str(note) for note in report.notes]
    assert any("“Sourdough magic” is not in the taxonomy" in note.message for note in report.notes)


def test_a_dry_run_reports_the_same_counts_and_writes_nothing():
    dry = okw_import(path=FIXTURES / "camel-case.yaml", dry_run=True)

    assert not Listing.objects.exists()
    real = okw_import(path=FIXTURES / "camel-case.yaml")
    assert (dry.created, dry.machines_created, len(dry.notes)) == (2, 4, 2)
    assert (real.created, real.machines_created, len(real.notes)) == (2, 4, 2)


def test_a_malformed_field_names_file_record_and_field_and_nothing_is_written():
    with pytest.raises(OkwFileError) as raised:
        okw_import(path=FIXTURES / "malformed-field.json")

    assert str(raised.value) == (
        f"{FIXTURES / 'malformed-field.json'}, record 2 (Bad Lab), field equipment[0].quantity: "
        "expected a number, found “lots”."
    )
    assert not Listing.objects.exists()


def test_invalid_json_names_the_file_and_line():
    with pytest.raises(OkwFileError, match=r"broken\.json, line 3, column 3: not valid JSON"):
        okw_import(path=FIXTURES / "broken.json")


def test_a_directory_with_one_bad_file_imports_nothing(tmp_path: Path):
    (tmp_path / "a.yaml").write_text((FIXTURES / "camel-case.yaml").read_text())
    (tmp_path / "b.json").write_text((FIXTURES / "broken.json").read_text())

    with pytest.raises(OkwFileError, match=r"b\.json"):
        okw_import(path=tmp_path)
    assert not Listing.objects.exists()


def test_the_import_command_ends_with_counts_and_fails_clearly(capsys):
    call_command("import_okw", str(FIXTURES / "camel-case.yaml"), "--dry-run")
    out, err = capsys.readouterr()
    assert out.startswith("Dry run, nothing written. 2 facilities read from 1 file(s): 2 created")
    assert "is kept as “Other machine”" in err

    with pytest.raises(CommandError, match=r"field equipment\[0\]\.quantity"):
        call_command("import_okw", str(FIXTURES / "malformed-field.json"))


def test_imported_hubs_are_found_by_the_directory_search(reference, tmp_path):
    records = json.loads((reference / "iopa-facilities-2237.json").read_text())[:20]
    source = tmp_path / "iopa-20.json"
    source.write_text(json.dumps(records))

    okw_import(path=source)

    hub = next(hub for hub in Listing.objects.order_by("pk") if hub.name.replace(" ", "").isalpha())
    hits = search_listings(parse_search_params(QueryDict(urlencode({"q": hub.name}))))
    assert hub.name in [hit.name for hit in hits.hits]
