"""A makerspace issuing badges, built through badges.services and passport.services as real ones are.

Awards are issued inside `django_capture_on_commit_callbacks(execute=True)`, so the bake and e-mail
tasks run as they do after a real commit (in-process: the default test run has eager Celery).
"""

import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from badges import services as badge_services
from badges.models import BadgeClass, Issuer
from directory.models import Listing, ListingKind
from passport import services
from passport.models import Assertion
from tests.factories import ListingFactory

SITE = "https://makeworks.example"
EARNER = "Ada.Lovelace@Example.org"
SVG_BADGE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
    b'<circle cx="100" cy="100" r="90" fill="#2a9d8f"/><text x="100" y="115" text-anchor="middle" '
    b'font-size="48" fill="#fff">3D</text></svg>'
)
ESCO_MACHINERY = {
    "targetName": "working with machinery and specialised equipment",
    "targetUrl": "http://data.europa.eu/esco/skill/S8",
    "targetFramework": "ESCO",
    "targetCode": "S8",
}

Capture = Callable[..., AbstractContextManager[Any]]


def png_bytes(colour: str = "#c1121f") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _site_and_language(settings: Any) -> Iterator[None]:
    settings.SITE_URL = SITE
    with translation.override("en"):
        yield


@pytest.fixture
def hub(db: None) -> Listing:
    return ListingFactory.create(name="Fablab Glasgow", kind=ListingKind.MAKERSPACE)


@pytest.fixture
def issuer(hub: Listing) -> Issuer:
    return badge_services.issuer_create(
        listing=hub,
        name="Fablab Glasgow",
        url="https://fablab-glasgow.example",
        email="badges@fablab-glasgow.example",
        description="Open access digital fabrication on the Clyde.",
    )


@pytest.fixture
def png_class(issuer: Issuer) -> BadgeClass:
    return badge_services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description="Runs the laser cutter safely, from file to finished part.",
        image=SimpleUploadedFile("laser.png", png_bytes(), content_type="image/png"),
        criteria_narrative="- Passed the **laser safety** induction\n- Cut a two-material job unsupervised",
        alignments=[ESCO_MACHINERY],
        tags=["laser cutting"],
    )


@pytest.fixture
def svg_class(issuer: Issuer) -> BadgeClass:
    return badge_services.badge_class_create(
        issuer=issuer,
        name="3D printing (FDM)",
        description="Prepares models for fused-filament printing.",
        image=SimpleUploadedFile("printing.svg", SVG_BADGE, content_type="image/svg+xml"),
        criteria_narrative="Printed a model with supports and removed them cleanly.",
        criteria_url="https://fablab-glasgow.example/criteria/3d-printing",
        valid_days=365,
    )


@pytest.fixture
def issue(django_capture_on_commit_callbacks: Capture) -> Callable[..., Assertion]:
    """Issue an award as a committed request would: its tasks run once the service returns."""

    def issue_committed(
        *, badge_class: BadgeClass, recipient_email: str = EARNER, **options: Any
    ) -> Assertion:
        with django_capture_on_commit_callbacks(execute=True):
            assertion = services.assertion_issue(
                badge_class=badge_class, recipient_email=recipient_email, **options
            )
        assertion.refresh_from_db()
        return assertion

    return issue_committed
