from django.urls import path

from directory.views import browse

app_name = "directory"

urlpatterns = [
    path("", browse.home, name="home"),
    path("search/", browse.search, name="search"),
    path("search/suggest/", browse.suggestions, name="suggest"),
    path("nodes/<slug:slug>/", browse.node_detail, name="node"),
    path("listings/<slug:slug>/", browse.listing_detail, name="listing"),
]
