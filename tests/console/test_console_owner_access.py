"""Who reaches the console's owner and badge class pages, and who may take their actions: each role of
hub A (owner, editor, staff, a member with no role, a site administrator) on hub A as badges.permissions'
RULES say, and nobody but the site administrator on hub B, whether by hub B's URLs, by hub B's ids put
into hub A's URLs, or by posts forged with them."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from badges import selectors as badge_selectors
from badges import services as badge_services
from badges.models import BadgeClass, IssuerMembership, SigningKey, SigningKeyStatus
from tests.console.test_console_access import ROLES, Hub, Hubs, build_hubs, console_url
from tests.factories import badge_png

pytestmark = pytest.mark.django_db

# What each role of hub A may do there, written out rather than read from RULES, so that a change to the
# rules has to change this table too: MANAGE_STAFF (people), MANAGE_ISSUER (keys, profile),
# MANAGE_BADGE_CLASSES (create, edit) and VIEW (the list of badge classes).
PEOPLE_ROLES = {"owner", "admin"}
ISSUER_ROLES = {"owner", "admin"}
BADGE_CLASS_ROLES = {"owner", "editor", "admin"}
VIEW_ROLES = {"owner", "editor", "staff", "admin"}


@pytest.fixture
def hubs(db: None) -> Hubs:
    hubs = build_hubs()
    # Each hub has a retired key too, the only kind the console revokes.
    for hub in (hubs.a, hubs.b):
        badge_services.signing_key_rotate(issuer=hub.issuer, actor=None)
    return hubs


def retired_key(hub: Hub) -> SigningKey:
    return SigningKey.objects.get(issuer=hub.issuer, status=SigningKeyStatus.RETIRED)


def staff_membership(hub: Hub) -> IssuerMembership:
    return IssuerMembership.objects.get(issuer=hub.issuer, user=hub.people["staff"])


PAGES: dict[str, tuple[Callable[[Hub], str], set[str]]] = {
    "people": (lambda hub: console_url("staff", hub), PEOPLE_ROLES),
    "keys": (lambda hub: console_url("keys", hub), ISSUER_ROLES),
    "key rotation": (lambda hub: console_url("key_rotate", hub), ISSUER_ROLES),
    "key revocation": (
        lambda hub: console_url("key_revoke", hub, public_id=retired_key(hub).public_id),
        ISSUER_ROLES,
    ),
    "profile": (lambda hub: console_url("profile", hub), ISSUER_ROLES),
    "badge classes": (lambda hub: console_url("badge_classes", hub), VIEW_ROLES),
    "new badge class": (lambda hub: console_url("badge_class_new", hub), BADGE_CLASS_ROLES),
    "badge class": (
        lambda hub: console_url("badge_class_edit", hub, public_id=hub.badge_class.public_id),
        BADGE_CLASS_ROLES,
    ),
}


def refusal_for(role: str) -> int:
    """A role of hub A without the right gets 403; someone with no role there at all, 404."""
    return 404 if role == "outsider" else 403


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_of_hub_a_gets_the_owner_pages_of_hub_a_its_role_allows(
    client: Client, hubs: Hubs, role: str, page: str
) -> None:
    url, allowed = PAGES[page]
    client.force_login(hubs.person(role))

    response = client.get(url(hubs.a))

    assert response.status_code == (200 if role in allowed else refusal_for(role))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_site_administrator_of_hub_a_people_reaches_hub_b_owner_pages(
    client: Client, hubs: Hubs, role: str, page: str
) -> None:
    url, _allowed = PAGES[page]
    client.force_login(hubs.person(role))

    response = client.get(url(hubs.b))

    assert response.status_code == (200 if role == "admin" else 404)


@pytest.mark.parametrize("page", PAGES)
def test_owner_pages_send_visitors_to_sign_in(client: Client, hubs: Hubs, page: str) -> None:
    url, _allowed = PAGES[page]

    response = client.get(url(hubs.a))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["owner", "editor", "staff", "admin"])
def test_hub_b_ids_guessed_into_hub_a_owner_urls_are_not_found(client: Client, hubs: Hubs, role: str) -> None:
    client.force_login(hubs.person(role))
    guesses = [
        console_url("key_revoke", hubs.a, public_id=retired_key(hubs.b).public_id),
        console_url("badge_class_edit", hubs.a, public_id=hubs.b.badge_class.public_id),
    ]

    assert [client.get(url).status_code for url in guesses] == [
        404 if role in ISSUER_ROLES else 403,
        404 if role in BADGE_CLASS_ROLES else 403,
    ]


# Actions, each posting what the real form would, on the hub's own objects.


def post_add_member(client: Client, hub: Hub, hubs: Hubs) -> int:
    data = {"email": "nobody-yet@example.org", "role": "editor"}
    return client.post(console_url("staff", hub), data).status_code


def post_change_role(client: Client, hub: Hub, hubs: Hubs) -> int:
    url = console_url("member_change", hub, membership_id=staff_membership(hub).pk)
    return client.post(url, {"role": "editor"}).status_code


def post_remove_member(client: Client, hub: Hub, hubs: Hubs) -> int:
    url = console_url("member_remove", hub, membership_id=staff_membership(hub).pk)
    return client.post(url).status_code


def post_rotate_key(client: Client, hub: Hub, hubs: Hubs) -> int:
    return client.post(console_url("key_rotate", hub)).status_code


def post_revoke_key(client: Client, hub: Hub, hubs: Hubs) -> int:
    return client.post(console_url("key_revoke", hub, public_id=retired_key(hub).public_id)).status_code


def post_profile(client: Client, hub: Hub, hubs: Hubs) -> int:
    data = {"name": "Renamed", "url": "https://renamed.example", "email": "badges@renamed.example"}
    return client.post(console_url("profile", hub), data).status_code


def badge_class_data(name: str) -> dict[str, object]:
    return {
        "name": name,
        "description": "Sews a straight seam.",
        "image": SimpleUploadedFile("sewing.png", badge_png(), "image/png"),
        "criteria_narrative": "Sewed a bag.",
    }


def post_create_badge_class(client: Client, hub: Hub, hubs: Hubs) -> int:
    return client.post(console_url("badge_class_new", hub), badge_class_data("Sewing")).status_code


def post_edit_badge_class(client: Client, hub: Hub, hubs: Hubs) -> int:
    url = console_url("badge_class_edit", hub, public_id=hub.badge_class.public_id)
    return client.post(url, badge_class_data("Renamed class")).status_code


ACTIONS: dict[str, tuple[Callable[[Client, Hub, Hubs], int], set[str]]] = {
    "add a member": (post_add_member, PEOPLE_ROLES),
    "change a role": (post_change_role, PEOPLE_ROLES),
    "remove a member": (post_remove_member, PEOPLE_ROLES),
    "rotate the key": (post_rotate_key, ISSUER_ROLES),
    "revoke a retired key": (post_revoke_key, ISSUER_ROLES),
    "edit the profile": (post_profile, ISSUER_ROLES),
    "create a badge class": (post_create_badge_class, BADGE_CLASS_ROLES),
    "edit a badge class": (post_edit_badge_class, BADGE_CLASS_ROLES),
}


def hub_state(hub: Hub) -> tuple[object, ...]:
    """What the actions would change: people and roles, keys, profile, badge classes and the audit log."""
    issuer = hub.issuer
    issuer.refresh_from_db()
    return (
        sorted(IssuerMembership.objects.filter(issuer=issuer).values_list("user_id", "role")),
        sorted(SigningKey.objects.filter(issuer=issuer).values_list("public_id", "status")),
        (issuer.name, issuer.url, issuer.email),
        sorted(BadgeClass.objects.filter(issuer=issuer).values_list("name", flat=True)),
        badge_selectors.audit_entries(issuer).count(),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_of_hub_a_may_take_the_owner_actions_its_role_allows(
    client: Client, hubs: Hubs, role: str, action: str
) -> None:
    post, allowed = ACTIONS[action]
    client.force_login(hubs.person(role))
    before = hub_state(hubs.a)

    status = post(client, hubs.a, hubs)

    if role in allowed:
        # Adding an address no account has is refused with a message; every other action is done.
        expected = 400 if action == "add a member" else 302
        assert status == expected
        assert (hub_state(hubs.a) == before) == (action == "add a member")
    else:
        assert status == refusal_for(role)
        assert hub_state(hubs.a) == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["owner", "editor", "staff", "outsider"])
def test_owner_posts_forged_for_hub_b_by_hub_a_people_change_nothing(
    client: Client, hubs: Hubs, role: str, action: str
) -> None:
    post, _allowed = ACTIONS[action]
    client.force_login(hubs.person(role))
    before = hub_state(hubs.b)

    status = post(client, hubs.b, hubs)

    assert status == 404
    assert hub_state(hubs.b) == before


def test_hub_b_ids_forged_into_hub_a_owner_posts_change_nothing(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.a.people["owner"])
    before = hub_state(hubs.b)
    b_membership = staff_membership(hubs.b).pk

    statuses = [
        client.post(console_url("member_change", hubs.a, membership_id=b_membership), {"role": "owner"}),
        client.post(console_url("member_remove", hubs.a, membership_id=b_membership)),
        client.post(console_url("key_revoke", hubs.a, public_id=retired_key(hubs.b).public_id)),
        client.post(
            console_url("badge_class_edit", hubs.a, public_id=hubs.b.badge_class.public_id),
            badge_class_data("Taken over"),
        ),
    ]

    assert [response.status_code for response in statuses] == [404, 404, 404, 404]
    assert hub_state(hubs.b) == before


def test_the_owner_nav_shows_each_role_only_the_pages_it_may_open(client: Client, hubs: Hubs) -> None:
    links = {}
    for role in ("owner", "editor", "staff"):
        client.force_login(hubs.person(role))
        page = client.get(console_url("dashboard", hubs.a)).content.decode()
        links[role] = {
            name
            for name, url in (
                ("people", console_url("staff", hubs.a)),
                ("keys", console_url("keys", hubs.a)),
                ("profile", console_url("profile", hubs.a)),
                ("badge classes", console_url("badge_classes", hubs.a)),
            )
            if f'href="{url}"' in page
        }

    assert links == {
        "owner": {"people", "keys", "profile", "badge classes"},
        "editor": {"badge classes"},
        "staff": {"badge classes"},
    }
