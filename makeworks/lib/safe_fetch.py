"""Fetch a URL someone else gave us without letting them aim our server at our own network.

Verifying a badge means fetching URLs written by strangers (an assertion, its issuer, a key). A
server that fetches whatever it is told can be made to read its own private network (SSRF). So:
http(s) only; every address the host name resolves to must be globally routable (ipaddress's
`is_global`, so private, loopback, link-local, shared carrier-grade NAT 100.64.0.0/10, reserved,
documentation and multicast ranges are all refused, as is an IPv6 address carrying one of those as
its embedded IPv4 address); tests alone may allow loopback (127.0.0.0/8 and ::1), never another
range; the connection goes to the address that was checked, so a second DNS answer cannot swap it;
redirects are followed a few times, each checked again; URLs, bodies and time are bounded.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 3
# The one limit on a URL anyone gives this site to fetch (forms, API, redirects): longer than any real
# badge or issuer address, far shorter than what could be used to stuff requests.
MAX_URL_LENGTH = 2000
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits; the gateway would connect to it.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
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


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 one would lead to: mapped, 6to4, Teredo or NAT64."""
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [embedded for embedded in found if embedded is not None]


def _global(address: Address) -> bool:
    """Reachable on the public internet: `is_global` also refuses 100.64.0.0/10, which `is_private`
    lets through; multicast is refused as well, since `is_global` does not cover it."""
    if isinstance(address, ipaddress.IPv6Address) and not all(
        _global(embedded) for embedded in _embedded_ipv4(address)
    ):
        return False
    return address.is_global and not address.is_multicast


def _loopback(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _checked_address(host: str, port: int, *, allow_loopback: bool) -> str:
    """The address to connect to: the first the host resolves to, once all of them are checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The host {host} could not be found.") from error
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"The host {host} could not be found.")
    if not all(_global(address) or (allow_loopback and _loopback(address)) for address in addresses):
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
    url: str, *, accept: str, timeout: float, max_bytes: int, allow_loopback: bool
) -> tuple[int, str, bytes, str]:
    if len(url) > MAX_URL_LENGTH:
        raise FetchError(f"The address is longer than {MAX_URL_LENGTH} characters.")
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
    address = _checked_address(parts.hostname, port, allow_loopback=allow_loopback)
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
    allow_loopback: bool = False,
) -> Fetched:
    """GET `url` under the rules above. A 4xx or 5xx answer is returned, not raised: a 410 is news.
    `allow_loopback` is for tests, whose other servers listen on 127.0.0.1."""
    current = url
    for _redirect in range(MAX_REDIRECTS + 1):
        status, content_type, body, location = _request(
            current, accept=accept, timeout=timeout, max_bytes=max_bytes, allow_loopback=allow_loopback
        )
        if status in {301, 302, 303, 307, 308} and location:
            current = urljoin(current, location)
            continue
        return Fetched(current, status, content_type, body)
    raise FetchError(f"More than {MAX_REDIRECTS} redirects.")
