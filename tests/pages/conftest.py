"""A small world for the home page: the test catalogue, a photo, a machine, and a maker who shows one
badge publicly and keeps another private."""

import io
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory import services as directory_services
from machinery_map.models import Equipment
from machinery_map.seeding import taxonomy_seed
from passport import services as passport_services
from passport.models import Passport, Visibility
from passport.services.passports import passport_badge_show, passport_ensure, passport_update
from tests.console.test_console_access import Hubs, build_hubs
from tests.directory.conftest import Catalogue, build_catalogue
from tests.factories import BadgeClassFactory, EquipmentFactory

MAKER = "amina.okafor@example.org"


@dataclass
class HomeWorld:
    catalogue: Catalogue
    hubs: Hubs
    maker: User
    passport: Passport
    machine: Equipment


def photo_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 110, 70)).save(buffer, "JPEG")
    return SimpleUploadedFile("workshop.jpg", buffer.getvalue())


def build_home_world() -> HomeWorld:
    catalogue = build_catalogue()
    directory_services.photo_add(listing=catalogue.clyde, upload=photo_upload(), alt_text="The CNC bay")
    hubs = build_hubs()
    maker = User.objects.create_user(username="amina", email=MAKER, password="a long maker password")
    EmailAddress.objects.create(user=maker, email=MAKER, verified=True, primary=True)
    laser = BadgeClassFactory.create(
        issuer=hubs.a.issuer,
        name="Laser cutter operator",
        alignments=[{"targetName": "Laser cutting", "targetUrl": "https://skills.example.org/laser-cutting"}],
    )
    shown = passport_services.assertion_issue(
        badge_class=laser, recipient_email=MAKER, recipient_name="Amina"
    )
    kept = passport_services.assertion_issue(
        badge_class=BadgeClassFactory.create(issuer=hubs.a.issuer, name="Welding basics"),
        recipient_email=MAKER,
        recipient_name="Amina",
    )
    passport = passport_update(
        passport=passport_ensure(user=maker),
        handle="amina",
        display_name="Amina Okafor",
        bio="",
        location="Glasgow",
        visibility=Visibility.PUBLIC,
    )
    passport_badge_show(passport=passport, assertion=shown, visibility=Visibility.PUBLIC)
    passport_badge_show(passport=passport, assertion=kept, visibility=Visibility.PRIVATE)
    taxonomy_seed()
    machine = EquipmentFactory.create(hub=hubs.a.issuer.listing, equipment_type="laser-cutter")
    return HomeWorld(catalogue=catalogue, hubs=hubs, maker=maker, passport=passport, machine=machine)


@pytest.fixture
def home_world(db: None) -> HomeWorld:
    return build_home_world()
