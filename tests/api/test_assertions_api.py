"""Awarding, revoking, listing and verifying badges through the API, with Idempotency-Key retries."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audit.models import AuditEntry
from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass
from makeworks.lib.safe_fetch import MAX_URL_LENGTH
from passport import selectors, services
from passport.models import Assertion
from tests.api.conftest import bearer

AWARD = {"recipient_email": "ada@example.org", "recipient_name": "Ada Lovelace", "send_email": False}
NEVER_BAKED = (
    "The address answers an image, not a badge record. The image carries no badge: it was never baked."
)


def issue_url(badge_class: BadgeClass) -> str:
    return f"/api/v1/badge-classes/{badge_class.public_id}/assertions/"


def test_issue_key_awards_a_signed_badge_with_an_audit_entry(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(
        issue_url(class_a), {**AWARD, "verification": "signed"}, format="json", **bearer(issue_key_a)
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assertion = Assertion.objects.get(public_id=body["id"])
    assert (body["status"], body["verification"], body["recipient_name"]) == (
        "valid",
        "signed",
        "Ada Lovelace",
    )
    assert body["jws"] == assertion.jws != ""
    assert body["document_url"] == f"https://makeworks.example/badges/assertions/{assertion.public_id}/"
    assert AuditEntry.objects.filter(
        action=AuditAction.ASSERTION_ISSUED, object_id=assertion.public_id
    ).exists()


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [(None, 401, "not_authenticated"), ("read_key_a", 403, "permission_denied"),
     ("issue_key_b", 404, "not_found"), ("expired_key_a", 401, "key_expired")],
)  # fmt: skip
def test_issuing_is_refused_without_the_issue_scope_on_that_issuer(
    class_a: BadgeClass, issuer_b: object, request: pytest.FixtureRequest, client_api: APIClient,
    key: str | None, status: int, code: str,
) -> None:  # fmt: skip
    headers = bearer(request.getfixturevalue(key)) if key else {}
    answer = client_api.post(issue_url(class_a), AWARD, format="json", **headers)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert not Assertion.objects.exists()


def test_a_retry_with_the_same_idempotency_key_returns_the_same_badge(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    headers = {**bearer(issue_key_a), "HTTP_IDEMPOTENCY_KEY": "order-1234"}
    first = client_api.post(issue_url(class_a), AWARD, format="json", **headers)
    retry = client_api.post(issue_url(class_a), AWARD, format="json", **headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Assertion.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.ASSERTION_ISSUED).count() == 1


def test_the_same_idempotency_key_with_another_body_is_a_conflict(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    headers = {**bearer(issue_key_a), "HTTP_IDEMPOTENCY_KEY": "order-1234"}
    client_api.post(issue_url(class_a), AWARD, format="json", **headers)
    other = client_api.post(
        issue_url(class_a), {**AWARD, "recipient_email": "grace@example.org"}, format="json", **headers
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert Assertion.objects.count() == 1


def test_a_refused_issue_leaves_the_idempotency_key_free(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    headers = {**bearer(issue_key_a), "HTTP_IDEMPOTENCY_KEY": "order-9"}
    refused = client_api.post(
        issue_url(class_a), {**AWARD, "recipient_email": "not an address"}, format="json", **headers
    )
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"recipient_email": ["Enter a valid email address."]}
    assert client_api.post(issue_url(class_a), AWARD, format="json", **headers).status_code == 201


def test_idempotency_keys_belong_to_one_api_key(
    class_a: BadgeClass, issue_key_a: str, make_key: object, client_api: APIClient
) -> None:
    other_key = make_key(scopes=["issue"], issuer=class_a.issuer)  # type: ignore[operator]
    for token in (issue_key_a, other_key):
        answer = client_api.post(
            issue_url(class_a), AWARD, format="json", **bearer(token), HTTP_IDEMPOTENCY_KEY="same"
        )
        assert answer.status_code == 201
    assert Assertion.objects.count() == 2


def test_idempotency_key_needs_an_api_key(class_a: BadgeClass, client_api: APIClient) -> None:
    from badges.models import IssuerRole
    from tests.factories import IssuerMembershipFactory

    client_api.force_login(IssuerMembershipFactory.create(issuer=class_a.issuer, role=IssuerRole.EDITOR).user)
    answer = client_api.post(issue_url(class_a), AWARD, format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["fields"]


def test_far_future_dates_and_dates_out_of_order_are_400(
    class_a: BadgeClass, issue_key_a: str, client_api: APIClient
) -> None:
    far = client_api.post(
        issue_url(class_a),
        {**AWARD, "issued_on": "9999-12-31T00:00:00Z"},
        format="json",
        **bearer(issue_key_a),
    )
    assert far.status_code == 400
    backwards = client_api.post(
        issue_url(class_a), {**AWARD, "issued_on": "2026-01-02T00:00:00Z", "expires": "2026-01-01T00:00:00Z"},
        format="json", **bearer(issue_key_a),
    )  # fmt: skip
    assert backwards.json()["fields"] == {"expires": ["The expiry date must come after the issue date."]}


def test_revoke_with_the_issue_scope_only_on_the_own_issuer(
    class_a: BadgeClass, issue_key_a: str, read_key_a: str, issue_key_b: str, client_api: APIClient
) -> None:
    assertion = services.assertion_issue(
        badge_class=class_a, recipient_email="ada@example.org", send_email=False
    )
    url = f"/api/v1/assertions/{assertion.public_id}/revoke/"
    reason = {"reason": "Awarded to the wrong person."}
    assert client_api.post(url, reason, format="json").status_code == 401
    assert client_api.post(url, reason, format="json", **bearer(read_key_a)).status_code == 403
    assert client_api.post(url, reason, format="json", **bearer(issue_key_b)).status_code == 404
    answer = client_api.post(url, reason, format="json", **bearer(issue_key_a))
    assert (answer.status_code, answer.json()["status"]) == (200, "revoked")
    again = client_api.post(url, reason, format="json", **bearer(issue_key_a))
    assert again.status_code == 400
    assert again.json()["message"].startswith("This assertion was already revoked")


def test_an_awarded_badge_is_public_by_id_without_the_recipients_name(
    class_a: BadgeClass, client_api: APIClient
) -> None:
    assertion = services.assertion_issue(
        badge_class=class_a, recipient_email="ada@example.org", recipient_name="Ada", send_email=False
    )
    body = client_api.get(f"/api/v1/assertions/{assertion.public_id}/").json()
    assert body["recipient"]["identity"] == assertion.recipient_identity
    assert "recipient_name" not in body
    assert client_api.get("/api/v1/assertions/guessed/").status_code == 404


def test_issuer_lists_its_badges_newest_first_with_any_of_its_keys(
    class_a: BadgeClass, read_key_a: str, issue_key_b: str, expired_key_a: str, client_api: APIClient
) -> None:
    awarded = [
        services.assertion_issue(
            badge_class=class_a, recipient_email=f"maker{n}@example.org", send_email=False
        )
        for n in range(3)
    ]
    url = f"/api/v1/issuers/{class_a.issuer.slug}/assertions/"
    assert client_api.get(url).status_code == 401
    assert client_api.get(url, **bearer(issue_key_b)).status_code == 404
    assert client_api.get(url, **bearer(expired_key_a)).status_code == 401
    body = client_api.get(url + "?page_size=2", **bearer(read_key_a)).json()
    assert [a["id"] for a in body["results"]] == [awarded[2].public_id, awarded[1].public_id]
    rest = client_api.get(body["next"], **bearer(read_key_a)).json()
    assert [a["id"] for a in rest["results"]] == [awarded[0].public_id]


def test_issuer_badge_list_filters_by_class_and_revocation_and_names_a_bad_filter(
    class_a: BadgeClass, read_key_a: str, client_api: APIClient
) -> None:
    standing, revoked = (
        services.assertion_issue(
            badge_class=class_a, recipient_email=f"maker{n}@example.org", send_email=False
        )
        for n in range(2)
    )
    services.assertion_revoke(assertion=revoked, reason="Issued by mistake.")
    url = f"/api/v1/issuers/{class_a.issuer.slug}/assertions/"

    def ids(query: str) -> list[str]:
        answer = client_api.get(url + query, **bearer(read_key_a))
        assert answer.status_code == 200, answer.json()
        return [item["id"] for item in answer.json()["results"]]

    assert ids(f"?badge_class={class_a.public_id}") == [revoked.public_id, standing.public_id]
    assert ids("?badge_class=someone-elses-class") == []
    assert ids("?revoked=true") == [revoked.public_id]
    assert ids("?revoked=False") == [standing.public_id]
    assert ids("?revoked=") == [revoked.public_id, standing.public_id]
    refused = client_api.get(url + "?revoked=perhaps&badge_class=" + "x" * 33, **bearer(read_key_a))
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "badge_class": ["Ensure this field has no more than 32 characters."],
        "revoked": ["Must be a valid boolean."],
    }


def test_issuer_badge_list_queries_do_not_grow_with_the_page_size(
    class_a: BadgeClass, read_key_a: str, client_api: APIClient
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        services.assertion_issue(
            badge_class=class_a, recipient_email=f"maker{n}@example.org", send_email=False
        )
    url = f"/api/v1/issuers/{class_a.issuer.slug}/assertions/?page_size="
    counts = []
    for size in (2, 12):
        client_api.get(url + str(size), **bearer(read_key_a))  # last_used_at is written on the first only
        with CaptureQueriesContext(connection) as queries:
            answer = client_api.get(url + str(size), **bearer(read_key_a))
        assert len(answer.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_verify_checks_a_local_hosted_badge_and_its_recipient(
    class_a: BadgeClass, client_api: APIClient
) -> None:
    assertion = services.assertion_issue(
        badge_class=class_a, recipient_email="ada@example.org", send_email=False
    )
    url = f"https://makeworks.example/badges/assertions/{assertion.public_id}/"
    answer = client_api.post(
        "/api/v1/verify", {"url": url, "recipient_email": "ada@example.org"}, format="json"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["valid"] is True
    assert {check["name"]: check["passed"] for check in body["checks"]}["recipient"] is True
    wrong = client_api.post(
        "/api/v1/verify", {"url": url, "recipient_email": "eve@example.org"}, format="json"
    )
    assert wrong.json()["valid"] is False


def test_verify_reads_an_uploaded_baked_image(
    class_a: BadgeClass, client_api: APIClient, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assertion = services.assertion_issue(
            badge_class=class_a, recipient_email="ada@example.org", send_email=False
        )
    assertion.refresh_from_db()
    image = SimpleUploadedFile("badge.png", assertion.baked_image.read(), "image/png")
    answer = client_api.post("/api/v1/verify", {"image": image}, format="multipart")
    assert answer.status_code == 200
    assert answer.json()["valid"] is True


def test_verify_needs_exactly_one_input(db: None, client_api: APIClient) -> None:
    answer = client_api.post("/api/v1/verify", {"url": "https://a.example/1", "jws": "a.b.c"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["message"] == "Give exactly one of: url, jws, assertion_json or image."


def test_verify_refuses_an_oversized_upload_with_413(db: None, client_api: APIClient) -> None:
    big = SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), "image/png")
    answer = client_api.post("/api/v1/verify", {"image": big}, format="multipart")
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"


def test_verify_says_a_non_badge_image_carries_no_badge(db: None, client_api: APIClient) -> None:
    buffer = io.BytesIO(b"\x89PNG\r\n\x1a\n not really")
    answer = client_api.post(
        "/api/v1/verify", {"image": SimpleUploadedFile("x.png", buffer.getvalue())}, format="multipart"
    )
    assert answer.status_code == 200
    assert answer.json()["valid"] is False
    assert answer.json()["checks"][0]["name"] == "input"


def test_verify_checks_a_signed_badge_by_its_url(
    class_a: BadgeClass, client_api: APIClient, django_capture_on_commit_callbacks
) -> None:
    assertion = services.assertion_issue(
        badge_class=class_a, recipient_email="ada@example.org", signed=True, send_email=False
    )
    answer = client_api.post("/api/v1/verify", {"url": selectors.assertion_url(assertion)}, format="json")

    assert answer.status_code == 200
    assert (answer.json()["valid"], answer.json()["verification_type"]) == (True, "signed")


@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "signed"])
def test_verify_unbakes_the_image_a_url_answers(
    class_a: BadgeClass, client_api: APIClient, django_capture_on_commit_callbacks, signed: bool
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assertion = services.assertion_issue(
            badge_class=class_a, recipient_email="ada@example.org", signed=signed, send_email=False
        )
    answer = client_api.post(
        "/api/v1/verify", {"url": selectors.assertion_baked_url(assertion)}, format="json"
    )

    assert answer.status_code == 200
    assert answer.json()["valid"] is True
    assert answer.json()["assertion"]["id"] == selectors.assertion_url(assertion)


def test_verify_says_an_image_url_that_carries_no_badge_was_never_baked(
    class_a: BadgeClass, client_api: APIClient
) -> None:
    answer = client_api.post(
        "/api/v1/verify", {"url": badge_selectors.badge_class_image_url(class_a)}, format="json"
    )

    assert answer.status_code == 200
    assert answer.json()["checks"] == [
        {
            "name": "input",
            "passed": False,
            "detail": NEVER_BAKED,
        }
    ]


def test_verify_says_a_missing_badge_is_not_found(db: None, client_api: APIClient) -> None:
    url = "https://makeworks.example/badges/assertions/no-such-badge/"
    answer = client_api.post("/api/v1/verify", {"url": url}, format="json")

    failed = {check["name"]: check["detail"] for check in answer.json()["checks"] if check["passed"] is False}
    assert failed == {"assertion": "Not found: this site has no such page."}


def test_verify_refuses_a_url_longer_than_the_one_limit(db: None, client_api: APIClient) -> None:
    url = "https://makeworks.example/badges/assertions/" + "a" * (MAX_URL_LENGTH - 43)
    answer = client_api.post("/api/v1/verify", {"url": url}, format="json")

    assert len(url) == MAX_URL_LENGTH + 1
    assert answer.status_code == 400
