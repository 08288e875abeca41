"""The owners' pages of the console: giving people roles, changing and taking them away, rotating and
revoking signing keys, and editing the issuer profile; each change in the audit log."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEntry
from badges import permissions
from badges import selectors as badge_selectors
from badges import services as badge_services
from badges.models import AuditAction, IssuerMembership, SigningKey, SigningKeyStatus
from tests.console.test_console_access import Hubs, console_url, text_of
from tests.factories import UserFactory, badge_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client: Client, hubs: Hubs) -> Client:
    client.force_login(hubs.a.people["owner"])
    return client


def newest_entry(hubs: Hubs) -> AuditEntry:
    entry = badge_selectors.audit_entries(hubs.a.issuer).first()
    assert entry is not None
    return entry


def role_of(user: User, hubs: Hubs) -> str | None:
    return permissions.issuer_role(user, hubs.a.issuer)


# People


def test_the_people_page_lists_everyone_with_their_role(owner: Client, hubs: Hubs) -> None:
    page = text_of(owner.get(console_url("staff", hubs.a)).content.decode())

    for role in ("owner", "editor", "staff"):
        assert f"glasgow-{role}@example.org" in page
    assert "paris" not in page.lower()


def test_an_owner_gives_an_existing_account_a_role_by_its_address(owner: Client, hubs: Hubs) -> None:
    newcomer = UserFactory.create(username="rosalind", email="rosalind@example.org")

    response = owner.post(console_url("staff", hubs.a), {"email": "Rosalind@Example.org", "role": "editor"})

    assert response.status_code == 302
    assert role_of(newcomer, hubs) == "editor"
    entry = newest_entry(hubs)
    assert (entry.action, entry.actor) == (AuditAction.MEMBER_ADDED, hubs.a.people["owner"])
    assert "rosalind@example.org is now editor of Fablab Glasgow." in text_of(
        owner.get(response["Location"]).content.decode()
    )


def test_an_address_no_account_has_is_refused_with_what_to_do(owner: Client, hubs: Hubs) -> None:
    before = IssuerMembership.objects.count()

    response = owner.post(console_url("staff", hubs.a), {"email": "stranger@example.org", "role": "staff"})

    assert response.status_code == 400
    assert "No account has the address stranger@example.org. Ask them to sign up" in text_of(
        response.content.decode()
    )
    assert IssuerMembership.objects.count() == before


def test_an_address_someone_added_without_verifying_it_finds_nobody(owner: Client, hubs: Hubs) -> None:
    claimer = UserFactory.create(username="claimer", email="claimer@example.org")
    EmailAddress.objects.create(user=claimer, email=claimer.email, verified=True, primary=True)
    EmailAddress.objects.create(user=claimer, email="director@fablab.example", verified=False)

    response = owner.post(console_url("staff", hubs.a), {"email": "director@fablab.example", "role": "owner"})

    assert response.status_code == 400
    assert role_of(claimer, hubs) is None


def test_giving_a_second_role_to_a_member_says_to_change_it_instead(owner: Client, hubs: Hubs) -> None:
    response = owner.post(
        console_url("staff", hubs.a), {"email": "glasgow-staff@example.org", "role": "owner"}
    )

    assert response.status_code == 400
    assert "already has a role for Fablab Glasgow; change that role instead" in text_of(
        response.content.decode()
    )
    assert role_of(hubs.a.people["staff"], hubs) == "staff"


def test_an_owner_changes_a_role_and_it_is_audited(owner: Client, hubs: Hubs) -> None:
    membership = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["staff"])

    response = owner.post(
        console_url("member_change", hubs.a, membership_id=membership.pk), {"role": "editor"}
    )

    assert response.status_code == 302
    assert role_of(hubs.a.people["staff"], hubs) == "editor"
    entry = newest_entry(hubs)
    assert entry.action == AuditAction.MEMBER_CHANGED
    assert ((entry.before or {})["role"], (entry.after or {})["role"]) == ("staff", "editor")


def test_the_last_owner_cannot_step_down_and_the_page_says_why(owner: Client, hubs: Hubs) -> None:
    membership = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["owner"])
    message = (
        "glasgow-owner@example.org is the only owner of Fablab Glasgow; make someone else an owner first."
    )

    demoted = owner.post(console_url("member_change", hubs.a, membership_id=membership.pk), {"role": "staff"})
    removed = owner.post(console_url("member_remove", hubs.a, membership_id=membership.pk))

    for response in (demoted, removed):
        assert response.status_code == 400
        assert message in text_of(response.content.decode())
    assert role_of(hubs.a.people["owner"], hubs) == "owner"


def test_an_unknown_role_is_refused(owner: Client, hubs: Hubs) -> None:
    membership = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["staff"])

    response = owner.post(console_url("member_change", hubs.a, membership_id=membership.pk), {"role": "boss"})

    assert response.status_code == 400
    assert "Choose owner, editor or staff." in text_of(response.content.decode())
    assert role_of(hubs.a.people["staff"], hubs) == "staff"


def test_an_owner_removes_someone_who_then_loses_access(owner: Client, hubs: Hubs) -> None:
    membership = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["editor"])

    response = owner.post(console_url("member_remove", hubs.a, membership_id=membership.pk))

    assert response.status_code == 302
    assert role_of(hubs.a.people["editor"], hubs) is None
    assert newest_entry(hubs).action == AuditAction.MEMBER_REMOVED
    editor = Client()
    editor.force_login(hubs.a.people["editor"])
    assert editor.get(console_url("dashboard", hubs.a)).status_code == 404


def test_an_owner_who_hands_over_and_steps_down_lands_on_the_hub_list(owner: Client, hubs: Hubs) -> None:
    editor = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["editor"])
    own = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["owner"])
    owner.post(console_url("member_change", hubs.a, membership_id=editor.pk), {"role": "owner"})

    response = owner.post(console_url("member_remove", hubs.a, membership_id=own.pk))

    assert response["Location"] == "/console/"
    assert role_of(hubs.a.people["editor"], hubs) == "owner"


# Signing keys


def test_the_keys_page_lists_each_key_with_its_status_and_dates(owner: Client, hubs: Hubs) -> None:
    badge_services.signing_key_rotate(issuer=hubs.a.issuer, actor=None)
    keys = list(SigningKey.objects.filter(issuer=hubs.a.issuer).order_by("created_at"))

    page = text_of(owner.get(console_url("keys", hubs.a)).content.decode())

    assert [key.status for key in keys] == [SigningKeyStatus.RETIRED, SigningKeyStatus.ACTIVE]
    assert all(key.public_id in page for key in keys)
    assert "Retired: still verifies what it signed" in page
    assert "Active: signs new badges" in page
    assert keys[0].created_at.strftime("%-d %b %Y") in page


def test_rotating_asks_first_then_retires_the_active_key(owner: Client, hubs: Hubs) -> None:
    active = badge_selectors.active_signing_key(hubs.a.issuer)

    confirm = owner.get(console_url("key_rotate", hubs.a))
    rotated = owner.post(console_url("key_rotate", hubs.a))

    assert f"The current key, {active.public_id}, is retired" in text_of(confirm.content.decode())
    assert "accept badges signed with a retired key by their web address, but not as signed text" in (
        text_of(confirm.content.decode())
    )
    assert rotated.status_code == 302
    active.refresh_from_db()
    assert active.status == SigningKeyStatus.RETIRED
    new_key = badge_selectors.active_signing_key(hubs.a.issuer)
    entry = newest_entry(hubs)
    assert (entry.action, entry.actor) == (AuditAction.SIGNING_KEY_ROTATED, hubs.a.people["owner"])
    assert entry.after == {"active_key": new_key.public_id, "retired_key": active.public_id}


def test_revoking_a_retired_key_says_its_badges_stop_verifying_then_revokes_it(
    owner: Client, hubs: Hubs
) -> None:
    old = badge_selectors.active_signing_key(hubs.a.issuer)
    badge_services.signing_key_rotate(issuer=hubs.a.issuer, actor=None)
    url = console_url("key_revoke", hubs.a, public_id=old.public_id)

    confirm = text_of(owner.get(url).content.decode())
    old.refresh_from_db()
    assert old.status == SigningKeyStatus.RETIRED
    revoked = owner.post(url)

    assert "badges this key signed will stop verifying" in confirm
    assert "It cannot be undone." in confirm
    assert revoked.status_code == 302
    old.refresh_from_db()
    assert old.status == SigningKeyStatus.REVOKED
    assert newest_entry(hubs).action == AuditAction.SIGNING_KEY_REVOKED


def test_the_active_key_is_not_revoked_from_the_console(owner: Client, hubs: Hubs) -> None:
    active = badge_selectors.active_signing_key(hubs.a.issuer)

    response = owner.post(console_url("key_revoke", hubs.a, public_id=active.public_id), follow=True)

    assert "rotate it first" in text_of(response.content.decode())
    active.refresh_from_db()
    assert active.status == SigningKeyStatus.ACTIVE


# The issuer profile


def profile_data(**changes: object) -> dict[str, object]:
    return {
        "name": "Fablab Glasgow",
        "url": "https://fablab-glasgow.example",
        "email": "badges@fablab-glasgow.example",
        "description": "",
        **changes,
    }


def test_an_owner_edits_the_profile_and_the_changed_fields_are_audited(owner: Client, hubs: Hubs) -> None:
    owner.post(console_url("profile", hubs.a), profile_data())
    entries_before = AuditEntry.objects.count()

    response = owner.post(
        console_url("profile", hubs.a),
        profile_data(
            name="Fablab Glasgow CIC", image=SimpleUploadedFile("logo.png", badge_png(), "image/png")
        ),
    )

    assert response.status_code == 302
    hubs.a.issuer.refresh_from_db()
    assert hubs.a.issuer.name == "Fablab Glasgow CIC"
    assert hubs.a.issuer.image
    assert AuditEntry.objects.count() == entries_before + 1
    entry = newest_entry(hubs)
    assert (entry.action, entry.actor) == (AuditAction.ISSUER_UPDATED, hubs.a.people["owner"])
    assert set((entry.after or {}).keys()) == {"name", "image"}
    assert (entry.before or {})["name"] == "Fablab Glasgow"
    assert (entry.after or {})["name"] == "Fablab Glasgow CIC"


def test_saving_the_profile_unchanged_records_nothing(owner: Client, hubs: Hubs) -> None:
    owner.post(console_url("profile", hubs.a), profile_data())
    entries_before = AuditEntry.objects.count()

    owner.post(console_url("profile", hubs.a), profile_data())

    assert AuditEntry.objects.count() == entries_before


def test_a_profile_image_that_is_not_png_or_svg_is_refused_beside_the_field(
    owner: Client, hubs: Hubs
) -> None:
    gif = SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")

    response = owner.post(console_url("profile", hubs.a), profile_data(name="Changed", image=gif))

    assert response.status_code == 400
    assert "This file is not a PNG or SVG image we can read." in text_of(response.content.decode())
    hubs.a.issuer.refresh_from_db()
    assert hubs.a.issuer.name == "Fablab Glasgow"


def test_a_profile_web_address_that_is_not_one_is_refused(owner: Client, hubs: Hubs) -> None:
    response = owner.post(console_url("profile", hubs.a), profile_data(url="not a web address"))

    assert response.status_code == 400
    assert "Enter a valid URL." in text_of(response.content.decode())
