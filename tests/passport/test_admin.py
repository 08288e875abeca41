"""Awards in the admin: readable, never edited or deleted there, revoked through the service with a reason."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from badges.models import BadgeClass
from passport import services
from passport.models import Assertion
from tests.passport.conftest import EARNER

pytestmark = pytest.mark.django_db

Issue = Callable[..., Assertion]
CHANGELIST = "/admin/passport/assertion/"


@pytest.fixture
def admin_client_logged_in(client: Client) -> Client:
    admin = User.objects.create_superuser("curator", "curator@makeworks.example", "pw")
    client.force_login(admin)
    return client


def test_the_admin_shows_an_award_without_its_pending_address(
    png_class: BadgeClass,
    admin_client_logged_in: Client,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[attr-defined]
        assertion = services.assertion_issue(badge_class=png_class, recipient_email=EARNER)

    listing = admin_client_logged_in.get(CHANGELIST)
    page = admin_client_logged_in.get(f"{CHANGELIST}{assertion.pk}/change/")

    assert assertion.public_id in listing.content.decode()
    assert page.status_code == 200
    assert assertion.recipient_identity in page.content.decode()
    assert EARNER.lower() not in page.content.decode().lower()
    assert admin_client_logged_in.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client_logged_in.get(f"{CHANGELIST}{assertion.pk}/delete/").status_code == 403


def test_the_revoke_action_asks_for_a_reason_then_revokes(
    png_class: BadgeClass, issue: Issue, admin_client_logged_in: Client
) -> None:
    first, second = issue(badge_class=png_class), issue(badge_class=png_class)
    selection = {"action": "revoke_selected", "_selected_action": [first.pk, second.pk]}

    asked = admin_client_logged_in.post(CHANGELIST, selection)
    refused = admin_client_logged_in.post(CHANGELIST, {**selection, "apply": "Revoke", "reason": ""})
    done = admin_client_logged_in.post(
        CHANGELIST, {**selection, "apply": "Revoke", "reason": "Course cancelled."}
    )

    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert done.status_code == 302
    assert list(Assertion.objects.filter(revoked=True).values_list("revocation_reason", flat=True)) == [
        "Course cancelled.",
        "Course cancelled.",
    ]
