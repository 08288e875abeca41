"""A photo added or replaced in the listing admin is stored re-encoded, as on the owner's page."""

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from directory.models import ListingPhoto
from tests.directory.conftest import Catalogue
from tests.factories import UserFactory
from tests.images import assert_carries_nothing_but_pixels, located_jpeg, zip_archive

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """What a browser would submit from a page's form, as it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("file", "submit", "button"):
            if attributes.get("type") in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._add(name, attributes.get("value") or "on")
            else:
                self._add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._add(self._select, attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def _add(self, name: str, value: str) -> None:
        if name in self.data:
            existing = self.data[name]
            self.data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            self.data[name] = value


def form_of(client: Client, url: str) -> dict[str, Any]:
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.data


def phone_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("at home.jpg", located_jpeg(trailing=zip_archive()), "image/jpeg")


def test_a_photo_added_and_then_replaced_in_the_admin_is_stored_re_encoded(
    client: Client, catalogue: Catalogue, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    url = reverse("admin:directory_listing_change", args=[catalogue.clyde.pk])

    data = form_of(client, url) | {"photos-0-image": phone_photo(), "photos-0-alt_text": "Floor"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    first = ListingPhoto.objects.get(listing=catalogue.clyde)
    assert_carries_nothing_but_pixels(Path(first.image.path).read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        data = form_of(client, url) | {"photos-0-image": phone_photo()}
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    replaced = ListingPhoto.objects.get(listing=catalogue.clyde)
    assert_carries_nothing_but_pixels(Path(replaced.image.path).read_bytes())
    assert not Path(first.image.path).exists()
