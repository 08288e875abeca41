"""JSON from anyone outside (API bodies, fetched badges, JWS payloads) read without letting its shape take
the process down.

The standard library parses recursively, so `[[[[…` a hundred thousand deep raises RecursionError, which
no `except ValueError` catches: a 500, with a traceback page when DEBUG is on. orjson stops at depth 1024
with an ordinary decode error, and no document we accept is nested more than a few levels, so anything
deeper than MAX_DEPTH is refused as well, after a walk that uses no recursion either."""

from typing import Any

import orjson

# Open Badges documents and API bodies nest about five levels; 32 leaves room for any honest extension.
MAX_DEPTH = 32


class JSONReadError(ValueError):
    """The text is not JSON, or is nested deeper than we read. The message says which, for people."""


def _depth_checked(value: Any, max_depth: int) -> None:
    # (container, its depth) pairs still to look into; scalars are never pushed.
    pending: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while pending:
        container, depth = pending.pop()
        if depth > max_depth:
            raise JSONReadError(f"The JSON is nested more than {max_depth} levels deep.")
        children = container.values() if isinstance(container, dict) else container
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def loads(data: bytes | bytearray | memoryview | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value `data` holds, or JSONReadError. NaN and Infinity are refused, as strict JSON has none;
    integers past 64 bits come back as floats."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error) or "recursion" in str(error):
            raise JSONReadError(f"The JSON is nested more than {max_depth} levels deep.") from None
        raise JSONReadError(f"This is not valid JSON: {error}") from None
    _depth_checked(value, max_depth)
    return value
