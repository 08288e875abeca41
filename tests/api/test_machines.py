"""The Map of Machinery through the API: public reads filtered as the /machines/ page filters; adding,
changing and removing a hub's machines only with the `manage` scope of that hub's own issuer, or as a
signed-in manager with a CSRF token."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audit import selectors as audit_selectors
from badges.models import BadgeClass, Issuer, IssuerRole
from directory.models import ListingKind, ListingStatus, Term
from directory.seeding import terms_seed
from machinery_map.models import Equipment, EquipmentAccess, EquipmentStatus
from machinery_map.seeding import taxonomy_seed
from tests.api.conftest import bearer
from tests.factories import (
    EquipmentFactory,
    IssuerFactory,
    IssuerMembershipFactory,
    ListingFactory,
)

NEW_MACHINE = {
    "equipment_type": "laser-cutter",
    "make": "Epilog",
    "model": "Fusion Pro 32",
    "access": "induction",
    "materials": ["plywood"],
    "bed_size_mm": 812,
    "laser_power_w": 60,
}


@pytest.fixture(autouse=True)
def taxonomy(db: None) -> None:
    """The seeded equipment types, processes and materials, which a transactional test may have flushed."""
    taxonomy_seed()
    terms_seed()


def material(slug: str) -> Term:
    return Term.objects.get(vocabulary="material", slug=slug)


def hub_machines_url(issuer: Issuer) -> str:
    return f"/api/v1/hubs/{issuer.listing.slug}/machines/"


def machine_url(machine: Equipment) -> str:
    return f"/api/v1/machines/{machine.pk}/"


@pytest.fixture
def machine_a(issuer_a: Issuer) -> Equipment:
    return EquipmentFactory.create(hub=issuer_a.listing, equipment_type="laser-cutter", bed_size_mm=600)


@pytest.fixture
def machine_b(issuer_b: Issuer) -> Equipment:
    return EquipmentFactory.create(
        hub=issuer_b.listing, equipment_type="fdm-printer", make="Prusa", model="MK4"
    )


@pytest.fixture
def glasgow_and_edinburgh(issuer_a: Issuer) -> dict[str, Equipment]:
    """Hub A in Glasgow and a workshop in Edinburgh, 70 km away, with machines of several kinds."""
    edinburgh = ListingFactory.create(
        name="Edinburgh Workshop", kind=ListingKind.WORKSHOP, latitude=55.9533, longitude=-3.1883
    )
    return {
        "laser": EquipmentFactory.create(
            hub=issuer_a.listing,
            equipment_type="laser-cutter",
            bed_size_mm=600,
            materials=[material("plywood")],
        ),
        "resin": EquipmentFactory.create(
            hub=issuer_a.listing,
            equipment_type="sla-printer",
            make="Formlabs",
            model="Form 3",
            build_volume_mm3=3_000_000,
        ),
        "fdm": EquipmentFactory.create(
            hub=edinburgh,
            equipment_type="fdm-printer",
            make="Prusa",
            model="XL",
            build_volume_mm3=11_000_000,
            access=EquipmentAccess.OPEN,
        ),
        "big_laser": EquipmentFactory.create(
            hub=edinburgh, equipment_type="laser-cutter", bed_size_mm=1300, access=EquipmentAccess.STAFF
        ),
    }


def listed(client_api: APIClient, query: str = "") -> set[int]:
    answer = client_api.get(f"/api/v1/machines/{query}")
    assert answer.status_code == 200, answer.json()
    return {machine["id"] for machine in answer.json()["results"]}


def test_equipment_types_and_processes_are_public_with_their_wikipedia_pages(
    db: None, client_api: APIClient
) -> None:
    types = client_api.get("/api/v1/equipment-types/?page_size=100").json()["results"]
    sla = next(entry for entry in types if entry["slug"] == "sla-printer")
    assert sla["parent"] == "3d-printer"
    assert sla["wikipedia_url"].startswith("https://en.wikipedia.org/wiki/")
    processes = client_api.get("/api/v1/manufacturing-processes/?page_size=100").json()["results"]
    laser = next(entry for entry in processes if entry["slug"] == "laser-cutting")
    assert laser["wikipedia_url"].startswith("https://en.wikipedia.org/wiki/")


def test_machines_are_listed_by_cursor_with_their_hub_and_its_okw_document(
    glasgow_and_edinburgh: dict[str, Equipment], issuer_a: Issuer, client_api: APIClient
) -> None:
    draft_hub = ListingFactory.create(kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT)
    EquipmentFactory.create(hub=draft_hub)
    EquipmentFactory.create(hub=issuer_a.listing, status=EquipmentStatus.RETIRED)
    first = client_api.get("/api/v1/machines/?page_size=3").json()
    second = client_api.get(first["next"]).json()
    assert second["next"] is None
    ids = [machine["id"] for machine in first["results"] + second["results"]]
    assert ids == sorted(machine.pk for machine in glasgow_and_edinburgh.values())
    laser = first["results"][0]
    slug = issuer_a.listing.slug
    assert laser["hub"]["url"] == f"https://makeworks.example/machines/{slug}/"
    assert laser["hub"]["okw_url"] == f"https://makeworks.example/machines/{slug}/okw.json"
    assert (
        client_api.get(laser["hub"]["okw_url"].removeprefix("https://makeworks.example")).status_code == 200
    )
    assert (laser["equipment_type"]["slug"], laser["materials"]) == ("laser-cutter", ["plywood"])
    assert "laser-cutting" in laser["processes"]


def test_machines_are_filtered_with_the_map_pages_parameters(
    glasgow_and_edinburgh: dict[str, Equipment], client_api: APIClient
) -> None:
    machines = glasgow_and_edinburgh
    ids = {name: machine.pk for name, machine in machines.items()}
    assert listed(client_api, "?type=3d-printer") == {ids["resin"], ids["fdm"]}
    assert listed(client_api, "?type=sla-printer") == {ids["resin"]}
    assert listed(client_api, "?process=laser-cutting") == {ids["laser"], ids["big_laser"]}
    assert listed(client_api, "?material=wood") == {ids["laser"]}
    assert listed(client_api, "?min_bed=1000") == {ids["big_laser"]}
    assert listed(client_api, "?min_volume=5") == {ids["fdm"]}
    assert listed(client_api, "?access=open&access=staff") == {ids["fdm"], ids["big_laser"]}
    assert listed(client_api, "?near=55.86,-4.25&radius=25") == {ids["laser"], ids["resin"]}
    assert listed(client_api, "?near=55.86,-4.25&radius=100&type=laser-cutter") == {
        ids["laser"], ids["big_laser"],
    }  # fmt: skip


def test_bad_filter_parameters_are_400_naming_each(db: None, client_api: APIClient) -> None:
    answer = client_api.get(
        "/api/v1/machines/?type=castle&process=alchemy&min_bed=0&min_volume=lots&access=never"
        "&near=91,200&radius=9000"
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"type", "process", "min_bed", "min_volume", "access", "near", "radius"}
    assert "castle" in body["fields"]["type"][0]


def test_a_place_quoting_a_percent_sign_is_a_400_naming_near_not_a_500(
    db: None, client_api: APIClient
) -> None:
    answer = client_api.get("/api/v1/machines/?near=50%25&min_bed=abc")

    assert answer.status_code == 400
    assert answer.json()["fields"] == {
        "min_bed": ["Enter a whole number."],
        "near": ["We could not find the place “50%”. Try a city name or coordinates like 55.86,-4.25."],
    }


def test_the_map_pages_page_number_is_no_parameter_of_the_list_which_pages_by_cursor(
    glasgow_and_edinburgh: dict[str, Equipment], client_api: APIClient
) -> None:
    assert listed(client_api, "?page=lots") == listed(client_api) != set()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/machines/?page_size={}", "/api/v1/machines/?type=laser-cutter&near=55.86,-4.25&page_size={}",
     "HUB?page_size={}", "/api/v1/equipment-types/?page_size={}"],
)  # fmt: skip
def test_list_queries_do_not_grow_with_the_page_size(
    issuer_a: Issuer, client_api: APIClient, django_assert_num_queries: Any, url: str
) -> None:
    plywood, acrylic = material("plywood"), material("acrylic")
    for _n in range(12):
        EquipmentFactory.create(hub=issuer_a.listing, materials=[plywood, acrylic], quantity=2)
    url = url.replace("HUB", hub_machines_url(issuer_a))
    with CaptureQueriesContext(connection) as small:
        assert len(client_api.get(url.format(2)).json()["results"]) == 2
    with django_assert_num_queries(len(small)):
        assert len(client_api.get(url.format(12)).json()["results"]) == 12


def test_a_hubs_machines_include_retired_ones_and_one_machine_shows_its_required_badges(
    issuer_a: Issuer, class_a: BadgeClass, client_api: APIClient
) -> None:
    induction = class_a
    laser = EquipmentFactory.create(hub=issuer_a.listing, required_badge_classes=[induction])
    retired = EquipmentFactory.create(hub=issuer_a.listing, equipment_type="vinyl-cutter", status="retired")
    listed_ids = {m["id"]: m["status"] for m in client_api.get(hub_machines_url(issuer_a)).json()["results"]}
    assert listed_ids == {laser.pk: "operational", retired.pk: "retired"}
    detail = client_api.get(machine_url(laser))
    assert detail.status_code == 200
    assert detail.json()["required_badge_classes"] == [
        {
            "id": induction.public_id,
            "name": "Laser cutter operator",
            "issuer": {"slug": issuer_a.slug, "name": issuer_a.name},
        }
    ]
    assert "public" in detail["Cache-Control"]
    assert detail["ETag"]
    assert detail["Last-Modified"]
    assert client_api.get(machine_url(laser), HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    assert client_api.get("/api/v1/machines/999999/").json()["code"] == "not_found"
    assert client_api.get("/api/v1/hubs/no-such-hub/machines/").status_code == 404


def test_public_reads_answer_keys_alike_privately_and_refuse_expired_keys(
    machine_a: Equipment, issuer_a: Issuer, read_key_a: str, expired_key_a: str, client_api: APIClient
) -> None:
    for url in (
        "/api/v1/machines/",
        machine_url(machine_a),
        hub_machines_url(issuer_a),
        "/api/v1/equipment-types/",
    ):
        anonymous = client_api.get(url, HTTP_ORIGIN="https://partner.example")
        with_key = client_api.get(url, **bearer(read_key_a))
        assert anonymous.status_code == with_key.status_code == 200
        assert anonymous.json() == with_key.json()
        assert anonymous["Access-Control-Allow-Origin"] == "*"
        assert "private" in with_key["Cache-Control"]
        expired = client_api.get(url, **bearer(expired_key_a))
        assert (expired.status_code, expired.json()["code"]) == (401, "key_expired")


def test_a_draft_hubs_machines_are_shown_only_to_its_own_key(
    make_key: Any, issue_key_b: str, client_api: APIClient
) -> None:
    draft = IssuerFactory.create(
        listing=ListingFactory.create(kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT)
    )
    machine = EquipmentFactory.create(hub=draft.listing)
    own_key = make_key(scopes=["read"], issuer=draft)
    assert client_api.get(hub_machines_url(draft)).status_code == 404
    assert client_api.get(machine_url(machine), **bearer(issue_key_b)).status_code == 404
    assert client_api.get(machine_url(machine), **bearer(own_key)).status_code == 200
    assert [
        m["id"] for m in client_api.get(hub_machines_url(draft), **bearer(own_key)).json()["results"]
    ] == [machine.pk]


def test_manage_key_adds_a_machine_to_its_own_hub_in_the_listings_history(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(hub_machines_url(issuer_a), NEW_MACHINE, format="json", **bearer(manage_key_a))
    assert answer.status_code == 201, answer.json()
    created = Equipment.objects.get(pk=answer.json()["id"])
    assert (created.hub, created.make, created.bed_size_mm) == (issuer_a.listing, "Epilog", 812)
    # Without processes, the machine does the usual processes of its type.
    assert set(answer.json()["processes"]) == {"laser-cutting", "laser-engraving"}
    assert answer.json()["materials"] == ["plywood"]
    assert (
        audit_selectors.entries_for_object(issuer_a.listing)
        .filter(data__changes__equipment__1=created.title)
        .exists()
    )


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [(None, 401, "not_authenticated"), ("read_key_a", 403, "permission_denied"),
     ("issue_key_b", 404, "not_found"), ("expired_key_a", 401, "key_expired")],
)  # fmt: skip
def test_writes_are_refused_without_the_manage_scope_of_the_hubs_own_issuer(
    machine_a: Equipment, issuer_a: Issuer, issuer_b: Issuer, request: pytest.FixtureRequest,
    client_api: APIClient, key: str | None, status: int, code: str,
) -> None:  # fmt: skip
    headers = bearer(request.getfixturevalue(key)) if key else {}
    answers = [
        client_api.post(hub_machines_url(issuer_a), NEW_MACHINE, format="json", **headers),
        client_api.patch(machine_url(machine_a), {"quantity": 5}, format="json", **headers),
        client_api.delete(machine_url(machine_a), **headers),
    ]
    assert [(answer.status_code, answer.json()["code"]) for answer in answers] == [(status, code)] * 3
    machine_a.refresh_from_db()
    assert (Equipment.objects.count(), machine_a.quantity) == (1, 1)


def test_manage_key_changes_only_the_fields_sent_and_removes_its_machines(
    machine_a: Equipment, manage_key_a: str, client_api: APIClient
) -> None:
    url = machine_url(machine_a)
    answer = client_api.patch(
        url, {"status": "maintenance", "materials": ["acrylic"]}, format="json", **bearer(manage_key_a)
    )
    assert answer.status_code == 200, answer.json()
    machine_a.refresh_from_db()
    assert (machine_a.status, machine_a.make, machine_a.bed_size_mm) == ("maintenance", "Trotec", 600)
    assert [term.slug for term in machine_a.materials.all()] == ["acrylic"]
    removed = client_api.delete(url, **bearer(manage_key_a))
    assert (removed.status_code, removed.content) == (204, b"")
    assert not Equipment.objects.filter(pk=machine_a.pk).exists()


def test_a_key_of_another_hub_cannot_touch_a_machine_by_guessing_its_id(
    machine_b: Equipment, manage_key_a: str, client_api: APIClient
) -> None:
    url = machine_url(machine_b)
    assert client_api.patch(url, {"quantity": 9}, format="json", **bearer(manage_key_a)).status_code == 404
    assert client_api.delete(url, **bearer(manage_key_a)).status_code == 404
    assert Equipment.objects.get(pk=machine_b.pk).quantity == 1


def test_bad_machines_are_refused_naming_each_field(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    body = {
        "equipment_type": "time-machine", "quantity": 0, "materials": ["plywood", "kryptonite"],
        "processes": "laser-cutting", "status": "broken", "booking_url": "not a link",
        "required_badge_classes": ["nope"],
    }  # fmt: skip
    answer = client_api.post(hub_machines_url(issuer_a), body, format="json", **bearer(manage_key_a))
    assert answer.status_code == 400
    fields = answer.json()["fields"]
    assert set(fields) == {"equipment_type", "quantity", "materials", "processes", "status", "booking_url",
                           "required_badge_classes"}  # fmt: skip
    assert "kryptonite" in fields["materials"][0]
    assert not Equipment.objects.exists()


def test_signed_in_manager_writes_with_a_csrf_token_only(issuer_a: Issuer) -> None:
    editor = IssuerMembershipFactory.create(issuer=issuer_a, role=IssuerRole.EDITOR).user
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(editor)
    refused = browser.post(hub_machines_url(issuer_a), NEW_MACHINE, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(hub_machines_url(issuer_a), NEW_MACHINE, format="json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201
    assert audit_selectors.entries_for_object(issuer_a.listing).filter(actor=editor).exists()


def test_signed_in_staff_may_not_change_machines_and_outsiders_are_not_told_the_hub_is_theirs(
    machine_a: Equipment, issuer_a: Issuer, client_api: APIClient
) -> None:
    client_api.force_login(IssuerMembershipFactory.create(issuer=issuer_a, role=IssuerRole.STAFF).user)
    answer = client_api.patch(machine_url(machine_a), {"quantity": 3}, format="json")
    assert answer.status_code == 403
    assert "As staff of" in answer.json()["message"]
    outsider = APIClient()
    outsider.force_login(
        IssuerMembershipFactory.create(issuer=IssuerFactory.create(), role=IssuerRole.OWNER).user
    )
    assert outsider.patch(machine_url(machine_a), {"quantity": 3}, format="json").status_code == 404
