"""Reads of API keys."""

import hashlib
import hmac
import re

from api.keys.models import APIKey

KEY_PATTERN = re.compile(r"^(mw_live_[0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_for_token(token: str) -> APIKey | None:
    """The key a presented token names, whatever its state, or None when no key has that token."""
    match = KEY_PATTERN.match(token)
    if match is None:
        return None
    prefix, secret = match.groups()
    # get() rather than first(): the prefix is unique, and first() would order by the keys' default
    # ordering on every request the API answers.
    try:
        key = APIKey.objects.select_related("created_by").get(prefix=prefix)
    except APIKey.DoesNotExist:
        return None
    if not hmac.compare_digest(key.secret_hash, secret_hash(secret)):
        return None
    return key
