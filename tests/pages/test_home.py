"""The home page: what a first-time visitor sees, and that it stays fast."""

import html
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages.conftest import HomeWorld

pytestmark = pytest.mark.django_db

# Nodes with counts, newest listings and their cards, featured ones and theirs, badges, machines, plus
# the session: a fixed number whatever the catalogue's size.
HOME_QUERY_BOUND = 8


def page_text(client: Client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_home_puts_every_node_on_a_map_and_lists_it_with_its_count(
    client: Client, home_world: HomeWorld
) -> None:
    page = page_text(client)

    found = re.search(r'<script id="nodes-map-points" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no map of the nodes"
    points = json.loads(found[1])
    assert {point["name"] for point in points} == {"Glasgow", "Paris"}
    assert home_world.catalogue.glasgow.get_absolute_url() in page
    assert "3 listings" in page


def test_home_shows_recent_and_featured_listings_with_the_photo(
    client: Client, home_world: HomeWorld
) -> None:
    page = page_text(client)

    assert "Recently added" in page
    assert "Featured workshops" in page
    featured = page.split('id="featured-heading"')[1].split("</section>")[0]
    assert "Clyde Plywood Works" in featured
    assert 'class="card-image"' in featured
    assert "Secret Draft Workshop" not in page


def test_home_activity_shows_a_public_badge_and_a_new_machine_but_never_a_private_badge(
    client: Client, home_world: HomeWorld
) -> None:
    page = page_text(client)

    activity = page.split('id="activity-heading"')[1].split("</section>")[0]
    assert "Amina Okafor earned Laser cutter operator from Fablab Glasgow" in " ".join(
        re.sub(r"<[^>]+>", " ", activity).split()
    )
    assert reverse("passport_site:passport", kwargs={"handle": "amina"}) in activity
    assert "New machine at" in activity
    assert "Welding basics" not in page


def test_a_private_passport_shows_nothing_in_the_activity(client: Client, home_world: HomeWorld) -> None:
    home_world.passport.visibility = "private"
    home_world.passport.save(update_fields=["visibility"])

    assert "Amina" not in page_text(client)


def test_home_offers_both_searches_a_maker_in_the_directory_and_a_skill_among_passports(
    client: Client, home_world: HomeWorld
) -> None:
    page = page_text(client)

    assert f'action="{reverse("directory:search")}"' in page
    assert f'action="{reverse("passport_site:makers")}"' in page
    assert 'name="skill"' in page
    for audience in ("For makers", "For hubs", "For verifiers"):
        assert audience in page


def test_the_navigation_links_the_maker_search(client: Client, db: None) -> None:
    page = page_text(client, reverse("directory:search"))

    nav = page.split('class="site-nav"')[1].split("</nav>")[0]
    assert f'href="{reverse("passport_site:makers")}"' in nav


def test_home_in_french(client: Client, home_world: HomeWorld) -> None:
    page = page_text(client, "/fr/")

    assert "Trouver une compétence" in page
    assert "Comment ça marche" in page
    assert "Ajoutés récemment" in page


def test_home_asks_a_bounded_number_of_queries_however_many_listings(
    client: Client, home_world: HomeWorld
) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    assert len(queries) <= HOME_QUERY_BOUND, [query["sql"][:120] for query in queries]
