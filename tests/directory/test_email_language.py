"""E-mails sent later by a task are written in the language of the person whose action started them:
a visitor's message and its copy in the visitor's, a claim's decision in the claimant's, a badge in the
language it was issued in; whatever language the curator deciding, or the worker, happens to use."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory.services import claims
from passport import services as passport_services
from tests.console.test_console_access import build_hubs
from tests.directory.conftest import SECRET_EMAIL, Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_a_message_written_on_a_french_page_is_e_mailed_in_french_both_ways(
    client: Client, catalogue: Catalogue, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    url = "/fr" + reverse("directory:listing_contact", kwargs={"slug": catalogue.clyde.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"sender_name": "Ada", "sender_email": "ada@example.fr", "body": "Bonjour !", "website": ""},
            REMOTE_ADDR="198.51.100.9",
        )

    subjects = {message.to[0]: str(message.subject) for message in mailoutbox}
    assert subjects[SECRET_EMAIL].startswith("[makeworks]")
    assert "Votre message à Clyde Plywood Works" in subjects["Ada <ada@example.fr>"]
    assert "/fr/listings/" in str(mailoutbox[0].body)


def test_a_claim_made_in_french_is_answered_in_french_though_the_curator_reads_english(
    client: Client, catalogue: Catalogue, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    member = User.objects.create_user(username="june", email="june@example.fr", password="x")
    curator = User.objects.create_user(username="cur", email="curator@example.org", password="x")
    catalogue.glasgow.curators.add(curator)
    with translation.override("fr"):
        claim = claims.claim_create(listing=catalogue.clyde, claimant=member, message="C’est mon atelier.")
    client.force_login(curator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:claim_decide", args=[claim.pk]), {"decision": "approve", "response": ""}
        )

    (message,) = mailoutbox
    assert "Vous êtes désormais propriétaire de Clyde Plywood Works" in str(message.subject)
    assert f"/fr/listings/{catalogue.clyde.slug}/" in str(message.body)


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("fr", "Vous avez obtenu le badge « Laser cutting at Glasgow »"),
        ("en", "You have earned the badge “Laser cutting at Glasgow”"),
    ],
)
def test_a_badge_is_e_mailed_in_the_language_it_was_issued_in(
    mailoutbox: list, django_capture_on_commit_callbacks, language: str, subject: str
) -> None:
    hubs = build_hubs()
    mailoutbox.clear()
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        passport_services.assertion_issue(badge_class=hubs.a.badge_class, recipient_email="grace@example.org")

    (message,) = mailoutbox
    assert subject in str(message.subject)
