"""Open Know-Where in and out loses nothing: every public field of an imported file comes back out, an
export read back changes nothing, a field a file leaves out never erases what the hub holds, and a
facility is found again by any identity it was ever known by."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from directory.models import Listing, ListingKind
from directory.services import listing_update
from machinery_map import services
from machinery_map.models import Equipment, OkwFacility
from machinery_map.okw import facilities_json_chunks, hub_document, okw_import
from machinery_map.okw.fields import snake_case
from tests.factories import EquipmentFactory, ListingFactory
from tests.machinery_map.conftest import FIXTURES, SITE

pytestmark = pytest.mark.django_db

PRIVATE = ("email", "landline", "mobile", "phone")


def png() -> bytes:
    """A small real PNG: every photo goes through the image intake, which decodes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#2a9d8f").save(buffer, "PNG")
    return buffer.getvalue()


def flat(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a document by its path, keys folded to snake_case as the importer reads them."""
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            leaves |= flat(item, f"{path}.{snake_case(key)}" if path else snake_case(key))
        return leaves
    if isinstance(value, list):
        leaves = {}
        for index, item in enumerate(value):
            leaves |= flat(item, f"{path}[{index}]")
        return leaves
    return {path: value}


def public_leaves(document: dict[str, Any]) -> dict[str, Any]:
    return {
        path: value
        for path, value in flat(document).items()
        if path != "id" and path.rsplit(".", 1)[-1] not in PRIVATE
    }


def export_to(path: Path) -> Path:
    path.write_text("".join(facilities_json_chunks()))
    return path


def without_dates(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "recordData"}


def state() -> list[tuple[Any, ...]]:
    """Every hub and machine field a person could see, and the private contact details, in a fixed order."""
    hubs = []
    for hub in Listing.objects.order_by("name", "pk"):
        document = without_dates(hub_document(hub))
        hubs.append((hub.pk, hub.contact_email, hub.contact_phone, json.dumps(document, sort_keys=True)))
    return hubs


def test_every_public_field_of_facility_full_comes_back_out_and_no_private_one(reference, vocabulary):
    source = json.loads((reference / "facility-full.json").read_text())

    okw_import(path=reference / "facility-full.json")
    exported = hub_document(Listing.objects.get())

    lost = {path: value for path, value in public_leaves(source).items() if flat(exported).get(path) != value}
    assert lost == {}
    text = json.dumps(exported)
    for private in ("info@sanchez-sanchez.biz", "+1-774-997-2738", "+1-730-400-5684"):
        assert private not in text
    assert len(exported["equipment"]) == 4


def test_export_import_export_is_identical_for_every_public_field(reference, vocabulary, tmp_path):
    okw_import(path=reference / "facility-full.json")
    first = hub_document(Listing.objects.get())
    exported = tmp_path / "first.json"
    exported.write_text(json.dumps(first))

    report = okw_import(path=exported)
    second = hub_document(Listing.objects.get())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (report.machines_created, report.machines_updated, report.machines_unchanged) == (0, 0, 4)
    assert second == first


def test_unknown_equipment_types_are_kept_as_other_machines_that_export_their_own_type(reference, vocabulary):
    okw_import(path=reference / "facility-full.json")

    others = Equipment.objects.filter(equipment_type__slug="other").order_by("make")
    assert [machine.title for machine in others] == [
        "Post-processing station (Bel Air Powershot C)",
        "Assembly station (Festo Semi-Auto Line)",
    ]
    types = {
        machine["make"]: machine["equipmentType"] for machine in hub_document(others[0].hub)["equipment"]
    }
    assert types["Bel Air"] == "https://en.wikipedia.org/wiki/Post-processing_station"
    assert types["Festo"] == "https://en.wikipedia.org/wiki/Assembly_station"


def test_a_field_edited_here_after_the_import_is_exported_as_edited_not_in_the_source_words(
    reference, vocabulary
):
    okw_import(path=reference / "facility-full.json")
    hub = Listing.objects.get()
    listing_update(listing=hub, address="1 New Street")

    document = hub_document(hub)

    assert document["location"]["address"]["street"] == "1 New Street"
    assert "number" not in document["location"]["address"]
    assert document["location"]["address"]["region"] == "IA"  # not ours to edit, still kept


def test_a_field_a_file_leaves_out_never_erases_what_the_hub_holds(reference, vocabulary, tmp_path):
    okw_import(path=reference / "facility-full.json")
    sparse = tmp_path / "sparse.json"
    sparse.write_text(
        json.dumps(
            {
                "id": "ab67b029-e2fd-478b-b97b-43a421f59b92",
                "name": "Additive Manufacturing Center",
                "location": {"gpsCoordinates": "42.3588336, -71.0578303"},
            }
        )
    )

    report = okw_import(path=sparse)

    hub = Listing.objects.get()
    assert (report.created, report.unchanged) == (0, 1)
    assert hub.contact_email == "info@sanchez-sanchez.biz"
    assert (hub.address, hub.postcode, hub.website) == ("7250 Sergio Spurs", "61226", "https://jones.org")
    assert hub.equipment.count() == 4
    assert hub_document(hub)["owner"]["bio"].startswith("Established in 1998")


def round_trip(source: Path, tmp_path: Path) -> None:
    """Import `source`, export, import the export, import `source` again: the last three change nothing."""
    okw_import(path=source)
    before = state()
    hubs = Listing.objects.count()

    mine = okw_import(path=export_to(tmp_path / "export.json"))
    again = okw_import(path=source)

    assert (mine.created, mine.updated, mine.unchanged) == (0, 0, hubs)
    assert (again.created, again.updated, again.unchanged) == (0, 0, hubs)
    assert mine.machines_created == mine.machines_updated == mine.machines_removed == 0
    assert again.machines_created == again.machines_updated == again.machines_removed == 0
    assert Listing.objects.count() == OkwFacility.objects.count() == hubs
    assert state() == before


def test_import_export_reimport_then_the_original_again_changes_nothing_on_facility_full(
    reference, vocabulary, tmp_path
):
    round_trip(reference / "facility-full.json", tmp_path)

    hub = Listing.objects.get()
    assert hub.contact_email == "info@sanchez-sanchez.biz"
    keys = set(hub.okw_facility.identities.values_list("key", flat=True))
    assert keys == {
        "id:ab67b029-e2fd-478b-b97b-43a421f59b92",
        f"id:{SITE}/machines/additive-manufacturing-center/okw.json",
    }


def test_import_export_reimport_then_the_original_again_changes_nothing_on_a_small_sample(
    vocabulary, tmp_path
):
    round_trip(FIXTURES / "camel-case.yaml", tmp_path)

    assert Listing.objects.count() == 2
    assert Equipment.objects.count() == 4


def test_import_export_reimport_then_the_original_again_changes_nothing_on_50_iopa_facilities(
    reference, tmp_path
):
    # The whole 2,237-record file takes about two minutes on the CI machine; 50 records take seconds.
    records = json.loads((reference / "iopa-facilities-2237.json").read_text())[:50]
    source = tmp_path / "iopa-50.json"
    source.write_text(json.dumps(records))
    hub_email = "hello@iopa-lab.example"

    okw_import(path=source)
    first = Listing.objects.order_by("pk").first()
    assert first is not None
    listing_update(listing=first, contact_email=hub_email)
    round_trip(source, tmp_path)

    assert Listing.objects.count() > 40
    first.refresh_from_db()
    assert first.contact_email == hub_email


def test_a_facility_is_found_by_our_url_after_the_round_trip_and_keeps_its_original_id(
    reference, vocabulary, tmp_path
):
    okw_import(path=reference / "facility-full.json")
    okw_import(path=export_to(tmp_path / "export.json"))
    renamed = {
        "id": f"{SITE}/machines/additive-manufacturing-center/okw.json",
        "name": "Additive Manufacturing Centre",
        "location": {"gpsCoordinates": "42.3588336, -71.0578303"},
    }
    (tmp_path / "renamed.json").write_text(json.dumps(renamed))

    okw_import(path=tmp_path / "renamed.json")
    report = okw_import(path=reference / "facility-full.json")

    assert Listing.objects.count() == 1
    assert report.updated == 1  # the original file names it "Center" again
    assert Listing.objects.get().name == "Additive Manufacturing Center"


def test_the_hub_page_names_an_other_machine_by_the_type_its_source_gave(reference, vocabulary, client):
    okw_import(path=reference / "facility-full.json")
    hub = Listing.objects.get()

    response = client.get(reverse("machinery_map:hub", args=[hub.slug]))

    assert response.status_code == 200
    assert "Assembly station (Festo Semi-Auto Line) ×3" in response.content.decode()


def test_a_hub_made_here_read_back_from_its_export_keeps_its_labelled_links_summary_and_photo(
    vocabulary, tmp_path
):
    hub = ListingFactory.create(
        name="Leith Makers",
        kind=ListingKind.MAKERSPACE,
        description="",
        summary="A shared workshop by the docks.",
        social_links=[{"url": "https://social.example/@leith", "label": "Mastodon"}],
        contact_email="private@leith.example",
    )
    machine = EquipmentFactory.create(hub=hub, photo=SimpleUploadedFile("laser.png", png(), "image/png"))
    before = state()
    first = hub_document(hub)

    report = okw_import(path=export_to(tmp_path / "export.json"))
    machine.refresh_from_db()
    machine.photo.delete(save=False)
    services.equipment_update(equipment=machine, photo="")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (report.machines_updated, report.machines_unchanged) == (0, 1)
    hub.refresh_from_db()
    assert (hub.description, hub.contact_email) == ("", "private@leith.example")
    assert hub.social_links == [{"url": "https://social.example/@leith", "label": "Mastodon"}]
    assert first["description"] == "A shared workshop by the docks."
    assert "image" not in hub_document(hub)["equipment"][0]  # the deleted photo is not linked any more
    assert before[0][:3] == state()[0][:3]


def test_private_contact_details_are_never_kept_or_exported_whatever_a_producer_calls_them(tmp_path):
    record = {
        "id": "okw-private-1",
        "name": "Quiet Lab",
        "location": {"gpsCoordinates": "57.15, -2.09"},
        "owner": {"mailingList": "news@lists.quiet.example", "phoneNumber": "+44 1224 000000"},
        "contact": {
            "contact": {"email": "hello@quiet.example", "whatsapp": "+44 7700 900000"},
            "emailAddress": "owner@quiet.example",
            "contact_email": "desk@quiet.example",
        },
    }
    source = tmp_path / "quiet.json"
    source.write_text(json.dumps(record))

    okw_import(path=source)

    hub = Listing.objects.get()
    assert hub.contact_email == "hello@quiet.example"
    text = json.dumps(hub_document(hub)) + json.dumps(hub.okw_facility.properties)
    for private in ("hello@", "owner@", "desk@", "+44"):
        assert private not in text
    assert hub_document(hub)["owner"]["mailingList"] == "news@lists.quiet.example"


def test_the_whole_iopa_file_exported_and_read_back_then_read_again_keeps_every_hub_once(reference, tmp_path):
    """The issue's sequence at full size: 107 hubs with a contact e-mail, 2,036 hubs imported once."""
    source = reference / "iopa-facilities-2237.json"
    first = okw_import(path=source)
    for hub in Listing.objects.order_by("pk")[:107]:
        listing_update(listing=hub, contact_email=f"{hub.slug[:40]}@hub.example")
    before = sorted(Listing.objects.values_list("pk", "name", "address", "city", "website", "contact_email"))

    mine = okw_import(path=export_to(tmp_path / "export.json"))
    again = okw_import(path=source)

    assert first.created == 2036
    assert (mine.created, mine.updated, mine.unchanged) == (0, 0, 2036)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2036)
    assert Listing.objects.count() == 2036
    assert Listing.objects.exclude(contact_email="").count() == 107
    after = sorted(Listing.objects.values_list("pk", "name", "address", "city", "website", "contact_email"))
    assert after == before


def test_an_iopa_facility_exports_its_own_words_beside_the_specification_fields_and_no_nulls(
    reference, tmp_path
):
    records = json.loads((reference / "iopa-facilities-2237.json").read_text())
    with_place = [record for record in records if record["geocoding"]][:1]
    source = tmp_path / "iopa-1.json"
    source.write_text(json.dumps(with_place))

    okw_import(path=source)
    document = hub_document(Listing.objects.get())

    location = document["location"]
    region = with_place[0]["region"]
    assert location["address"]["region"] == region["state_region"]
    assert location["city"] == location["address"]["city"] == region["city_town"]
    latitude, longitude = (with_place[0]["geocoding"][key] for key in ("latitude", "longitude"))
    assert (location["latitude"], location["longitude"]) == (latitude, longitude)
    assert location["gpsCoordinates"] == f"{latitude}, {longitude}"
    assert None not in flat(document).values()
