"""OpenAPI descriptions of parameters that several domains' endpoints share.

`near` and `radius` were described three times, by hand, and one copy drifted: the passport search said
its radius defaulted to 25 km when its form uses 50. Each endpoint now describes them from the numbers
of the form or parser that reads them, in the words below (makeworks.lib.api.filters uses them too, for
the searches whose parameters a FilterSet describes)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

# A badge class is named in the paths of two domains (badges' own, and passport's awards of it).
BADGE_CLASS_ID = OpenApiParameter(
    "public_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The badge class's public id.",
    examples=[OpenApiExample("id", value="q3dFq0c2rJ7gmRz2sUd2nA")],
)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def near_description(near_note: str = "") -> str:
    """What `near` is; `near_note` says what the place restricts, if not plain."""
    return f"A place name or coordinates (`55.86,-4.25`){near_note}."


def radius_description(*, default_km: float, max_km: float) -> str:
    return f"Kilometres around `near` (default {default_km:g}, at most {max_km:g})."


def near_examples(*, default_km: float) -> dict[str, OpenApiExample]:
    """An example of `near` and of `radius` (its default), by parameter name."""
    return {
        "near": OpenApiExample("place", value="Glasgow"),
        "radius": OpenApiExample("radius", value=_number(default_km)),
    }


def near_parameters(
    *, default_km: float, max_km: float, whole_km: bool = False, near_note: str = ""
) -> list[OpenApiParameter]:
    """`near` (a place) and `radius` (km around it), as every search by place reads them. `whole_km`
    when the radius must be a whole number."""
    examples = near_examples(default_km=default_km)
    return [
        OpenApiParameter(
            "near", OpenApiTypes.STR, description=near_description(near_note), examples=[examples["near"]]
        ),
        OpenApiParameter(
            "radius",
            OpenApiTypes.INT if whole_km else OpenApiTypes.NUMBER,
            description=radius_description(default_km=default_km, max_km=max_km),
            examples=[examples["radius"]],
        ),
    ]


def page_parameters(*, items: str, max_size: int = 100, default_size: int = 20) -> list[OpenApiParameter]:
    """`page` and `page_size` of a search answered in numbered pages, said more plainly than the
    paginator's own description; `items` names what a page holds ("Hits")."""
    return [
        OpenApiParameter(
            "page",
            OpenApiTypes.INT,
            description="Page number, from 1.",
            examples=[OpenApiExample("page", value=1)],
        ),
        OpenApiParameter(
            "page_size",
            OpenApiTypes.INT,
            description=f"{items} per page, 1 to {max_size} (default {default_size}).",
            examples=[OpenApiExample("page size", value=default_size)],
        ),
    ]
