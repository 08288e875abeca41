"""Form widgets other domains' forms may use (listed as public in pyproject's import contracts)."""

from typing import Any

from django import forms
from django.urls import reverse_lazy


class PlaceInput(forms.TextInput):
    """A text field for a town that static/js/places.js turns into a list of suggestions as one types.

    The contract with the script is one attribute, data-place-suggest="<the suggestions URL>"; without
    JavaScript it stays a plain text field, which the place resolver reads as typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's own autofill list would cover ours.
        defaults = {"data-place-suggest": reverse_lazy("directory:place_suggest"), "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})
