"""Filters of the API's list endpoints, built on django-filter so each domain's `filters.py` declares its
query parameters once and drf-spectacular describes them from there (api/schema.py adds the examples).

The form fields answer a bad value the way the API's serializers did before (same 400 and messages), so
moving a list's filters here changes nothing a client sees."""

from typing import Any, ClassVar

import django_filters
from django import forms
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample

# DRF's spellings of true, false and "no filter", which the API accepted before its filters moved here.
TRUE_TEXTS = frozenset({"t", "y", "yes", "true", "on", "1"})
FALSE_TEXTS = frozenset({"f", "n", "no", "false", "off", "0"})
NULL_TEXTS = frozenset({"null", ""})

INVALID_CHOICE = gettext_lazy('"%(value)s" is not a valid choice.')
MAX_LENGTH = gettext_lazy("Ensure this field has no more than %(limit_value)d characters.")
INVALID_SLUG = gettext_lazy('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.')


class StrictBooleanField(forms.Field):
    """true or false, and a 400 for anything else: a form's BooleanField reads "perhaps" as true and
    django-filter's as "no filter", both of which would hide a client's typo."""

    widget = forms.TextInput
    default_error_messages = {"invalid": gettext_lazy("Must be a valid boolean.")}

    def to_python(self, value: Any) -> bool | None:
        text = str(value).strip().lower() if value is not None else ""
        if text in TRUE_TEXTS:
            return True
        if text in FALSE_TEXTS:
            return False
        if text in NULL_TEXTS:
            return None
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class SlugFilter(django_filters.CharFilter):
    """A slug, with DRF's message for one that is not."""

    field_class = forms.SlugField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": INVALID_SLUG})
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.FilterSet):
    """A list endpoint's filters. `examples` gives the OpenAPI document an example per parameter, which
    drf-spectacular's django-filter support has no place for."""

    examples: ClassVar[dict[str, OpenApiExample]] = {}
