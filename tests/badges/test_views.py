"""The public badge URLs: one id per object, a page for people and JSON-LD for verifiers."""

import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from badges import selectors, services
from badges.models import BadgeClass, Issuer
from badges.openbadges.documents import OB_CONTEXT
from tests.badges.conftest import SITE
from tests.factories import ListingFactory, badge_png

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
JSON_LD = "application/ld+json"
SVG_BADGE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">'
    b'<circle cx="100" cy="100" r="90" fill="#2a9d8f"/></svg>'
)
ESCO_MACHINERY = {
    "targetName": "working with machinery and specialised equipment",
    "targetUrl": "http://data.europa.eu/esco/skill/S8",
    "targetFramework": "ESCO",
    "targetCode": "S8",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture
def issuer() -> Issuer:
    hub = ListingFactory.create(name="Fablab Glasgow", contact_email="private-office@fablab-glasgow.example")
    return services.issuer_create(
        listing=hub,
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
        description="Open access digital fabrication on the Clyde.",
        image=SimpleUploadedFile("logo.png", badge_png("#264653"), content_type="image/png"),
    )


@pytest.fixture
def laser(issuer: Issuer) -> BadgeClass:
    return services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description="Runs the laser cutter safely, from file to finished part.",
        image=SimpleUploadedFile("laser.svg", SVG_BADGE, content_type="image/svg+xml"),
        criteria_narrative="- Passed the **laser safety** induction\n- <script>alert(1)</script> no scripts",
        criteria_url="https://fablab-glasgow.example/criteria/laser",
        alignments=[ESCO_MACHINERY],
        tags=["laser cutting"],
        valid_days=365,
    )


def issuer_path(issuer: Issuer) -> str:
    return reverse("badges:issuer", kwargs={"slug": issuer.slug})


def class_path(badge_class: BadgeClass) -> str:
    return reverse("badges:badge_class", kwargs={"public_id": badge_class.public_id})


def key_path(issuer: Issuer) -> str:
    return reverse("badges:key", kwargs={"public_id": selectors.active_signing_key(issuer).public_id})


def get_json(client: Client, path: str, accept: str = JSON_LD) -> dict[str, Any]:
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    loaded: dict[str, Any] = json.loads(response.content)
    return loaded


def test_urls_have_no_language_prefix(issuer: Issuer, laser: BadgeClass):
    assert issuer_path(issuer) == f"/badges/issuers/{issuer.slug}/"
    assert class_path(laser) == f"/badges/classes/{laser.public_id}/"
    assert key_path(issuer).startswith("/badges/keys/")


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (JSON_LD, JSON_LD),
        ("application/json", "application/json"),
        ("application/ld+json, application/json", JSON_LD),
        ("application/json, application/ld+json;q=0.5", "application/json"),
        ("text/html;q=0.5, application/ld+json", JSON_LD),
    ],
)
def test_a_verifier_gets_json_ld_in_the_type_it_asked_for(
    client: Client, issuer: Issuer, laser: BadgeClass, accept: str, content_type: str
):
    for path in (issuer_path(issuer), class_path(laser), key_path(issuer)):
        response = client.get(path, HTTP_ACCEPT=accept)

        assert response.status_code == 200
        assert response["Content-Type"] == f"{content_type}; charset=utf-8"
        assert "Accept" in [field.strip() for field in response["Vary"].split(",")]
        assert response["Access-Control-Allow-Origin"] == "*"
        assert json.loads(response.content)["@context"] == OB_CONTEXT


@pytest.mark.parametrize("accept", [BROWSER, "", "*/*", "text/html, application/json;q=0.9"])
def test_a_browser_gets_a_page(client: Client, issuer: Issuer, laser: BadgeClass, accept: str):
    for path in (issuer_path(issuer), class_path(laser), key_path(issuer)):
        response = client.get(path, HTTP_ACCEPT=accept)

        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "Accept" in [field.strip() for field in response["Vary"].split(",")]
        assert b"<h1" in response.content


def test_the_issuer_document_links_keys_and_revocation_list_by_absolute_url(client: Client, issuer: Issuer):
    document = get_json(client, issuer_path(issuer))
    key = selectors.active_signing_key(issuer)

    assert document == {
        "@context": OB_CONTEXT,
        "type": "Issuer",
        "id": f"{SITE}/badges/issuers/{issuer.slug}/",
        "name": "Fablab Glasgow",
        "url": "https://fablab-glasgow.example",
        "email": "badges@fablab-glasgow.example",
        "description": "Open access digital fabrication on the Clyde.",
        "image": f"{SITE}/badges/issuers/{issuer.slug}/image",
        "publicKey": f"{SITE}/badges/keys/{key.public_id}/",
        "revocationList": f"{SITE}/badges/issuers/{issuer.slug}/revocations/",
    }


def test_the_key_document_names_the_issuer_as_owner(client: Client, issuer: Issuer):
    key = selectors.active_signing_key(issuer)
    document = get_json(client, key_path(issuer))

    assert document == {
        "@context": OB_CONTEXT,
        "type": "CryptographicKey",
        "id": f"{SITE}/badges/keys/{key.public_id}/",
        "owner": f"{SITE}/badges/issuers/{issuer.slug}/",
        "publicKeyPem": key.public_key_pem,
    }
    assert "PRIVATE" not in json.dumps(document)


def test_a_revoked_key_is_still_served_and_says_it_is_revoked(client: Client, issuer: Issuer):
    key = selectors.active_signing_key(issuer)
    path = key_path(issuer)
    services.signing_key_revoke(key=key)

    document = get_json(client, path)
    page = client.get(path, HTTP_ACCEPT=BROWSER).content.decode()

    assert document["revoked"] is True
    assert "This key was revoked on" in page
    assert get_json(client, issuer_path(issuer))["publicKey"] == selectors.key_url(
        selectors.active_signing_key(issuer)
    )


def test_the_badge_class_document_has_every_id_on_the_site_origin(client: Client, laser: BadgeClass):
    document = get_json(client, class_path(laser))

    assert document == {
        "@context": OB_CONTEXT,
        "type": "BadgeClass",
        "id": f"{SITE}/badges/classes/{laser.public_id}/",
        "name": "Laser cutter operator",
        "description": "Runs the laser cutter safely, from file to finished part.",
        "image": f"{SITE}/badges/classes/{laser.public_id}/image",
        "criteria": {
            "id": "https://fablab-glasgow.example/criteria/laser",
            "narrative": "- Passed the **laser safety** induction\n- <script>alert(1)</script> no scripts",
        },
        "issuer": f"{SITE}/badges/issuers/{laser.issuer.slug}/",
        "alignment": [ESCO_MACHINERY],
        "tags": ["laser cutting"],
    }


def test_the_badge_class_page_shows_image_issuer_criteria_and_alignments(client: Client, laser: BadgeClass):
    page = client.get(class_path(laser), HTTP_ACCEPT=BROWSER).content.decode()

    assert f'src="{SITE}/badges/classes/{laser.public_id}/image"' in page
    assert 'alt="The Laser cutter operator badge"' in page
    assert f'Issued by <a href="{SITE}/badges/issuers/{laser.issuer.slug}/">Fablab Glasgow</a>' in page
    assert "<strong>laser safety</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="http://data.europa.eu/esco/skill/S8"' in page
    assert "(ESCO · S8)" in page
    assert "365 days after it is awarded" in page


def test_the_issuer_page_lists_its_badges_keys_and_public_contact(
    client: Client, issuer: Issuer, laser: BadgeClass
):
    page = client.get(issuer_path(issuer), HTTP_ACCEPT=BROWSER).content.decode()

    assert class_path(laser) in page
    assert key_path(issuer) in page
    assert "mailto:badges@fablab-glasgow.example" in page
    assert f"{SITE}/badges/issuers/{issuer.slug}/revocations/" in page


def test_badge_images_are_served_with_their_type(client: Client, issuer: Issuer, laser: BadgeClass):
    svg = client.get(reverse("badges:badge_class_image", kwargs={"public_id": laser.public_id}))
    png = client.get(reverse("badges:issuer_image", kwargs={"slug": issuer.slug}))

    assert svg["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in svg["Content-Security-Policy"]
    assert svg.getvalue().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    assert png["Content-Type"] == "image/png"
    # The stored PNG is the upload re-encoded: the same picture, not necessarily the same bytes.
    served = Image.open(io.BytesIO(png.getvalue())).convert("RGB")
    assert served.tobytes() == Image.open(io.BytesIO(badge_png("#264653"))).convert("RGB").tobytes()


def test_unknown_ids_and_language_prefixes_are_not_found(client: Client, issuer: Issuer, laser: BadgeClass):
    assert client.get("/badges/issuers/nobody/", HTTP_ACCEPT=JSON_LD).status_code == 404
    assert client.get("/badges/classes/not-a-real-id/").status_code == 404
    assert client.get("/badges/keys/not-a-real-id/").status_code == 404
    assert client.get(f"/fr{class_path(laser)}").status_code == 404
    without_image = services.issuer_create(
        listing=ListingFactory.create(), name="Plain", url="https://plain.example", email="b@plain.example"
    )
    assert client.get(reverse("badges:issuer_image", kwargs={"slug": without_image.slug})).status_code == 404


def test_the_pages_are_read_only(client: Client, issuer: Issuer):
    assert client.post(issuer_path(issuer)).status_code == 405


def test_no_response_shows_an_address_other_than_the_issuers_public_one(
    client: Client, issuer: Issuer, laser: BadgeClass
):
    paths = [issuer_path(issuer), class_path(laser), key_path(issuer)]
    bodies = [
        client.get(path, HTTP_ACCEPT=accept).content.decode()
        for path in paths
        for accept in (BROWSER, JSON_LD)
    ]

    found = {address for body in bodies for address in EMAIL.findall(body)}
    assert found == {"badges@fablab-glasgow.example"}
    assert all("private-office" not in body for body in bodies)
