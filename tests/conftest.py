import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a fresh folder and the cache starts empty, so no test sees another's leftovers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    """Argon2 is slow on purpose; tests that create many accounts use a fast hasher, except those
    marked `real_password_hashing`, which check what production stores."""
    if "real_password_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
