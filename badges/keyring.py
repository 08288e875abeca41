"""The one place where the server secret BADGE_KEY_SECRET becomes keys: the key that encrypts the issuers'
private signing keys at rest, and the key of the recipient lookup digests that find a member's badges.
Nothing else reads the secret (a test holds the code base to it).

A wrong secret would not fail loudly by itself: hosted badges would be issued with lookup digests nobody
can match (the badges vanish from their earners' passports) and a rotation would store a new key under
the wrong secret, leaving the hub unable to sign once the right secret is back. So every derivation goes
through `_checked_secret`, which compares the secret's fingerprint with the one stored in the database
and raises BadgeKeySecretMismatchError, before anything is written, when they differ.

The fingerprint is recorded lazily, by the first derivation that finds none, rather than by a data
migration: a database emptied and migrated again (a restore, a test flush) needs one too, and recording
it where the secret is first used covers every path. A database that already holds signing keys records
the secret only if it opens the oldest of them, so a hub upgraded while running with a wrong secret does
not adopt it.
"""

import enum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from badges.models import KeySecretFingerprint, SigningKey
from badges.openbadges import recipient, signing

# Fingerprints this process has found equal to the stored one. The stored fingerprint never changes once
# written, so a match stays true and later derivations skip the query; a different secret (a changed
# setting) has another fingerprint and is checked afresh.
_matched: set[str] = set()


class BadgeKeySecretMismatchError(ValidationError):
    """BADGE_KEY_SECRET is not the secret this database's signing keys and lookups were made with.

    A ValidationError, so every form and command that shows a service's refusal shows this one too;
    badges.middleware answers 503 where nothing catches it, and the API answers 503 in its error shape."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Badges cannot be signed or issued right now: the server's BADGE_KEY_SECRET is not the "
                "secret this hub's signing keys were stored with. Nothing was changed. An administrator "
                "must restore the original BADGE_KEY_SECRET and restart the server."
            ),
            code="badge_key_secret_mismatch",
        )


class SecretState(enum.Enum):
    MATCHES = "matches"
    # Nothing recorded yet, and nothing stored that the secret fails to open: it is recorded on first use.
    UNRECORDED = "unrecorded"
    MISMATCH = "mismatch"


def _stored_fingerprint() -> str | None:
    return KeySecretFingerprint.objects.filter(pk=1).values_list("fingerprint", flat=True).first()


def _opens_stored_keys(secret: str) -> bool:
    """Whether `secret` decrypts the oldest signing key, if there is one: the key made before any secret
    could have been swapped by mistake."""
    oldest = SigningKey.objects.order_by("created_at", "pk").values_list("private_key_encrypted", flat=True)
    token = oldest.first()
    if token is None:
        return True
    try:
        signing.decrypt_private_key(bytes(token), secret)
    except signing.KeyDecryptionError:
        return False
    return True


def secret_state() -> SecretState:
    """How the configured secret compares with the stored fingerprint, without recording anything: for
    the start-up check and /healthz/."""
    secret = settings.BADGE_KEY_SECRET
    fingerprint = signing.secret_fingerprint(secret)
    if fingerprint in _matched:
        return SecretState.MATCHES
    stored = _stored_fingerprint()
    if stored is None:
        return SecretState.UNRECORDED if _opens_stored_keys(secret) else SecretState.MISMATCH
    if stored != fingerprint:
        return SecretState.MISMATCH
    _matched.add(fingerprint)
    return SecretState.MATCHES


def secret_fingerprint() -> str:
    """The configured secret's fingerprint (never the secret), for backups to say which secret they need."""
    return signing.secret_fingerprint(settings.BADGE_KEY_SECRET)


def _checked_secret() -> str:
    """The secret, once it is known to be the one the stored keys and lookups were made with; recorded
    here the first time. Raises BadgeKeySecretMismatchError otherwise. After the first match in a process
    it costs no query."""
    secret = settings.BADGE_KEY_SECRET
    fingerprint = signing.secret_fingerprint(secret)
    if fingerprint not in _matched:
        if _recorded_fingerprint(secret, fingerprint) != fingerprint:
            raise BadgeKeySecretMismatchError
        _matched.add(fingerprint)
    return secret


@transaction.atomic
def _recorded_fingerprint(secret: str, fingerprint: str) -> str | None:
    """The stored fingerprint, recording `fingerprint` if none is stored and `secret` opens the stored keys;
    None when nothing is stored and the secret cannot be the right one."""
    stored = _stored_fingerprint()
    if stored is not None:
        return stored
    if not _opens_stored_keys(secret):
        return None
    # Two processes recording at once: the row's fixed primary key lets one win; the other compares.
    row, _created = KeySecretFingerprint.objects.get_or_create(pk=1, defaults={"fingerprint": fingerprint})
    return row.fingerprint


def secret_fingerprint_checked() -> str:
    """The secret's fingerprint once the secret is checked (and recorded, if nothing was): for writes that
    carry keys or lookups made elsewhere, such as restoring a backup."""
    return signing.secret_fingerprint(_checked_secret())


def private_key_encrypt(private_pem: bytes) -> bytes:
    return signing.encrypt_private_key(private_pem, _checked_secret())


def private_key_decrypt(token: bytes) -> bytes:
    """Raises BadgeKeySecretMismatchError for a wrong secret, signing.KeyDecryptionError for a damaged key."""
    return signing.decrypt_private_key(token, _checked_secret())


def private_key_opens(token: bytes) -> bool:
    """Whether the configured secret decrypts this stored key."""
    try:
        private_key_decrypt(token)
    except signing.KeyDecryptionError:
        return False
    return True


def recipient_lookup(email: str) -> str:
    """The lookup digest of `email`, as stored on assertions and searched for a member's badges."""
    return recipient.lookup_key(email, _checked_secret())
