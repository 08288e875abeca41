"""With the shared cache (Redis) down, the site carries on: people sign in, the API answers, the verify
page works; rate limits are not counted meanwhile, and the log says so. Redis here is a real client
pointed at a port where nothing listens, as after a crash."""

import logging
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from makeworks.lib.ratelimit import Limit, attempt_allowed
from tests.factories import UserFactory

# Nothing listens there: every connection is refused at once.
REDIS_DOWN = "redis://127.0.0.1:6390/0"
PASSWORD = "kiln-fired-stoneware-42"


@pytest.fixture
def cache_down(settings: Any, caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The production cache configuration (see settings.py), with its Redis unreachable."""
    settings.CACHES = {
        "default": {
            "BACKEND": "makeworks.cache.FailOpenRedisCache",
            "LOCATION": REDIS_DOWN,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    caplog.set_level(logging.WARNING, logger="makeworks.cache")
    return caplog


def cache_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "makeworks.cache"]


@pytest.mark.django_db
def test_a_member_signs_in_while_the_cache_is_down(
    cache_down: pytest.LogCaptureFixture, client: Client
) -> None:
    member = UserFactory.create(email="ada@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)

    wrong = client.post(reverse("account_login"), {"login": member.email, "password": "wrong-guess"})
    right = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert wrong.status_code == 200
    assert "The email address and/or password you specified are not correct." in wrong.content.decode()
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    (warning,) = cache_warnings(cache_down)
    assert "Cache unreachable (ConnectionError" in warning
    assert "rate limits are not counted until it is back" in warning


@pytest.mark.django_db
def test_the_api_answers_while_the_cache_is_down(cache_down: pytest.LogCaptureFixture) -> None:
    answer = APIClient().get("/api/v1/nodes/")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert "results" in answer.json()
    assert cache_warnings(cache_down)


@pytest.mark.django_db
def test_the_verify_page_answers_while_the_cache_is_down(
    cache_down: pytest.LogCaptureFixture, client: Client
) -> None:
    answer = client.post(reverse("passport_site:verify"), {"badge": ""})

    assert answer.status_code == 400
    assert cache_warnings(cache_down)


def test_limits_let_everyone_through_while_the_cache_is_down(cache_down: pytest.LogCaptureFixture) -> None:
    once_a_minute = Limit(count=1, seconds=60)

    allowed = [attempt_allowed(scope="test", key="ada@example.org", limit=once_a_minute) for _n in range(3)]

    assert allowed == [True, True, True]


def test_an_unreachable_cache_reads_as_empty_and_warns_once_a_minute_not_at_every_call(
    cache_down: pytest.LogCaptureFixture,
) -> None:
    cache.set("greeting", "hello")

    assert cache.get("greeting", "missing") == "missing"
    assert cache.get_many(["greeting"]) == {}
    assert cache.add("lock", True) is True
    assert cache.delete("lock") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("count")
    assert len(cache_warnings(cache_down)) == 1


@pytest.mark.django_db
def test_the_health_check_still_reports_a_cache_that_is_down(
    cache_down: pytest.LogCaptureFixture, client: Client
) -> None:
    answer = client.get("/healthz/")

    assert answer.status_code == 503
    assert answer.json()["cache"].startswith("error")
