"""Sealed values: small data a link carries that only this site can read and nobody can alter.

Django's signed values stop forgery but anyone can read them; a sealed one is encrypted as well (Fernet:
AES-128-CBC and HMAC-SHA256), for links that must carry something private, such as an e-mail address,
past access logs and browser histories. The key is derived from SECRET_KEY with HKDF, one per purpose,
so a value sealed for one purpose is refused by every other; values sealed under a key in
SECRET_KEY_FALLBACKS still open, so rotating SECRET_KEY breaks no link already sent.
"""

import base64
import binascii
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=16)
def _fernet(secret: str, purpose: str) -> Fernet:
    info = f"makeworks sealed values: {purpose}".encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret, purpose) for secret in secrets])


def seal(data: dict[str, Any], *, purpose: str) -> str:
    """`data` (JSON) encrypted and authenticated for `purpose`, as URL-safe text without padding."""
    token = _keys(purpose).encrypt(json.dumps(data, separators=(",", ":")).encode("utf-8"))
    return token.decode("ascii").rstrip("=")


def unseal(token: str, *, purpose: str) -> dict[str, Any] | None:
    """What `seal` was given, or None for a value altered, cut, sealed for another purpose or under a
    key this site no longer has."""
    padded = token + "=" * (-len(token) % 4)
    try:
        data = json.loads(_keys(purpose).decrypt(padded.encode("ascii")))
    except (InvalidToken, UnicodeError, ValueError, binascii.Error):
        return None
    return data if isinstance(data, dict) else None
