import json

import pytest
import yaml
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from directory.models import ListingKind, ListingStatus
from tests.factories import EquipmentFactory, ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laser_hub(hub):
    EquipmentFactory.create(hub=hub, equipment_type="laser-cutter", bed_size_mm=1000)
    return hub


def test_the_map_lists_hubs_with_their_machines_without_javascript(laser_hub, client: Client):
    response = client.get(reverse("machinery_map:map"), {"type": "laser-cutter"})

    assert response.status_code == 200
    assert "1 hub" in response.text
    assert "Fablab Glasgow" in response.text
    assert "Laser cutter (Trotec Speedy 400)" in response.text
    assert 'id="machine-map-points"' in response.text


def test_unknown_filters_and_places_are_named_in_a_400(laser_hub, client: Client):
    response = client.get(
        reverse("machinery_map:map"), {"type": "time-machine", "near": "Narnia", "min_bed": "x"}
    )

    assert response.status_code == 400
    assert "Select a valid choice. time-machine is not one of the available choices." in response.text
    assert "We could not find the place “Narnia”" in response.text
    assert "Enter a whole number." in response.text


def test_htmx_gets_only_the_results(laser_hub, client: Client):
    response = client.get(reverse("machinery_map:map"), {"min_bed": "500"}, headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert "Fablab Glasgow" in response.text


def test_the_hub_page_lists_machines_and_links_back_to_the_listing(laser_hub, client: Client):
    response = client.get(reverse("machinery_map:hub", args=[laser_hub.slug]))

    assert response.status_code == 200
    assert laser_hub.get_absolute_url() in response.text
    assert "1000 mm" in response.text
    assert "Add a machine" not in response.text


def test_a_draft_hub_and_a_supplier_have_no_machines_page(client: Client, db):
    draft = ListingFactory.create(kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT, name="Draft Lab")
    supplier = ListingFactory.create(kind=ListingKind.MATERIAL_SUPPLIER, name="Timber Yard")

    assert client.get(reverse("machinery_map:hub", args=[draft.slug])).status_code == 404
    assert client.get(reverse("machinery_map:okw_json", args=[draft.slug])).status_code == 404
    assert client.get(reverse("machinery_map:hub", args=[supplier.slug])).status_code == 404


def test_okw_documents_of_a_hub_in_json_and_yaml(laser_hub, client: Client):
    as_json = client.get(reverse("machinery_map:okw_json", args=[laser_hub.slug]))
    as_yaml = client.get(reverse("machinery_map:okw_yaml", args=[laser_hub.slug]))

    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content)["name"] == "Fablab Glasgow"
    assert yaml.safe_load(as_yaml.content)["equipment"][0]["bedSize"] == 1000


def test_all_facilities_are_streamed(laser_hub, client: Client):
    response = client.get(reverse("machinery_map:all_okw_json") + "?all")

    assert isinstance(response, StreamingHttpResponse)
    document = json.loads(b"".join(response.streaming_content))
    assert [facility["name"] for facility in document["facilities"]] == ["Fablab Glasgow"]


def test_the_machines_link_is_in_the_navigation(client: Client, db):
    response = client.get(reverse("machinery_map:map"))

    assert '<a href="/machines/" aria-current="page">Machines</a>' in response.text
