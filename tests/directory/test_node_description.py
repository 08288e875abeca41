"""A node's own description in English and French: written by its curators on the curation page, shown
in the page's language or, when only the other is written, in that one; both in the API."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from directory.models import Node, NodeAction
from tests.factories import NodeFactory

pytestmark = pytest.mark.django_db

ENGLISH = "The makers of Glasgow, from the Clyde to the Campsies."
FRENCH = "Les fabricants de Glasgow, de la Clyde aux Campsies."


@pytest.fixture(autouse=True)
def english_urls() -> Iterator[None]:
    """URLs reversed in English, whatever language an earlier request left active in this thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def curator(client: Client) -> User:
    user = User.objects.create_user(username="moira", email="moira@example.org", password="x")
    client.force_login(user)
    return user


def page_of(client: Client, node: Node, prefix: str = "") -> str:
    return client.get(prefix + node.get_absolute_url()).content.decode()


def test_each_language_reads_its_own_description(client: Client) -> None:
    node = NodeFactory.create(name="Glasgow", description=ENGLISH, description_fr=FRENCH)

    assert ENGLISH in page_of(client, node)
    assert FRENCH not in page_of(client, node)
    assert FRENCH in page_of(client, node, "/fr")
    assert ENGLISH not in page_of(client, node, "/fr")


def test_a_description_written_only_in_french_is_shown_on_english_pages_marked_as_french(
    client: Client,
) -> None:
    node = NodeFactory.create(name="Lyon", country="FR", description_fr=FRENCH)

    assert f'<div class="prose" lang="fr"><p>{FRENCH}</p>' in page_of(client, node)


def test_a_description_written_only_in_english_is_shown_on_french_pages(client: Client) -> None:
    node = NodeFactory.create(name="Glasgow", description=ENGLISH)

    assert f'lang="en"><p>{ENGLISH}</p>' in page_of(client, node, "/fr")


def test_a_curator_writes_both_descriptions_and_the_audit_log_keeps_the_change(
    client: Client, curator: User
) -> None:
    node = NodeFactory.create(name="Glasgow", description="Old words.")
    node.curators.add(curator)

    response = client.post(
        reverse("directory:node_curation", args=[node.slug]),
        {"description": f"  {ENGLISH}  ", "description_fr": FRENCH},
        follow=True,
    )

    assert "The node&#x27;s description is saved." in response.content.decode()
    node.refresh_from_db()
    assert (node.description, node.description_fr) == (ENGLISH, FRENCH)
    entry = AuditEntry.objects.get(action=NodeAction.DESCRIBED)
    assert entry.actor == curator
    assert entry.data["changes"]["description"] == ["Old words.", ENGLISH]


def test_a_description_too_long_is_refused_within_the_page_with_the_text_kept(
    client: Client, curator: User
) -> None:
    node = NodeFactory.create(name="Glasgow")
    node.curators.add(curator)
    too_long = "word " * 2001

    response = client.post(
        reverse("directory:node_curation", args=[node.slug]),
        {"description": ENGLISH, "description_fr": too_long},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Ensure this value has at most 10000 characters" in page
    assert ENGLISH in page
    node.refresh_from_db()
    assert node.description_fr == ""


def test_someone_who_does_not_curate_the_node_cannot_change_its_description(
    client: Client, curator: User
) -> None:
    node = NodeFactory.create(name="Glasgow")

    response = client.post(
        reverse("directory:node_curation", args=[node.slug]),
        {"description": "Mine now", "description_fr": ""},
    )

    assert response.status_code == 403
    node.refresh_from_db()
    assert node.description == ""


def test_the_api_gives_both_descriptions(client: Client) -> None:
    NodeFactory.create(name="Glasgow", slug="glasgow", description=ENGLISH, description_fr=FRENCH)

    node = client.get("/api/v1/nodes/glasgow/").json()

    assert (node["description"], node["description_fr"]) == (ENGLISH, FRENCH)
