"""Bodies built to hurt: JSON nested a hundred thousand deep is refused with a 400 in the API's error
shape on every kind of writing endpoint, as is text nested past the depth any document of ours needs."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from badges.models import BadgeClass, Issuer
from tests.api.conftest import bearer
from tests.api.test_assertions_api import issue_url
from tests.api.test_badges_api import classes_url
from tests.api.test_machines import hub_machines_url

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(autouse=True)
def _debug_pages(settings: Any) -> None:
    # With DEBUG on, as by default, an uncaught RecursionError was a 138 KB traceback page.
    settings.DEBUG = True


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (lambda issuer, badge_class: issue_url(badge_class), "issue_key_a"),
        (lambda issuer, badge_class: classes_url(issuer), "manage_key_a"),
        (lambda issuer, badge_class: hub_machines_url(issuer), "manage_key_a"),
        (lambda issuer, badge_class: "/api/v1/verify", None),
    ],
    ids=["issue", "badge-class", "machine", "verify"],
)
def test_json_nested_a_hundred_thousand_deep_is_a_400_on_writing_endpoints(
    url: Any, key: str | None, issuer_a: Issuer, class_a: BadgeClass, client_api: APIClient, request: Any
) -> None:
    headers = bearer(request.getfixturevalue(key)) if key else {}
    answer = client_api.post(url(issuer_a, class_a), DEEP, content_type="application/json", **headers)
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "parse_error"
    assert "nested" in body["message"]


def test_an_object_nested_past_the_depth_any_document_needs_is_refused(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    body = '{"recipient_email": "ada@example.org", "evidence": ' + '{"a": ' * 40 + "1" + "}" * 41
    answer = client_api.post(issue_url(class_a), body, content_type="application/json", **bearer(issue_key_a))
    assert (answer.status_code, answer.json()["code"]) == (400, "parse_error")
