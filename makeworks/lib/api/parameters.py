"""OpenAPI descriptions of query parameters that several domains' endpoints share.

`near` and `radius` were described three times, by hand, and one copy drifted: the passport search said
its radius defaulted to 25 km when its form uses 50. Each endpoint now describes them from the numbers
of the form or parser that reads them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def near_parameters(
    *, default_km: float, max_km: float, whole_km: bool = False, near_note: str = ""
) -> list[OpenApiParameter]:
    """`near` (a place) and `radius` (km around it), as every search by place reads them. `whole_km`
    when the radius must be a whole number; `near_note` says what the place restricts, if not plain."""
    return [
        OpenApiParameter(
            "near",
            OpenApiTypes.STR,
            description=f"A place name or coordinates (`55.86,-4.25`){near_note}.",
            examples=[OpenApiExample("place", value="Glasgow")],
        ),
        OpenApiParameter(
            "radius",
            OpenApiTypes.INT if whole_km else OpenApiTypes.NUMBER,
            description=f"Kilometres around `near` (default {default_km:g}, at most {max_km:g}).",
            examples=[OpenApiExample("radius", value=_number(default_km))],
        ),
    ]
