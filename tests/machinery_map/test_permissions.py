import pytest
from django.test import Client
from django.urls import reverse

from badges.models import IssuerRole
from directory.models import ListingKind
from machinery_map.models import Equipment, EquipmentType
from machinery_map.permissions import HubRole, MachineAction, can, hub_role
from tests.factories import (
    EquipmentFactory,
    IssuerFactory,
    IssuerMembershipFactory,
    ListingFactory,
    NodeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(hub):
    owner, curator, editor, staff, outsider = (UserFactory.create() for _ in range(5))
    hub.owners.add(owner)
    node = NodeFactory.create()
    node.curators.add(curator)
    hub.node = node
    hub.save()
    issuer = IssuerFactory.create(listing=hub)
    IssuerMembershipFactory.create(issuer=issuer, user=editor, role=IssuerRole.EDITOR)
    IssuerMembershipFactory.create(issuer=issuer, user=staff, role=IssuerRole.STAFF)
    admin = UserFactory.create(is_superuser=True)
    return {
        "owner": owner,
        "curator": curator,
        "editor": editor,
        "staff": staff,
        "outsider": outsider,
        "admin": admin,
    }


def test_listing_owners_curators_issuer_editors_and_admins_manage_staff_and_outsiders_do_not(hub, people):
    managers = {name for name, person in people.items() if can(person, MachineAction.MANAGE, hub)}

    assert managers == {"owner", "curator", "editor", "admin"}
    assert hub_role(people["staff"], hub) is HubRole.STAFF
    assert hub_role(people["outsider"], hub) is None


def form_data(**overrides: object) -> dict[str, object]:
    laser = EquipmentType.objects.get(slug="laser-cutter")
    fields = {
        "make": "Epilog",
        "model": "Fusion",
        "quantity": 1,
        "status": "operational",
        "access": "induction",
    }
    return {"equipment_type": laser.pk, **fields, **overrides}


def test_an_issuer_editor_adds_a_machine_through_the_form(hub, people, client: Client):
    client.force_login(people["editor"])

    response = client.post(reverse("machinery_map:equipment_new", args=[hub.slug]), form_data())

    assert response.status_code == 302
    machine = Equipment.objects.get(hub=hub)
    assert machine.title == "Laser cutter (Epilog Fusion)"
    assert {p.slug for p in machine.processes.all()} == {"laser-cutting", "laser-engraving"}


def test_a_bad_form_keeps_what_was_typed_and_says_why(hub, people, client: Client):
    client.force_login(people["owner"])

    response = client.post(
        reverse("machinery_map:equipment_new", args=[hub.slug]), form_data(quantity="lots")
    )

    assert response.status_code == 400
    assert "Enter a whole number." in response.text
    assert 'value="Epilog"' in response.text
    assert not Equipment.objects.exists()


def test_staff_are_refused_with_403_and_outsiders_with_404(hub, people, client: Client):
    url = reverse("machinery_map:equipment_new", args=[hub.slug])
    client.force_login(people["staff"])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Equipment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(hub, client: Client):
    response = client.get(reverse("machinery_map:equipment_new", args=[hub.slug]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_hubs_machine_cannot_be_edited_or_deleted_through_ones_own_hub(hub, people, client: Client):
    other = EquipmentFactory.create(hub=ListingFactory.create(kind=ListingKind.MAKERSPACE, name="Other Lab"))
    client.force_login(people["owner"])

    edit = client.post(
        reverse("machinery_map:equipment_edit", args=[hub.slug, other.pk]), form_data(make="Hacked")
    )
    delete = client.post(reverse("machinery_map:equipment_delete", args=[hub.slug, other.pk]))
    direct = client.post(reverse("machinery_map:equipment_delete", args=["other-lab", other.pk]))

    assert (edit.status_code, delete.status_code, direct.status_code) == (404, 404, 404)
    other.refresh_from_db()
    assert other.make == "Trotec"


def test_an_owner_edits_and_removes_a_machine(hub, people, client: Client):
    machine = EquipmentFactory.create(hub=hub)
    client.force_login(people["owner"])

    client.post(
        reverse("machinery_map:equipment_edit", args=[hub.slug, machine.pk]), form_data(model="Pro 32")
    )
    machine.refresh_from_db()
    assert machine.model == "Pro 32"
    client.post(reverse("machinery_map:equipment_delete", args=[hub.slug, machine.pk]))
    assert not Equipment.objects.exists()


def test_deleting_needs_a_post(hub, people, client: Client):
    machine = EquipmentFactory.create(hub=hub)
    client.force_login(people["owner"])

    assert (
        client.get(reverse("machinery_map:equipment_delete", args=[hub.slug, machine.pk])).status_code == 405
    )
    assert Equipment.objects.filter(pk=machine.pk).exists()
