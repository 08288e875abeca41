"""A machine's photo is published re-encoded: the hub page, the API and the storage behind them hold
nothing of where it was taken or by whom, and a replaced photo leaves no file behind."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from directory.models import Listing, ListingPhoto
from machinery_map.models import Equipment
from passport.models import ExperienceProject, ProjectImage
from passport.services.passports import passport_ensure
from tests.factories import EquipmentFactory, UserFactory
from tests.images import assert_carries_nothing_but_pixels, located_jpeg, media_files_linked, zip_archive
from tests.machinery_map.test_permissions import form_data

pytestmark = pytest.mark.django_db


def phone_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("laser at home.jpg", located_jpeg(trailing=zip_archive()), "image/jpeg")


def test_a_machine_photo_is_published_without_location_author_or_zip_and_replacing_it_removes_it(
    hub: Listing, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    owner = UserFactory.create()
    hub.owners.add(owner)
    client.force_login(owner)
    client.post(reverse("machinery_map:equipment_new", args=[hub.slug]), form_data(photo=phone_photo()))
    machine = Equipment.objects.get(hub=hub)

    page = Client().get(reverse("machinery_map:hub", args=[hub.slug]))
    api = Client().get(f"/api/v1/machines/{machine.pk}/").json()
    linked = {str(path) for path in media_files_linked(page.content, also=[api["photo"]])}

    assert linked == {machine.photo.path}
    assert_carries_nothing_but_pixels(Path(machine.photo.path).read_bytes())
    assert "home" not in str(machine.photo.name)

    first = Path(machine.photo.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("machinery_map:equipment_edit", args=[hub.slug, machine.pk]),
            form_data(photo=phone_photo()),
        )
    machine.refresh_from_db()
    assert Path(machine.photo.path).exists()
    assert not first.exists()


def test_photos_stored_before_the_intake_are_re_encoded_once_and_their_originals_removed(
    hub: Listing, django_capture_on_commit_callbacks: Any
) -> None:
    """Rows written as the code before the intake wrote them: the upload saved byte for byte."""
    listing_photo = ListingPhoto(listing=hub, position=0)
    listing_photo.image.save("at home.jpg", ContentFile(located_jpeg()), save=False)
    listing_photo.width, listing_photo.height = 1600, 1200
    listing_photo.save()
    passport = passport_ensure(user=UserFactory.create())
    passport.photo.save("me.jpg", ContentFile(located_jpeg()), save=True)
    project = ExperienceProject.objects.create(passport=passport, title="Canoe")
    project_image = ProjectImage(project=project)
    project_image.image.save("canoe.jpg", ContentFile(located_jpeg(trailing=zip_archive())), save=True)
    machine = EquipmentFactory.create(hub=hub, equipment_type="laser-cutter")
    machine.photo.save("laser.jpg", ContentFile(located_jpeg()), save=True)
    rows = [listing_photo, passport, project_image, machine]
    files = [listing_photo.image, passport.photo, project_image.image, machine.photo]
    originals = [Path(file.path) for file in files]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reencode_images", stdout=StringIO())
    again = StringIO()
    call_command("reencode_images", stdout=again)

    for row in rows:
        row.refresh_from_db()
    stored = [
        listing_photo.image,
        listing_photo.thumbnail,
        passport.photo,
        project_image.image,
        machine.photo,
    ]
    for file in stored:
        assert_carries_nothing_but_pixels(Path(file.path).read_bytes())
    assert not any(path.exists() for path in originals)
    assert again.getvalue() == "0 stored images re-encoded.\n"
