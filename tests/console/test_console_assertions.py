"""Following a hub's badges in the console: the list searched and filtered (an e-mail address through
each badge's salted hash), its CSV export, revoking one or many with a reason (which verifiers then see
as a 410), and the hub's dashboard counts."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from badges.models import BadgeClass
from console import selectors
from passport import services
from passport.models import Assertion
from passport.services import Award
from tests.console.test_console_access import Hubs, console_url
from tests.factories import BadgeClassFactory

pytestmark = pytest.mark.django_db

JSON_LD = "application/ld+json"


@pytest.fixture
def welding(hubs: Hubs) -> BadgeClass:
    """A second class of hub A, with badges of every status."""
    welding = BadgeClassFactory.create(issuer=hubs.a.issuer, name="MIG welding")
    now = timezone.now()
    services.assertion_issue(
        badge_class=welding,
        recipient_email="Hedy@Example.org",
        recipient_name="Hedy Lamarr",
        issued_on=datetime(2024, 5, 2, 10, tzinfo=UTC),
    )
    services.assertion_issue(
        badge_class=welding,
        recipient_email="katherine@example.org",
        recipient_name='=HYPERLINK("https://evil.example")',
        issued_on=now - timedelta(days=100),
        expires=now + timedelta(days=10),
    )
    services.assertion_issue(
        badge_class=welding,
        recipient_email="mary@example.org",
        recipient_name="Mary Jackson",
        issued_on=now - timedelta(days=800),
        expires=now - timedelta(days=1),
    )
    revoked = services.assertion_issue(
        badge_class=welding, recipient_email="dorothy@example.org", recipient_name="Dorothy Vaughan"
    )
    services.assertion_revoke(assertion=revoked, reason="Duplicate award.")
    return welding


def listed(client: Client, hubs: Hubs, **filters: Any) -> list[str]:
    response = client.get(console_url("assertions", hubs.a), filters)
    assert response.status_code == 200
    return sorted(assertion.recipient_name for assertion in response.context["page"].object_list)


def test_the_list_shows_only_this_hub_s_badges(editor: Client, hubs: Hubs, welding: BadgeClass) -> None:
    assert listed(editor, hubs) == [
        '=HYPERLINK("https://evil.example")',
        "Ada of Glasgow",
        "Dorothy Vaughan",
        "Grace of Glasgow",
        "Hedy Lamarr",
        "Mary Jackson",
    ]


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ({"status": "revoked"}, ["Dorothy Vaughan"]),
        ({"status": "expired"}, ["Mary Jackson"]),
        ({"status": "expiring"}, ['=HYPERLINK("https://evil.example")']),
        ({"recipient": "lamarr"}, ["Hedy Lamarr"]),
        ({"recipient": "hedy@example.ORG"}, ["Hedy Lamarr"]),
        ({"recipient": "ada@paris.example"}, []),
        ({"issued_from": "2024-05-01", "issued_to": "2024-05-02"}, ["Hedy Lamarr"]),
        ({"issued_to": "2024-05-01"}, []),
    ],
)
def test_the_list_filters_by_status_recipient_and_date(
    editor: Client, hubs: Hubs, welding: BadgeClass, filters: dict[str, str], names: list[str]
) -> None:
    assert listed(editor, hubs, **filters) == names


def test_the_list_filters_by_badge_class_and_batch(editor: Client, hubs: Hubs, welding: BadgeClass) -> None:
    glasgow = ["Ada of Glasgow", "Grace of Glasgow"]

    assert listed(editor, hubs, badge_class=hubs.a.badge_class.pk) == glasgow
    assert listed(editor, hubs, batch=hubs.a.batch.pk) == glasgow
    assert listed(editor, hubs, batch=hubs.b.batch.pk) == []


def test_a_bad_filter_is_named_and_the_other_filters_still_apply(
    editor: Client, hubs: Hubs, welding: BadgeClass
) -> None:
    response = editor.get(console_url("assertions", hubs.a), {"status": "revoked", "issued_from": "soon"})

    assert response.status_code == 400
    assert "Some filters are not valid and were left out" in response.content.decode()
    assert [a.recipient_name for a in response.context["page"].object_list] == ["Dorothy Vaughan"]


def test_an_e_mail_is_found_among_thousands_by_its_hash(hubs: Hubs) -> None:
    awards = [Award(f"maker{n}@example.org") for n in range(3000)]
    services.assertions_issue(badge_class=hubs.a.badge_class, awards=awards, send_email=False)

    query = selectors.AssertionQuery(recipient="Maker2999@example.org")
    (found,) = selectors.hub_assertions(hubs.a.issuer, query)

    assert found.recipient_identity.startswith("sha256$")
    assert found.pending_email == ""


def test_the_csv_export_lists_the_filtered_badges_without_addresses_and_with_formulas_neutralised(
    editor: Client, hubs: Hubs, welding: BadgeClass
) -> None:
    response = editor.get(console_url("assertions_export", hubs.a), {"badge_class": welding.pk})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{hubs.a.issuer.slug}-badges-')
    text = response.getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(selectors.EXPORT_COLUMNS)
    by_name = {row["recipient_name"]: row for row in rows}
    assert sorted(by_name) == [
        '\'=HYPERLINK("https://evil.example")',
        "Dorothy Vaughan",
        "Hedy Lamarr",
        "Mary Jackson",
    ]
    hedy = Assertion.objects.get(recipient_name="Hedy Lamarr")
    assert by_name["Hedy Lamarr"]["url"] == f"https://makeworks.example/badges/assertions/{hedy.public_id}/"
    assert by_name["Hedy Lamarr"]["recipient_identity"] == hedy.recipient_identity
    assert by_name["Hedy Lamarr"]["issued_on"] == "2024-05-02T10:00:00+00:00"
    assert by_name["Dorothy Vaughan"]["status"] == "revoked"
    assert by_name["Dorothy Vaughan"]["revocation_reason"] == "Duplicate award."
    assert by_name["Mary Jackson"]["status"] == "expired"
    # The awards' e-mails have not gone yet, so their plain addresses are still stored, never exported.
    assert Assertion.objects.filter(pending_email__iexact="hedy@example.org").exists()
    assert "@example.org" not in text.lower()


def test_the_csv_export_follows_the_e_mail_search(editor: Client, hubs: Hubs, welding: BadgeClass) -> None:
    response = editor.get(console_url("assertions_export", hubs.a), {"recipient": "mary@example.org"})

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))

    assert [row["recipient_name"] for row in rows] == ["Mary Jackson"]


def test_a_revoked_badge_answers_410_to_verifiers_and_says_so_to_people(
    editor: Client, hubs: Hubs, client: Client
) -> None:
    assertion = hubs.a.assertion

    response = editor.post(
        console_url("assertion_revoke", hubs.a, public_id=assertion.public_id),
        {"reason": "Awarded to the wrong person."},
        follow=True,
    )

    assert "The badge is revoked." in response.content.decode()
    public = f"/badges/assertions/{assertion.public_id}/"
    machine = editor.get(public, HTTP_ACCEPT=JSON_LD)
    person = editor.get(public, HTTP_ACCEPT="text/html")
    assert machine.status_code == person.status_code == 410
    assert machine.json()["revoked"] is True
    assert machine.json()["revocationReason"] == "Awarded to the wrong person."
    assert "Awarded to the wrong person." in person.content.decode()


def test_revoking_without_a_reason_is_refused_and_revokes_nothing(editor: Client, hubs: Hubs) -> None:
    response = editor.post(
        console_url("assertion_revoke", hubs.a, public_id=hubs.a.assertion.public_id), {"reason": " "}
    )

    assert response.status_code == 400
    assert "Nothing was revoked." in response.content.decode()
    hubs.a.assertion.refresh_from_db()
    assert not hubs.a.assertion.revoked


def test_bulk_revoke_asks_for_a_reason_then_revokes_every_selected_badge(
    editor: Client, hubs: Hubs, welding: BadgeClass
) -> None:
    chosen = list(Assertion.objects.filter(batch=hubs.a.batch).values_list("public_id", flat=True))
    url = console_url("assertions_revoke", hubs.a)

    asked = editor.post(url, {"assertions": chosen})
    refused = editor.post(url, {"assertions": chosen, "reason": "", "confirm": "1"})
    done = editor.post(url, {"assertions": chosen, "reason": "The course was cancelled.", "confirm": "1"})

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Ada of Glasgow" in page
    assert "Grace of Glasgow" in page
    assert all(f'value="{public_id}"' in page for public_id in chosen)
    assert refused.status_code == 400
    assert done["Location"] == console_url("assertions", hubs.a)
    revoked = Assertion.objects.filter(public_id__in=chosen)
    assert set(revoked.values_list("revoked", "revocation_reason")) == {(True, "The course was cancelled.")}
    assert Assertion.objects.filter(badge_class=welding, revoked=True).count() == 1


def test_bulk_revoke_without_a_selection_goes_back_to_the_list(editor: Client, hubs: Hubs) -> None:
    response = editor.post(console_url("assertions_revoke", hubs.a), {}, follow=True)

    assert "Select the badges to revoke first." in response.content.decode()


def test_the_list_offers_revoking_only_to_those_who_may(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.a.people["staff"])
    staff_page = client.get(console_url("assertions", hubs.a)).content.decode()
    client.force_login(hubs.a.people["editor"])
    editor_page = client.get(console_url("assertions", hubs.a)).content.decode()

    assert 'name="assertions"' not in staff_page
    assert "Issue a badge" not in staff_page
    assert 'name="assertions"' in editor_page


def test_the_dashboard_counts_per_class_per_month_revoked_and_expiring(
    editor: Client, hubs: Hubs, welding: BadgeClass
) -> None:
    response = editor.get(console_url("dashboard", hubs.a))

    dashboard = response.context["dashboard"]
    assert (dashboard.issued, dashboard.revoked, dashboard.expiring, dashboard.failed) == (6, 1, 1, 0)
    assert {(c.name, c.issued, c.revoked) for c in dashboard.badge_classes} == {
        ("Laser cutting at Glasgow", 2, 0),
        ("MIG welding", 4, 1),
    }
    assert len(dashboard.months) == selectors.DASHBOARD_MONTHS
    this_month = dashboard.months[-1]
    assert this_month.month == timezone.localdate().replace(day=1)
    # This month: the two Glasgow batch awards and Dorothy's. Katherine's (100 days ago) is in an earlier
    # month of the twelve; Hedy's (2024) and Mary's (800 days ago) are older than all twelve.
    assert this_month.issued == 3
    assert sum(month.issued for month in dashboard.months) == 4
    assert [batch for batch, _progress in dashboard.batches] == [hubs.a.batch]
