from django.urls import path

from directory.views import browse, contact, curation, editing, opendata, places

app_name = "directory"

urlpatterns = [
    path("search/", browse.search, name="search"),
    path("search/suggest/", browse.suggestions, name="suggest"),
    path("places/suggest/", places.place_suggest, name="place_suggest"),
    path("nodes/<slug:slug>/", browse.node_detail, name="node"),
    path("nodes/<slug:slug>/listings.csv", opendata.node_export_csv, name="node_export_csv"),
    path("nodes/<slug:slug>/listings.json", opendata.node_export_json, name="node_export_json"),
    path("listings.csv", opendata.export_csv, name="export_csv"),
    path("listings.json", opendata.export_json, name="export_json"),
    path("nodes/<slug:slug>/curate/", curation.node_curation, name="node_curation"),
    path("listings/new/", editing.listing_new, name="listing_new"),
    path("listings/<slug:slug>/", browse.listing_detail, name="listing"),
    path("listings/<slug:slug>/edit/", editing.listing_edit, name="listing_edit"),
    path("listings/<slug:slug>/photos/", editing.listing_photos, name="listing_photos"),
    path("listings/<slug:slug>/claim/", editing.listing_claim, name="listing_claim"),
    path("listings/<slug:slug>/contact/", contact.listing_contact, name="listing_contact"),
    path("listings/<slug:slug>/history/", curation.listing_history, name="listing_history"),
    path("listings/<slug:slug>/status/", curation.listing_status, name="listing_status"),
    path("claims/<int:pk>/decide/", curation.claim_decide, name="claim_decide"),
]
