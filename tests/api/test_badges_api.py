"""Issuers and badge classes through the API: public reads; creating and changing badge classes only
with the `manage` scope of the issuer's own key, or as a signed-in editor with a CSRF token."""

import base64
import io

import pytest
from PIL import Image, PngImagePlugin
from rest_framework.test import APIClient

from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass, Issuer, IssuerRole
from tests.api.conftest import bearer
from tests.factories import IssuerMembershipFactory, badge_png
from tests.images import AUTHOR, assert_carries_nothing_but_pixels, zip_archive

NEW_CLASS = {
    "name": "CNC router",
    "description": "Mills sheet material safely on the router.",
    "image": "data:image/png;base64," + base64.b64encode(badge_png()).decode(),
    "criteria_narrative": "Completed the router induction.",
    "alignments": [
        {"targetName": "operate CNC machines", "targetUrl": "http://data.europa.eu/esco/skill/S8"}
    ],
    "tags": ["cnc"],
    "valid_days": 365,
}


def classes_url(issuer: Issuer) -> str:
    return f"/api/v1/issuers/{issuer.slug}/badge-classes/"


def test_issuers_and_their_badge_classes_are_public(class_a: BadgeClass, client_api: APIClient) -> None:
    issuers = client_api.get("/api/v1/issuers/").json()["results"]
    assert [issuer["slug"] for issuer in issuers] == [class_a.issuer.slug]
    assert issuers[0]["document_url"] == f"https://makeworks.example/badges/issuers/{class_a.issuer.slug}/"
    listed = client_api.get(classes_url(class_a.issuer)).json()["results"]
    assert [(c["id"], c["name"]) for c in listed] == [(class_a.public_id, "Laser cutter operator")]
    detail = client_api.get(f"/api/v1/badge-classes/{class_a.public_id}/").json()
    assert detail["image"] == f"https://makeworks.example/badges/classes/{class_a.public_id}/image"


def test_manage_key_creates_a_badge_class_of_its_issuer_with_an_audit_entry(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    answer = client_api.post(classes_url(issuer_a), NEW_CLASS, format="json", **bearer(manage_key_a))
    assert answer.status_code == 201, answer.json()
    created = BadgeClass.objects.get(public_id=answer.json()["id"])
    assert (created.issuer, created.tags, created.valid_days) == (issuer_a, ["cnc"], 365)
    assert badge_selectors.audit_entries(issuer_a).filter(action=AuditAction.BADGE_CLASS_CREATED).exists()


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [(None, 401, "not_authenticated"), ("issue_key_a", 403, "permission_denied"),
     ("issue_key_b", 404, "not_found"), ("expired_key_a", 401, "key_expired")],
)  # fmt: skip
def test_creating_a_badge_class_is_refused_without_the_manage_scope_on_that_issuer(
    issuer_a: Issuer, issuer_b: Issuer, request: pytest.FixtureRequest, client_api: APIClient,
    key: str | None, status: int, code: str,
) -> None:  # fmt: skip
    headers = bearer(request.getfixturevalue(key)) if key else {}
    answer = client_api.post(classes_url(issuer_a), NEW_CLASS, format="json", **headers)
    assert answer.status_code == status
    assert answer.json()["code"] == code
    assert not BadgeClass.objects.exists()


def test_unsafe_svg_is_refused_with_the_reason(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    body = {**NEW_CLASS, "image": "data:image/svg+xml;base64," + base64.b64encode(svg).decode()}
    answer = client_api.post(classes_url(issuer_a), body, format="json", **bearer(manage_key_a))
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("This SVG cannot be a badge image")
    assert not BadgeClass.objects.exists()


def test_wrong_types_and_bad_alignments_name_their_fields(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    body = {**NEW_CLASS, "valid_days": "soon", "tags": "cnc", "alignments": [{"targetName": "x", "targetUrl": "ftp://x"}],
            "image": "not base64!"}  # fmt: skip
    answer = client_api.post(classes_url(issuer_a), body, format="json", **bearer(manage_key_a))
    assert answer.status_code == 400
    fields = answer.json()["fields"]
    assert set(fields) == {"valid_days", "tags", "alignments.0.targetUrl", "image"}
    assert fields["valid_days"] == ["A valid integer is required."]


def test_patch_changes_only_the_fields_sent(
    class_a: BadgeClass, manage_key_a: str, issue_key_b: str, client_api: APIClient
) -> None:
    url = f"/api/v1/badge-classes/{class_a.public_id}/"
    assert client_api.patch(url, {"tags": ["laser"]}, format="json", **bearer(issue_key_b)).status_code == 404
    answer = client_api.patch(url, {"tags": ["laser", "safety"]}, format="json", **bearer(manage_key_a))
    assert answer.status_code == 200
    class_a.refresh_from_db()
    assert (class_a.tags, class_a.name) == (["laser", "safety"], "Laser cutter operator")


def test_signed_in_editor_writes_with_a_csrf_token_only(issuer_a: Issuer) -> None:
    editor = IssuerMembershipFactory.create(issuer=issuer_a, role=IssuerRole.EDITOR).user
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(editor)
    refused = browser.post(classes_url(issuer_a), NEW_CLASS, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(classes_url(issuer_a), NEW_CLASS, format="json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201


def test_staff_role_may_not_create_badge_classes(issuer_a: Issuer, client_api: APIClient) -> None:
    client_api.force_login(IssuerMembershipFactory.create(issuer=issuer_a, role=IssuerRole.STAFF).user)
    answer = client_api.post(classes_url(issuer_a), NEW_CLASS, format="json")
    assert answer.status_code == 403
    assert "As staff of" in answer.json()["message"]


def test_a_badge_class_png_sent_with_author_text_and_an_appended_zip_is_stored_and_served_clean(
    issuer_a: Issuer, manage_key_a: str, client_api: APIClient
) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "PNG", pnginfo=info)
    png = buffer.getvalue() + zip_archive()
    body = NEW_CLASS | {"image": "data:image/png;base64," + base64.b64encode(png).decode()}

    answer = client_api.post(classes_url(issuer_a), body, format="json", **bearer(manage_key_a))

    assert answer.status_code == 201, answer.json()
    served = client_api.get(answer.json()["image"].removeprefix("https://makeworks.example"))
    assert_carries_nothing_but_pixels(served.getvalue())
