"""One audit log for every domain: a line is written with the change it describes or not at all, and is
read per object and per hub."""

import pytest
from django.db import transaction

from audit import selectors
from audit.services import audit_log
from badges.models import AuditAction
from directory import services as directory_services
from directory.models import ChangeAction, Listing
from passport import services as passport_services
from tests.factories import BadgeClassFactory, IssuerFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


class UndoneError(Exception):
    pass


@transaction.atomic
def edit_then_fail(listing: Listing) -> None:
    directory_services.listing_update(listing=listing, summary="Steel.")
    raise UndoneError


def test_a_change_that_is_rolled_back_leaves_no_line_in_the_log() -> None:
    listing = ListingFactory.create(summary="Plywood.")
    before = selectors.entries_for_object(listing).count()

    with pytest.raises(UndoneError):
        edit_then_fail(listing)

    listing.refresh_from_db()
    assert listing.summary == "Plywood."
    assert selectors.entries_for_object(listing).count() == before


def test_a_badge_reads_its_own_lines_and_its_hub_reads_every_line_written_within_it() -> None:
    owner = UserFactory.create()
    issuer = IssuerFactory.create(owner=owner)
    other = IssuerFactory.create()
    badge_class = BadgeClassFactory.create(issuer=issuer)
    assertion = passport_services.assertion_issue(
        badge_class=badge_class, recipient_email="ada@example.org", send_email=False, actor=owner
    )
    passport_services.assertion_revoke(assertion=assertion, reason="Wrong person", actor=owner)
    elsewhere = passport_services.assertion_issue(
        badge_class=BadgeClassFactory.create(issuer=other), recipient_email="bo@example.org", send_email=False
    )

    badge_lines = [entry.action for entry in selectors.entries_for_object(assertion)]
    hub_lines = list(selectors.entries_for_scope(issuer))

    assert badge_lines == [AuditAction.ASSERTION_REVOKED, AuditAction.ASSERTION_ISSUED]
    assert [entry.action for entry in hub_lines[:2]] == badge_lines
    assert elsewhere.public_id not in {entry.object_id for entry in hub_lines}
    assert hub_lines[0].get_action_display() == "Badge revoked"
    assert hub_lines[0].actor == owner


def test_an_action_no_domain_declares_is_refused() -> None:
    listing = ListingFactory.create()

    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_log(actor=None, action="directory.listing.painted", obj=listing)

    assert ChangeAction.CREATED in {entry.action for entry in selectors.entries_for_object(listing)}
