"""Badges are verified against one public origin; these tests use a fixed one and English pages."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

SITE = "https://makeworks.example"


@pytest.fixture(autouse=True)
def _site_and_language(settings: Any) -> Iterator[None]:
    settings.SITE_URL = SITE
    with translation.override("en"):
        yield
