from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggestions, name="suggest"),
    path("nodes/<slug:slug>/", views.node_detail, name="node"),
    path("listings/<slug:slug>/", views.listing_detail, name="listing"),
]
