"""Passport pages for people, under the language prefix (/fr/...): members' passports and the public
verifier. The Open Badges documents, whose URLs must never change, are in passport.urls."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "passport_site"

urlpatterns: list[URLPattern] = []
