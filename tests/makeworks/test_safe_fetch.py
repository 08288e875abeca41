"""Fetching URLs strangers give us: only http(s), never our own network unless allowed, bounded."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from makeworks.lib.safe_fetch import MAX_URL_LENGTH, FetchError, fetch


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
        elif self.path == "/to-long":
            self.send_response(302)
            self.send_header("Location", "/badge?" + "x" * 2500)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/to/"):
            # Redirects to whatever address follows /to/, as a hostile issuer's server may.
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/to/"))
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


@pytest.mark.parametrize(
    "url",
    [
        "http://100.64.0.1/",  # shared address space (carrier-grade NAT): is_private misses it
        "http://100.127.255.254/",
        "http://192.0.2.10/",  # documentation
        "http://198.18.0.1/",  # benchmarking
        "http://224.0.0.251/",  # multicast
        "http://[fd00::1]/",  # unique local
        "http://[fe80::1]/",  # link-local
        "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
    ],
)
def test_addresses_that_are_not_globally_routable_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url, timeout=0.3)


@pytest.mark.parametrize(
    "url", ["http://10.1.2.3/", "http://192.168.0.1/", "http://169.254.169.254/", "http://100.64.0.1/"]
)
def test_allowing_loopback_for_tests_opens_no_other_range(url: str) -> None:
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url, allow_loopback=True, timeout=0.3)


def test_a_host_is_refused_when_any_address_it_resolves_to_is_not_global(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name answering a loopback address first and a carrier-grade NAT one second is still refused."""
    real = socket.getaddrinfo
    port = int(server.rsplit(":", 1)[1])

    def two_answers(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "issuer.test":
            return real(host, *args, **kwargs)
        stream = socket.SOCK_STREAM
        return [
            (socket.AF_INET, stream, 6, "", ("127.0.0.1", port)),
            (socket.AF_INET, stream, 6, "", ("100.64.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)

    with pytest.raises(FetchError, match="private or local network"):
        fetch(f"http://issuer.test:{port}/badge", allow_loopback=True, timeout=0.3)


@pytest.mark.parametrize("target", ["http://100.64.0.1/", "http://10.0.0.1/", "http://[fd00::1]/"])
def test_a_redirect_to_an_address_that_is_not_global_is_refused(server: str, target: str) -> None:
    with pytest.raises(FetchError, match="private or local network"):
        fetch(f"{server}/to/{target}", allow_loopback=True, timeout=0.3)


def test_a_url_longer_than_the_limit_is_not_fetched(server: str) -> None:
    url = f"{server}/badge?" + "x" * MAX_URL_LENGTH

    with pytest.raises(FetchError, match=f"longer than {MAX_URL_LENGTH} characters"):
        fetch(url, allow_loopback=True)


def test_a_redirect_to_a_url_longer_than_the_limit_is_not_followed(server: str) -> None:
    with pytest.raises(FetchError, match=f"longer than {MAX_URL_LENGTH} characters"):
        fetch(f"{server}/to-long", allow_loopback=True)


def test_a_local_server_is_fetched_when_loopback_is_allowed(server: str) -> None:
    fetched = fetch(f"{server}/badge", allow_loopback=True)

    assert (fetched.status, fetched.content_type, fetched.body) == (
        200,
        "application/ld+json",
        b'{"id": "badge"}',
    )


def test_an_error_status_is_returned_not_raised(server: str) -> None:
    assert fetch(f"{server}/gone", allow_loopback=True).status == 410


def test_redirects_are_followed_and_checked_again(server: str) -> None:
    fetched = fetch(f"{server}/moved", allow_loopback=True)

    assert fetched.url == f"{server}/badge"
    assert fetched.body == b'{"id": "badge"}'


def test_endless_redirects_stop(server: str) -> None:
    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch(f"{server}/loop", allow_loopback=True)


def test_a_body_over_the_limit_is_refused(server: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/huge", allow_loopback=True, max_bytes=1024)


def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    with pytest.raises(FetchError, match="took too long"):
        fetch(silent_server, allow_loopback=True, timeout=0.3)


def test_addresses_with_credentials_are_refused() -> None:
    with pytest.raises(FetchError, match="user name or password"):
        fetch("http://user:secret@example.org/badge")


def test_an_unknown_host_says_so() -> None:
    with pytest.raises(FetchError, match="could not be found"):
        fetch("http://no-such-host.invalid/badge")
