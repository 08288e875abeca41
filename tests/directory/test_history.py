"""A listing's history and a node's latest changes are read from the one audit log: who changed what,
field by field, with the listing's name kept once it is deleted."""

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from directory import services
from directory.models import ChangeAction
from tests.directory.conftest import Catalogue


def test_a_listings_history_page_shows_who_changed_which_field_from_what_to_what(
    catalogue: Catalogue, admin_client: Client, admin_user: User
) -> None:
    services.listing_update(listing=catalogue.clyde, summary="Plywood, cut to size.", actor=admin_user)

    page = admin_client.get(
        reverse("directory:listing_history", args=[catalogue.clyde.slug])
    ).content.decode()

    assert "Edited" in page
    assert admin_user.email in page
    assert "<strong>summary</strong>" in page
    assert "→ Plywood, cut to size." in page
    assert "Created" in page


def test_the_curation_page_lists_the_latest_changes_to_its_own_nodes_listings_with_links(
    catalogue: Catalogue, admin_client: Client, admin_user: User
) -> None:
    services.listing_update(listing=catalogue.clyde, summary="Plywood, cut to size.", actor=admin_user)
    services.listing_update(listing=catalogue.belleville, summary="Ateliers in Belleville.", actor=admin_user)

    page = admin_client.get(
        reverse("directory:node_curation", args=[catalogue.glasgow.slug])
    ).content.decode()
    changes = page.split('id="changes-heading"', 1)[1]

    assert f'<a href="{catalogue.clyde.get_absolute_url()}">{catalogue.clyde.name}</a>' in changes
    assert "Plywood, cut to size." in changes
    assert catalogue.belleville.name not in changes


def test_a_deleted_listing_leaves_its_history_in_the_log_under_its_name(
    catalogue: Catalogue, admin_user: User
) -> None:
    listing_id = catalogue.kelvin.pk
    services.listing_delete(listing=catalogue.kelvin, actor=admin_user)

    kept = AuditEntry.objects.filter(object_type="directory.listing", object_id=str(listing_id))
    assert kept.filter(action=ChangeAction.DELETED, actor=admin_user).exists()
    assert set(kept.values_list("object_label", flat=True)) == {"Kelvin Timber Supply"}
