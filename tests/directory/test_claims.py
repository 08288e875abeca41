"""Claims from the member's question to the curator's answer, and the e-mail either way."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit import selectors as audit_selectors
from directory.models import ChangeAction, Claim, ClaimStatus
from directory.services import claims
from tests.directory.conftest import Catalogue


@pytest.fixture
def member(db: None) -> User:
    return User.objects.create_user(username="june", email="june@example.org", password="x")


@pytest.fixture
def curator(catalogue: Catalogue) -> User:
    user = User.objects.create_user(username="cur", email="curator@example.org", password="x")
    catalogue.glasgow.curators.add(user)
    return user


def test_a_members_claim_waits_on_the_nodes_curation_page(
    client: Client, member: User, curator: User, catalogue: Catalogue
) -> None:
    client.force_login(member)
    response = client.post(
        reverse("directory:listing_claim", args=[catalogue.clyde.slug]), {"message": "I am the founder."}
    )
    assert response.status_code == 302

    client.force_login(curator)
    page = client.get(reverse("directory:node_curation", args=[catalogue.glasgow.slug])).content.decode()

    assert "june@example.org" in page
    assert "I am the founder." in page


def test_approving_a_claim_makes_an_owner_and_e_mails_the_claimant(
    client: Client, member: User, curator: User, catalogue: Catalogue, mailoutbox: list,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    claim = claims.claim_create(listing=catalogue.clyde, claimant=member, message="I am the founder.")
    client.force_login(curator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:claim_decide", args=[claim.pk]),
            {"decision": "approve", "response": "Welcome!"},
        )

    assert catalogue.clyde.owners.filter(pk=member.pk).exists()
    assert [message.to for message in mailoutbox] == [["june@example.org"]]
    assert "You are now an owner of Clyde Plywood Works" in mailoutbox[0].subject
    assert "Welcome!" in mailoutbox[0].body
    assert (
        audit_selectors.entries_for_object(catalogue.clyde)
        .filter(action=ChangeAction.OWNER_ADDED, actor=curator)
        .exists()
    )
    client.force_login(member)
    assert client.get(reverse("directory:listing_edit", args=[catalogue.clyde.slug])).status_code == 200


def test_denying_a_claim_e_mails_the_reason_and_grants_nothing(
    client: Client, member: User, curator: User, catalogue: Catalogue, mailoutbox: list,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    claim = claims.claim_create(listing=catalogue.clyde, claimant=member, message="Mine.")
    client.force_login(curator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:claim_decide", args=[claim.pk]),
            {"decision": "deny", "response": "We could not reach you at the workshop."},
        )

    assert not catalogue.clyde.owners.filter(pk=member.pk).exists()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DENIED
    assert "was not approved" in mailoutbox[0].subject
    assert "We could not reach you at the workshop." in mailoutbox[0].body


def test_the_decision_e_mail_is_sent_once_even_if_the_task_runs_again(
    member: User, curator: User, catalogue: Catalogue, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    claim = claims.claim_create(listing=catalogue.clyde, claimant=member, message="Mine.")
    with django_capture_on_commit_callbacks(execute=True):
        claims.claim_decide(claim=claim, approve=True, curator=curator)

    claims.claim_decision_deliver(claim_id=claim.pk)

    assert len(mailoutbox) == 1


def test_a_second_claim_while_one_waits_is_refused_with_a_message(
    client: Client, member: User, catalogue: Catalogue
) -> None:
    client.force_login(member)
    url = reverse("directory:listing_claim", args=[catalogue.clyde.slug])
    client.post(url, {"message": "First."})

    response = client.post(url, {"message": "Second."})

    assert response.status_code == 400
    assert "You have already asked to own this listing" in response.content.decode()
    assert "Second." in response.content.decode()
    assert Claim.objects.filter(claimant=member).count() == 1


def test_an_empty_claim_message_is_refused(client: Client, member: User, catalogue: Catalogue) -> None:
    client.force_login(member)

    response = client.post(reverse("directory:listing_claim", args=[catalogue.clyde.slug]), {"message": "  "})

    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_a_claim_cannot_be_decided_twice(member: User, curator: User, catalogue: Catalogue) -> None:
    claim = claims.claim_create(listing=catalogue.clyde, claimant=member, message="Mine.")
    claims.claim_decide(claim=claim, approve=False, curator=curator)

    with pytest.raises(ValidationError, match="already been decided"):
        claims.claim_decide(claim=claim, approve=True, curator=curator)
    assert not catalogue.clyde.owners.filter(pk=member.pk).exists()


def test_a_draft_cannot_be_claimed(client: Client, member: User, catalogue: Catalogue) -> None:
    client.force_login(member)

    response = client.post(
        reverse("directory:listing_claim", args=[catalogue.draft.slug]), {"message": "Mine."}
    )

    assert response.status_code == 404
    assert not Claim.objects.exists()
