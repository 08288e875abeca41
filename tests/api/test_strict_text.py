"""Text fields of the API take text only, and names and titles lose the invisible characters that would
make them display as something else, whichever way they come in."""

import importlib
from collections.abc import Iterator

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from badges.models import BadgeClass, Issuer
from makeworks.lib.api.base import StrictCharField
from tests.api.conftest import bearer
from tests.api.test_badges_api import NEW_CLASS, classes_url
from tests.api.test_machines import NEW_MACHINE, hub_machines_url, taxonomy

APPS = ("accounts", "badges", "directory", "machinery_map", "api", "passport", "makeworks")
# Text a client cannot get wrong by sending a number: a number is no e-mail address or web address.
FORMAT_CHECKED = (serializers.EmailField, serializers.URLField)


def our_serializers() -> Iterator[type[serializers.BaseSerializer]]:
    importlib.import_module("api.urls")  # imports every app's API and its serializers
    pending = list(serializers.BaseSerializer.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        abstract = issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta")
        if cls.__module__.split(".")[0] in APPS and not abstract:
            yield cls


def text_fields(field: serializers.Field | None, path: str) -> Iterator[tuple[str, serializers.Field]]:
    if isinstance(field, serializers.ListSerializer):
        yield from text_fields(field.child, path)
    elif isinstance(field, serializers.Serializer):
        for name, child in field.fields.items():
            yield from text_fields(child, f"{path}.{name}")
    elif isinstance(field, serializers.ListField | serializers.DictField):
        yield from text_fields(field.child, f"{path}[]")
    elif isinstance(field, serializers.CharField) and not isinstance(field, FORMAT_CHECKED):
        yield path, field


def test_every_text_field_of_every_api_serializer_refuses_numbers() -> None:
    lax = sorted(
        path
        for cls in set(our_serializers())
        for path, field in text_fields(cls(), cls.__qualname__)
        if not isinstance(field, StrictCharField)
    )
    assert lax == []


def test_a_number_as_a_badge_class_name_is_a_400_naming_the_field(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        classes_url(issuer_a), NEW_CLASS | {"name": 12345, "tags": [7]}, format="json", **bearer(manage_key_a)
    )

    assert answer.status_code == 400
    body = answer.json()
    assert set(body["fields"]) == {"name", "tags.0"}
    assert body["fields"]["name"] == ["Send text here (a JSON string), not a number or true/false."]
    assert not BadgeClass.objects.filter(name="12345").exists()


def test_bidi_controls_are_stripped_from_a_badge_class_name_sent_to_the_api(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    spoofed = "Laser \u202egnp.exe\u202c safety \u2066x\u2069\u200f"
    answer = client_api.post(
        classes_url(issuer_a), NEW_CLASS | {"name": spoofed}, format="json", **bearer(manage_key_a)
    )

    assert answer.status_code == 201, answer.json()
    assert answer.json()["name"] == "Laser gnp.exe safety x"
    badge_class = BadgeClass.objects.get(public_id=answer.json()["id"])
    assert badge_class.name == "Laser gnp.exe safety x"
    url = reverse("badges:badge_class", args=[badge_class.public_id])
    page = client_api.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert "Laser gnp.exe safety x" in page.content.decode()
    assert "\u202e" not in page.content.decode()


@pytest.mark.usefixtures(taxonomy.__name__)
def test_bidi_controls_are_stripped_from_a_machine_sent_to_the_api(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        hub_machines_url(issuer_a),
        NEW_MACHINE | {"make": "\u202eTrotec", "model": "Speedy\u2067 400"},
        format="json",
        **bearer(manage_key_a),
    )

    assert answer.status_code == 201, answer.json()
    assert (answer.json()["make"], answer.json()["model"]) == ("Trotec", "Speedy 400")


@pytest.mark.usefixtures(taxonomy.__name__)
@pytest.mark.parametrize("value", [12345, 1.5, True, ["a"], {"a": 1}])
def test_a_machine_make_that_is_not_text_is_refused(
    value: object, issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        hub_machines_url(issuer_a), NEW_MACHINE | {"make": value}, format="json", **bearer(manage_key_a)
    )

    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["make"]
