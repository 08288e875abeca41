"""Filters of the API's list endpoints, built on django-filter so each domain's `filters.py` declares its
query parameters once and drf-spectacular describes them from there (api/schema.py adds the examples).

The form fields answer a bad value the way the API's serializers did before (same 400 and messages), so
moving a list's filters here changes nothing a client sees."""

from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from makeworks.lib.api.parameters import near_description, radius_description

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


class FormFilterSet(ApiFilterSet):
    """A search by the parameters of a domain's own form, the one its HTML page reads (`Meta.form`), so the
    API and the page validate alike, with the same messages. The declared filters describe the parameters
    to the OpenAPI document and name those the form is given (a page-only field such as the map's `page`
    stays out, as the API pages by cursor); they never build form fields of their own. Subclasses turn the
    valid form into the domain's selector call in `filter_queryset`."""

    def form_kwargs(self) -> dict[str, Any]:
        """What the form takes besides the data (the map's form takes its choices)."""
        return {}

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            given = QueryDict(mutable=True)
            for name in self.base_filters:
                if name in self.data:
                    given.setlist(name, self.data.getlist(name))
            form = self._meta.form(given if self.is_bound else None, **self.form_kwargs())
            if unread := set(self.base_filters) - set(form.fields):
                raise ImproperlyConfigured(f"{type(form).__name__} reads no {', '.join(sorted(unread))}")
            self._form = form
        return self._form

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        raise NotImplementedError


class FormFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, answering a bad parameter with each form message as the form words it.
    django-filter's own translation formats every message again with its params, which turns a message
    quoting the visitor's text ("We could not find the place “50%”") into a 500."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(
                {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}
            )
        filtered: QuerySet[Any] = filterset.qs
        return filtered


def near_filter(*, near_note: str = "") -> django_filters.CharFilter:
    """`near`, a place, described as near_parameters describes it."""
    return django_filters.CharFilter(help_text=near_description(near_note))


def radius_filter(*, default_km: float, max_km: float, whole_km: bool = False) -> django_filters.NumberFilter:
    """`radius`, kilometres around `near`: a number, or a whole number when `whole_km`."""
    radius = django_filters.NumberFilter(help_text=radius_description(default_km=default_km, max_km=max_km))
    return extend_schema_field(OpenApiTypes.INT if whole_km else OpenApiTypes.NUMBER)(radius)
