"""Hubs with machines, the seeded material vocabulary, and the OKW reference files when present."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from directory.models import Listing, ListingKind
from directory.seeding import terms_seed
from machinery_map.seeding import taxonomy_seed
from tests.factories import ListingFactory

SITE = "https://makeworks.example"
FIXTURES = Path(__file__).parent / "fixtures"
# ../shared beside the checkout holds the reference data made by others (CI lays it there too).
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "okw"


@pytest.fixture(autouse=True)
def _site_and_language(settings: Any) -> Iterator[None]:
    settings.SITE_URL = SITE
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def taxonomy(db: None) -> None:
    """The seeded equipment types and processes, which a transactional test elsewhere may have flushed."""
    taxonomy_seed()


@pytest.fixture
def vocabulary(db: None) -> None:
    terms_seed()


@pytest.fixture
def hub(db: None) -> Listing:
    return ListingFactory.create(name="Fablab Glasgow", kind=ListingKind.MAKERSPACE)


@pytest.fixture
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"the OKW reference files are not at {REFERENCE}")
    return REFERENCE
