"""Every issue, revocation, key rotation and role change lands in the issuer's audit log, written in the
same transaction as the change, and nobody can edit or delete a line of it."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_log
from badges import selectors, services
from badges.models import AuditAction, BadgeClass, Issuer, IssuerMembership, IssuerRole
from passport import services as passport_services
from passport.services import Award
from tests.factories import BadgeClassFactory, IssuerFactory, IssuerMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Hub:
    issuer: Issuer
    badge_class: BadgeClass
    owner: User
    editor: User


@pytest.fixture
def hub() -> Hub:
    owner = UserFactory.create(username="owner")
    editor = UserFactory.create(username="editor")
    issuer = IssuerFactory.create(name="Fablab Glasgow", owner=owner)
    IssuerMembershipFactory.create(issuer=issuer, user=editor, role=IssuerRole.EDITOR)
    return Hub(issuer=issuer, badge_class=BadgeClassFactory.create(issuer=issuer), owner=owner, editor=editor)


def newest(issuer: Issuer) -> AuditEntry:
    entry = selectors.audit_entries(issuer).first()
    assert entry is not None
    return entry


def test_issuing_one_badge_is_recorded_with_who_and_what(hub: Hub):
    assertion = passport_services.assertion_issue(
        badge_class=hub.badge_class, recipient_email="ada@example.org", send_email=False, actor=hub.editor
    )

    entry = newest(hub.issuer)
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        AuditAction.ASSERTION_ISSUED,
        hub.editor,
        "passport.assertion",
        assertion.public_id,
    )
    assert entry.before is None
    assert entry.after == {"badge_class": hub.badge_class.public_id, "verification": "hosted"}
    assert "ada@example.org" not in str(entry.after)


def test_a_batch_is_one_entry_with_its_count_and_every_assertion(hub: Hub):
    awards = [Award(f"maker{n}@example.org", f"Maker {n}") for n in range(3)]

    created = passport_services.assertions_issue(
        badge_class=hub.badge_class, awards=awards, signed=True, send_email=False, actor=hub.editor
    )

    entry = newest(hub.issuer)
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        AuditAction.ASSERTIONS_ISSUED,
        hub.editor,
        "badges.badgeclass",
        hub.badge_class.public_id,
    )
    assert entry.after == {
        "count": 3,
        "verification": "signed",
        "assertions": [assertion.public_id for assertion in created],
    }
    assert selectors.audit_entries(hub.issuer).filter(action=AuditAction.ASSERTION_ISSUED).count() == 0


def test_a_refused_batch_writes_no_entry(hub: Hub):
    entries_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError):
        passport_services.assertions_issue(
            badge_class=hub.badge_class,
            awards=[Award("maker@example.org"), Award("not an address")],
            send_email=False,
            actor=hub.editor,
        )

    assert AuditEntry.objects.count() == entries_before


def test_revoking_is_recorded_with_the_reason(hub: Hub):
    assertion = passport_services.assertion_issue(
        badge_class=hub.badge_class, recipient_email="ada@example.org", send_email=False
    )

    passport_services.assertion_revoke(assertion=assertion, reason="Issued by mistake", actor=hub.owner)

    entry = newest(hub.issuer)
    assert (entry.action, entry.actor, entry.object_id) == (
        AuditAction.ASSERTION_REVOKED,
        hub.owner,
        assertion.public_id,
    )
    assert entry.before == {"revoked": False}
    assert entry.after == {"revoked": True, "reason": "Issued by mistake"}


def test_a_refused_revocation_writes_no_entry(hub: Hub):
    assertion = passport_services.assertion_issue(
        badge_class=hub.badge_class, recipient_email="ada@example.org", send_email=False
    )
    passport_services.assertion_revoke(assertion=assertion, reason="Issued by mistake")
    entries_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError):
        passport_services.assertion_revoke(assertion=assertion, reason="Again", actor=hub.owner)

    assert AuditEntry.objects.count() == entries_before


def test_calls_without_an_actor_are_recorded_as_the_system(hub: Hub):
    passport_services.assertion_issue(
        badge_class=hub.badge_class, recipient_email="ada@example.org", send_email=False
    )

    assert newest(hub.issuer).actor is None


def test_rotating_the_key_is_recorded_with_the_old_and_new_key(hub: Hub):
    old_key = selectors.active_signing_key(hub.issuer)

    new_key = services.signing_key_rotate(issuer=hub.issuer, actor=hub.owner)

    entry = newest(hub.issuer)
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        AuditAction.SIGNING_KEY_ROTATED,
        hub.owner,
        "badges.signingkey",
        new_key.public_id,
    )
    assert entry.before == {"active_key": old_key.public_id}
    assert entry.after == {"active_key": new_key.public_id, "retired_key": old_key.public_id}


def test_revoking_the_active_key_is_recorded_with_its_replacement(hub: Hub):
    key = selectors.active_signing_key(hub.issuer)

    services.signing_key_revoke(key=key, actor=hub.owner)

    entry = newest(hub.issuer)
    replacement = selectors.active_signing_key(hub.issuer)
    assert (entry.action, entry.actor, entry.object_id) == (
        AuditAction.SIGNING_KEY_REVOKED,
        hub.owner,
        key.public_id,
    )
    assert entry.before == {"status": "active"}
    assert entry.after == {"status": "revoked", "active_key": replacement.public_id}


def test_revoking_a_retired_key_is_recorded_without_a_replacement(hub: Hub):
    retired = selectors.active_signing_key(hub.issuer)
    services.signing_key_rotate(issuer=hub.issuer)

    services.signing_key_revoke(key=retired, actor=hub.owner)

    entry = newest(hub.issuer)
    assert (entry.before, entry.after) == ({"status": "retired"}, {"status": "revoked"})


def test_role_changes_are_recorded_before_and_after(hub: Hub):
    newcomer = UserFactory.create(username="newcomer")

    membership = services.issuer_member_add(
        issuer=hub.issuer, user=newcomer, role=IssuerRole.STAFF, actor=hub.owner
    )
    services.issuer_member_change(membership=membership, role=IssuerRole.EDITOR, actor=hub.owner)
    services.issuer_member_remove(membership=membership, actor=hub.owner)

    entries = list(selectors.audit_entries(hub.issuer)[:3])
    person = {"user_id": newcomer.pk, "user": "newcomer@example.org"}
    assert [(e.action, e.actor, e.object_id) for e in entries] == [
        (AuditAction.MEMBER_REMOVED, hub.owner, str(membership.pk)),
        (AuditAction.MEMBER_CHANGED, hub.owner, str(membership.pk)),
        (AuditAction.MEMBER_ADDED, hub.owner, str(membership.pk)),
    ]
    assert [(e.before, e.after) for e in entries] == [
        ({**person, "role": "editor"}, None),
        ({**person, "role": "staff"}, {**person, "role": "editor"}),
        (None, {**person, "role": "staff"}),
    ]


def test_a_refused_role_change_writes_no_entry(hub: Hub):
    owner_membership = IssuerMembership.objects.get(issuer=hub.issuer, user=hub.owner)
    entries_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError):
        services.issuer_member_remove(membership=owner_membership, actor=hub.owner)

    assert AuditEntry.objects.count() == entries_before


def test_each_issuer_reads_only_its_own_log_newest_first(hub: Hub):
    other = IssuerFactory.create(name="Leeds Makerspace")
    services.signing_key_rotate(issuer=other, actor=None)
    services.signing_key_rotate(issuer=hub.issuer, actor=hub.owner)
    services.signing_key_rotate(issuer=hub.issuer, actor=hub.editor)

    log = list(selectors.audit_entries(hub.issuer))

    assert {(entry.scope_type, entry.scope_id) for entry in log} == {("badges.issuer", str(hub.issuer.pk))}
    assert [entry.actor for entry in log[:2]] == [hub.editor, hub.owner]
    assert log[-1].action == AuditAction.MEMBER_ADDED
    assert [entry.action for entry in selectors.audit_entries(other)] == [AuditAction.SIGNING_KEY_ROTATED]


def test_an_unknown_action_is_a_programming_error(hub: Hub):
    with pytest.raises(ValueError, match=r"Unknown audit action 'badges\.assertion\.edited'"):
        audit_log(actor=None, action="badges.assertion.edited", obj=hub.badge_class, scope=hub.issuer)


# The back office


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser(username="admin", email="admin@example.org", password="x")


@pytest.fixture
def admin_browser(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_rotating_keys_in_the_admin_records_the_administrator(
    hub: Hub, admin_user: User, admin_browser: Client
):
    admin_browser.post(
        reverse("admin:badges_issuer_changelist"),
        {"action": "rotate_keys", "_selected_action": [hub.issuer.pk]},
    )

    entry = newest(hub.issuer)
    assert (entry.action, entry.actor) == (AuditAction.SIGNING_KEY_ROTATED, admin_user)


def test_revoking_a_key_in_the_admin_records_the_administrator(
    hub: Hub, admin_user: User, admin_browser: Client
):
    key = selectors.active_signing_key(hub.issuer)

    admin_browser.post(
        reverse("admin:badges_signingkey_changelist"),
        {"action": "revoke_selected", "_selected_action": [key.pk]},
    )

    entry = newest(hub.issuer)
    assert (entry.action, entry.actor, entry.object_id) == (
        AuditAction.SIGNING_KEY_REVOKED,
        admin_user,
        key.public_id,
    )


def test_administrators_read_the_log_in_the_admin(hub: Hub, admin_browser: Client):
    entry = selectors.audit_entries(hub.issuer).get(actor=hub.owner)

    listing = admin_browser.get(reverse("admin:audit_auditentry_changelist"))
    detail = admin_browser.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))

    assert listing.status_code == 200
    assert "Person given a role" in listing.content.decode()
    assert detail.status_code == 200
    assert "owner@example.org" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()


def test_nobody_can_add_change_or_delete_an_entry_in_the_admin(hub: Hub, admin_browser: Client):
    entry = newest(hub.issuer)
    original = (entry.action, entry.actor_id, entry.object_id, entry.before, entry.after, entry.created_at)

    added = admin_browser.post(
        reverse("admin:audit_auditentry_add"),
        {
            "scope_id": hub.issuer.pk,
            "action": AuditAction.ASSERTION_ISSUED,
            "object_type": "x",
            "object_id": "forged",
        },
    )
    changed = admin_browser.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]),
        {
            "scope_id": hub.issuer.pk,
            "action": AuditAction.ASSERTION_REVOKED,
            "object_type": "x",
            "object_id": "forged",
        },
    )
    deleted = admin_browser.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk_deleted = admin_browser.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert bulk_deleted.status_code == 200
    assert (
        'value="delete_selected"'
        not in admin_browser.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    )
    entry.refresh_from_db()
    assert (entry.action, entry.actor_id, entry.object_id, entry.before, entry.after, entry.created_at) == (
        original
    )
    assert not AuditEntry.objects.filter(object_id="forged").exists()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
