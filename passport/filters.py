"""The query parameters of the passport domain's list endpoints."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample

from makeworks.lib.api.filters import MAX_LENGTH, ApiFilterSet, StrictBooleanFilter
from passport.models import Assertion


class IssuedAssertionFilter(ApiFilterSet):
    """An issuer's awarded badges, by class and by whether they stand."""

    badge_class = django_filters.CharFilter(
        field_name="badge_class__public_id",
        max_length=32,
        help_text=_("Only badges of this class (its public id)."),
        error_messages={"max_length": MAX_LENGTH},
    )
    revoked = StrictBooleanFilter(help_text=_("Only revoked (true) or standing (false) badges."))
    examples = {
        "badge_class": OpenApiExample("class", value="q3dFq0c2rJ7gmRz2sUd2nA"),
        "revoked": OpenApiExample("standing", value=False),
    }

    class Meta:
        model = Assertion
        fields = ["badge_class", "revoked"]
