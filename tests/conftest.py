import pytest
from django.core.cache import cache

from makeworks.celery import app as celery_app


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


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks run at once, as on the default settings, also on the Redis run of CI where no worker
    consumes the queue; tests marked `celery_worker` hand them to a real worker instead."""
    if "celery_worker" not in request.keywords:
        monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
