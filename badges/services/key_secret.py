"""Adopting another BADGE_KEY_SECRET once the one the keys were stored with is lost for good. Without
this, the check in badges.keyring would refuse every key operation forever."""

from django.db import transaction

from badges import keyring
from badges.models import Issuer, KeySecretFingerprint, SigningKey, SigningKeyStatus
from badges.services.issuers import signing_key_rotate


def key_secret_check() -> str:
    """Raise BadgeKeySecretMismatchError unless the configured BADGE_KEY_SECRET is the one this database's
    keys and lookups were made with (recording it, if none is recorded yet); its fingerprint otherwise. For
    writes that carry keys or lookups made elsewhere, such as restoring a backup."""
    return keyring.secret_fingerprint_checked()


@transaction.atomic
def key_secret_replace() -> list[Issuer]:
    """Record the configured BADGE_KEY_SECRET as this database's, and give every issuer whose active key
    it cannot open a new active key (audited as a rotation). The old keys are retired, not revoked: their
    public halves still verify every badge they signed. Badges awarded before keep lookup digests made with
    the lost secret, so they no longer appear in their earners' passports; that cannot be undone without
    the old secret. Returns the issuers that got a new key."""
    KeySecretFingerprint.objects.update_or_create(
        pk=1, defaults={"fingerprint": keyring.secret_fingerprint()}
    )
    rotated = []
    active = SigningKey.objects.filter(status=SigningKeyStatus.ACTIVE).select_related("issuer").order_by("pk")
    for key in active:
        if not keyring.private_key_opens(bytes(key.private_key_encrypted)):
            signing_key_rotate(issuer=key.issuer, actor=None)
            rotated.append(key.issuer)
    return rotated
