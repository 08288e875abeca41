import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from directory.models import ListingKind
from machinery_map.seeding import taxonomy_seed
from tests.factories import EquipmentFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def machines(transactional_db: None) -> None:
    taxonomy_seed()
    glasgow = ListingFactory.create(
        name="Fablab Glasgow", kind=ListingKind.MAKERSPACE, latitude=55.86, longitude=-4.25
    )
    leith = ListingFactory.create(
        name="Leith Woodshop", kind=ListingKind.WORKSHOP, city="Edinburgh", latitude=55.97, longitude=-3.17
    )
    paisley = ListingFactory.create(
        name="Paisley Makers", kind=ListingKind.MAKERSPACE, city="Paisley", latitude=55.85, longitude=-4.42
    )
    EquipmentFactory.create(hub=glasgow, equipment_type="laser-cutter", bed_size_mm=1000)
    EquipmentFactory.create(hub=glasgow, equipment_type="sla-printer", make="Formlabs", model="Form 3")
    EquipmentFactory.create(hub=leith, equipment_type="table-saw", make="SawStop", model="PCS")
    EquipmentFactory.create(hub=paisley, equipment_type="fdm-printer", make="Prusa", model="MK4")


def test_filtering_the_map_keeps_markers_and_list_in_step(page: Page, machines: None) -> None:
    page.goto("/machines/")
    expect(page.locator(".hub-list > li")).to_have_count(3)
    expect(page.locator("#machine-map .leaflet-marker-icon, #machine-map .marker-cluster")).not_to_have_count(
        0
    )

    page.get_by_label("Machine", exact=True).select_option("3d-printer")
    page.get_by_role("button", name="Show hubs").click()

    page.wait_for_url(re.compile(r"type=3d-printer"))
    expect(page.locator(".hub-list > li")).to_have_count(2)
    expect(page.locator(".hub-list")).to_contain_text("Fablab Glasgow")
    expect(page.locator(".hub-list")).to_contain_text("Paisley Makers")
    expect(page.locator(".hub-list")).not_to_contain_text("Leith Woodshop")
    page.locator("#machine-map").wait_for(state="visible")
    markers = page.locator("#machine-map .leaflet-marker-icon")
    expect(markers.first).to_be_attached()
    page.locator("#machine-map").evaluate("element => element.leafletMap.setZoom(12)")
    titles = {markers.nth(i).get_attribute("title") for i in range(markers.count())}
    assert titles <= {"Fablab Glasgow", "Paisley Makers"}


def test_the_map_page_has_no_serious_accessibility_violations(page: Page, machines: None) -> None:
    page.goto("/machines/?near=55.86,-4.25&radius=50")
    expect(page.locator(".hub-list > li")).to_have_count(2)
    page.locator("#machine-map").wait_for(state="visible")

    results = Axe().run(page)
    violations = [
        f"{violation['id']} ({violation['impact']})"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]

    assert not violations, "axe found serious or critical violations:\n" + "\n".join(violations)


def test_the_map_works_as_a_list_without_javascript(page_without_javascript: Page, machines: None) -> None:
    page = page_without_javascript
    page.goto("/machines/")
    page.get_by_label("Bed at least (mm)").fill("800")
    page.get_by_role("button", name="Show hubs").click()

    page.wait_for_url(re.compile(r"min_bed=800"))
    expect(page.locator(".hub-list > li")).to_have_count(1)
    expect(page.locator(".hub-list")).to_contain_text("Laser cutter (Trotec Speedy 400)")
