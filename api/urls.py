"""/api/: version 1 of the partner API, built from each domain's api module (and the front door's own
key endpoint), its OpenAPI schema, and the Swagger UI and Redoc pages that read it (served from our own
static files)."""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.docs import RedocView, SwaggerView
from api.errors import not_found
from api.keys import api as keys_api
from badges import api as badges_api
from directory import api as directory_api
from machinery_map import api as machinery_map_api
from passport import api as passport_api

v1: list[URLPattern | URLResolver] = [
    *directory_api.urlpatterns,
    *badges_api.urlpatterns,
    *passport_api.urlpatterns,
    *machinery_map_api.urlpatterns,
    *keys_api.urlpatterns,
]

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    # Any other address under /api/ answers a JSON 404, in the shape of the API's errors.
    re_path(r"^.*$", not_found),
]
