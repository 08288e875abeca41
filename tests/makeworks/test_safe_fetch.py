"""Fetching URLs strangers give us: only http(s), never our own network unless allowed, bounded."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from makeworks.lib.safe_fetch import FetchError, fetch


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/badge":
            body = b'{"id": "badge"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/gone":
            self.send_response(410)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/badge")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests say what they expect."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/badge", "gopher://example.org/", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="Only http and https"):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url)


def test_a_local_server_is_fetched_when_private_addresses_are_allowed(server: str) -> None:
    fetched = fetch(f"{server}/badge", allow_private=True)

    assert (fetched.status, fetched.content_type, fetched.body) == (
        200,
        "application/ld+json",
        b'{"id": "badge"}',
    )


def test_an_error_status_is_returned_not_raised(server: str) -> None:
    assert fetch(f"{server}/gone", allow_private=True).status == 410


def test_redirects_are_followed_and_checked_again(server: str) -> None:
    fetched = fetch(f"{server}/moved", allow_private=True)

    assert fetched.url == f"{server}/badge"
    assert fetched.body == b'{"id": "badge"}'


def test_endless_redirects_stop(server: str) -> None:
    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch(f"{server}/loop", allow_private=True)


def test_a_body_over_the_limit_is_refused(server: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/huge", allow_private=True, max_bytes=1024)


def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    with pytest.raises(FetchError, match="took too long"):
        fetch(silent_server, allow_private=True, timeout=0.3)


def test_addresses_with_credentials_are_refused() -> None:
    with pytest.raises(FetchError, match="user name or password"):
        fetch("http://user:secret@example.org/badge")


def test_an_unknown_host_says_so() -> None:
    with pytest.raises(FetchError, match="could not be found"):
        fetch("http://no-such-host.invalid/badge")
