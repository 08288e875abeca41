"""The query parameters of the passport domain's list endpoints."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample

from makeworks.lib.api.filters import (
    MAX_LENGTH,
    ApiFilterSet,
    FormFilterSet,
    StrictBooleanFilter,
    near_filter,
    radius_filter,
)
from makeworks.lib.api.parameters import near_examples
from passport import selectors
from passport.forms import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MakerSearchForm
from passport.models import Assertion, Passport


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


class MakerSearchFilter(FormFilterSet):
    """The /p/ page's search for makers, read by its form: public passports with a standing badge aligned
    to the skill or of the class, near the place if one is given."""

    skill = django_filters.CharFilter(
        help_text="A skill's name, code or URL, as badges are aligned to it (e.g. an ESCO skill)."
    )
    badge = django_filters.CharFilter(help_text="Only holders of a badge of this class (its public id).")
    near = near_filter()
    radius = radius_filter(default_km=DEFAULT_RADIUS_KM, max_km=MAX_RADIUS_KM, whole_km=True)
    examples = {
        "skill": OpenApiExample("ESCO code", value="S8"),
        "badge": OpenApiExample("class", value="q3dFq0c2rJ7gmRz2sUd2nA"),
        **near_examples(default_km=DEFAULT_RADIUS_KM),
    }

    class Meta:
        model = Passport
        form = MakerSearchForm
        fields = ["skill", "badge", "near", "radius"]

    def filter_queryset(self, queryset: QuerySet[Passport]) -> QuerySet[Passport]:
        data = self.form.cleaned_data
        search = selectors.MakerSearch(
            skill=data["skill"].strip(), badge_class=data["badge"], near=data["place"]
        )
        return selectors.maker_search(search, among=queryset)
