"""A member's photo and project images are published re-encoded: nothing of where they were taken or by
whom reaches the passport page, the API or the storage behind them."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from passport.models import Passport, ProjectImage, Visibility
from passport.services.passports import passport_ensure
from tests.factories import UserFactory
from tests.images import assert_carries_nothing_but_pixels, located_jpeg, media_files_linked, zip_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    return UserFactory.create(username="ada")


@pytest.fixture
def passport(member: User) -> Passport:
    return passport_ensure(user=member)


def phone_photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, located_jpeg(trailing=zip_archive()), "image/jpeg")


def api_image_urls(body: dict[str, Any]) -> list[str]:
    urls = [body["photo"]]
    for project in body["experience"]:
        urls += [image["url"] for image in project["images"]]
    return urls


def test_a_members_photo_and_project_image_are_published_without_location_author_or_zip(
    client: Client, member: User, passport: Passport
) -> None:
    client.force_login(member)
    client.post(
        reverse("passport_site:edit"),
        {
            "display_name": "Ada",
            "handle": "ada",
            "visibility": Visibility.PUBLIC,
            "photo": phone_photo("me.jpg"),
        },
    )
    client.post(
        reverse("passport_site:project_add"), {"title": "Canoe", "images": [phone_photo("canoe at home.jpg")]}
    )

    page = Client().get(reverse("passport_site:passport", args=["ada"]))
    api = Client().get("/api/v1/passports/ada/").json()
    linked = {str(path) for path in media_files_linked(page.content, also=api_image_urls(api))}
    passport.refresh_from_db()
    image = ProjectImage.objects.get(project__passport=passport)
    stored = {passport.photo.path, image.image.path}

    assert linked == stored
    for path in stored:
        assert_carries_nothing_but_pixels(Path(path).read_bytes())
    assert "home" not in str(image.image.name)
