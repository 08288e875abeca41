"""The API's model serializers build their fields from the model once per class (for speed) and hand
every instance a copy of its own: the same fields DRF would build each time, never shared."""

from rest_framework import serializers

from makeworks.lib.api.base import ModelSerializer
from passport.serializers import AssertionSerializer, IssuedAssertionSerializer
from tests.api.test_strict_text import our_serializers


def built_by_drf(cls: type[serializers.ModelSerializer]) -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = serializers.ModelSerializer.get_fields(cls())
    return fields


def test_every_api_model_serializer_gets_the_fields_drf_would_build() -> None:
    model_serializers = [cls for cls in set(our_serializers()) if issubclass(cls, ModelSerializer)]
    assert IssuedAssertionSerializer in model_serializers

    for cls in model_serializers:
        for _instance in range(2):
            fields = cls().get_fields()
            assert {name: repr(field) for name, field in fields.items()} == {
                name: repr(field) for name, field in built_by_drf(cls).items()
            }, cls.__qualname__


def test_each_serializer_instance_has_fields_of_its_own() -> None:
    first, second = IssuedAssertionSerializer(), IssuedAssertionSerializer()

    assert first.fields["narrative"] is not second.fields["narrative"]
    assert first.fields["badge_class"] is not second.fields["badge_class"]
    first.fields.pop("jws")
    first.fields["narrative"].help_text = "Changed on one instance."
    assert "jws" in IssuedAssertionSerializer().fields
    assert second.fields["narrative"].help_text == "Markdown."
    assert IssuedAssertionSerializer().fields["narrative"].help_text == "Markdown."


def test_a_subclass_builds_its_own_fields_not_its_parents() -> None:
    assert "jws" not in AssertionSerializer().fields
    assert "jws" in IssuedAssertionSerializer().fields
    assert "jws" not in AssertionSerializer().fields
