"""The client address every per-client limit counts by: behind trusted proxies, the entry they added to
X-Forwarded-For; otherwise, and whenever the header cannot be believed, the connection's own address."""

from typing import Any

import pytest
from django.test import RequestFactory

from makeworks.lib.requests import client_address

PROXY = "10.0.0.2"


def address(forwarded: str | None = None, remote: str = PROXY) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert address("203.0.113.9") == PROXY


def test_behind_one_proxy_the_client_is_the_last_entry(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    # The first entry is whatever the client wrote; only the proxy's own entry is believed.
    assert address("6.6.6.6, 203.0.113.9") == "203.0.113.9"


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 2

    assert address("6.6.6.6, 203.0.113.9, 10.0.0.1") == "203.0.113.9"


@pytest.mark.parametrize(
    "forwarded",
    [None, "", "203.0.113.9", "not-an-address, 10.0.0.1", "6.6.6.6, , 10.0.0.1", "203.0.113.9:443, 10.0.0.1"],
)
def test_a_short_or_malformed_header_falls_back_to_the_connection_address(
    settings: Any, forwarded: str | None
) -> None:
    settings.TRUSTED_PROXY_COUNT = 2

    assert address(forwarded) == PROXY


def test_addresses_are_written_one_way_so_one_client_has_one_count(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert address(" 2001:DB8:0:0::1 ") == "2001:db8::1"
