"""Writes of the badges app, one module per concept. Issuers, their keys and badge classes (`issuers`),
staff roles (`memberships`) and the check of the key secret (`key_secret`) are used everywhere and
re-exported here; endorsements are imported from their module. The audit log they write is the audit
app's (audit.services.audit_log)."""

from badges.keyring import BadgeKeySecretMismatchError
from badges.services.issuers import (
    ALIGNMENT_KEYS,
    MAX_ALIGNMENTS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_TAGS,
    BadgeImage,
    alignments_validate,
    badge_class_create,
    badge_class_update,
    badge_image_validate,
    issuer_create,
    issuer_update,
    signing_key_private_pem,
    signing_key_revoke,
    signing_key_rotate,
    tags_validate,
)
from badges.services.key_secret import key_secret_check
from badges.services.memberships import (
    issuer_member_add,
    issuer_member_change,
    issuer_member_check,
    issuer_member_remove,
)
from makeworks.lib.actors import Actor

__all__ = [
    "ALIGNMENT_KEYS",
    "MAX_ALIGNMENTS",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_TAGS",
    "Actor",
    "BadgeImage",
    "BadgeKeySecretMismatchError",
    "alignments_validate",
    "badge_class_create",
    "badge_class_update",
    "badge_image_validate",
    "issuer_create",
    "issuer_member_add",
    "issuer_member_change",
    "issuer_member_check",
    "issuer_member_remove",
    "issuer_update",
    "key_secret_check",
    "signing_key_private_pem",
    "signing_key_revoke",
    "signing_key_rotate",
    "tags_validate",
]
