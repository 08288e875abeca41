"""The audit log an owner reads: who did what to which badge or person, as a sentence in the page's
language, each name linked to its console page, the raw line behind "Details"; filtered by action or
person; a page of 50 lines read in a fixed number of queries."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from audit.actions import actions_declared
from badges import services as badge_services
from badges.models import AuditAction, IssuerMembership
from badges.services.endorsements import endorsement_give, endorsement_withdraw
from console.audit_log import SENTENCES, masked_email
from passport import services
from tests.console.test_console_access import Hubs, build_hubs, console_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text_of(html_page: str) -> str:
    """The page's text as a person reads it: tags dropped (links run on with their sentence)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_page)).split())


@pytest.fixture
def hubs(db: None) -> Hubs:
    hubs = build_hubs()
    owner = hubs.a.people["owner"]
    owner.first_name, owner.last_name = "Dorothy", "Hodgkin"
    owner.save()
    return hubs


@pytest.fixture
def owner(client: Client, hubs: Hubs) -> Client:
    client.force_login(hubs.a.people["owner"])
    return client


def every_kind_of_change(hubs: Hubs) -> None:
    """One line of each kind an owner's work writes to hub A's log (the setup wrote the batch and roles)."""
    owner = hubs.a.people["owner"]
    issuer = hubs.a.issuer
    services.assertion_issue(
        badge_class=hubs.a.badge_class, recipient_email="marie@example.org", recipient_name="", actor=owner
    )
    services.assertion_revoke(assertion=hubs.a.assertion, reason="Issued by mistake", actor=owner)
    key = badge_services.signing_key_rotate(issuer=issuer, actor=owner)
    badge_services.signing_key_revoke(key=key, actor=owner)
    staff = IssuerMembership.objects.get(issuer=issuer, user=hubs.a.people["staff"])
    badge_services.issuer_member_change(membership=staff, role="editor", actor=owner)
    badge_services.issuer_member_remove(membership=staff, actor=owner)
    badge_services.issuer_update(
        issuer=issuer, name="Fablab Glasgow", url=issuer.url, email="hi@glasgow.example"
    )
    badge_services.badge_class_update(
        badge_class=hubs.a.badge_class,
        name="Laser cutting at Glasgow",
        description="Cuts safely.",
        criteria_narrative="Cut a two-material job.",
        actor=owner,
    )
    endorsement = endorsement_give(endorser=issuer, badge_class=hubs.b.badge_class, actor=owner)
    endorsement_withdraw(endorsement=endorsement, actor=owner)
    # Ready for another round: a badge to revoke, and the staff member back.
    hubs.a.assertion = services.assertion_issue(
        badge_class=hubs.a.badge_class, recipient_email="next@example.org", actor=UserFactory.create()
    )
    badge_services.issuer_member_add(issuer=issuer, user=hubs.a.people["staff"], role="staff", actor=owner)


def test_every_action_the_apps_declare_has_a_sentence() -> None:
    assert set(actions_declared()) <= set(SENTENCES), set(actions_declared()) - set(SENTENCES)


def test_each_line_is_a_sentence_naming_who_did_what_to_which_badge_or_person(
    owner: Client, hubs: Hubs
) -> None:
    revoked = hubs.a.assertion
    every_kind_of_change(hubs)

    response = owner.get(console_url("audit_log", hubs.a))
    page = text_of(response.content.decode())

    assert response.status_code == 200
    assert "Dorothy Hodgkin issued “Laser cutting at Glasgow” to m***@example.org." in page
    assert "glasgow-editor@example.org issued “Laser cutting at Glasgow” to 2 people in a batch." in page
    assert (
        "Dorothy Hodgkin revoked “Laser cutting at Glasgow” of Ada of Glasgow: “Issued by mistake”." in page
    )
    assert "Dorothy Hodgkin rotated the signing key:" in page
    assert "Dorothy Hodgkin changed the role of glasgow-staff@example.org from Staff to Editor." in page
    assert "Dorothy Hodgkin took the role Editor away from glasgow-staff@example.org." in page
    assert "The system changed the hub's profile." in page
    assert "Dorothy Hodgkin endorsed “Laser cutting at Paris” from Fablab Paris." in page
    assert "Dorothy Hodgkin withdrew the endorsement of “Laser cutting at Paris” from Fablab Paris." in page
    assert "%(" not in page
    html_page = response.content.decode()
    owner_membership = IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["owner"])
    assertion_url = console_url("assertion", hubs.a, public_id=revoked.public_id)
    assert f'<a href="{assertion_url}">“Laser cutting at Glasgow”</a> of Ada of Glasgow' in html_page
    assert (
        f'<a href="{console_url("staff", hubs.a)}#member-{owner_membership.pk}">Dorothy Hodgkin</a>'
        in html_page
    )
    class_url = console_url("badge_class_edit", hubs.a, public_id=hubs.a.badge_class.public_id)
    assert f'<a href="{class_url}">“Laser cutting at Glasgow”</a> to 2 people' in html_page
    # The raw line stays for auditors, folded away.
    assert "<summary>Details as recorded</summary>" in html_page
    assert '"reason": "Issued by mistake"' in page


def test_the_log_reads_in_french_with_the_time_in_french(owner: Client, hubs: Hubs) -> None:
    services.assertion_revoke(assertion=hubs.a.assertion, reason="Erreur", actor=hubs.a.people["owner"])

    with translation.override("fr"):
        url = console_url("audit_log", hubs.a)
    page = text_of(owner.get(url).content.decode())

    assert "Dorothy Hodgkin a révoqué « Laser cutting at Glasgow » de Ada of Glasgow : « Erreur »." in page
    assert (
        "glasgow-editor@example.org a délivré « Laser cutting at Glasgow » à 2 personnes dans un lot." in page
    )
    assert "Journal d’audit" in page


def test_a_page_of_fifty_lines_takes_as_many_queries_as_a_page_of_five(owner: Client, hubs: Hubs) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner.get(console_url("audit_log", hubs.a)).status_code == 200
        return len(captured)

    every_kind_of_change(hubs)
    few = queries()
    for _round in range(4):
        every_kind_of_change(hubs)

    assert len(owner.get(console_url("audit_log", hubs.a)).context["lines"]) == 50
    assert queries() == few
    assert few <= 20


def test_the_log_filters_by_action_and_by_person(owner: Client, hubs: Hubs) -> None:
    every_kind_of_change(hubs)
    url = console_url("audit_log", hubs.a)

    revoked = text_of(owner.get(url, {"action": AuditAction.ASSERTION_REVOKED}).content.decode())
    by_editor = text_of(owner.get(url, {"person": hubs.a.people["editor"].pk}).content.decode())

    assert "revoked “Laser cutting at Glasgow”" in revoked
    assert "rotated the signing key" not in revoked
    assert "in a batch" in by_editor
    assert "Dorothy Hodgkin" not in by_editor.split("Clear the filters", 1)[1]


def test_an_address_is_shown_by_its_first_letter_and_domain() -> None:
    assert masked_email("marie@example.org") == "m***@example.org"
    assert masked_email("not an address") == "***"
