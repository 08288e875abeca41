"""The query parameters of the badges domain's list endpoints."""

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample

from badges.models import Endorsement
from makeworks.lib.api.filters import ApiFilterSet, StrictBooleanFilter


class EndorsementGivenFilter(ApiFilterSet):
    """The endorsements an issuer gives: the standing ones, unless asked for the withdrawn ones too."""

    withdrawn = StrictBooleanFilter(
        method="standing_unless_withdrawn", help_text=_("Also list withdrawn endorsements (default false).")
    )
    examples = {"withdrawn": OpenApiExample("standing only", value=False)}

    class Meta:
        model = Endorsement
        fields = ["withdrawn"]

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        # A filter runs only when given; this one must also run when left out, to hide withdrawn ones.
        if data is not None and not data.get("withdrawn"):
            data = data.copy()
            data["withdrawn"] = "false"
        super().__init__(data, *args, **kwargs)

    def standing_unless_withdrawn(
        self, queryset: QuerySet[Endorsement], name: str, value: bool
    ) -> QuerySet[Endorsement]:
        return queryset if value else queryset.filter(withdrawn_at__isnull=True)
