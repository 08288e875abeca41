import pytest
from django.core.exceptions import ValidationError

from audit import selectors as audit_selectors
from directory.models import ChangeAction, ListingKind, Term, Vocabulary
from machinery_map import services
from machinery_map.models import Equipment, EquipmentType
from tests.factories import EquipmentFactory, ListingFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_a_new_machine_gets_the_usual_processes_of_its_type(hub):
    laser = EquipmentType.objects.get(slug="laser-cutter")
    machine = services.equipment_create(hub=hub, equipment_type=laser, make="Trotec", model="Speedy 400")

    assert {p.slug for p in machine.processes.all()} == {"laser-cutting", "laser-engraving"}
    assert machine.title == "Laser cutter (Trotec Speedy 400)"


def test_a_material_supplier_cannot_have_equipment(db):
    supplier = ListingFactory.create(kind=ListingKind.MATERIAL_SUPPLIER, name="Timber Yard")

    with pytest.raises(ValidationError, match="Only makerspaces, workshops and fabricators"):
        services.equipment_create(hub=supplier, equipment_type=EquipmentType.objects.get(slug="lathe"))
    assert not Equipment.objects.exists()


def test_only_material_terms_are_accepted_as_materials_worked(hub):
    process = TermFactory.create(vocabulary=Vocabulary.PROCESS, name="Routing")

    with pytest.raises(ValidationError, match="not materials: Routing"):
        services.equipment_create(
            hub=hub, equipment_type=EquipmentType.objects.get(slug="cnc-router"), materials=[process]
        )
    assert not Equipment.objects.exists()


def test_a_machine_with_an_impossible_quantity_is_refused(hub):
    with pytest.raises(ValidationError) as raised:
        services.equipment_create(hub=hub, equipment_type=EquipmentType.objects.get(slug="kiln"), quantity=0)

    assert "quantity" in raised.value.message_dict


def test_adding_changing_and_removing_a_machine_shows_in_the_hub_history(hub):
    machine = EquipmentFactory.create(hub=hub)
    services.equipment_update(equipment=machine, model="Speedy 360")
    services.equipment_delete(equipment=machine)

    changes = audit_selectors.entries_for_object(hub).filter(action=ChangeAction.UPDATED).order_by("id")
    assert [change.changes["equipment"] for change in changes] == [
        [None, "Laser cutter (Trotec Speedy 400)"],
        ["Laser cutter (Trotec Speedy 400)", "Laser cutter (Trotec Speedy 360)"],
        ["Laser cutter (Trotec Speedy 360)", None],
    ]
    assert not Equipment.objects.exists()


def test_the_seeded_taxonomy_names_each_type_by_a_wikipedia_article(db):
    types = EquipmentType.objects.all()

    assert types.count() >= 30
    assert all(t.wikipedia_url.startswith("https://en.wikipedia.org/wiki/") for t in types)
    assert EquipmentType.objects.get(slug="sla-printer").parent == EquipmentType.objects.get(
        slug="3d-printer"
    )
    assert "3dp" in EquipmentType.objects.get(slug="3d-printer").aliases
    assert Term.objects.filter(vocabulary=Vocabulary.MATERIAL).count() == 0
