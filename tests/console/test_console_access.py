"""Who reaches which console page: each role of hub A (owner, editor, staff, a member with no role, a
site administrator) on every page and action of hub A, and none of hub A's people anywhere in hub B,
whether they follow hub B's URLs, put hub B's ids into hub A's URLs or forge hub B's ids into posts.

`build_hubs` is shared with the other console tests and the browser test."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges import services as badge_services
from badges.models import BadgeClass, Issuer
from passport import services
from passport.models import Assertion, IssueBatch
from passport.services import Award
from tests.factories import BadgeClassFactory, IssuerFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("owner", "editor", "staff", "outsider", "admin")
HUB_ROLES = ("owner", "editor", "staff")


@dataclass
class Hub:
    issuer: Issuer
    badge_class: BadgeClass
    batch: IssueBatch
    assertion: Assertion
    people: dict[str, User]


@dataclass
class Hubs:
    a: Hub
    b: Hub
    outsider: User
    admin: User

    def person(self, role: str) -> User:
        """Someone of hub A with this role, or the outsider, or the site administrator."""
        return {"outsider": self.outsider, "admin": self.admin}.get(role) or self.a.people[role]


def build_hub(name: str) -> Hub:
    people = {role: UserFactory.create(username=f"{name.lower()}-{role}") for role in HUB_ROLES}
    issuer = IssuerFactory.create(name=f"Fablab {name}", owner=people["owner"])
    for role in ("editor", "staff"):
        badge_services.issuer_member_add(issuer=issuer, user=people[role], role=role, actor=people["owner"])
    badge_class = BadgeClassFactory.create(issuer=issuer, name=f"Laser cutting at {name}")
    batch = services.issue_batch_create(
        badge_class=badge_class,
        awards=[
            Award(f"ada@{name.lower()}.example", recipient_name=f"Ada of {name}"),
            Award(f"grace@{name.lower()}.example", recipient_name=f"Grace of {name}"),
        ],
        created_by=people["editor"],
    )
    assertion = Assertion.objects.filter(batch=batch).order_by("pk").first()
    assert assertion is not None
    return Hub(issuer=issuer, badge_class=badge_class, batch=batch, assertion=assertion, people=people)


def build_hubs() -> Hubs:
    return Hubs(
        a=build_hub("Glasgow"),
        b=build_hub("Paris"),
        outsider=UserFactory.create(username="outsider"),
        admin=User.objects.create_superuser("admin", "admin@example.org", "admin-password"),
    )


def text_of(html_page: str) -> str:
    """The page's text as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_page)).split())


def console_url(name: str, hub: Hub, **ids: object) -> str:
    return reverse(f"console:{name}", kwargs={"slug": hub.issuer.slug, **ids})


# Each page the console shows, by the URL it has for a hub, and who may see it.
PAGES: dict[str, Callable[[Hub], str]] = {
    "dashboard": lambda hub: console_url("dashboard", hub),
    "assertions": lambda hub: console_url("assertions", hub),
    "export": lambda hub: console_url("assertions_export", hub),
    "assertion": lambda hub: console_url("assertion", hub, public_id=hub.assertion.public_id),
    "batch": lambda hub: console_url("batch", hub, batch_id=hub.batch.pk),
    "issue": lambda hub: console_url("issue", hub),
    "bulk": lambda hub: console_url("bulk_issue", hub),
    "audit log": lambda hub: console_url("audit_log", hub),
}
ISSUING_PAGES = {"issue", "bulk"}
OWNERS_PAGES = {"audit log"}


def expected_status(role: str, *, allowed: set[str]) -> int:
    """What a role of hub A gets on hub A: the page, 403 for a role without the right, 404 for nobody."""
    if role in allowed:
        return 200
    return 404 if role == "outsider" else 403


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_of_hub_a_gets_the_pages_of_hub_a_its_role_allows(
    client: Client, hubs: Hubs, role: str, page: str
) -> None:
    client.force_login(hubs.person(role))
    allowed = {"owner", "editor", "staff", "admin"}
    if page in ISSUING_PAGES:
        allowed = {"owner", "editor", "admin"}
    if page in OWNERS_PAGES:
        allowed = {"owner", "admin"}

    response = client.get(PAGES[page](hubs.a))

    assert response.status_code == expected_status(role, allowed=allowed)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_nobody_of_hub_a_but_the_site_administrator_reaches_hub_b(
    client: Client, hubs: Hubs, role: str, page: str
) -> None:
    client.force_login(hubs.person(role))

    response = client.get(PAGES[page](hubs.b))

    assert response.status_code == (200 if role == "admin" else 404)


@pytest.mark.parametrize("page", PAGES)
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Client, hubs: Hubs, page: str) -> None:
    response = client.get(PAGES[page](hubs.a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", HUB_ROLES)
def test_hub_b_ids_guessed_into_hub_a_urls_are_not_found(client: Client, hubs: Hubs, role: str) -> None:
    client.force_login(hubs.person(role))
    guesses = [
        console_url("assertion", hubs.a, public_id=hubs.b.assertion.public_id),
        console_url("batch", hubs.a, batch_id=hubs.b.batch.pk),
    ]

    assert [client.get(url).status_code for url in guesses] == [404, 404]


def test_the_hub_list_shows_only_the_hubs_a_person_works_on(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.a.people["staff"])

    page = client.get(reverse("console:hubs")).content.decode()

    assert "Fablab Glasgow" in page
    assert "Fablab Paris" not in page


def test_a_member_without_a_role_sees_no_hub_and_no_console_link(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.outsider)

    page = client.get(reverse("console:hubs")).content.decode()

    assert "You have no role on any hub" in page
    assert 'href="/console/"' not in page


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_people_with_a_hub_role_get_the_console_link(client: Client, hubs: Hubs, role: str) -> None:
    client.force_login(hubs.person(role))

    page = client.get(reverse("pages:home")).content.decode()

    assert 'href="/console/">Console</a>' in page


# Actions: each posts what a real form would, on hub A's own objects.


def post_revoke(client: Client, hub: Hub) -> int:
    url = console_url("assertion_revoke", hub, public_id=hub.assertion.public_id)
    return client.post(url, {"reason": "Awarded by mistake."}).status_code


def post_bulk_revoke(client: Client, hub: Hub) -> int:
    data = {"assertions": [hub.assertion.public_id], "reason": "Course cancelled.", "confirm": "1"}
    return client.post(console_url("assertions_revoke", hub), data).status_code


def post_resend(client: Client, hub: Hub) -> int:
    url = console_url("assertion_resend", hub, public_id=hub.assertion.public_id)
    return client.post(url, {"recipient_email": ""}).status_code


def post_issue(client: Client, hub: Hub) -> int:
    data = {
        "badge_class": hub.badge_class.pk,
        "recipient_email": "new.maker@example.org",
        "verification": "hosted",
    }
    return client.post(console_url("issue", hub), data).status_code


def post_bulk_check(client: Client, hub: Hub) -> int:
    upload = SimpleUploadedFile("awards.csv", b"email,name\nnew.maker@example.org,New Maker\n")
    data = {"badge_class": hub.badge_class.pk, "verification": "hosted", "file": upload}
    return client.post(console_url("bulk_issue", hub), data).status_code


def post_batch_retry(client: Client, hub: Hub) -> int:
    return client.post(console_url("batch_retry", hub, batch_id=hub.batch.pk)).status_code


# Each action, the roles that may take it, and what the allowed post answers (a redirect, or a page).
ACTIONS: dict[str, tuple[Callable[[Client, Hub], int], set[str], int]] = {
    "revoke": (post_revoke, {"owner", "editor", "admin"}, 302),
    "bulk_revoke": (post_bulk_revoke, {"owner", "editor", "admin"}, 302),
    "resend": (post_resend, {"owner", "editor", "admin"}, 302),
    "issue": (post_issue, {"owner", "editor", "admin"}, 302),
    "bulk_check": (post_bulk_check, {"owner", "editor", "admin"}, 200),
    "batch_retry": (post_batch_retry, {"owner", "editor", "admin"}, 302),
}


def hub_state(hub: Hub) -> tuple[int, int, int]:
    """What the actions would change: badges issued, badges revoked, e-mail resends asked for."""
    assertions = Assertion.objects.filter(badge_class__issuer=hub.issuer)
    return (
        assertions.count(),
        assertions.filter(revoked=True).count(),
        assertions.filter(resend_requested_at__isnull=False).count(),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_of_hub_a_may_take_the_actions_on_hub_a_its_role_allows(
    client: Client, hubs: Hubs, role: str, action: str
) -> None:
    post, allowed, success = ACTIONS[action]
    client.force_login(hubs.person(role))
    before = hub_state(hubs.a)

    status = post(client, hubs.a)

    if role in allowed:
        assert status == success
    else:
        assert status == (404 if role == "outsider" else 403)
        assert hub_state(hubs.a) == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [*HUB_ROLES, "outsider"])
def test_posts_forged_for_hub_b_by_hub_a_people_change_nothing(
    client: Client, hubs: Hubs, role: str, action: str
) -> None:
    post, _allowed, _success = ACTIONS[action]
    client.force_login(hubs.person(role))
    before = hub_state(hubs.b)

    status = post(client, hubs.b)

    assert status == 404
    assert hub_state(hubs.b) == before


def test_hub_b_ids_forged_into_hub_a_posts_are_refused(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.a.people["owner"])
    before = hub_state(hubs.b)
    b_assertion = hubs.b.assertion.public_id

    revoke = client.post(
        console_url("assertion_revoke", hubs.a, public_id=b_assertion), {"reason": "Not ours."}
    )
    resend = client.post(console_url("assertion_resend", hubs.a, public_id=b_assertion), {})
    bulk_revoke = client.post(
        console_url("assertions_revoke", hubs.a),
        {"assertions": [hubs.a.assertion.public_id, b_assertion], "reason": "Not ours.", "confirm": "1"},
    )
    issue = client.post(
        console_url("issue", hubs.a),
        {"badge_class": hubs.b.badge_class.pk, "recipient_email": "x@example.org", "verification": "hosted"},
    )

    assert (revoke.status_code, resend.status_code) == (404, 404)
    assert bulk_revoke.status_code == 400
    assert issue.status_code == 400
    assert "Select a valid choice" in issue.content.decode()
    assert hub_state(hubs.b) == before
    assert not Assertion.objects.filter(badge_class__issuer=hubs.a.issuer, revoked=True).exists()


def test_an_owner_reads_who_did_what_in_the_audit_log(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.a.people["owner"])

    page = text_of(client.get(console_url("audit_log", hubs.a)).content.decode())

    assert "glasgow-editor@example.org issued “Laser cutting at Glasgow” to 2 people in a batch." in page
    assert '"count": 2' in page
    assert "glasgow-owner@example.org gave glasgow-editor@example.org the role Editor." in page
    assert "paris" not in page.lower()
