"""The issuers' audit log and the listings' history move into the one audit log without losing a line,
and back again if the migration is undone."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEntry
from badges import services as badge_services
from directory import services as directory_services
from passport import services as passport_services
from tests.factories import BadgeClassFactory, IssuerFactory, ListingFactory, UserFactory

BEFORE = [("badges", "0005_key_secret_fingerprint"), ("directory", "0005_delivery_queued_at")]
AFTER = [("badges", "0007_delete_auditentry"), ("directory", "0007_delete_listingchange")]


def migrated(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def lines() -> list[tuple[Any, ...]]:
    return [
        (e.created_at, e.actor_id, e.action, e.object_type, e.object_id, e.scope_type, e.scope_id, e.data)
        for e in AuditEntry.objects.order_by("created_at", "object_type", "pk")
    ]


@pytest.fixture
def _latest_schema_after() -> Any:
    """Whatever the test leaves, the tests after it find every migration applied (later ones included)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_latest_schema_after")
def test_every_line_of_both_old_logs_lands_in_the_one_audit_log_and_back() -> None:
    owner = UserFactory.create(username="owner")
    issuer = IssuerFactory.create(name="Fablab Glasgow", owner=owner)
    badge_class = BadgeClassFactory.create(issuer=issuer)
    badge_services.issuer_update(
        issuer=issuer,
        actor=owner,
        name="Fablab Glasgow",
        url="https://fablab.example",
        email="hi@fablab.example",
    )
    assertion = passport_services.assertion_issue(
        badge_class=badge_class, recipient_email="ada@example.org", send_email=False, actor=owner
    )
    passport_services.assertion_revoke(assertion=assertion, reason="Issued in error", actor=owner)
    listing = ListingFactory.create(name="Clyde Plywood Works")
    directory_services.listing_update(listing=listing, summary="Plywood, cut to size.", actor=owner)
    written = lines()
    issuer_lines = AuditEntry.objects.filter(scope_type="badges.issuer").count()
    listing_lines = AuditEntry.objects.filter(object_type="directory.listing").count()
    assert issuer_lines >= 4
    assert listing_lines >= 2

    old = migrated(BEFORE)
    assert old.get_model("badges", "AuditEntry").objects.count() == issuer_lines
    assert old.get_model("directory", "ListingChange").objects.count() == listing_lines
    old_history = old.get_model("directory", "ListingChange").objects.filter(listing_id=listing.pk)
    assert {change.listing_name for change in old_history} == {"Clyde Plywood Works"}
    assert (
        old.get_model("badges", "AuditEntry")
        .objects.filter(object_type="issuer", object_id=issuer.slug)
        .exists()
    )
    assert AuditEntry.objects.count() == 0

    migrated(AFTER)

    assert lines() == written
    history = AuditEntry.objects.filter(object_type="directory.listing", object_id=str(listing.pk))
    labels = history.values_list("object_label", flat=True)
    assert set(labels) == {"Clyde Plywood Works"}
