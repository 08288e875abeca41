"""Who may do what with a hub's badges, and how people get and lose their roles.

Roles are taken with respect to hub A, the Glasgow fablab: its owner, an editor, a staff member, an
outsider (signed in, no role anywhere) and a site administrator. Hub B, the Leeds makerspace, has its own
owner. Every role of hub A is tried against every action on hub A and on hub B.
"""

import re
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from badges import permissions, selectors, services
from badges.models import AuditAction, Issuer, IssuerMembership, IssuerRole
from badges.permissions import IssuerAction
from tests.factories import IssuerFactory, IssuerMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["owner", "editor", "staff", "outsider", "admin"]
ALL_ACTIONS = set(IssuerAction)

# What each role of hub A may do on hub A, written out rather than read from permissions.RULES, so a
# change to the rules has to change this table too.
ALLOWED_ON_HUB_A: dict[str, set[IssuerAction]] = {
    "owner": ALL_ACTIONS,
    "editor": {
        IssuerAction.VIEW,
        IssuerAction.ISSUE,
        IssuerAction.REVOKE,
        IssuerAction.MANAGE_BADGE_CLASSES,
        IssuerAction.CONFIRM_AFFILIATION,
    },
    "staff": {IssuerAction.VIEW, IssuerAction.CONFIRM_AFFILIATION},
    "outsider": set(),
    "admin": ALL_ACTIONS,
}
# Nobody from hub A may do anything on hub B except a site administrator.
ALLOWED_ON_HUB_B: dict[str, set[IssuerAction]] = {role: set() for role in ROLES} | {"admin": ALL_ACTIONS}

ALLOWED, FORBIDDEN, HIDDEN = "allowed", "forbidden (403)", "hidden (404)"


@dataclass
class Hubs:
    a: Issuer
    b: Issuer
    people: dict[str, User]
    b_owner: User


@pytest.fixture
def hubs() -> Hubs:
    a = IssuerFactory.create(name="Fablab Glasgow")
    b = IssuerFactory.create(name="Leeds Makerspace")
    people = {role: UserFactory.create(username=f"a-{role}") for role in ROLES}
    people["admin"].is_superuser = people["admin"].is_staff = True
    people["admin"].save(update_fields=["is_superuser", "is_staff"])
    for role in (IssuerRole.OWNER, IssuerRole.EDITOR, IssuerRole.STAFF):
        IssuerMembershipFactory.create(issuer=a, user=people[role], role=role)
    b_owner = UserFactory.create(username="b-owner")
    IssuerMembershipFactory.create(issuer=b, user=b_owner, role=IssuerRole.OWNER)
    return Hubs(a=a, b=b, people=people, b_owner=b_owner)


def expected_outcome(role: str, action: IssuerAction, hub: str) -> str:
    allowed = (ALLOWED_ON_HUB_A if hub == "a" else ALLOWED_ON_HUB_B)[role]
    if action in allowed:
        return ALLOWED
    has_a_role_there = hub == "a" and role in {"owner", "editor", "staff"}
    return FORBIDDEN if has_a_role_there else HIDDEN


def outcome_of_require(user: User, action: IssuerAction, issuer: Issuer) -> str:
    try:
        permissions.require(user, action, issuer)
    except PermissionDenied:
        return FORBIDDEN
    except Http404:
        return HIDDEN
    return ALLOWED


@pytest.mark.parametrize("hub", ["a", "b"])
@pytest.mark.parametrize("action", list(IssuerAction))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(hubs: Hubs, role: str, action: IssuerAction, hub: str):
    user = hubs.people[role]
    issuer = hubs.a if hub == "a" else hubs.b
    expected = expected_outcome(role, action, hub)

    assert permissions.can(user, action, issuer) is (expected == ALLOWED)
    assert outcome_of_require(user, action, issuer) == expected


def test_every_action_appears_in_the_rules_and_the_matrix():
    assert set(permissions.RULES) == ALL_ACTIONS
    assert set(permissions.ACTION_DESCRIPTIONS) == ALL_ACTIONS


def test_a_refusal_says_which_role_may_not_do_what(hubs: Hubs):
    with pytest.raises(PermissionDenied) as refused:
        permissions.require(hubs.people["staff"], IssuerAction.ISSUE, hubs.a)

    assert str(refused.value) == (
        "As staff of Fablab Glasgow you may not issue badges; ask one of its owners if you need to."
    )


def test_roles_on_two_hubs_hold_each_only_where_given(hubs: Hubs):
    person = hubs.people["owner"]
    IssuerMembershipFactory.create(issuer=hubs.b, user=person, role=IssuerRole.STAFF)

    assert permissions.can(person, IssuerAction.MANAGE_STAFF, hubs.a)
    assert permissions.can(person, IssuerAction.VIEW, hubs.b)
    assert not permissions.can(person, IssuerAction.ISSUE, hubs.b)
    with pytest.raises(PermissionDenied):
        permissions.require(person, IssuerAction.MANAGE_STAFF, hubs.b)


def test_anonymous_visitors_and_deactivated_accounts_have_no_role(hubs: Hubs):
    owner = hubs.people["owner"]
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    for user in (AnonymousUser(), owner):
        assert permissions.issuer_role(user, hubs.a) is None
        assert not permissions.can(user, IssuerAction.VIEW, hubs.a)
        assert list(permissions.issuers_for(user)) == []
        with pytest.raises(Http404):
            permissions.require(user, IssuerAction.VIEW, hubs.a)


def test_issuer_role_names_the_role_held(hubs: Hubs):
    roles = {role: permissions.issuer_role(user, hubs.a) for role, user in hubs.people.items()}

    assert roles == {
        "owner": "owner",
        "editor": "editor",
        "staff": "staff",
        "outsider": None,
        "admin": "admin",
    }
    assert permissions.issuer_role(hubs.people["owner"], hubs.b) is None


def test_issuers_for_lists_the_hubs_a_person_works_on(hubs: Hubs):
    assert list(permissions.issuers_for(hubs.people["editor"])) == [hubs.a]
    assert list(permissions.issuers_for(hubs.b_owner)) == [hubs.b]
    assert list(permissions.issuers_for(hubs.people["outsider"])) == []
    assert list(permissions.issuers_for(hubs.people["admin"])) == [hubs.a, hubs.b]


def test_allowed_actions_answers_as_can_does(hubs: Hubs):
    for user in hubs.people.values():
        answers = permissions.allowed_actions(user, hubs.a)
        assert answers == {action.value: permissions.can(user, action, hubs.a) for action in IssuerAction}


# Membership services


def test_creating_an_issuer_with_an_owner_makes_them_its_first_owner():
    founder = UserFactory.create(username="founder")

    issuer = IssuerFactory.create(owner=founder)

    assert permissions.issuer_role(founder, issuer) == IssuerRole.OWNER
    entry = selectors.audit_entries(issuer).get()
    assert (entry.action, entry.actor) == (AuditAction.MEMBER_ADDED, founder)
    assert entry.after == {"user_id": founder.pk, "user": founder.email, "role": "owner"}


def test_an_issuer_created_without_an_owner_has_nobody_yet():
    issuer = IssuerFactory.create()

    assert not IssuerMembership.objects.filter(issuer=issuer).exists()


def test_giving_a_role_to_someone_who_has_one_is_refused(hubs: Hubs):
    with pytest.raises(ValidationError) as refused:
        services.issuer_member_add(
            issuer=hubs.a, user=hubs.people["staff"], role=IssuerRole.EDITOR, actor=hubs.people["owner"]
        )

    assert refused.value.messages == [
        "a-staff@example.org already has a role for Fablab Glasgow; change that role instead."
    ]
    assert permissions.issuer_role(hubs.people["staff"], hubs.a) == IssuerRole.STAFF


def test_an_unknown_role_is_refused_by_name(hubs: Hubs):
    with pytest.raises(ValidationError) as refused:
        services.issuer_member_add(
            issuer=hubs.a, user=hubs.people["outsider"], role="boss", actor=hubs.people["owner"]
        )

    assert refused.value.messages == ["“boss” is not a role; choose owner, editor or staff."]
    assert permissions.issuer_role(hubs.people["outsider"], hubs.a) is None


def test_a_new_member_gets_exactly_the_role_given(hubs: Hubs):
    services.issuer_member_add(
        issuer=hubs.a, user=hubs.people["outsider"], role=IssuerRole.EDITOR, actor=hubs.people["owner"]
    )

    assert permissions.can(hubs.people["outsider"], IssuerAction.ISSUE, hubs.a)
    assert not permissions.can(hubs.people["outsider"], IssuerAction.MANAGE_STAFF, hubs.a)


def test_the_last_owner_cannot_be_demoted_or_removed(hubs: Hubs):
    owner_membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["owner"])
    message = "a-owner@example.org is the only owner of Fablab Glasgow; make someone else an owner first."

    with pytest.raises(ValidationError) as demoted:
        services.issuer_member_change(membership=owner_membership, role=IssuerRole.EDITOR, actor=None)
    with pytest.raises(ValidationError) as removed:
        services.issuer_member_remove(membership=owner_membership, actor=None)

    assert demoted.value.messages == [message]
    assert removed.value.messages == [message]
    assert permissions.issuer_role(hubs.people["owner"], hubs.a) == IssuerRole.OWNER


def test_with_a_second_owner_the_first_may_step_down(hubs: Hubs):
    editor_membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["editor"])
    owner_membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["owner"])
    services.issuer_member_change(
        membership=editor_membership, role=IssuerRole.OWNER, actor=hubs.people["owner"]
    )

    services.issuer_member_remove(membership=owner_membership, actor=hubs.people["owner"])

    assert permissions.issuer_role(hubs.people["owner"], hubs.a) is None
    assert permissions.can(hubs.people["editor"], IssuerAction.MANAGE_STAFF, hubs.a)
    with pytest.raises(ValidationError):
        services.issuer_member_change(
            membership=IssuerMembership.objects.get(pk=editor_membership.pk),
            role=IssuerRole.STAFF,
            actor=None,
        )


def test_removing_a_member_takes_their_access_away(hubs: Hubs):
    staff = hubs.people["staff"]
    membership = IssuerMembership.objects.get(issuer=hubs.a, user=staff)

    services.issuer_member_remove(membership=membership, actor=hubs.people["owner"])

    with pytest.raises(Http404):
        permissions.require(staff, IssuerAction.VIEW, hubs.a)
    with pytest.raises(ValidationError) as again:
        services.issuer_member_remove(membership=membership, actor=hubs.people["owner"])
    assert again.value.messages == ["This person no longer has a role for this issuer."]


def test_asking_for_the_role_already_held_changes_and_records_nothing(hubs: Hubs):
    membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["staff"])
    entries_before = AuditEntry.objects.count()

    services.issuer_member_change(membership=membership, role=IssuerRole.STAFF, actor=hubs.people["owner"])

    assert AuditEntry.objects.count() == entries_before


# The back office: site administrators manage roles through the same services.


@pytest.fixture
def admin_browser(hubs: Hubs) -> Client:
    client = Client()
    client.force_login(hubs.people["admin"])
    return client


def test_an_administrator_gives_a_role_in_the_admin_and_it_is_audited(hubs: Hubs, admin_browser: Client):
    response = admin_browser.post(
        reverse("admin:badges_issuermembership_add"),
        {"issuer": hubs.b.pk, "user": hubs.people["outsider"].pk, "role": "editor"},
    )

    assert response.status_code == 302
    assert permissions.issuer_role(hubs.people["outsider"], hubs.b) == IssuerRole.EDITOR
    entry = selectors.audit_entries(hubs.b).first()
    assert entry is not None
    assert (entry.action, entry.actor) == (AuditAction.MEMBER_ADDED, hubs.people["admin"])


def test_the_admin_refuses_a_second_role_for_the_same_person(hubs: Hubs, admin_browser: Client):
    response = admin_browser.post(
        reverse("admin:badges_issuermembership_add"),
        {"issuer": hubs.a.pk, "user": hubs.people["staff"].pk, "role": "owner"},
    )

    assert response.status_code == 200
    assert "This person already has a role for this issuer." in response.content.decode()
    assert permissions.issuer_role(hubs.people["staff"], hubs.a) == IssuerRole.STAFF


def test_the_admin_shows_why_the_last_owner_cannot_be_demoted(hubs: Hubs, admin_browser: Client):
    membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["owner"])

    response = admin_browser.post(
        reverse("admin:badges_issuermembership_change", args=[membership.pk]), {"role": "staff"}
    )

    assert response.status_code == 200
    assert "is the only owner of Fablab Glasgow" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == IssuerRole.OWNER


def test_the_admin_changes_a_role_through_the_service(hubs: Hubs, admin_browser: Client):
    membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["staff"])

    response = admin_browser.post(
        reverse("admin:badges_issuermembership_change", args=[membership.pk]), {"role": "editor"}
    )

    assert response.status_code == 302
    assert permissions.can(hubs.people["staff"], IssuerAction.ISSUE, hubs.a)
    entry = selectors.audit_entries(hubs.a).first()
    assert entry is not None
    assert entry.action == AuditAction.MEMBER_CHANGED
    assert (entry.before or {}).get("role") == "staff"
    assert (entry.after or {}).get("role") == "editor"


def test_the_admin_will_not_delete_the_last_owner(hubs: Hubs, admin_browser: Client):
    membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["owner"])
    url = reverse("admin:badges_issuermembership_delete", args=[membership.pk])

    response = admin_browser.post(url, {"post": "yes"}, follow=True)

    assert "is the only owner of Fablab Glasgow" in response.content.decode()
    assert IssuerMembership.objects.filter(pk=membership.pk).exists()


def test_the_admin_deletes_other_members_through_the_service(hubs: Hubs, admin_browser: Client):
    membership = IssuerMembership.objects.get(issuer=hubs.a, user=hubs.people["staff"])

    response = admin_browser.post(
        reverse("admin:badges_issuermembership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not IssuerMembership.objects.filter(pk=membership.pk).exists()
    entry = selectors.audit_entries(hubs.a).first()
    assert entry is not None
    assert (entry.action, entry.actor) == (AuditAction.MEMBER_REMOVED, hubs.people["admin"])


def test_taking_several_roles_away_keeps_each_hubs_last_owner(hubs: Hubs, admin_browser: Client):
    chosen = IssuerMembership.objects.filter(issuer=hubs.a)

    response = admin_browser.post(
        reverse("admin:badges_issuermembership_changelist"),
        {"action": "remove_selected", "_selected_action": [m.pk for m in chosen]},
        follow=True,
    )

    content = response.content.decode()
    assert "is the only owner of Fablab Glasgow" in content
    assert "2 roles taken away." in content
    assert list(IssuerMembership.objects.filter(issuer=hubs.a).values_list("role", flat=True)) == ["owner"]


def test_the_admin_offers_no_bulk_delete_that_would_skip_the_rules(hubs: Hubs, admin_browser: Client):
    page = admin_browser.get(reverse("admin:badges_issuermembership_changelist"))

    assert page.status_code == 200
    assert 'value="remove_selected"' in page.content.decode()
    assert 'value="delete_selected"' not in page.content.decode()


def test_the_issuer_page_lists_its_people_to_read(hubs: Hubs, admin_browser: Client):
    url = reverse("admin:badges_issuer_change", args=[hubs.a.pk])

    page = admin_browser.get(url)
    content = page.content.decode()
    # The inline forms' hidden fields, as the browser would send them back.
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
    saved = admin_browser.post(
        url,
        {
            **hidden,
            "name": "Fablab Glasgow",
            "url": "https://fablab-glasgow.example",
            "email": "badges@fablab-glasgow.example",
            "description": "",
        },
    )

    assert all(f"a-{role}" in content for role in ("owner", "editor", "staff"))
    assert "b-owner" not in content
    assert 'name="memberships-0-role"' not in content
    assert saved.status_code == 302
    assert IssuerMembership.objects.filter(issuer=hubs.a).count() == 3


# An issuer that requires two-factor authentication


def test_an_issuer_requiring_two_factor_refuses_every_role_without_it_site_administrators_included(
    hubs: Hubs,
):
    hubs.a.require_two_factor = True
    hubs.a.save(update_fields=["require_two_factor"])

    for role in ("owner", "editor", "staff", "admin"):
        person = hubs.people[role]
        with pytest.raises(permissions.TwoFactorRequired) as refused:
            permissions.require(person, IssuerAction.VIEW, hubs.a)
        assert "Fablab Glasgow requires two-factor authentication" in str(refused.value)
        assert not any(permissions.allowed_actions(person, hubs.a).values())
        assert not permissions.can(person, IssuerAction.VIEW, hubs.a)
    with pytest.raises(Http404):
        permissions.require(hubs.people["outsider"], IssuerAction.VIEW, hubs.a)


def test_with_an_authenticator_app_each_role_gets_exactly_its_rules_again(hubs: Hubs):
    hubs.a.require_two_factor = True
    hubs.a.save(update_fields=["require_two_factor"])

    for role in ("owner", "editor", "staff", "admin"):
        TOTP.activate(hubs.people[role], generate_totp_secret())
        for action in IssuerAction:
            assert outcome_of_require(hubs.people[role], action, hubs.a) == expected_outcome(
                role, action, "a"
            )
