import faulthandler
import os
import sys
import uuid
from collections.abc import Iterator

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.utils import translation

from makeworks.celery import app as celery_app

# A Redis server and an SMTP server of a test's own, for tests of outages.
from tests.outage import private_redis, slow_smtp  # noqa: F401


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a fresh folder and the cache starts empty, so no test sees another's leftovers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture(autouse=True)
def _language_put_back() -> Iterator[None]:
    """Every test starts in the default language: a request through the test client to a /fr/ page leaves
    French active in this thread (LocaleMiddleware activates, nothing deactivates), and the next test's
    messages and reversed URLs would be French."""
    translation.deactivate()
    yield
    translation.deactivate()


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


# Past this, a run with a real worker stops with every thread's traceback rather than hang CI.
WORKER_WATCHDOG_SECONDS = 120


@pytest.fixture
def redis_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A real Celery worker consuming from REDIS_URL, in a thread of this process (so it shares the
    local-memory outbox and the committed test data), on a queue of its own so it takes nothing another
    run left in Redis. Tests using it are marked `celery_worker`, so their tasks are not run in-process."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL: the worker consumes from Redis")
    if celery_app.conf.task_always_eager:
        pytest.skip("CELERY_TASK_ALWAYS_EAGER is on: tasks would never reach the worker")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"REDIS_URL is set but Redis does not answer: {error}")
    queue = f"test-worker-{uuid.uuid4().hex}"
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    # Leaves pytest's logging alone.
    monkeypatch.setitem(celery_app.conf, "worker_hijack_root_logger", False)
    faulthandler.dump_traceback_later(WORKER_WATCHDOG_SECONDS, exit=True, file=sys.__stderr__ or sys.stderr)
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            yield
    finally:
        faulthandler.cancel_dump_traceback_later()
