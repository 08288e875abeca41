import json
from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from directory import services as directory_services
from directory.models import Listing, ListingKind, ListingStatus, Term
from machinery_map.models import Equipment, EquipmentAccess, EquipmentStatus
from machinery_map.okw import facilities_json_chunks, hub_document, okw_import
from tests.factories import BadgeClassFactory, EquipmentFactory, IssuerFactory, ListingFactory
from tests.machinery_map.conftest import SITE

pytestmark = pytest.mark.django_db


@pytest.fixture
def equipped_hub(vocabulary):
    hub = ListingFactory.create(
        name="Fablab Glasgow",
        kind=ListingKind.MAKERSPACE,
        address="12 Clyde Street",
        postcode="G1 5JH",
        website="https://fablab-glasgow.example",
        contact_email="secret@fablab-glasgow.example",
        contact_phone="+44 141 000 0000",
        year_founded=2013,
        certifications=["ISO 9001"],
    )
    induction = BadgeClassFactory.create(issuer=IssuerFactory.create(listing=hub), name="Laser safety")
    EquipmentFactory.create(
        hub=hub,
        equipment_type="laser-cutter",
        quantity=2,
        bed_size_mm=1000,
        laser_power_w=80,
        condition="Good",
        materials=[Term.objects.get(vocabulary="material", slug="plywood")],
        other_materials=["https://en.wikipedia.org/wiki/Sugru"],
        required_badge_classes=[induction],
        access=EquipmentAccess.INDUCTION,
        booking_url="https://fablab-glasgow.example/book/laser",
        notes="Extraction on.\nBook two days ahead.",
    )
    EquipmentFactory.create(
        hub=hub,
        equipment_type="fdm-printer",
        make="Prusa",
        model="MK4",
        nozzle_size_mm=Decimal("0.40"),
        build_volume_mm3=11_000_000,
        status=EquipmentStatus.MAINTENANCE,
        access=EquipmentAccess.OPEN,
    )
    return hub


def test_a_hub_is_an_okw_facility_with_camel_case_fields_and_wikipedia_urls(equipped_hub):
    document = hub_document(equipped_hub)

    assert document["id"] == f"{SITE}/machines/fablab-glasgow/okw.json"
    assert document["name"] == "Fablab Glasgow"
    assert document["location"] == {
        "address": {"street": "12 Clyde Street", "city": "Glasgow", "postcode": "G1 5JH", "country": "GB"},
        "gpsCoordinates": "55.8642, -4.2518",
        "city": "Glasgow",
        "country": "GB",
    }
    assert document["owner"] == {"name": "Fablab Glasgow", "website": "https://fablab-glasgow.example"}
    assert document["contact"] == {"name": "Fablab Glasgow", "website": f"{SITE}/listings/fablab-glasgow/"}
    assert (document["facilityStatus"], document["accessType"]) == ("Active", "Public")
    assert document["dateFounded"] == "2013"
    assert document["certifications"] == ["ISO 9001"]
    assert set(document["recordData"]) == {"dateCreated", "lastUpdated"}
    laser, printer = sorted(document["equipment"], key=lambda machine: machine["equipmentType"])[::-1]
    assert laser["equipmentType"] == "https://en.wikipedia.org/wiki/Laser_cutting"
    assert laser["manufacturingProcess"] == [
        "https://en.wikipedia.org/wiki/Laser_cutting",
        "https://en.wikipedia.org/wiki/Laser_engraving",
    ]
    assert laser["materialsWorked"] == [
        {"materialType": "https://en.wikipedia.org/wiki/Plywood"},
        {"materialType": "https://en.wikipedia.org/wiki/Sugru"},
    ]
    assert (laser["quantity"], laser["bedSize"], laser["laserPower"]) == (2, 1000, 80)
    assert laser["requiredBadges"][0].startswith(f"{SITE}/badges/classes/")
    assert printer["equipmentType"] == "https://en.wikipedia.org/wiki/Fused_filament_fabrication"
    assert (printer["nozzleSize"], printer["buildVolume"], printer["status"]) == (
        0.4,
        11_000_000,
        "maintenance",
    )
    assert "https://en.wikipedia.org/wiki/Fused_filament_fabrication" in document["manufacturingProcesses"]


def test_the_export_never_holds_the_private_contact_email_or_phone(equipped_hub):
    text = json.dumps(hub_document(equipped_hub))

    assert "secret@fablab-glasgow.example" not in text
    assert "+44 141" not in text


def test_all_facilities_stream_in_pieces_and_parse_as_one_document(equipped_hub):
    ListingFactory.create(name="Second Space", kind=ListingKind.WORKSHOP)
    ListingFactory.create(name="Timber Yard", kind=ListingKind.MATERIAL_SUPPLIER)
    ListingFactory.create(name="Draft Space", kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT)

    chunks = list(facilities_json_chunks(chunk_size=1))

    assert len(chunks) == 4  # heading, two facilities, closing
    document = json.loads("".join(chunks))
    assert document["license"]["name"] == "CC BY 4.0"
    assert [facility["name"] for facility in document["facilities"]] == ["Fablab Glasgow", "Second Space"]


def test_the_export_command_writes_yaml_that_reads_back(equipped_hub, tmp_path):
    output = tmp_path / "all.yaml"
    call_command("export_okw", "--format", "yaml", "--output", str(output))
    stdout = StringIO()
    call_command("export_okw", "--hub", "fablab-glasgow", stdout=stdout)

    assert [f["name"] for f in yaml.safe_load(output.read_text())["facilities"]] == ["Fablab Glasgow"]
    assert json.loads(stdout.getvalue())["name"] == "Fablab Glasgow"


def snapshot(hub: Listing) -> dict[str, object]:
    """What a person would compare: the facility's fields and each machine's, without ids and dates."""
    machines = []
    for machine in Equipment.objects.filter(hub=hub).order_by("equipment_type__slug"):
        machines.append(
            (
                machine.equipment_type.slug,
                machine.make,
                machine.model,
                machine.quantity,
                machine.condition,
                machine.status,
                machine.access,
                machine.bed_size_mm,
                machine.build_volume_mm3,
                machine.laser_power_w,
                machine.nozzle_size_mm,
                machine.booking_url,
                machine.notes,
                sorted(p.slug for p in machine.processes.all()),
                sorted(t.slug for t in machine.materials.all()),
                machine.other_materials,
                sorted(b.pk for b in machine.required_badge_classes.all()),
            )
        )
    fields = ("name", "address", "city", "postcode", "latitude", "longitude", "website", "year_founded")
    return {
        **{name: getattr(hub, name) for name in fields},
        "country": str(hub.country),
        "certifications": hub.certifications,
        "machines": machines,
    }


def test_export_then_import_reproduces_the_same_facility_and_machines(equipped_hub, tmp_path):
    before = snapshot(equipped_hub)
    exported = tmp_path / "glasgow.json"
    exported.write_text(json.dumps(hub_document(equipped_hub)))
    equipped_hub.badge_issuer.listing = ListingFactory.create(name="Keeper", kind=ListingKind.MAKERSPACE)
    equipped_hub.badge_issuer.save()
    directory_services.listing_delete(listing=equipped_hub)

    report = okw_import(path=exported)

    assert (report.created, report.machines_created) == (1, 2)
    after = snapshot(Listing.objects.get(name="Fablab Glasgow"))
    assert after["machines"] == before["machines"], report.notes
    assert after == before


def test_importing_our_own_export_updates_the_hub_in_place(equipped_hub, tmp_path):
    before = snapshot(equipped_hub)
    exported = tmp_path / "glasgow.yaml"
    exported.write_text(yaml.safe_dump(hub_document(equipped_hub)))

    report = okw_import(path=exported)
    again = okw_import(path=exported)

    assert (report.created, report.machines_created, report.machines_removed) == (0, 0, 0)
    assert Listing.objects.filter(name="Fablab Glasgow").count() == 1
    assert snapshot(Listing.objects.get(name="Fablab Glasgow")) == before
    assert (again.unchanged, again.machines_unchanged) == (1, 2)


def test_a_machine_the_source_no_longer_lists_is_removed_on_reimport(vocabulary, tmp_path):
    document = {
        "id": "okw-test-1",
        "name": "Harbour Lab",
        "location": {"gpsCoordinates": "57.15, -2.09", "city": "Aberdeen"},
        "equipment": [{"equipmentType": "laser cutter"}, {"equipmentType": "kiln"}],
    }
    source = tmp_path / "harbour.json"
    source.write_text(json.dumps(document))
    okw_import(path=source)
    hub = Listing.objects.get(name="Harbour Lab")
    EquipmentFactory.create(hub=hub, equipment_type="lathe")  # added by hand at the hub

    document["equipment"] = [{"equipmentType": "laser cutter"}]
    source.write_text(json.dumps(document))
    report = okw_import(path=source)

    assert report.machines_removed == 1
    assert sorted(hub.equipment.values_list("equipment_type__slug", flat=True)) == ["laser-cutter", "lathe"]
