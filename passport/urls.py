from django.urls import path, re_path

from passport import views

app_name = "passport"

urlpatterns = [
    path("assertions/<slug:public_id>/", views.assertion_detail, name="assertion"),
    re_path(
        r"^assertions/(?P<public_id>[-a-zA-Z0-9_]+)/baked\.(?P<extension>png|svg)$",
        views.assertion_baked,
        name="assertion_baked",
    ),
    path("issuers/<slug:slug>/revocations/", views.revocation_list, name="revocation_list"),
]
