"""Experience on a passport: projects with a Markdown description (sanitised), links and images
checked with Pillow; anything bad is refused with the reason and nothing is stored."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from passport.models import ExperienceProject, Passport, ProjectImage
from passport.services.passports import passport_ensure
from tests.factories import UserFactory, badge_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    return UserFactory.create(username="ada")


@pytest.fixture
def passport(member: User) -> Passport:
    return passport_ensure(user=member)


def test_a_project_with_images_and_links_shows_on_the_passport(
    client: Client, member: User, passport: Passport
) -> None:
    client.force_login(member)

    response = client.post(
        reverse("passport_site:project_add"),
        {
            "title": "Plywood canoe",
            "description": "Cut on the **CNC**. <img src=x onerror=alert(1)>",
            "links": "https://example.org/canoe\nhttps://example.org/video\n",
            "images": [
                SimpleUploadedFile("hull.png", badge_png("#884400"), "image/png"),
                SimpleUploadedFile("deck.png", badge_png("#448800"), "image/png"),
            ],
            "image_description": "The canoe on the water",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "<strong>CNC</strong>" in page
    assert "onerror" not in page
    assert 'href="https://example.org/canoe"' in page
    project = ExperienceProject.objects.get(passport=passport)
    assert project.links == ["https://example.org/canoe", "https://example.org/video"]
    assert [image.alt_text for image in project.images.all()] == ["The canoe on the water"] * 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("links", "javascript:alert(1)", "“javascript:alert(1)” is not a web address (http or https)."),
        (
            "images",
            SimpleUploadedFile("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
            "SVG drawings cannot be used here.",
        ),
        (
            "images",
            SimpleUploadedFile("fake.png", b"GIF89a nonsense", "image/png"),
            "not an image we can read",
        ),
    ],
)
def test_a_bad_link_or_image_is_refused_and_nothing_is_stored(
    client: Client, member: User, passport: Passport, settings: Any, field: str, value: Any, message: str
) -> None:
    client.force_login(member)

    response = client.post(reverse("passport_site:project_add"), {"title": "Canoe", field: value})

    assert message in response.content.decode()
    assert not ExperienceProject.objects.exists()
    assert not ProjectImage.objects.exists()
    assert not Path(settings.MEDIA_ROOT, "passports").exists()


def test_only_the_member_removes_their_project(client: Client, member: User, passport: Passport) -> None:
    project = ExperienceProject.objects.create(passport=passport, title="Canoe")
    url = reverse("passport_site:project_remove", kwargs={"pk": project.pk})
    client.force_login(UserFactory.create())

    assert client.post(url).status_code == 404
    assert ExperienceProject.objects.filter(pk=project.pk).exists()
    client.force_login(member)
    client.post(url)
    assert not ExperienceProject.objects.filter(pk=project.pk).exists()
