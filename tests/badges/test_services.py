"""Issuers, their keys and badge classes, created and changed only through badges.services."""

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image, PngImagePlugin

from badges import selectors, services
from badges.models import BadgeClass, Issuer, SigningKey, SigningKeyStatus
from badges.openbadges import signing
from badges.openbadges.documents import issuer_document, key_document
from tests.factories import BadgeClassFactory, IssuerFactory, ListingFactory, badge_png

pytestmark = pytest.mark.django_db

SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">'
    b'<circle cx="100" cy="100" r="90" fill="#2a9d8f"/></svg>'
)


def upload(content: bytes, name: str = "badge.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def sign_with(key: SigningKey, payload: dict[str, Any]) -> str:
    return signing.sign(payload, services.signing_key_private_pem(key=key))


def test_a_new_issuer_has_one_active_rsa_key_stored_encrypted():
    issuer = IssuerFactory.create()

    key = SigningKey.objects.get(issuer=issuer)
    stored = bytes(key.private_key_encrypted)
    private_pem = services.signing_key_private_pem(key=key)
    assert key.status == SigningKeyStatus.ACTIVE
    assert b"PRIVATE KEY" not in stored
    assert not any(line in stored for line in private_pem.splitlines()[1:-1])
    assert signing.public_key_pem(private_pem) == key.public_key_pem
    assert "BEGIN PUBLIC KEY" in key.public_key_pem


def test_public_ids_are_random_and_unrelated_to_row_numbers():
    first, second = BadgeClassFactory.create(), BadgeClassFactory.create()
    keys = list(SigningKey.objects.values_list("public_id", flat=True))

    for public_id in [first.public_id, second.public_id, *keys]:
        assert len(public_id) >= 22
        assert not public_id.isdigit()
    assert first.public_id != second.public_id


def test_a_hub_has_at_most_one_issuer():
    issuer = IssuerFactory.create()
    with pytest.raises(ValidationError, match="already has a badge issuer"):
        services.issuer_create(
            listing=issuer.listing, name="Again", url="https://a.example", email="a@a.example"
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "ftp://hub.example"}, "must be a full web address"),
        ({"url": "hub.example"}, "must be a full web address"),
        ({"email": "not an address"}, "valid email address"),
        ({"name": ""}, "cannot be blank"),
    ],
)
def test_an_issuer_with_bad_details_is_refused_with_a_message(fields: dict[str, str], message: str):
    values = {"name": "Hub", "url": "https://hub.example", "email": "badges@hub.example", **fields}
    with pytest.raises(ValidationError, match=message):
        services.issuer_create(
            listing=ListingFactory.create(), name=values["name"], url=values["url"], email=values["email"]
        )
    assert not Issuer.objects.exists()


def test_the_issuer_slug_follows_the_hub_and_never_changes():
    listing = ListingFactory.create(name="Fablab Glasgow")
    issuer = services.issuer_create(
        listing=listing, name="Fablab", url="https://f.example", email="b@f.example"
    )

    services.issuer_update(
        issuer=issuer, name="Fablab Glasgow CIC", url="https://f.example", email="b@f.example"
    )

    issuer.refresh_from_db()
    assert issuer.slug == "fablab-glasgow"
    assert issuer.name == "Fablab Glasgow CIC"


def test_rotation_makes_a_new_active_key_and_old_signatures_still_verify():
    issuer = IssuerFactory.create()
    old_key = selectors.active_signing_key(issuer)
    old_jws = sign_with(old_key, {"id": "https://makeworks.example/badges/assertions/a/"})

    new_key = services.signing_key_rotate(issuer=issuer)

    old_key.refresh_from_db()
    assert old_key.status == SigningKeyStatus.RETIRED
    assert new_key.status == SigningKeyStatus.ACTIVE
    assert selectors.active_signing_key(issuer) == new_key
    assert signing.verify(old_jws, old_key.public_key_pem)["id"].endswith("/assertions/a/")
    with pytest.raises(signing.SignatureError):
        signing.verify(old_jws, new_key.public_key_pem)
    # The profile names the new key only (the IMS validator accepts one); the old one stays served at
    # its URL, owned by the issuer, so verifiers that follow it still trust what it signed.
    assert issuer_document(selectors.issuer_data(issuer))["publicKey"] == selectors.key_url(new_key)
    assert key_document(selectors.key_data(old_key)) == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": selectors.key_url(old_key),
        "owner": selectors.issuer_url(issuer),
        "publicKeyPem": old_key.public_key_pem,
    }


def test_a_retired_or_revoked_key_refuses_to_sign():
    issuer = IssuerFactory.create()
    first = selectors.active_signing_key(issuer)
    services.signing_key_rotate(issuer=issuer)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="retired"):
        services.signing_key_private_pem(key=first)

    services.signing_key_revoke(key=first)

    first.refresh_from_db()
    with pytest.raises(ValidationError, match="revoked and can no longer sign"):
        services.signing_key_private_pem(key=first)


def test_revoking_the_active_key_puts_a_new_one_in_its_place_and_drops_it_from_the_profile():
    issuer = IssuerFactory.create()
    compromised = selectors.active_signing_key(issuer)

    services.signing_key_revoke(key=compromised)

    compromised.refresh_from_db()
    replacement = selectors.active_signing_key(issuer)
    assert compromised.status == SigningKeyStatus.REVOKED
    assert compromised.revoked_at is not None
    assert replacement != compromised
    assert issuer_document(selectors.issuer_data(issuer))["publicKey"] == selectors.key_url(replacement)
    assert key_document(selectors.key_data(compromised))["revoked"] is True
    with pytest.raises(ValidationError, match="already revoked"):
        services.signing_key_revoke(key=compromised)


def test_the_database_refuses_a_second_active_key():
    issuer = IssuerFactory.create()
    key = selectors.active_signing_key(issuer)

    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.create(
            issuer=issuer, public_key_pem=key.public_key_pem, private_key_encrypted=b"x", status="active"
        )


def test_a_key_stored_under_another_secret_is_explained(settings: Any):
    issuer = IssuerFactory.create()
    settings.BADGE_KEY_SECRET = "a-different-secret-than-the-one-the-key-was-stored-with"

    with pytest.raises(ValidationError, match="BADGE_KEY_SECRET"):
        services.signing_key_private_pem(key=selectors.active_signing_key(issuer))


def test_a_badge_class_png_keeps_its_picture_and_loses_its_text_chunks_and_trailing_data():
    original = Image.open(io.BytesIO(badge_png("#c1121f")))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Maker")
    buffer = io.BytesIO()
    original.save(buffer, "PNG", pnginfo=info)
    badge_class = BadgeClassFactory.create(image=upload(buffer.getvalue() + b"PK\x03\x04 a zip"))

    with badge_class.image.open("rb") as stored:
        content = stored.read()
    assert b"Jane Maker" not in content
    assert content.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(content)) as kept:
        assert kept.convert("RGBA").tobytes() == original.convert("RGBA").tobytes()
    assert str(badge_class.image.name).endswith(".png")


def test_a_clean_svg_badge_is_stored_sanitised():
    issuer = IssuerFactory.create()
    badge_class = services.badge_class_create(
        issuer=issuer,
        name="3D printing",
        description="Prints.",
        image=upload(b"<!-- note -->" + SAFE_SVG, "print.svg", "image/svg+xml"),
        criteria_url="https://hub.example/criteria",
    )

    with badge_class.image.open("rb") as stored:
        content = stored.read().decode()
    assert str(badge_class.image.name).endswith(".svg")
    assert '<circle cx="100" cy="100" r="90" fill="#2a9d8f"/>' in content
    assert "note" not in content


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<script>alert(document.cookie)</script>", "<script>"),
        (b'<circle r="9" onload="alert(1)"/>', "event attribute onload"),
        (b'<image href="https://tracker.example/p.png"/>', "external resource"),
        (b"<foreignObject/>", "foreignObject"),
    ],
)
def test_an_unsafe_svg_badge_is_refused_with_the_reason(body: bytes, message: str):
    raw = b'<svg xmlns="http://www.w3.org/2000/svg">' + body + b"</svg>"

    with pytest.raises(ValidationError) as refused:
        BadgeClassFactory.create(image=upload(raw, "evil.svg", "image/svg+xml"))

    assert "This SVG cannot be a badge image" in refused.value.messages[0]
    assert message in refused.value.messages[0]
    assert not BadgeClass.objects.exists()


def test_other_images_and_non_images_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    jpeg = upload(buffer.getvalue(), "photo.jpg", "image/jpeg")

    with pytest.raises(ValidationError, match="must be PNG or SVG"):
        BadgeClassFactory.create(image=jpeg)
    with pytest.raises(ValidationError, match="not a PNG or SVG image"):
        BadgeClassFactory.create(image=upload(b"\x00\x01 plain bytes", "x.png"))
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        BadgeClassFactory.create(image=upload(b"\x89PNG" + b"0" * (2 * 1024 * 1024)))


def test_a_badge_class_needs_criteria():
    with pytest.raises(ValidationError, match="Say how to earn the badge"):
        BadgeClassFactory.create(criteria_narrative="", criteria_url="")


@pytest.mark.parametrize(
    ("alignment", "message"),
    [
        ({"targetName": "Welding"}, "targetUrl of alignment 1 must be a full web address"),
        ({"targetName": "Welding", "targetUrl": "javascript:alert(1)"}, "must be a full web address"),
        ({"targetUrl": "https://esco.example/s1"}, "needs a targetName"),
        ({"targetName": "W", "targetUrl": "https://e.example", "name": "x"}, "unknown fields: name"),
    ],
)
def test_alignments_need_a_name_and_a_web_address(alignment: dict[str, str], message: str):
    with pytest.raises(ValidationError, match=message):
        BadgeClassFactory.create(alignments=[alignment])


def test_alignments_and_tags_are_stored_tidied():
    badge_class = BadgeClassFactory.create(
        alignments=[
            {
                "targetName": " Weld metal ",
                "targetUrl": "http://data.europa.eu/esco/skill/S6.13",
                "targetFramework": "ESCO",
                "targetCode": "S6.13",
                "targetDescription": "",
            }
        ],
        tags=["welding", " welding ", "", "safety"],
        valid_days=365,
    )

    assert badge_class.alignments == [
        {
            "targetName": "Weld metal",
            "targetUrl": "http://data.europa.eu/esco/skill/S6.13",
            "targetFramework": "ESCO",
            "targetCode": "S6.13",
        }
    ]
    assert badge_class.tags == ["welding", "safety"]
    assert badge_class.valid_days == 365


def test_a_validity_period_must_be_at_least_a_day():
    with pytest.raises(ValidationError, match="at least one day"):
        BadgeClassFactory.create(valid_days=0)


def test_the_revocation_list_url_is_the_agreed_one_with_or_without_the_passport_app(settings: Any):
    issuer = IssuerFactory.create()
    expected = f"https://makeworks.example/badges/issuers/{issuer.slug}/revocations/"

    assert selectors.revocation_list_url(issuer) == expected
    settings.ROOT_URLCONF = "tests.badges.urls_badges_only"
    assert selectors.revocation_list_url(issuer) == expected
