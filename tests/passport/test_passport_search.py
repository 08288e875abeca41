"""Finding makers by skill: public passports whose public, standing badges are aligned to the skill
(by name, code or URL, whatever the case) or of a badge class, optionally near a place; never private
or unlisted passports, private badges or revoked ones; a fixed number of queries however many match."""

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from badges.models import BadgeClass
from directory.services import place_record
from passport import services
from passport.models import Assertion, Passport, Visibility
from passport.services.passports import passport_badge_show, passport_ensure, passport_update
from tests.factories import UserFactory
from tests.passport.conftest import ESCO_MACHINERY

pytestmark = pytest.mark.django_db


def maker(
    name: str,
    badge_class: BadgeClass,
    issue: Callable[..., Assertion],
    *,
    location: str = "",
    passport_visibility: str = Visibility.PUBLIC,
    badge_visibility: str = Visibility.PUBLIC,
) -> tuple[Passport, Assertion]:
    email = f"{name.lower()}@example.org"
    user = UserFactory.create(username=name.lower(), email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    passport = passport_ensure(user=user)
    passport_update(
        passport=passport,
        handle=name.lower(),
        display_name=name,
        location=location,
        visibility=passport_visibility,
    )
    assertion = issue(badge_class=badge_class, recipient_email=email)
    passport_badge_show(passport=passport, assertion=assertion, visibility=badge_visibility)
    return passport, assertion


def names(client: Client, **query: str) -> list[str]:
    response = client.get(reverse("passport_site:makers"), query)
    assert response.status_code == 200
    return [passport.display_name for passport in response.context["page"].object_list]


@pytest.mark.parametrize(
    "skill",
    [
        "Working with machinery and specialised equipment",
        "s8",
        "http://data.europa.eu/esco/skill/S8",
    ],
)
def test_makers_are_found_by_a_skill_their_badges_are_aligned_to(
    client: Client, issue: Callable[..., Assertion], png_class: BadgeClass, svg_class: BadgeClass, skill: str
) -> None:
    maker("Ada", png_class, issue)
    maker("Grace", svg_class, issue)

    assert names(client, skill=skill) == ["Ada"]
    assert ESCO_MACHINERY["targetCode"] == "S8"


def test_private_passports_private_badges_and_revoked_badges_are_never_found(
    client: Client, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    maker("Ada", png_class, issue)
    maker("Barbara", png_class, issue, passport_visibility=Visibility.UNLISTED)
    maker("Claude", png_class, issue, passport_visibility=Visibility.PRIVATE)
    maker("Dora", png_class, issue, badge_visibility=Visibility.PRIVATE)
    maker("Edsger", png_class, issue, badge_visibility=Visibility.UNLISTED)
    _passport, revoked = maker("Frances", png_class, issue)
    services.assertion_revoke(assertion=revoked, reason="Issued by mistake")

    assert names(client, skill="S8") == ["Ada"]
    assert names(client) == ["Ada", "Dora", "Edsger", "Frances"]


def test_makers_are_found_by_badge_class(
    client: Client, issue: Callable[..., Assertion], png_class: BadgeClass, svg_class: BadgeClass
) -> None:
    maker("Ada", png_class, issue)
    maker("Grace", svg_class, issue)

    assert names(client, badge=svg_class.public_id) == ["Grace"]
    response = client.get(reverse("passport_site:makers"), {"badge": "no-such-class"})
    assert response.status_code == 400
    assert "No such badge class." in response.content.decode()


def test_makers_are_found_near_a_place_nearest_first(
    client: Client, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    for name, latitude, longitude in [
        ("Glasgow", 55.8642, -4.2518),
        ("Paisley", 55.8466, -4.4236),
        ("Edinburgh", 55.9533, -3.1883),
        ("London", 51.5072, -0.1276),
    ]:
        place_record(name=name, country="GB", latitude=latitude, longitude=longitude)
    maker("Ada", png_class, issue, location="Edinburgh")
    maker("Grace", png_class, issue, location="Paisley")
    maker("Hedy", png_class, issue, location="London")
    maker("Ida", png_class, issue)

    assert names(client, skill="S8", near="Glasgow", radius="100") == ["Grace", "Ada"]
    assert names(client, skill="S8", near="Glasgow", radius="20") == ["Grace"]
    response = client.get(reverse("passport_site:makers"), {"skill": "S8", "near": "Narnia"})
    assert "We could not find the place “Narnia”." in response.content.decode()


def test_the_search_takes_the_same_queries_for_many_makers(
    client: Client, issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    maker("Ada", png_class, issue)
    with CaptureQueriesContext(connection) as one:
        assert len(names(client, skill="S8")) == 1
    for name in ("Barbara", "Claude", "Dora", "Edsger"):
        maker(name, png_class, issue)

    with CaptureQueriesContext(connection) as five:
        assert len(names(client, skill="S8")) == 5

    assert len(five.captured_queries) == len(one.captured_queries)
