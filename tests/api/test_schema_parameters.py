"""What the OpenAPI schema tells partners about the query parameters searches share matches what the
searches do: a partner who leaves out `radius` gets the radius the documentation promised."""

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from directory.search import params as directory_params
from passport import forms as passport_forms

PLACE_SEARCHES = [
    ("listings_search", directory_params.DEFAULT_RADIUS_KM, directory_params.MAX_RADIUS_KM),
    ("machines_list", directory_params.DEFAULT_RADIUS_KM, directory_params.MAX_RADIUS_KM),
    ("passports_search", passport_forms.DEFAULT_RADIUS_KM, passport_forms.MAX_RADIUS_KM),
]


def operation(schema: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for methods in schema["paths"].values():
        for described in methods.values():
            if isinstance(described, dict) and described.get("operationId") == operation_id:
                return described
    raise AssertionError(f"no operation {operation_id}")


@pytest.mark.parametrize(("operation_id", "default_km", "max_km"), PLACE_SEARCHES)
def test_each_search_by_place_documents_the_radius_it_applies(
    db: None, client_api: APIClient, operation_id: str, default_km: float, max_km: float
) -> None:
    schema = client_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    radius = next(p for p in operation(schema, operation_id)["parameters"] if p["name"] == "radius")
    documented = re.search(r"default (\d+(?:\.\d+)?), at most (\d+(?:\.\d+)?)", radius["description"])

    assert documented is not None, radius["description"]
    assert (float(documented[1]), float(documented[2])) == (default_km, max_km)
    assert [example["value"] for example in radius["examples"].values()] == [default_km]
