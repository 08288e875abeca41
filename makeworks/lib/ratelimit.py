"""Fixed-window rate limits counted in Django's cache.

The counts live in the cache, not in the process, so when the cache is shared (Redis in production)
every web process counts against the same numbers. Each window starts at a fixed multiple of its
length: a burst that straddles a boundary may pass up to twice the limit, the price of keeping one
small counter per key instead of a log of every attempt.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts in each window of `seconds`."""

    count: int
    seconds: int


def attempt_allowed(*, scope: str, key: str, limit: Limit, now: float | None = None) -> bool:
    """Count one attempt by `key` (an address, an IP) in `scope`, and say whether it is within `limit`.

    Refused attempts count too, so hammering does not help. `now` (Unix seconds) defaults to the clock.
    """
    moment = time.time() if now is None else now
    window = int(moment // limit.seconds)
    # Hashed, so the cache holds no e-mail or IP address in clear, and any text makes a valid key.
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"ratelimit:{scope}:{window}:{digest}"
    # Lives until its window ends; at least a second, as a zero timeout would mean "expire at once".
    timeout = int((window + 1) * limit.seconds - moment) + 1
    cache.add(cache_key, 0, timeout)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The counter expired between add() and incr(): this attempt is the first of a new one.
        cache.add(cache_key, 1, timeout)
        count = 1
    return count <= limit.count
