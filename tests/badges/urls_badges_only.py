"""A site with the badges app but not the passport app, to check the issuer profile still links its list."""

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [path("badges/", include("badges.urls"))]
