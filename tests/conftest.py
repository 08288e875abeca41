import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a fresh folder and the cache starts empty, so no test sees another's leftovers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
