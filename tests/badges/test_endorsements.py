"""Endorsements: one hub recognising another hub's badge class. The Open Badges document against golden
files written by hand from the 2.0 spec, the services and their refusals, the public URLs, and who may
endorse or withdraw in the console (owners and site administrators of the endorsing hub only)."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from badges import selectors
from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass, Endorsement, Issuer, IssuerRole
from badges.openbadges.documents import (
    BadgeClassData,
    EndorsementData,
    badge_class_document,
    endorsement_document,
    withdrawn_endorsement_document,
)
from badges.services.endorsements import MAX_COMMENT_LENGTH, endorsement_give, endorsement_withdraw
from tests.factories import BadgeClassFactory, IssuerFactory, IssuerMembershipFactory, UserFactory

GOLDEN = Path(__file__).parent / "golden"
SITE = "https://makeworks.example"
LASER_ID = f"{SITE}/badges/classes/laser-class/"
YAOUNDE_ID = f"{SITE}/badges/issuers/fab-lab-yaounde/"
ENDORSEMENT_ID = f"{SITE}/badges/endorsements/yaounde-endorses-laser/"
ISSUED = datetime(2026, 3, 2, 9, 30, 0, 345678, tzinfo=UTC)
JSON_LD = {"Accept": "application/ld+json"}


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


# The document, from plain data.


def test_an_endorsement_document_matches_the_golden_file() -> None:
    data = EndorsementData(
        id=ENDORSEMENT_ID,
        issuer_id=YAOUNDE_ID,
        claim_id=LASER_ID,
        issued_on=ISSUED,
        comment="Their induction covers **everything** ours does; we accept it at our laser cutters.",
    )

    assert endorsement_document(data) == golden("endorsement")


def test_an_endorsement_without_a_comment_leaves_the_comment_out() -> None:
    data = EndorsementData(id=ENDORSEMENT_ID, issuer_id=YAOUNDE_ID, claim_id=LASER_ID, issued_on=ISSUED)

    assert endorsement_document(data) == golden("endorsement_without_comment")


def test_a_withdrawn_endorsement_body_says_it_is_revoked_and_why() -> None:
    document = withdrawn_endorsement_document(ENDORSEMENT_ID, "Withdrawn by Fab Lab Yaoundé on 2026-04-01.")

    assert document == golden("endorsement_withdrawn")


def test_a_badge_class_lists_the_ids_of_its_endorsements() -> None:
    data = BadgeClassData(
        id=f"{SITE}/badges/classes/print-class/",
        issuer_id=f"{SITE}/badges/issuers/fablab-glasgow/",
        name="3D printing (FDM)",
        description="Prepares models for fused-filament printing.",
        image=f"{SITE}/badges/classes/print-class/image",
        criteria_narrative="Printed a model with supports and removed them cleanly.",
        endorsement_ids=(
            f"{SITE}/badges/endorsements/yaounde-endorses-printing/",
            f"{SITE}/badges/endorsements/leeds-endorses-printing/",
        ),
    )

    assert badge_class_document(data) == golden("badge_class_endorsed")


def test_an_endorsement_date_without_a_time_zone_is_refused() -> None:
    data = EndorsementData(
        id=ENDORSEMENT_ID, issuer_id=YAOUNDE_ID, claim_id=LASER_ID, issued_on=datetime(2026, 3, 2, 9, 30)
    )

    with pytest.raises(ValueError, match="time zone"):
        endorsement_document(data)


# Hubs that endorse each other's badges.


@dataclass
class Hubs:
    glasgow: Issuer
    yaounde: Issuer
    glasgow_laser: BadgeClass
    glasgow_printing: BadgeClass
    yaounde_laser: BadgeClass
    people: dict[str, User]
    yaounde_owner: User


@pytest.fixture
def hubs(db: None) -> Hubs:
    glasgow = IssuerFactory.create(name="Fablab Glasgow")
    yaounde = IssuerFactory.create(name="Fab Lab Yaoundé")
    people = {role: UserFactory.create(username=f"glasgow-{role}") for role in ("owner", "editor", "staff")}
    for role in IssuerRole:
        IssuerMembershipFactory.create(issuer=glasgow, user=people[role.value], role=role)
    people["outsider"] = UserFactory.create(username="outsider")
    people["admin"] = User.objects.create_superuser("admin", "admin@example.org", "admin-password")
    yaounde_owner = UserFactory.create(username="yaounde-owner")
    IssuerMembershipFactory.create(issuer=yaounde, user=yaounde_owner, role=IssuerRole.OWNER)
    return Hubs(
        glasgow=glasgow,
        yaounde=yaounde,
        glasgow_laser=BadgeClassFactory.create(issuer=glasgow, name="Laser safety induction"),
        glasgow_printing=BadgeClassFactory.create(issuer=glasgow, name="3D printing (FDM)"),
        yaounde_laser=BadgeClassFactory.create(issuer=yaounde, name="Découpe laser"),
        people=people,
        yaounde_owner=yaounde_owner,
    )


def glasgow_endorses_yaounde(hubs: Hubs, **options: Any) -> Endorsement:
    return endorsement_give(
        endorser=hubs.glasgow, badge_class=hubs.yaounde_laser, actor=hubs.people["owner"], **options
    )


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# Services.


def test_a_hub_endorses_another_hubs_badge_and_its_audit_log_says_so(hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(
        hubs, accepted_as=hubs.glasgow_laser, comment="  Same induction as ours.  "
    )

    assert endorsement.endorser == hubs.glasgow
    assert endorsement.comment == "Same induction as ours."
    assert endorsement.created_by == hubs.people["owner"]
    entry = badge_selectors.audit_entries(hubs.glasgow).get(action=AuditAction.ENDORSEMENT_GIVEN)
    assert entry.actor == hubs.people["owner"]
    assert entry.object_id == endorsement.public_id
    assert entry.after is not None
    assert entry.after["badge_class_name"] == "Découpe laser"
    assert entry.after["accepted_as_name"] == "Laser safety induction"
    assert not badge_selectors.audit_entries(hubs.yaounde).filter(object_type="endorsement").exists()


def test_an_accepted_endorsement_lets_the_other_badge_stand_in_for_ours(hubs: Hubs) -> None:
    glasgow_endorses_yaounde(hubs, accepted_as=hubs.glasgow_laser)

    assert selectors.accepted_equivalents([hubs.glasgow_laser.pk]) == {
        hubs.glasgow_laser.pk: {hubs.yaounde_laser.pk}
    }
    assert selectors.endorsement_counts([hubs.yaounde_laser.pk]) == {hubs.yaounde_laser.pk: 1}


def test_a_hub_cannot_endorse_its_own_badge(hubs: Hubs) -> None:
    with pytest.raises(ValidationError) as refused:
        endorsement_give(endorser=hubs.glasgow, badge_class=hubs.glasgow_laser, actor=hubs.people["owner"])

    assert "a hub endorses other hubs' badges, not its own" in messages_of(refused)
    assert not Endorsement.objects.exists()


def test_a_badge_can_only_be_accepted_in_place_of_one_of_the_endorsers_own(hubs: Hubs) -> None:
    other = BadgeClassFactory.create(name="Someone else's badge")

    with pytest.raises(ValidationError) as refused:
        glasgow_endorses_yaounde(hubs, accepted_as=other)

    assert "“Someone else's badge” is not a badge of Fablab Glasgow" in messages_of(refused)
    assert not Endorsement.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ENDORSEMENT_GIVEN).exists()


def test_endorsing_the_same_badge_twice_is_refused(hubs: Hubs) -> None:
    glasgow_endorses_yaounde(hubs)

    with pytest.raises(ValidationError) as refused:
        glasgow_endorses_yaounde(hubs)

    assert "Fablab Glasgow already endorses “Découpe laser”" in messages_of(refused)
    assert Endorsement.objects.count() == 1


def test_a_comment_longer_than_the_limit_is_refused(hubs: Hubs) -> None:
    with pytest.raises(ValidationError) as refused:
        glasgow_endorses_yaounde(hubs, comment="x" * (MAX_COMMENT_LENGTH + 1))

    assert f"at most {MAX_COMMENT_LENGTH} characters" in messages_of(refused)


def test_withdrawing_keeps_the_endorsement_marked_and_audits_it(hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)

    endorsement_withdraw(endorsement=endorsement, actor=hubs.people["admin"])

    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None
    entry = badge_selectors.audit_entries(hubs.glasgow).get(action=AuditAction.ENDORSEMENT_WITHDRAWN)
    assert entry.actor == hubs.people["admin"]
    assert entry.before is not None
    assert entry.before["withdrawn_at"] is None
    assert entry.after is not None
    assert entry.after["withdrawn_at"] is not None
    assert selectors.endorsement_counts([hubs.yaounde_laser.pk]) == {}


def test_withdrawing_twice_is_refused(hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)
    endorsement_withdraw(endorsement=endorsement, actor=None)

    with pytest.raises(ValidationError) as refused:
        endorsement_withdraw(endorsement=endorsement, actor=None)

    assert "already withdrawn" in messages_of(refused)
    assert AuditEntry.objects.filter(action=AuditAction.ENDORSEMENT_WITHDRAWN).count() == 1


def test_after_withdrawing_a_hub_may_endorse_the_badge_again(hubs: Hubs) -> None:
    first = glasgow_endorses_yaounde(hubs)
    endorsement_withdraw(endorsement=first, actor=None)

    second = glasgow_endorses_yaounde(hubs)

    assert second.public_id != first.public_id
    assert list(selectors.badge_class_endorsements(hubs.yaounde_laser)) == [second]


# Public URLs.


def test_the_endorsement_url_gives_verifiers_its_document(client: Client, hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs, comment="Same induction as ours.")
    url = selectors.endorsement_url(endorsement)

    response = client.get(url.removeprefix(SITE), headers=JSON_LD)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json() == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Endorsement",
        "id": url,
        "claim": {
            "id": selectors.badge_class_url(hubs.yaounde_laser),
            "endorsementComment": "Same induction as ours.",
        },
        "issuer": selectors.issuer_url(hubs.glasgow),
        "issuedOn": endorsement.issued_on.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verification": {"type": "HostedBadge"},
    }


def test_the_endorsement_page_tells_people_who_recognises_what(client: Client, hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(
        hubs, accepted_as=hubs.glasgow_laser, comment="Same **induction**."
    )

    response = client.get(reverse("badges:endorsement", kwargs={"public_id": endorsement.public_id}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Fablab Glasgow endorses Découpe laser" in page
    assert "<strong>induction</strong>" in page
    assert "Laser safety induction</a>, a badge of Fablab Glasgow" in page
    assert "Accept" in response["Vary"]


def test_a_withdrawn_endorsement_answers_gone_saying_so(client: Client, hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)
    endorsement_withdraw(endorsement=endorsement, actor=None)
    path = reverse("badges:endorsement", kwargs={"public_id": endorsement.public_id})
    day = timezone.now().astimezone(UTC).date().isoformat()

    document = client.get(path, headers=JSON_LD)
    page = client.get(path)

    assert document.status_code == 410
    assert document.json() == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Endorsement",
        "id": selectors.endorsement_url(endorsement),
        "revoked": True,
        "revocationReason": f"Withdrawn by Fablab Glasgow on {day}.",
    }
    assert page.status_code == 410
    assert "Fablab Glasgow withdrew this endorsement" in page.content.decode()


def test_an_unknown_endorsement_is_not_found(client: Client, db: None) -> None:
    path = reverse("badges:endorsement", kwargs={"public_id": "no-such-thing"})

    response = client.get(path, headers=JSON_LD)

    assert response.status_code == 404


def test_the_badge_class_document_lists_only_standing_endorsements(client: Client, hubs: Hubs) -> None:
    withdrawn = glasgow_endorses_yaounde(hubs)
    endorsement_withdraw(endorsement=withdrawn, actor=None)
    standing = glasgow_endorses_yaounde(hubs)
    leeds = IssuerFactory.create(name="Leeds Makerspace")
    by_leeds = endorsement_give(endorser=leeds, badge_class=hubs.yaounde_laser, actor=None)
    endorsed = reverse("badges:badge_class", kwargs={"public_id": hubs.yaounde_laser.public_id})
    not_endorsed = reverse("badges:badge_class", kwargs={"public_id": hubs.glasgow_laser.public_id})

    document = client.get(endorsed, headers=JSON_LD).json()

    assert document["endorsement"] == [
        selectors.endorsement_url(standing),
        selectors.endorsement_url(by_leeds),
    ]
    assert "endorsement" not in client.get(not_endorsed, headers=JSON_LD).json()


def test_the_badge_class_page_says_which_hubs_recognise_it(client: Client, hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)
    endorsement_give(
        endorser=IssuerFactory.create(name="Leeds Makerspace"), badge_class=hubs.yaounde_laser, actor=None
    )

    page = client.get(reverse("badges:badge_class", kwargs={"public_id": hubs.yaounde_laser.public_id}))

    text = " ".join(page.content.decode().split())
    link = reverse("badges:endorsement", kwargs={"public_id": endorsement.public_id})
    assert "Recognised by 2 other hubs:" in text
    assert f'<a href="{link}">Fablab Glasgow</a>' in text
    assert "Leeds Makerspace</a>" in text


def test_the_issuer_pages_show_endorsements_given_and_received(client: Client, hubs: Hubs) -> None:
    glasgow_endorses_yaounde(hubs, accepted_as=hubs.glasgow_laser)

    glasgow = " ".join(
        client.get(reverse("badges:issuer", kwargs={"slug": hubs.glasgow.slug})).content.decode().split()
    )
    yaounde = " ".join(
        client.get(reverse("badges:issuer", kwargs={"slug": hubs.yaounde.slug})).content.decode().split()
    )

    assert "Other hubs' badges it recognises" in glasgow
    assert "(Fab Lab Yaoundé), accepted in place of Laser safety induction" in glasgow
    assert "Its badges recognised by other hubs" in yaounde
    assert "Fablab Glasgow</a>" in yaounde


# The console: who may endorse for a hub, and forged posts.


def console(name: str, issuer: Issuer, **ids: str) -> str:
    return reverse(f"console:{name}", kwargs={"slug": issuer.slug, **ids})


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 200), ("admin", 200), ("editor", 403), ("staff", 403), ("outsider", 404)],
)
@pytest.mark.parametrize("page", ["endorsements", "endorse"])
def test_only_owners_and_site_administrators_reach_the_endorsement_pages(
    client: Client, hubs: Hubs, role: str, expected: int, page: str
) -> None:
    client.force_login(hubs.people[role])

    assert client.get(console(page, hubs.glasgow)).status_code == expected


@pytest.mark.parametrize("page", ["endorsements", "endorse"])
def test_the_owner_of_one_hub_is_nobody_on_another_hubs_endorsement_pages(
    client: Client, hubs: Hubs, page: str
) -> None:
    client.force_login(hubs.people["owner"])

    assert client.get(console(page, hubs.yaounde)).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Client, hubs: Hubs) -> None:
    response = client.get(console("endorsements", hubs.glasgow))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_console_nav_links_endorsements_for_owners_only(client: Client, hubs: Hubs) -> None:
    link = f'href="{console("endorsements", hubs.glasgow)}"'
    client.force_login(hubs.people["owner"])
    assert link in client.get(console("dashboard", hubs.glasgow)).content.decode()

    client.force_login(hubs.people["editor"])
    assert link not in client.get(console("dashboard", hubs.glasgow)).content.decode()


def test_an_owner_endorses_a_badge_from_the_console(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.people["owner"])

    response = client.post(
        console("endorse", hubs.glasgow),
        {
            "badge_class": hubs.yaounde_laser.public_id,
            "accepted_as": hubs.glasgow_laser.public_id,
            "comment": "Same induction as ours.",
        },
        follow=True,
    )

    page = response.content.decode()
    endorsement = Endorsement.objects.get()
    assert (endorsement.endorser, endorsement.badge_class, endorsement.accepted_as) == (
        hubs.glasgow,
        hubs.yaounde_laser,
        hubs.glasgow_laser,
    )
    assert "Fablab Glasgow now endorses “Découpe laser” of Fab Lab Yaoundé." in page
    assert "Withdraw the endorsement of Découpe laser" in page


def test_the_endorse_page_lists_other_hubs_badges_and_the_search_narrows_them(
    client: Client, hubs: Hubs
) -> None:
    BadgeClassFactory.create(issuer=hubs.yaounde, name="Soudure à l'arc")
    client.force_login(hubs.people["owner"])

    everything = client.get(console("endorse", hubs.glasgow)).content.decode()
    searched = client.get(console("endorse", hubs.glasgow), {"q": "soudure"}).content.decode()

    assert "Découpe laser, of Fab Lab Yaoundé" in everything
    assert "Laser safety induction, of" not in everything
    assert "Soudure à l&#x27;arc, of Fab Lab Yaoundé" in searched
    assert "Découpe laser" not in searched


def test_a_badge_already_endorsed_is_no_longer_offered(client: Client, hubs: Hubs) -> None:
    glasgow_endorses_yaounde(hubs)
    client.force_login(hubs.people["owner"])

    page = client.get(console("endorse", hubs.glasgow)).content.decode()

    assert "Découpe laser, of" not in page


def test_a_forged_post_endorsing_our_own_badge_is_refused(client: Client, hubs: Hubs) -> None:
    client.force_login(hubs.people["owner"])

    response = client.post(console("endorse", hubs.glasgow), {"badge_class": hubs.glasgow_printing.public_id})

    assert response.status_code == 400
    assert "Choose one of the badges listed" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_a_forged_post_accepting_another_hubs_badge_in_place_of_ours_is_refused(
    client: Client, hubs: Hubs
) -> None:
    client.force_login(hubs.people["owner"])
    other = BadgeClassFactory.create(issuer=hubs.yaounde, name="Fraisage CNC")

    response = client.post(
        console("endorse", hubs.glasgow),
        {"badge_class": hubs.yaounde_laser.public_id, "accepted_as": other.public_id},
    )

    assert response.status_code == 400
    assert "Choose one of your own hub&#x27;s badges." in response.content.decode()
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [("editor", 403), ("staff", 403), ("outsider", 404)])
def test_a_post_by_someone_who_may_not_endorse_changes_nothing(
    client: Client, hubs: Hubs, role: str, expected: int
) -> None:
    client.force_login(hubs.people[role])

    response = client.post(console("endorse", hubs.glasgow), {"badge_class": hubs.yaounde_laser.public_id})

    assert response.status_code == expected
    assert not Endorsement.objects.exists()


def test_an_owner_withdraws_an_endorsement_from_the_console(client: Client, hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)
    client.force_login(hubs.people["owner"])

    response = client.post(
        console("endorsement_withdraw", hubs.glasgow, public_id=endorsement.public_id), follow=True
    )

    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None
    assert "Fablab Glasgow no longer endorses “Découpe laser”." in response.content.decode()
    assert "Withdrawn on" in response.content.decode()


def test_an_editor_cannot_withdraw_an_endorsement(client: Client, hubs: Hubs) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)
    client.force_login(hubs.people["editor"])

    response = client.post(console("endorsement_withdraw", hubs.glasgow, public_id=endorsement.public_id))

    assert response.status_code == 403
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is None


def test_another_hubs_endorsement_cannot_be_withdrawn_through_our_urls(client: Client, hubs: Hubs) -> None:
    theirs = endorsement_give(endorser=hubs.yaounde, badge_class=hubs.glasgow_laser, actor=hubs.yaounde_owner)
    client.force_login(hubs.people["owner"])

    guessed = client.post(console("endorsement_withdraw", hubs.glasgow, public_id=theirs.public_id))
    direct = client.post(console("endorsement_withdraw", hubs.yaounde, public_id=theirs.public_id))

    assert (guessed.status_code, direct.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None


# The back office.


def test_the_admin_lists_endorsements_and_withdraws_them_through_the_service(
    client: Client, hubs: Hubs
) -> None:
    endorsement = glasgow_endorses_yaounde(hubs)
    client.force_login(hubs.people["admin"])

    listing = client.get(reverse("admin:badges_endorsement_changelist"))
    response = client.post(
        reverse("admin:badges_endorsement_changelist"),
        {"action": "withdraw_selected", "_selected_action": [endorsement.pk]},
        follow=True,
    )

    assert listing.status_code == 200
    assert "Découpe laser" in listing.content.decode()
    assert "1 endorsement withdrawn." in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None
    assert AuditEntry.objects.filter(
        action=AuditAction.ENDORSEMENT_WITHDRAWN, actor=hubs.people["admin"]
    ).exists()
