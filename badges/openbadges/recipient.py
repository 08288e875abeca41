"""Recipient identities: an e-mail address hashed with a salt, so a badge names its earner without
publishing the address (Open Badges IdentityObject with `hashed: true`)."""

import hashlib
import hmac
import secrets

# The hash algorithms the spec allows in an IdentityHash; we write sha256 and read both.
_ALGORITHMS = {"sha256": hashlib.sha256, "md5": hashlib.md5}


def _normalised(email: str) -> str:
    return email.strip().lower()


def new_salt() -> str:
    """A fresh salt for one assertion, so equal addresses never give equal hashes across badges."""
    return secrets.token_hex(16)


def hash_identity(email: str, salt: str) -> str:
    digest = hashlib.sha256((_normalised(email) + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def lookup_key(email: str, secret: str) -> str:
    """A keyed digest of `email` the same for every badge, so a member's badges are found by index. The
    salted identity stays the proof; this only narrows which assertions are worth checking. Keyed with a
    server secret, so the stored digests say nothing to someone holding the database alone."""
    if not secret:
        raise ValueError("An empty secret cannot key recipient lookups")
    key = hashlib.sha256(b"makeworks badges: recipient lookup, v1\x00" + secret.encode("utf-8")).digest()
    return hmac.new(key, _normalised(email).encode("utf-8"), hashlib.sha256).hexdigest()


def identity_matches(identity: str, salt: str, email: str) -> bool:
    """Whether `email` is the address behind `identity` (hashed as `algorithm$hex`, or plain text)."""
    algorithm, separator, expected = identity.partition("$")
    hasher = _ALGORITHMS.get(algorithm.lower()) if separator else None
    if hasher is None:
        return hmac.compare_digest(_normalised(identity).encode(), _normalised(email).encode())
    actual = hasher((_normalised(email) + salt).encode("utf-8")).hexdigest()
    return hmac.compare_digest(actual.encode(), expected.strip().lower().encode())
