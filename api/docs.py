"""The API's documentation pages, Swagger UI and Redoc, under the site's Content-Security-Policy.

drf-spectacular's own pages start their UI with an inline script and style themselves inline. Here
Swagger UI takes its start-up script as a file of its own (drf-spectacular's split view), Redoc is
started by static/js/redoc-init.js, and both take their few page rules from a stylesheet: no inline
script anywhere. Redoc alone still needs more than the site's policy: it writes its styles into <style>
elements as its bundle loads (before any nonce could be handed to it), and runs its search in a worker
made from a blob. So its page, and only it, allows inline styles and blob workers; scripts stay 'self'.
Its sidebar's Redocly logo, on Redocly's CDN, stays refused: Redoc then hides it.
"""

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().get(request, *args, **kwargs)
        response._csp_replace = {"style-src": ["'self'", "'unsafe-inline'"]}
        response._csp_update = {"worker-src": ["'self'", "blob:"]}
        return response
