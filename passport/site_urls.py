"""Passport pages for people, under the language prefix (/fr/...): members' passports and the public
verifier. The Open Badges documents, whose URLs must never change, are in passport.urls."""

from django.urls import URLPattern, path, re_path

from passport.views import claims, passports
from passport.views.verify import verify

app_name = "passport_site"

urlpatterns: list[URLPattern] = [
    path("verify/", verify, name="verify"),
    path("p/", passports.maker_search, name="makers"),
    path("p/<slug:handle>/", passports.passport_detail, name="passport"),
    path("p/<slug:handle>/export.json", passports.passport_export, name="export"),
    re_path(
        r"^p/(?P<handle>[-a-zA-Z0-9_]+)/badges/(?P<kind>platform|external)/(?P<public_id>[-a-zA-Z0-9_]+)/$",
        passports.passport_badge,
        name="passport_badge",
    ),
    path("passport/", passports.my_passport, name="mine"),
    path("passport/edit/", passports.passport_edit, name="edit"),
    path("passport/badges/add/", passports.badge_add, name="badge_add"),
    path("passport/claim/<str:token>/", claims.badge_claim, name="claim"),
    path("passport/badges/platform/<slug:public_id>/decide/", claims.badge_decide, name="badge_decide"),
    re_path(
        r"^passport/badges/(?P<kind>platform|external)/(?P<public_id>[-a-zA-Z0-9_]+)/visibility/$",
        passports.badge_visibility,
        name="badge_visibility",
    ),
    path("passport/badges/external/<slug:public_id>/remove/", passports.badge_remove, name="badge_remove"),
    path("passport/affiliations/add/", passports.affiliation_add, name="affiliation_add"),
    path("passport/affiliations/<int:pk>/remove/", passports.affiliation_remove, name="affiliation_remove"),
    path(
        "passport/affiliations/to-confirm/", passports.affiliations_to_confirm, name="affiliations_to_confirm"
    ),
    path("passport/projects/add/", passports.project_add, name="project_add"),
    path("passport/projects/<int:pk>/remove/", passports.project_remove, name="project_remove"),
    path("passport/delete-account/", passports.account_delete, name="account_delete"),
]
