"""The back office writes through the services and never shows a private key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges import selectors
from badges.models import BadgeClass, Issuer, SigningKey, SigningKeyStatus
from tests.factories import IssuerFactory, ListingFactory, badge_png

pytestmark = pytest.mark.django_db


def test_adding_an_issuer_in_the_admin_gives_it_a_signing_key(admin_client: Client):
    hub = ListingFactory.create(name="Fablab Glasgow")

    response = admin_client.post(
        reverse("admin:badges_issuer_add"),
        {
            "listing": hub.pk,
            "name": "Fablab Glasgow",
            "url": "fablab-glasgow.example",
            "email": "badges@fablab-glasgow.example",
            "description": "",
            "signing_keys-TOTAL_FORMS": "0",
            "signing_keys-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    issuer = Issuer.objects.get()
    assert issuer.url == "https://fablab-glasgow.example"
    assert SigningKey.objects.filter(issuer=issuer, status=SigningKeyStatus.ACTIVE).count() == 1


def test_the_key_pages_never_show_the_private_key(admin_client: Client):
    issuer = IssuerFactory.create()
    key = selectors.active_signing_key(issuer)
    encrypted = bytes(key.private_key_encrypted).decode()

    pages = [
        admin_client.get(reverse("admin:badges_signingkey_changelist")),
        admin_client.get(reverse("admin:badges_signingkey_change", args=[key.pk])),
        admin_client.get(reverse("admin:badges_issuer_change", args=[issuer.pk])),
    ]

    for page in pages:
        assert page.status_code == 200
        content = page.content.decode()
        assert "PRIVATE KEY" not in content
        assert encrypted not in content
    assert key.public_key_pem.splitlines()[1] in pages[1].content.decode()


def test_revoking_a_key_in_the_admin_replaces_it(admin_client: Client):
    issuer = IssuerFactory.create()
    key = selectors.active_signing_key(issuer)

    response = admin_client.post(
        reverse("admin:badges_signingkey_changelist"),
        {"action": "revoke_selected", "_selected_action": [key.pk]},
    )

    key.refresh_from_db()
    assert response.status_code == 302
    assert key.status == SigningKeyStatus.REVOKED
    assert selectors.active_signing_key(issuer) != key


def test_an_unsafe_svg_is_refused_in_the_admin_with_the_reason(admin_client: Client):
    issuer = IssuerFactory.create()
    data = {
        "issuer": issuer.pk,
        "name": "Laser",
        "description": "Cuts.",
        "criteria_narrative": "Passed the induction.",
        "criteria_url": "",
        "alignments": "[]",
        "tags": "laser, safety",
    }
    evil = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'

    refused = admin_client.post(
        reverse("admin:badges_badgeclass_add"), {**data, "image": SimpleUploadedFile("evil.svg", evil)}
    )
    accepted = admin_client.post(
        reverse("admin:badges_badgeclass_add"),
        {**data, "image": SimpleUploadedFile("badge.png", badge_png())},
    )

    assert refused.status_code == 200
    assert "event attribute onload" in refused.content.decode()
    assert accepted.status_code == 302
    assert BadgeClass.objects.get().tags == ["laser", "safety"]
