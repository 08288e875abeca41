"""Real parts to cut and kill in tests of outages: a Redis server of the test's own (so stopping it
disturbs nobody), the Celery app pointed at it, a slow SMTP server, and a Celery worker in a process of
its own (so it can be killed with SIGKILL, as an out-of-memory killer or a lost machine would)."""

import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from makeworks.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], what: str, seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(0.05)


class RedisServer:
    """A redis-server on a free port, without persistence; stop() cuts it, start() brings it back."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("needs redis-server")
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_until(lambda: _answers(client), "redis-server starting")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """Not started: the test starts it when the broker should be up. Skipped without REDIS_URL, like every
    test marked `celery_worker`: they run in CI's PostgreSQL and Redis leg."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: runs in the Redis leg of CI")
    server = RedisServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def _reset_connections() -> None:
    # The app keeps its broker connection pools; a new broker URL needs new ones.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker(url: str, queue: str) -> Iterator[None]:
    """Within the block, publish this process's tasks to `url`, on `queue`, and not in-process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(celery_app.conf, "broker_url", url)
        patch.setitem(celery_app.conf, "task_default_queue", queue)
        patch.setitem(celery_app.conf, "task_always_eager", False)
        _reset_connections()
        try:
            yield
        finally:
            _reset_connections()
    _reset_connections()


class SlowSmtpServer(socketserver.ThreadingTCPServer):
    """An SMTP server that takes `delay` seconds over each message, as a busy relay does, and records
    every message it accepts (after the final "." of DATA, as a real one does). `hold()` makes the next
    sender wait mid-conversation, before its message is accepted, until `release()`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.port = int(self.server_address[1])
        self.delay = delay
        self.accepted: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.waiting = threading.Event()
        self.released = threading.Event()
        self.released.set()

    def hold(self) -> None:
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def recipients(self) -> list[str]:
        with self.lock:
            return [recipient for recipients, _ in self.accepted for recipient in recipients]


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: SlowSmtpServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                self._wait()
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._data()
                if data is None:
                    return
                with self.server.lock:
                    self.server.accepted.append((recipients, data))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK" if verb in {"RSET", "NOOP"} else "502 not implemented")

    def _wait(self) -> None:
        time.sleep(self.server.delay)
        if not self.server.released.is_set():
            self.server.waiting.set()
            self.server.released.wait()

    def _data(self) -> bytes | None:
        lines = []
        while (line := self.rfile.readline()) != b".\r\n":
            if not line:
                return None  # the sender went away before the end: nothing was accepted
            lines.append(line)
        return b"".join(lines)


@pytest.fixture
def slow_smtp() -> Iterator[SlowSmtpServer]:
    server = SlowSmtpServer(delay=0.2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release()
        server.shutdown()
        server.server_close()


def _database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a database server (PostgreSQL)")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`celery worker` in a process of its own, on the test's broker, queue, database, media and SMTP
    server, with the visibility timeout given (and the claim on an e-mail lasting as long)."""

    def __init__(self, *, broker_url: str, queue: str, smtp_port: int, visibility_timeout: int) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "TEST_WORKER_QUEUE": queue,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SITE_URL": settings.SITE_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "PYTHONPATH": str(BASE_DIR),
        }
        self.queue = queue
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "makeworks", "worker", "--pool=solo", "-Q", self.queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env)  # noqa: S603

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
