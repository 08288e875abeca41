"""The query parameters of the listings list endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample

from directory.models import Listing, ListingKind
from makeworks.lib.api.filters import INVALID_CHOICE, ApiFilterSet, SlugFilter


class ListingFilter(ApiFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=ListingKind.choices,
        help_text=_("Only this kind."),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    node = SlugFilter(field_name="node__slug", help_text=_("Only the node with this slug."))
    examples = {
        "kind": OpenApiExample("kind", value="supplier"),
        "node": OpenApiExample("node", value="glasgow"),
    }

    class Meta:
        model = Listing
        fields = ["kind", "node"]
