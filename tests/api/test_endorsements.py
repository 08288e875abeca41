"""Endorsements through the API: anyone reads who recognises a badge class, what an issuer endorses and
each endorsement with its hosted document; only a `manage` key of the endorsing issuer (or its owner)
gives or withdraws one, through the same services and audit log as the console."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.keys.models import APIKey
from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass, Endorsement, Issuer, IssuerRole
from badges.services.endorsements import endorsement_give, endorsement_withdraw
from tests.api.conftest import KeyMaker, bearer
from tests.factories import BadgeClassFactory, IssuerFactory, IssuerMembershipFactory

pytestmark = pytest.mark.django_db

SITE = "https://makeworks.example"


def give_url(issuer: Issuer) -> str:
    return f"/api/v1/issuers/{issuer.slug}/endorsements/"


@pytest.fixture
def manage_key_b(make_key: KeyMaker, issuer_b: Issuer) -> str:
    return make_key(scopes=["manage"], issuer=issuer_b)


@pytest.fixture
def endorsement(class_a: BadgeClass, class_b: BadgeClass) -> Endorsement:
    """Accra's issuer recognises Glasgow's laser badge in place of its own sewing badge."""
    return endorsement_give(
        endorser=class_b.issuer,
        badge_class=class_a,
        accepted_as=class_b,
        comment="Same induction.",
        actor=None,
    )


def expired_key(make_key: KeyMaker, issuer: Issuer) -> str:
    """A `manage` key of `issuer` that expired an hour ago (made valid, then its expiry passed)."""
    token = make_key(scopes=["manage"], issuer=issuer, expires_at=timezone.now() + timedelta(days=1))
    APIKey.objects.filter(prefix=token[:16]).update(expires_at=timezone.now() - timedelta(hours=1))
    return token


def test_anyone_reads_an_endorsement_with_a_link_to_its_hosted_document(
    endorsement: Endorsement, class_a: BadgeClass, class_b: BadgeClass, client_api: APIClient
) -> None:
    answer = client_api.get(f"/api/v1/endorsements/{endorsement.public_id}/")

    assert answer.status_code == 200
    body = answer.json()
    document_url = f"{SITE}/badges/endorsements/{endorsement.public_id}/"
    assert body == {
        "id": endorsement.public_id,
        "endorser": {"slug": class_b.issuer.slug, "name": "Makerspace Accra"},
        "badge_class": {
            "id": class_a.public_id,
            "name": "Laser cutter operator",
            "issuer": {"slug": class_a.issuer.slug, "name": "Fablab Glasgow"},
        },
        "accepted_as": {
            "id": class_b.public_id,
            "name": "Sewing machine",
            "issuer": {"slug": class_b.issuer.slug, "name": "Makerspace Accra"},
        },
        "issued_on": body["issued_on"],
        "withdrawn": False,
        "withdrawn_at": None,
        "document_url": document_url,
        "comment": "Same induction.",
    }
    document = client_api.get(document_url.removeprefix(SITE), HTTP_ACCEPT="application/ld+json")
    assert document.status_code == 200
    assert document.json()["id"] == document_url
    assert "public" in answer["Cache-Control"]
    assert answer["Last-Modified"]


def test_endorsements_are_listed_per_badge_class_and_per_issuer_given_and_received(
    endorsement: Endorsement, class_a: BadgeClass, client_api: APIClient
) -> None:
    endorser, endorsed = endorsement.endorser, class_a.issuer
    third = IssuerFactory.create(name="Fab City Paris")
    withdrawn = endorsement_give(
        endorser=endorser, badge_class=BadgeClassFactory.create(issuer=third), actor=None
    )
    endorsement_withdraw(endorsement=withdrawn, actor=None)

    def ids(url: str) -> list[str]:
        answer = client_api.get(url)
        assert answer.status_code == 200, answer.json()
        return [item["id"] for item in answer.json()["results"]]

    assert ids(f"/api/v1/badge-classes/{class_a.public_id}/endorsements/") == [endorsement.public_id]
    assert ids(give_url(endorser)) == [endorsement.public_id]
    assert ids(give_url(endorser) + "?withdrawn=true") == [endorsement.public_id, withdrawn.public_id]
    assert ids(give_url(endorser) + "?withdrawn=0") == [endorsement.public_id]
    assert ids(give_url(endorser) + "?withdrawn=") == [endorsement.public_id]
    assert ids(give_url(endorsed)) == []
    assert ids(f"/api/v1/issuers/{endorsed.slug}/endorsements/received/") == [endorsement.public_id]
    assert ids(f"/api/v1/issuers/{third.slug}/endorsements/received/") == []
    assert client_api.get("/api/v1/badge-classes/no-such-class/endorsements/").status_code == 404
    assert client_api.get(give_url(endorser) + "?withdrawn=perhaps").json()["fields"] == {
        "withdrawn": ["Must be a valid boolean."]
    }


def test_a_manage_key_gives_an_endorsement_for_its_issuer_with_an_audit_entry(
    class_a: BadgeClass, class_b: BadgeClass, manage_key_b: str, client_api: APIClient
) -> None:
    body = {
        "badge_class": class_a.public_id,
        "accepted_as": class_b.public_id,
        "comment": " Same induction. ",
    }

    answer = client_api.post(give_url(class_b.issuer), body, format="json", **bearer(manage_key_b))

    assert answer.status_code == 201, answer.json()
    given = Endorsement.objects.get(public_id=answer.json()["id"])
    assert (given.endorser, given.badge_class, given.accepted_as) == (class_b.issuer, class_a, class_b)
    assert answer.json()["comment"] == "Same induction."
    assert answer.json()["document_url"] == f"{SITE}/badges/endorsements/{given.public_id}/"
    entry = badge_selectors.audit_entries(class_b.issuer).get(action=AuditAction.ENDORSEMENT_GIVEN)
    assert entry.object_id == given.public_id


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [(None, 401, "not_authenticated"), ("read_key_b", 403, "permission_denied"),
     ("issue_only_key_b", 403, "permission_denied"), ("manage_key_a", 404, "not_found"),
     ("expired_key_b", 401, "key_expired")],
)  # fmt: skip
def test_giving_an_endorsement_is_refused_without_the_manage_scope_on_the_endorsing_issuer(
    class_a: BadgeClass, class_b: BadgeClass, make_key: KeyMaker, request: pytest.FixtureRequest,
    client_api: APIClient, key: str | None, status: int, code: str,
) -> None:  # fmt: skip
    keys = {
        "read_key_b": lambda: make_key(scopes=["read"], issuer=class_b.issuer),
        "issue_only_key_b": lambda: make_key(scopes=["read", "issue"], issuer=class_b.issuer),
        "manage_key_a": lambda: request.getfixturevalue("manage_key_a"),
        "expired_key_b": lambda: expired_key(make_key, class_b.issuer),
    }
    headers = bearer(keys[key]()) if key else {}

    answer = client_api.post(
        give_url(class_b.issuer), {"badge_class": class_a.public_id}, format="json", **headers
    )

    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert not Endorsement.objects.exists()


def test_a_manage_key_withdraws_its_issuers_endorsement_once(
    endorsement: Endorsement, manage_key_a: str, manage_key_b: str, client_api: APIClient
) -> None:
    url = f"/api/v1/endorsements/{endorsement.public_id}/withdraw/"
    other_hub = client_api.post(url, **bearer(manage_key_a))
    assert (other_hub.status_code, other_hub.json()["code"]) == (404, "not_found")

    answer = client_api.post(url, **bearer(manage_key_b))

    assert answer.status_code == 200, answer.json()
    assert answer.json()["withdrawn"] is True
    again = client_api.post(url, **bearer(manage_key_b))
    assert again.status_code == 400
    assert again.json()["message"].startswith("This endorsement was already withdrawn on ")
    document = client_api.get(
        f"/badges/endorsements/{endorsement.public_id}/", HTTP_ACCEPT="application/json"
    )
    assert document.status_code == 410
    assert (
        badge_selectors.audit_entries(endorsement.endorser)
        .filter(action=AuditAction.ENDORSEMENT_WITHDRAWN)
        .count()
        == 1
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"badge_class": "no-such-class"}, "badge_class", "No badge class has the id “no-such-class”."),
        ({"badge_class": "OWN"}, "badge_class", "“Sewing machine” is a badge of Makerspace Accra itself"),
        ({"badge_class": "THEIRS", "accepted_as": "THEIRS"}, "accepted_as", "“Laser cutter operator” is not"),
        ({"badge_class": "THEIRS", "comment": "x" * 2001}, "comment", "Ensure this field has no more than"),
        ({}, "badge_class", "This field is required."),
    ],
)
def test_endorsements_that_make_no_sense_are_refused_naming_the_field(
    class_a: BadgeClass, class_b: BadgeClass, manage_key_b: str, client_api: APIClient,
    body: dict[str, Any], field: str, message: str,
) -> None:  # fmt: skip
    ids = {"OWN": class_b.public_id, "THEIRS": class_a.public_id}
    sent = {name: ids.get(value, value) for name, value in body.items()}

    answer = client_api.post(give_url(class_b.issuer), sent, format="json", **bearer(manage_key_b))

    assert answer.status_code == 400
    assert answer.json()["fields"][field][0].startswith(message)
    assert not Endorsement.objects.exists()


def test_a_second_endorsement_of_the_same_class_is_refused_while_the_first_stands(
    endorsement: Endorsement, class_a: BadgeClass, manage_key_b: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        give_url(endorsement.endorser),
        {"badge_class": class_a.public_id},
        format="json",
        **bearer(manage_key_b),
    )

    assert answer.status_code == 400
    assert "already endorses" in answer.json()["fields"]["badge_class"][0]
    assert Endorsement.objects.count() == 1


def test_a_signed_in_owner_may_endorse_and_an_editor_may_not(
    class_a: BadgeClass, class_b: BadgeClass, client_api: APIClient
) -> None:
    editor = IssuerMembershipFactory.create(issuer=class_b.issuer, role=IssuerRole.EDITOR).user
    client_api.force_login(editor)
    refused = client_api.post(give_url(class_b.issuer), {"badge_class": class_a.public_id}, format="json")
    assert refused.status_code == 403
    assert "may not endorse other hubs' badges" in refused.json()["message"]

    client_api.force_login(IssuerMembershipFactory.create(issuer=class_b.issuer, role=IssuerRole.OWNER).user)
    accepted = client_api.post(give_url(class_b.issuer), {"badge_class": class_a.public_id}, format="json")
    assert accepted.status_code == 201


@pytest.mark.parametrize("url", ["given", "received", "class"])
def test_a_page_of_endorsements_takes_the_same_queries_whatever_its_size(
    issuer_a: Issuer, client_api: APIClient, url: str
) -> None:
    target = BadgeClassFactory.create(issuer=issuer_a)
    endorsers = [IssuerFactory.create() for _n in range(6)]
    for endorser in endorsers:
        own = BadgeClassFactory.create(issuer=endorser)
        endorsement_give(endorser=endorser, badge_class=target, accepted_as=own, actor=None)
        endorsement_give(endorser=issuer_a, badge_class=own, actor=None)
    address = {
        "given": give_url(issuer_a),
        "received": f"/api/v1/issuers/{issuer_a.slug}/endorsements/received/",
        "class": f"/api/v1/badge-classes/{target.public_id}/endorsements/",
    }[url]
    counts = []
    for size in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            answer = client_api.get(f"{address}?page_size={size}")
        assert len(answer.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
