import pytest
from django.core.management import call_command

from directory.models import ListingKind
from machinery_map.models import Equipment
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_seed_machines_equips_every_hub_once(vocabulary):
    makerspace = ListingFactory.create(kind=ListingKind.MAKERSPACE, name="Demo Lab")
    workshop = ListingFactory.create(kind=ListingKind.WORKSHOP, name="Demo Shop")
    ListingFactory.create(kind=ListingKind.MATERIAL_SUPPLIER, name="Demo Supplier")

    call_command("seed_machines")
    first = sorted(Equipment.objects.values_list("hub__name", "equipment_type__slug"))
    call_command("seed_machines")

    assert sorted(Equipment.objects.values_list("hub__name", "equipment_type__slug")) == first
    assert {name for name, _slug in first} == {makerspace.name, workshop.name}
    assert 2 <= makerspace.equipment.count() <= 5
