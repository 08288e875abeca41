from django.urls import path

from machinery_map import views

app_name = "machinery_map"

urlpatterns = [
    path("", views.machine_map, name="map"),
    path("can-i-make/", views.can_i_make, name="can_i_make"),
    path("okw.json", views.all_okw_json, name="all_okw_json"),
    path("okw.yaml", views.all_okw_yaml, name="all_okw_yaml"),
    path("<slug:slug>/", views.hub_detail, name="hub"),
    path("<slug:slug>/okw.json", views.hub_okw_json, name="okw_json"),
    path("<slug:slug>/okw.yaml", views.hub_okw_yaml, name="okw_yaml"),
    path("<slug:slug>/equipment/new/", views.equipment_new, name="equipment_new"),
    path("<slug:slug>/equipment/<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
    path("<slug:slug>/equipment/<int:pk>/delete/", views.equipment_delete, name="equipment_delete"),
]
