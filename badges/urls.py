"""Public Open Badges URLs. They are mounted outside the language prefixes: a badge's id must be one
URL forever, whatever language its reader uses."""

from django.urls import path

from badges import views

app_name = "badges"

urlpatterns = [
    path("issuers/<slug:slug>/", views.issuer, name="issuer"),
    path("issuers/<slug:slug>/image", views.issuer_image, name="issuer_image"),
    path("classes/<slug:public_id>/", views.badge_class, name="badge_class"),
    path("classes/<slug:public_id>/image", views.badge_class_image, name="badge_class_image"),
    path("keys/<slug:public_id>/", views.key, name="key"),
    path("endorsements/<slug:public_id>/", views.endorsement, name="endorsement"),
]
