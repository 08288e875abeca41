"""A service's refusal shows on the form that asked for the change: beside the field it is about, or
above the form when the form has no such field."""

from django import forms
from django.core.exceptions import ValidationError

from makeworks.lib.forms import form_errors_from


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_about_a_field_of_the_form_shows_beside_that_field() -> None:
    form = NameForm({"name": "Clyde"})
    assert form.is_valid()

    form_errors_from(form, ValidationError({"name": "This name is taken.", "slug": "That address is taken."}))

    assert form.errors["name"] == ["This name is taken."]
    assert form.non_field_errors() == ["That address is taken."]


def test_a_refusal_about_nothing_in_particular_shows_above_the_form() -> None:
    form = NameForm({"name": "Clyde"})
    assert form.is_valid()

    form_errors_from(form, ValidationError("The hub is closed."))

    assert form.non_field_errors() == ["The hub is closed."]
    assert "name" not in form.errors
