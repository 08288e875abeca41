from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from makeworks.health import healthz
from makeworks.setlang import set_language

# English pages have no prefix and French ones live under /fr/, so every state is a shareable URL.
urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz/", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Open Badges ids are permanent URLs that verifiers compare exactly, so they carry no language prefix.
    path("badges/", include("badges.urls")),
    path("badges/", include("passport.urls")),
    # The partner API is versioned in its path and answers in the request's Accept-Language.
    path("api/", include("api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("console/", include("console.urls")),
    path("machines/", include("machinery_map.urls")),
    path("", include("pages.urls")),
    path("", include("passport.site_urls")),
    path("", include("directory.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
