"""The fixed-window counter behind the contact form's limits, against the configured cache (local memory
on the defaults, Redis on the second CI run)."""

from django.core.cache import cache

from makeworks.lib.ratelimit import Limit, attempt_allowed

THREE_A_MINUTE = Limit(count=3, seconds=60)
# 1,000,020 s is the start of a one-minute window, so the tests know where its edges are.
WINDOW_START = 1_000_020.0


def attempts(
    n: int, *, key: str = "ada@example.org", scope: str = "test", now: float = WINDOW_START
) -> list[bool]:
    return [attempt_allowed(scope=scope, key=key, limit=THREE_A_MINUTE, now=now) for _ in range(n)]


def test_allows_up_to_the_limit_then_refuses() -> None:
    assert attempts(5) == [True, True, True, False, False]


def test_each_key_is_counted_on_its_own() -> None:
    assert attempts(3, key="ada@example.org") == [True, True, True]

    assert attempts(1, key="grace@example.org") == [True]
    assert attempts(1, key="ada@example.org") == [False]


def test_each_scope_is_counted_on_its_own() -> None:
    assert attempts(4, scope="contact-address") == [True, True, True, False]

    assert attempts(1, scope="contact-ip") == [True]


def test_a_refusal_lasts_until_the_window_ends_and_no_longer() -> None:
    attempts(3)

    assert attempts(1, now=WINDOW_START + 59.9) == [False]
    assert attempts(3, now=WINDOW_START + 60) == [True, True, True]
    assert attempts(1, now=WINDOW_START + 61) == [False]


def test_counts_live_in_the_cache_that_processes_share() -> None:
    attempts(3)

    cache.clear()

    assert attempts(1) == [True]


def test_any_text_makes_a_key() -> None:
    odd = "2001:db8::1 with spaces, ünïcode and a very long tail " + "x" * 500

    assert attempts(4, key=odd) == [True, True, True, False]
