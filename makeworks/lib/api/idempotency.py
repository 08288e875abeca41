"""Idempotency-Key on the API's creating endpoints: a retry of the same request with the same key
answers what the first one did and creates nothing; the same key with another request is a 409.

The first answer is stored in the same transaction as what it created, so either both exist or
neither does. Where answers are stored is handed in by the front door (api.apps installs
api.idempotency's database store at start-up), as the domains that offer idempotent endpoints may not
import the front door that keeps API keys.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from makeworks.lib.api.errors import Conflict
from makeworks.lib.api.grants import KeyGrant, key_grant

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: Any


class IdempotencyStore(Protocol):
    def find_for_update(self, *, key_id: int, idempotency_key: str) -> StoredResponse | None:
        """The answer stored for this API key and Idempotency-Key, locked until the transaction ends."""

    def remember(
        self, *, key_id: int, idempotency_key: str, fingerprint: str, status: int, body: Any
    ) -> None:
        """Store an answer; raises IntegrityError when one exists already for the same keys."""


_installed: list[IdempotencyStore] = []


def install_store(store: IdempotencyStore) -> None:
    """Where answers are kept from now on: called once, by the front door's AppConfig.ready."""
    _installed[:] = [store]


def _store() -> IdempotencyStore:
    if not _installed:
        raise ImproperlyConfigured("No Idempotency-Key store installed: is the `api` app in INSTALLED_APPS?")
    return _installed[0]


def _fingerprint(request: Request) -> str:
    """The request as a client would retry it: method, path and body, the body's keys in order."""
    body = orjson.dumps(request.data, option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.sha256(
        b"\n".join([(request.method or "").encode(), request.path.encode(), body])
    ).hexdigest()


def _checked_key(request: Request) -> tuple[str, KeyGrant] | None:
    value = request.headers.get(HEADER)
    if value is None:
        return None
    if not value.strip() or len(value) > MAX_KEY_LENGTH or not value.isprintable():
        raise ValidationError(
            {HEADER: [_("The Idempotency-Key must be 1 to %(max)d printable characters.") % {"max": 255}]}
        )
    grant = key_grant(request)
    if grant is None:
        raise ValidationError(
            {HEADER: [_("Idempotency-Key works with an API key only; send one in the Authorization header.")]}
        )
    return value, grant


def idempotent(request: Request, perform: Callable[[], Response]) -> Response:
    """Run `perform` (which creates something and answers 201) once per API key and Idempotency-Key."""
    checked = _checked_key(request)
    if checked is None:
        return perform()
    idempotency_key, grant = checked
    fingerprint = _fingerprint(request)
    store = _store()
    with transaction.atomic():
        stored = store.find_for_update(key_id=grant.key_id, idempotency_key=idempotency_key)
        if stored is not None:
            if stored.fingerprint != fingerprint:
                raise Conflict(
                    _("This Idempotency-Key was already used with a different request; use a new key."),
                    code="idempotency_conflict",
                )
            replay = Response(stored.body, status=stored.status)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = perform()
        if 200 <= response.status_code < 300:
            try:
                with transaction.atomic():
                    store.remember(
                        key_id=grant.key_id,
                        idempotency_key=idempotency_key,
                        fingerprint=fingerprint,
                        status=response.status_code,
                        body=response.data,
                    )
            except IntegrityError:
                # A concurrent request with the same key committed first; this one's work is undone.
                raise Conflict(
                    _("A request with this Idempotency-Key is being processed; retry it in a moment."),
                    code="idempotency_conflict",
                ) from None
        return response
