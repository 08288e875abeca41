"""Maker Passports through the API: public passports listed, public and unlisted ones read by handle,
only the badges the member made public (with their state and public assertion), affiliations and
experience; the /p/ page's skill search with its parameters; never a private passport, to anyone."""

from datetime import date
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from badges.models import BadgeClass, Issuer
from badges.services.endorsements import endorsement_give
from directory.services import place_record
from passport import selectors, services
from passport.forms import MakerSearchForm
from passport.models import Assertion, Passport, Visibility
from passport.services.passports import (
    affiliation_add,
    affiliation_confirm,
    passport_badge_show,
    passport_ensure,
    passport_update,
    project_add,
)
from tests.api.conftest import bearer
from tests.factories import BadgeClassFactory, UserFactory, badge_png
from tests.passport.conftest import ESCO_MACHINERY

pytestmark = pytest.mark.django_db

SITE = "https://makeworks.example"


@pytest.fixture
def aligned_class(issuer_a: Issuer) -> BadgeClass:
    return BadgeClassFactory.create(issuer=issuer_a, name="Machinery", alignments=[ESCO_MACHINERY])


def maker(
    name: str,
    *,
    visibility: str = Visibility.PUBLIC,
    badges: tuple[tuple[BadgeClass, str], ...] = (),
    location: str = "",
) -> tuple[Passport, list[Assertion]]:
    """A member with a verified address, a passport and badges of these classes shown as given."""
    email = f"{name.lower()}@example.org"
    user = UserFactory.create(username=name.lower(), email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    passport = passport_ensure(user=user)
    passport_update(
        passport=passport,
        handle=name.lower(),
        display_name=name,
        bio=f"{name} makes things.",
        location=location,
        visibility=visibility,
    )
    assertions = []
    for badge_class, badge_visibility in badges:
        assertion = services.assertion_issue(badge_class=badge_class, recipient_email=email, send_email=False)
        passport_badge_show(passport=passport, assertion=assertion, visibility=badge_visibility)
        assertions.append(assertion)
    return passport, assertions


def handles(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.json()
    return [passport["handle"] for passport in answer.json()["results"]]


@pytest.mark.parametrize("key", [None, "read_key_a", "manage_key_a"])
def test_only_public_passports_are_listed_to_anyone(
    class_a: BadgeClass, request: pytest.FixtureRequest, client_api: APIClient, key: str | None
) -> None:
    maker("Ada", badges=((class_a, Visibility.PUBLIC),))
    maker("Barbara", visibility=Visibility.UNLISTED)
    maker("Claude", visibility=Visibility.PRIVATE)
    maker("Dora")
    headers = bearer(request.getfixturevalue(key)) if key else {}

    answer = client_api.get("/api/v1/passports/", **headers)

    assert handles(answer) == ["ada", "dora"]
    assert answer.json()["results"][0] == {
        "handle": "ada",
        "display_name": "Ada",
        "location": "",
        "languages": "",
        "photo": "",
        "url": f"{SITE}/p/ada/",
        "updated_at": answer.json()["results"][0]["updated_at"],
    }


def test_a_public_passport_shows_only_public_badges_with_their_state_and_public_assertion(
    class_a: BadgeClass, class_b: BadgeClass, aligned_class: BadgeClass, client_api: APIClient
) -> None:
    passport, (shown, hidden, unlisted, revoked) = maker(
        "Ada",
        badges=(
            (class_a, Visibility.PUBLIC),
            (class_b, Visibility.PRIVATE),
            (aligned_class, Visibility.UNLISTED),
            (class_b, Visibility.PUBLIC),
        ),
    )
    services.assertion_revoke(assertion=revoked, reason="Awarded by mistake.")
    endorsement_give(endorser=class_b.issuer, badge_class=class_a, actor=None)

    body = client_api.get(f"/api/v1/passports/{passport.handle}/").json()

    by_id = {badge["id"]: badge for badge in body["badges"]}
    assert set(by_id) == {shown.public_id, revoked.public_id}
    assert by_id[shown.public_id] == {
        "id": shown.public_id,
        "badge_class": {"id": class_a.public_id, "name": "Laser cutter operator"},
        "issuer": {"slug": class_a.issuer.slug, "name": "Fablab Glasgow"},
        "image": f"{SITE}/badges/classes/{class_a.public_id}/image",
        "issued_on": by_id[shown.public_id]["issued_on"],
        "expires": None,
        "status": "valid",
        "verification": "hosted",
        "assertion_url": f"{SITE}/badges/assertions/{shown.public_id}/",
        "endorsements": 1,
    }
    assert by_id[revoked.public_id]["status"] == "revoked"
    assert hidden.public_id not in str(body)
    assert unlisted.public_id not in str(body)
    assert body["bio"] == "Ada makes things."


def test_affiliations_and_experience_are_shown_with_whether_the_hub_confirmed(
    issuer_a: Issuer, client_api: APIClient
) -> None:
    passport, _badges = maker("Ada")
    hub = issuer_a.listing
    affiliation = affiliation_add(
        passport=passport, listing=hub, role="Technician", start_date=date(2024, 9, 1)
    )
    affiliation_confirm(affiliation=affiliation, actor=UserFactory.create())
    project_add(
        passport=passport,
        title="Plywood stool",
        description="Flat-pack.",
        links=["https://example.org/s"],
        images=[SimpleUploadedFile("stool.png", badge_png(), "image/png")],
        image_description="The stool, assembled",
    )

    body = client_api.get(f"/api/v1/passports/{passport.handle}/").json()

    assert body["affiliations"] == [
        {
            "listing": hub.slug,
            "listing_name": hub.name,
            "listing_url": f"{SITE}/listings/{hub.slug}/",
            "role": "Technician",
            "start_date": "2024-09-01",
            "end_date": None,
            "confirmed": True,
        }
    ]
    (project,) = body["experience"]
    assert (project["title"], project["description"], project["links"]) == (
        "Plywood stool",
        "Flat-pack.",
        ["https://example.org/s"],
    )
    (image,) = project["images"]
    assert image["url"].startswith(f"{SITE}/media/passports/projects/")
    assert (image["description"], image["width"], image["height"]) == ("The stool, assembled", 64, 64)


def test_an_unlisted_passport_is_read_by_its_handle_but_never_listed_or_found(
    aligned_class: BadgeClass, client_api: APIClient
) -> None:
    passport, _badges = maker("Barbara", visibility=Visibility.UNLISTED, badges=((aligned_class, "public"),))

    assert client_api.get(f"/api/v1/passports/{passport.handle}/").json()["display_name"] == "Barbara"
    assert handles(client_api.get("/api/v1/passports/")) == []
    assert handles(client_api.get("/api/v1/search/passports/?skill=S8")) == []


@pytest.mark.parametrize("key", [None, "read_key_a", "manage_key_a"])
def test_a_private_passport_is_not_found_by_anyone(
    request: pytest.FixtureRequest, client_api: APIClient, key: str | None
) -> None:
    passport, _badges = maker("Claude", visibility=Visibility.PRIVATE)
    headers = bearer(request.getfixturevalue(key)) if key else {}

    answer = client_api.get(f"/api/v1/passports/{passport.handle}/", **headers)

    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    # Not even its member's own session shows it here: the API gives what anyone sees of a passport.
    client_api.force_login(passport.user)
    assert client_api.get(f"/api/v1/passports/{passport.handle}/").status_code == 404


def test_an_expired_key_is_refused_even_for_public_passports(
    expired_key_a: str, client_api: APIClient
) -> None:
    passport, _badges = maker("Ada")
    for url in ("/api/v1/passports/", f"/api/v1/passports/{passport.handle}/", "/api/v1/search/passports/"):
        answer = client_api.get(url, **bearer(expired_key_a))
        assert (answer.status_code, answer.json()["code"]) == (401, "key_expired")


def test_skill_search_finds_the_same_makers_as_the_search_page(
    aligned_class: BadgeClass, class_a: BadgeClass, client_api: APIClient
) -> None:
    maker("Ada", badges=((aligned_class, Visibility.PUBLIC),))
    maker("Dora", badges=((aligned_class, Visibility.PRIVATE),))
    maker("Grace", badges=((class_a, Visibility.PUBLIC),))
    _passport, (revoked,) = maker("Frances", badges=((aligned_class, Visibility.PUBLIC),))
    services.assertion_revoke(assertion=revoked, reason="Awarded by mistake.")

    for query in ("skill=S8", "skill=http://data.europa.eu/esco/skill/S8", f"badge={class_a.public_id}", ""):
        form = MakerSearchForm(QueryDict(query))
        assert form.is_valid()
        expected = selectors.maker_search(
            selectors.MakerSearch(skill=form.cleaned_data["skill"], badge_class=form.cleaned_data["badge"])
        )
        found = handles(client_api.get(f"/api/v1/search/passports/?{query}"))
        assert found == [passport.handle for passport in expected]
    assert handles(client_api.get("/api/v1/search/passports/?skill=s8")) == ["ada"]


def test_search_near_a_place_gives_the_distance_nearest_first(
    aligned_class: BadgeClass, client_api: APIClient
) -> None:
    for name, latitude, longitude in [("Glasgow", 55.8642, -4.2518), ("Paisley", 55.8466, -4.4236),
                                      ("Edinburgh", 55.9533, -3.1883)]:  # fmt: skip
        place_record(name=name, country="GB", latitude=latitude, longitude=longitude)
    maker("Ada", location="Edinburgh", badges=((aligned_class, Visibility.PUBLIC),))
    maker("Grace", location="Paisley", badges=((aligned_class, Visibility.PUBLIC),))

    results = client_api.get("/api/v1/search/passports/?skill=S8&near=Glasgow&radius=100").json()["results"]

    assert [hit["handle"] for hit in results] == ["grace", "ada"]
    assert 5 < results[0]["distance_km"] < 20 < results[1]["distance_km"] < 100
    assert handles(client_api.get("/api/v1/search/passports/?skill=S8&near=Glasgow&radius=20")) == ["grace"]


def test_bad_search_parameters_are_a_400_naming_each_one(db: None, client_api: APIClient) -> None:
    answer = client_api.get("/api/v1/search/passports/?badge=no-such-class&near=Narnia&radius=0")

    assert answer.status_code == 400
    fields = answer.json()["fields"]
    assert fields["badge"] == ["No such badge class."]
    assert fields["radius"] == ["Ensure this value is greater than or equal to 1."]
    assert client_api.get("/api/v1/search/passports/?near=Narnia").json()["fields"] == {
        "near": ["We could not find the place “Narnia”. Try a city name or coordinates like 55.86,-4.25."]
    }
    assert client_api.get("/api/v1/search/passports/?page=9").status_code == 404


def test_a_bad_search_keeps_the_forms_own_messages_under_each_parameters_name(
    db: None, client_api: APIClient
) -> None:
    answer = client_api.get(f"/api/v1/search/passports/?skill={'s' * 301}&near=50%25&radius=1.5")

    assert answer.status_code == 400
    assert answer.json()["fields"] == {
        "skill": ["Ensure this value has at most 300 characters (it has 301)."],
        "radius": ["Enter a whole number."],
        "near": ["We could not find the place “50%”. Try a city name or coordinates like 55.86,-4.25."],
    }


@pytest.mark.parametrize("url", ["/api/v1/passports/", "/api/v1/search/passports/?skill=S8"])
def test_a_page_of_passports_takes_the_same_queries_whatever_its_size(
    aligned_class: BadgeClass, client_api: APIClient, url: str
) -> None:
    for name in ("Ada", "Barbara", "Claude", "Dora", "Edsger", "Frances"):
        maker(name, badges=((aligned_class, Visibility.PUBLIC),))
    separator = "&" if "?" in url else "?"
    counts = []
    for size in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            assert len(handles(client_api.get(f"{url}{separator}page_size={size}"))) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_passport_takes_the_same_queries_with_one_badge_or_many(
    issuer_a: Issuer, client_api: APIClient
) -> None:
    classes = [BadgeClassFactory.create(issuer=issuer_a) for _n in range(4)]
    one, _badges = maker("Ada", badges=((classes[0], Visibility.PUBLIC),))
    many, _badges = maker("Grace", badges=tuple((badge_class, Visibility.PUBLIC) for badge_class in classes))
    counts = []
    for passport in (one, many):
        with CaptureQueriesContext(connection) as queries:
            answer = client_api.get(f"/api/v1/passports/{passport.handle}/")
        counts.append((len(answer.json()["badges"]), len(queries)))
    assert counts[0][0] == 1
    assert counts[1][0] == 4
    assert counts[0][1] == counts[1][1]


def test_anonymous_reads_of_a_passport_are_cacheable_and_open_to_any_origin(
    read_key_a: str, client_api: APIClient
) -> None:
    passport, _badges = maker("Ada")
    url = f"/api/v1/passports/{passport.handle}/"

    first = client_api.get(url, HTTP_ORIGIN="https://partner.example")

    assert "public" in first["Cache-Control"]
    assert first["Access-Control-Allow-Origin"] == "*"
    assert client_api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "private" in client_api.get(url, **bearer(read_key_a))["Cache-Control"]
