"""What every endpoint shares: the error shape, limits per key and per client, caching of public reads,
CORS for public reads only, and a schema that describes it all without a warning."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from badges.models import BadgeClass
from tests.api.conftest import bearer
from tests.api.test_assertions_api import issue_url
from tests.factories import ListingFactory, UserFactory


def test_malformed_json_is_a_400_in_the_error_shape(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        issue_url(class_a), '{"recipient_email": ', content_type="application/json", **bearer(issue_key_a)
    )
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "parse_error"
    assert body["message"].startswith("JSON parse error")


def test_a_body_in_an_unknown_format_is_415(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        issue_url(class_a), "recipient_email=a", content_type="text/plain", **bearer(issue_key_a)
    )
    assert (answer.status_code, answer.json()["code"]) == (415, "unsupported_media_type")


def test_unknown_choice_names_the_field(class_a: BadgeClass, issue_key_a: str, client_api: APIClient) -> None:
    answer = client_api.post(
        issue_url(class_a),
        {"recipient_email": "ada@example.org", "verification": "notarised"},
        format="json",
        **bearer(issue_key_a),
    )
    assert answer.json()["fields"] == {"verification": ['"notarised" is not a valid choice.']}


def test_unknown_api_address_and_wrong_method_answer_in_the_error_shape(
    db: None, client_api: APIClient
) -> None:
    missing = client_api.get("/api/v1/castles/")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    posted = APIClient(enforce_csrf_checks=True).post("/api/v1/castles/", {}, format="json")
    assert (posted.status_code, posted.json()["code"]) == (404, "not_found")
    wrong = client_api.delete("/api/v1/listings/")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")


def test_anonymous_clients_are_limited_with_retry_after(
    db: None, settings: Any, client_api: APIClient
) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "3/minute"}
    answers = [client_api.get("/api/v1/nodes/") for _n in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    # Another client address has its own count.
    assert client_api.get("/api/v1/nodes/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_each_key_has_its_own_limit(
    read_key_a: str, make_key: Any, settings: Any, client_api: APIClient
) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "key": "2/minute", "anonymous": "1/minute"}
    statuses = [client_api.get("/api/v1/nodes/", **bearer(read_key_a)).status_code for _n in range(3)]
    assert statuses == [200, 200, 429]
    other = make_key(scopes=["read"])
    assert client_api.get("/api/v1/nodes/", **bearer(other)).status_code == 200


def test_forwarded_for_is_ignored_without_trusted_proxies(
    db: None, settings: Any, client_api: APIClient
) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_forwarded_for_names_the_client_behind_one_trusted_proxy(
    db: None, settings: Any, client_api: APIClient
) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1").status_code == 200
    # A forged first entry does not make a new client: the proxy's own entry (the last) is the client.
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.1").status_code == 429
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    # A header shorter than the proxies trusted came around them: the connection's address counts.
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="198.51.100.3").status_code == 200
    assert client_api.get("/api/v1/nodes/", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 429


def test_anonymous_public_reads_are_cacheable_and_answer_304_when_unchanged(
    db: None, client_api: APIClient
) -> None:
    listing = ListingFactory.create()
    first = client_api.get(f"/api/v1/listings/{listing.slug}/")
    assert "public" in first["Cache-Control"]
    assert "max-age=60" in first["Cache-Control"]
    assert first["Last-Modified"]
    again = client_api.get(f"/api/v1/listings/{listing.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client_api.get(f"/api/v1/listings/{listing.slug}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client_api.get(f"/api/v1/listings/{listing.slug}/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_reads_with_a_key_are_private(read_key_a: str, client_api: APIClient) -> None:
    answer = client_api.get("/api/v1/nodes/", **bearer(read_key_a))
    assert "private" in answer["Cache-Control"]
    assert "ETag" not in answer


def test_cors_allows_any_origin_for_reads_without_credentials(db: None, client_api: APIClient) -> None:
    answer = client_api.get("/api/v1/nodes/", HTTP_ORIGIN="https://partner.example")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    preflight = client_api.options(
        "/api/v1/nodes/", HTTP_ORIGIN="https://partner.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    page = client_api.get("/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in page


def test_session_reads_work_for_signed_in_people(db: None, client_api: APIClient) -> None:
    client_api.force_login(UserFactory.create())
    answer = client_api.get("/api/v1/nodes/")
    assert answer.status_code == 200
    assert "private" in answer["Cache-Control"]


def test_schema_validates_without_a_warning(db: None, tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    schema = out.read_text()
    for path in (
        "/api/v1/search/listings/",
        "/api/v1/badge-classes/{public_id}/assertions/",
        "/api/v1/verify",
    ):
        assert f"{path}:" in schema


@pytest.mark.parametrize("url", ["/api/docs/", "/api/docs/redoc/"])
def test_docs_pages_load_their_scripts_from_our_own_static_files(
    db: None, client_api: APIClient, url: str
) -> None:
    page = client_api.get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page
    assert "unpkg" not in page
