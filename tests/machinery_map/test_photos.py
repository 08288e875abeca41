"""A machine's photo is published re-encoded: the hub page, the API and the storage behind them hold
nothing of where it was taken or by whom, and a replaced photo leaves no file behind."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from directory.models import Listing
from machinery_map.models import Equipment
from tests.factories import UserFactory
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
