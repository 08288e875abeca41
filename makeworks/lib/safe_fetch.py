"""Fetch a URL someone else gave us without letting them aim our server at our own network.

Verifying a badge means fetching URLs written by strangers (an assertion, its issuer, a key). A
server that fetches whatever it is told can be made to read its own private network (SSRF). So:
http(s) only; every address the host name resolves to must be public (no private, loopback,
link-local, multicast or reserved ones) unless the caller allows private ones; the connection goes
to the address that was checked, so a second DNS answer cannot swap it; redirects are followed a few
times, each checked again; bodies are cut at a size limit, and every step has a timeout.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 3
DEFAULT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


class FetchError(Exception):
    """The URL could not be fetched safely; the message says why, for a person to read."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _checked_address(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to: the first the host resolves to, once all of them are checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The host {host} could not be found.") from error
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"The host {host} could not be found.")
    if not allow_private and not all(_public(address) for address in addresses):
        raise FetchError(
            f"The host {host} is on a private or local network, which this server does not fetch."
        )
    return str(addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand, with the certificate verified for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _request(
    url: str, *, accept: str, timeout: float, max_bytes: int, allow_private: bool
) -> tuple[int, str, bytes, str]:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError("Only http and https addresses can be fetched.")
    if not parts.hostname:
        raise FetchError("The address has no host name.")
    if parts.username or parts.password:
        raise FetchError("Addresses with a user name or password are not fetched.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("The address has an invalid port.") from error
    address = _checked_address(parts.hostname, port, allow_private=allow_private)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(parts.hostname, address, port, timeout)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = parts.netloc.rsplit("@", 1)[-1]
    try:
        connection.request(
            "GET", path, headers={"Host": host_header, "Accept": accept, "User-Agent": "makeworks"}
        )
        response = connection.getresponse()
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"The document is larger than {max_bytes // 1024} KB.")
        body = response.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise FetchError(f"The document is larger than {max_bytes // 1024} KB.")
        return (
            response.status,
            response.getheader("Content-Type", ""),
            body,
            response.getheader("Location", ""),
        )
    except TimeoutError as error:
        raise FetchError("The server took too long to answer.") from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"The server could not be reached: {error}.") from error
    finally:
        connection.close()


def fetch(
    url: str,
    *,
    accept: str = "application/ld+json, application/json",
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
) -> Fetched:
    """GET `url` under the rules above. A 4xx or 5xx answer is returned, not raised: a 410 is news."""
    current = url
    for _redirect in range(MAX_REDIRECTS + 1):
        status, content_type, body, location = _request(
            current, accept=accept, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
        )
        if status in {301, 302, 303, 307, 308} and location:
            current = urljoin(current, location)
            continue
        return Fetched(current, status, content_type, body)
    raise FetchError(f"More than {MAX_REDIRECTS} redirects.")
