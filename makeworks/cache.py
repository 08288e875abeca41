"""The shared cache (Redis) as the site uses it: a help, never a gate.

Everything kept in the cache is either a copy (search answers) or a rate-limit count (log-in, contact
form, /verify/, the API). When Redis cannot be reached, raising would turn every log-in and every API
call into a 500, and lock everyone out to slow down a few. So an unreachable cache reads as empty and
writes go nowhere: rate limits fail open, a warning says so in the log, and /healthz/ still reports the
cache as failing. What must not be lost or done twice (claims, outboxes, uploads awaiting a confirm)
belongs in the database, never here.
"""

import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# One warning a minute per cache connection is enough to be seen, and does not flood the log when
# every request meets the outage.
WARN_EVERY_SECONDS = 60.0

T = TypeVar("T")


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, for which an unreachable server is an empty cache that stores nothing.

    Each operation answers what it would for a missing key: get() the default, add() True (a lock or
    first count is granted), incr() ValueError (as Django does for a missing key), delete() False.
    Other Redis errors (a wrong command, a full server) still raise: they are bugs, not outages.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._last_warning = float("-inf")

    def _or(self, operation: str, fallback: T, call: Callable[[], T]) -> T:
        try:
            return call()
        except (RedisConnectionError, RedisTimeoutError) as error:
            now = time.monotonic()
            if now - self._last_warning >= WARN_EVERY_SECONDS:
                self._last_warning = now
                logger.warning(
                    "Cache unreachable (%s: %s) during %s: carrying on without it; rate limits are not "
                    "counted until it is back",
                    type(error).__name__,
                    error,
                    operation,
                )
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._or("add", True, partial(super().add, key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._or("get", default, partial(super().get, key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._or("set", None, partial(super().set, key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._or("touch", False, partial(super().touch, key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._or("delete", False, partial(super().delete, key, version))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._or("get_many", {}, partial(super().get_many, keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._or("has_key", False, partial(super().has_key, key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        answer = self._or("incr", missing, partial(super().incr, key, delta, version))
        if answer is missing:
            raise ValueError(f"Key {key!r} not found: the cache is unreachable")
        assert isinstance(answer, int)
        return answer

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._or("set_many", list(data), partial(super().set_many, data, timeout, version))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._or("delete_many", None, partial(super().delete_many, keys, version))

    def clear(self) -> None:
        self._or("clear", None, super().clear)
