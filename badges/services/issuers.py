"""Writes to the badges app: issuers, their signing keys, badge classes, who works on each issuer and
the issuer's audit log. Each function runs in one transaction and checks its input, raising
ValidationError with a message a person can act on. Whether the person asking may do it at all is
badges.permissions' question, asked by the views before they call these."""

import io
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_log
from badges import keyring
from badges.models import (
    AuditAction,
    BadgeClass,
    Issuer,
    IssuerRole,
    SigningKey,
    SigningKeyStatus,
)
from badges.openbadges import signing
from badges.openbadges.documents import AlignmentData
from badges.openbadges.svg import UnsafeSvg, sanitize_svg
from badges.permissions import has_two_factor
from badges.services.memberships import issuer_member_add
from directory.models import Listing
from makeworks.lib.actors import Actor
from makeworks.lib.images import Limits, image_intake
from makeworks.lib.text import fold

# Badge images are small drawings; a larger upload is a mistake, not a badge.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4096 * 4096
BADGE_IMAGE = Limits(
    max_bytes=MAX_IMAGE_BYTES,
    max_pixels=MAX_IMAGE_PIXELS,
    max_side=None,
    max_output_bytes=MAX_IMAGE_BYTES,
    formats=MappingProxyType({"PNG": "PNG"}),
)
MAX_TAGS = 30
MAX_ALIGNMENTS = 50
ALIGNMENT_KEYS = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode")

_http_url = URLValidator(schemes=["http", "https"])

# Who made a change: a person (the request's user, signed in or not) or None for the system itself.


@dataclass(frozen=True)
class BadgeImage:
    """A checked badge image: its bytes as they will be stored, and the file extension saying which kind."""

    content: bytes
    extension: str


def _looks_like_svg(name: str, head: bytes) -> bool:
    return name.lower().endswith(".svg") or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def badge_image_validate(upload: UploadedFile) -> BadgeImage:
    """A PNG checked with Pillow, or an SVG checked by sanitize_svg; anything else is refused.

    Open Badges images must be PNG or SVG, the two formats a badge can be baked into.
    """
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The badge image is larger than 2 MB."), code="too_large")
    upload.seek(0)
    content = upload.read(MAX_IMAGE_BYTES + 1)
    upload.seek(0)
    if len(content) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The badge image is larger than 2 MB."), code="too_large")
    if not content:
        raise ValidationError(_("The badge image is empty."), code="empty")
    if _looks_like_svg(upload.name or "", content[:512]):
        try:
            return BadgeImage(sanitize_svg(content).encode("utf-8"), "svg")
        except UnsafeSvg as error:
            raise ValidationError(
                _("This SVG cannot be a badge image: %(reason)s"), code="unsafe_svg", params={"reason": error}
            ) from None
    try:
        # Re-encoded, as every raster upload is: no EXIF, text chunks or appended data reach a badge.
        clean = image_intake(io.BytesIO(content), what=_("The badge image"), limits=BADGE_IMAGE)
    except ValidationError as error:
        if error.code == "not_an_image":
            raise ValidationError(
                _("This file is not a PNG or SVG image we can read."), code="not_an_image"
            ) from None
        if error.code != "bad_format":
            raise
        raise ValidationError(
            _(
                "Badge images must be PNG or SVG (this one is %(format)s), "
                "so that badges can be baked into them."
            ),
            code="bad_format",
            params={"format": (error.params or {}).get("format") or _("unknown")},
        ) from None
    return BadgeImage(clean.content, "png")


def _http_url_checked(value: str, *, field: str) -> str:
    value = value.strip()
    try:
        _http_url(value)
    except ValidationError:
        raise ValidationError(
            _("%(field)s must be a full web address starting with http:// or https://, got “%(value)s”."),
            code="bad_url",
            params={"field": field, "value": value[:200]},
        ) from None
    return value


def alignments_validate(alignments: Iterable[Mapping[str, str] | AlignmentData]) -> list[dict[str, str]]:
    """Alignments as stored: each has a targetName and an http(s) targetUrl, as the spec requires."""
    checked: list[dict[str, str]] = []
    for position, alignment in enumerate(alignments, start=1):
        if isinstance(alignment, AlignmentData):
            item = {
                "targetName": alignment.target_name,
                "targetUrl": alignment.target_url,
                "targetDescription": alignment.target_description,
                "targetFramework": alignment.target_framework,
                "targetCode": alignment.target_code,
            }
        elif isinstance(alignment, Mapping):
            item = dict(alignment)
        else:
            raise ValidationError(
                _("Alignment %(position)d must be an object with targetName and targetUrl."),
                code="bad_alignment",
                params={"position": position},
            )
        unknown = sorted(set(item) - set(ALIGNMENT_KEYS))
        if unknown:
            raise ValidationError(
                _("Alignment %(position)d has unknown fields: %(fields)s. Allowed: %(allowed)s."),
                code="bad_alignment",
                params={
                    "position": position,
                    "fields": ", ".join(unknown),
                    "allowed": ", ".join(ALIGNMENT_KEYS),
                },
            )
        if any(not isinstance(value, str) for value in item.values()):
            raise ValidationError(
                _("Alignment %(position)d: every field must be text."),
                code="bad_alignment",
                params={"position": position},
            )
        cleaned = {key: item.get(key, "").strip() for key in ALIGNMENT_KEYS}
        if not cleaned["targetName"]:
            raise ValidationError(
                _("Alignment %(position)d needs a targetName."),
                code="bad_alignment",
                params={"position": position},
            )
        cleaned["targetUrl"] = _http_url_checked(
            cleaned["targetUrl"], field=_("The targetUrl of alignment %(position)d") % {"position": position}
        )
        checked.append({key: value for key, value in cleaned.items() if value})
    if len(checked) > MAX_ALIGNMENTS:
        raise ValidationError(
            _("A badge class may have at most %(count)d alignments."),
            code="too_many",
            params={"count": MAX_ALIGNMENTS},
        )
    return checked


def tags_validate(tags: Iterable[str]) -> list[str]:
    """Tags as stored: trimmed, without blanks or repeats, in the order given."""
    checked: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValidationError(_("Tags must be text."), code="bad_tag")
        tag = tag.strip()
        if len(tag) > 100:
            raise ValidationError(_("A tag may have at most 100 characters."), code="bad_tag")
        if tag and tag not in checked:
            checked.append(tag)
    if len(checked) > MAX_TAGS:
        raise ValidationError(
            _("A badge class may have at most %(count)d tags."), code="too_many", params={"count": MAX_TAGS}
        )
    return checked


def _issuer_slug(text: str) -> str:
    base = slugify(fold(text))[:200] or "issuer"
    slug, n = base, 1
    while Issuer.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _signing_key_new(*, issuer: Issuer) -> SigningKey:
    private_pem = signing.generate_private_key_pem()
    key = SigningKey(
        issuer=issuer,
        public_key_pem=signing.public_key_pem(private_pem),
        private_key_encrypted=keyring.private_key_encrypt(private_pem),
        status=SigningKeyStatus.ACTIVE,
    )
    key.full_clean()
    key.save()
    return key


def _issuer_image_save(*, issuer: Issuer, image: UploadedFile | None) -> None:
    if image is None:
        return
    checked = badge_image_validate(image)
    issuer.image.save(f"{issuer.slug}.{checked.extension}", ContentFile(checked.content), save=False)


@transaction.atomic
def issuer_create(
    *,
    listing: Listing,
    name: str,
    url: str,
    email: str,
    description: str = "",
    image: UploadedFile | None = None,
    owner: User | None = None,
) -> Issuer:
    """A hub's issuer profile with its first signing key, ready to sign and host badges; `owner`, the
    person creating it, becomes its first owner."""
    if Issuer.objects.filter(listing=listing).exists():
        raise ValidationError(
            _("%(listing)s already has a badge issuer."), code="duplicate", params={"listing": listing.name}
        )
    issuer = Issuer(
        listing=listing,
        name=name.strip(),
        url=_http_url_checked(url, field=_("The issuer's web address")),
        email=email.strip(),
        description=description.strip(),
        slug=_issuer_slug(listing.slug or name),
    )
    issuer.full_clean()
    _issuer_image_save(issuer=issuer, image=image)
    issuer.save()
    _signing_key_new(issuer=issuer)
    if owner is not None:
        issuer_member_add(issuer=issuer, user=owner, role=IssuerRole.OWNER, actor=owner)
    return issuer


def _issuer_state(issuer: Issuer) -> dict[str, Any]:
    return {
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "image": issuer.image.name or "",
        "require_two_factor": issuer.require_two_factor,
    }


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (before, after)."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


@transaction.atomic
def issuer_update(
    *,
    issuer: Issuer,
    name: str,
    url: str,
    email: str,
    description: str = "",
    image: UploadedFile | None = None,
    require_two_factor: bool | None = None,
    actor: Actor = None,
) -> Issuer:
    """Change what the issuer profile says, and whether its staff must use two-factor authentication
    (None: leave it as it is); its slug, and so its id, never changes. The changed fields are written to
    the audit log with their values before and after; a save that changes nothing records nothing.

    A person may only require two-factor authentication once they use it themselves, or the hub's
    console would shut them out the moment they saved."""
    issuer = Issuer.objects.select_for_update().get(pk=issuer.pk)
    before = _issuer_state(issuer)
    issuer.name = name.strip()
    issuer.url = _http_url_checked(url, field=_("The issuer's web address"))
    issuer.email = email.strip()
    issuer.description = description.strip()
    if require_two_factor is not None:
        turning_on = require_two_factor and not issuer.require_two_factor
        if turning_on and isinstance(actor, User) and not has_two_factor(actor):
            raise ValidationError(
                {
                    "require_two_factor": _(
                        "Set up two-factor authentication for your own account before requiring it of "
                        "everyone working on this hub's badges."
                    )
                },
                code="two_factor_first",
            )
        issuer.require_two_factor = require_two_factor
    issuer.full_clean()
    _issuer_image_save(issuer=issuer, image=image)
    issuer.save()
    changed_before, changed_after = _changes(before, _issuer_state(issuer))
    if changed_after:
        audit_log(
            actor=actor,
            action=AuditAction.ISSUER_UPDATED,
            obj=issuer,
            scope=issuer,
            data={"before": changed_before, "after": changed_after},
        )
    return issuer


@transaction.atomic
def signing_key_rotate(*, issuer: Issuer, actor: Actor = None) -> SigningKey:
    """A new active key for `issuer`; the previous one is retired and keeps verifying what it signed."""
    # Locking the issuer row makes two rotations at once run one after the other.
    Issuer.objects.select_for_update().get(pk=issuer.pk)
    active = SigningKey.objects.filter(issuer=issuer, status=SigningKeyStatus.ACTIVE)
    retired_id = active.values_list("public_id", flat=True).first()
    active.update(status=SigningKeyStatus.RETIRED)
    key = _signing_key_new(issuer=issuer)
    audit_log(
        actor=actor,
        action=AuditAction.SIGNING_KEY_ROTATED,
        obj=key,
        scope=issuer,
        data={
            "before": {"active_key": retired_id},
            "after": {"active_key": key.public_id, "retired_key": retired_id},
        },
    )
    return key


@transaction.atomic
def signing_key_revoke(*, key: SigningKey, actor: Actor = None) -> SigningKey:
    """Stop trusting a (compromised) key. Revoking the active key also makes a new active one, so the
    issuer can keep signing; badges the revoked key signed no longer verify."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.status == SigningKeyStatus.REVOKED:
        raise ValidationError(_("This signing key is already revoked."), code="already_revoked")
    status_before = key.status
    key.status = SigningKeyStatus.REVOKED
    key.revoked_at = timezone.now()
    key.save(update_fields=["status", "revoked_at"])
    after: dict[str, Any] = {"status": key.status}
    if status_before == SigningKeyStatus.ACTIVE:
        after["active_key"] = _signing_key_new(issuer=key.issuer).public_id
    audit_log(
        actor=actor,
        action=AuditAction.SIGNING_KEY_REVOKED,
        obj=key,
        scope=key.issuer,
        data={"before": {"status": status_before}, "after": after},
    )
    return key


def signing_key_private_pem(*, key: SigningKey) -> bytes:
    """The decrypted private key, for signing a new badge; only the issuer's active key may sign."""
    if key.status == SigningKeyStatus.REVOKED:
        raise ValidationError(
            _("This signing key was revoked and can no longer sign badges."), code="revoked_key"
        )
    if key.status != SigningKeyStatus.ACTIVE:
        raise ValidationError(
            _("This signing key is retired: it still verifies old badges but signs no new ones."),
            code="retired_key",
        )
    try:
        return keyring.private_key_decrypt(bytes(key.private_key_encrypted))
    except signing.KeyDecryptionError as error:
        raise ValidationError(str(error), code="undecryptable_key") from None


def _badge_class_state(badge_class: BadgeClass) -> dict[str, Any]:
    return {
        "name": badge_class.name,
        "description": badge_class.description,
        "image": badge_class.image.name or "",
        "criteria_narrative": badge_class.criteria_narrative,
        "criteria_url": badge_class.criteria_url,
        "alignments": badge_class.alignments,
        "tags": badge_class.tags,
        "valid_days": badge_class.valid_days,
    }


def _badge_class_fields_checked(
    *,
    criteria_narrative: str,
    criteria_url: str,
    alignments: Iterable[Mapping[str, str] | AlignmentData],
    tags: Iterable[str],
    valid_days: int | None,
) -> dict[str, Any]:
    """The fields a badge class is created or changed with, checked and as stored."""
    if not criteria_narrative.strip() and not criteria_url.strip():
        raise ValidationError(
            _(
                "Say how to earn the badge: write the criteria, give the address of a page that "
                "describes them, or both."
            ),
            code="no_criteria",
        )
    if valid_days is not None and valid_days < 1:
        raise ValidationError(
            _("The validity period must be at least one day, or empty for badges that never expire."),
            code="bad_valid_days",
        )
    return {
        "criteria_narrative": criteria_narrative.strip(),
        "criteria_url": _http_url_checked(criteria_url, field=_("The criteria web address"))
        if criteria_url.strip()
        else "",
        "alignments": alignments_validate(alignments),
        "tags": tags_validate(tags),
        "valid_days": valid_days,
    }


@transaction.atomic
def badge_class_create(
    *,
    issuer: Issuer,
    name: str,
    description: str,
    image: UploadedFile,
    criteria_narrative: str = "",
    criteria_url: str = "",
    alignments: Iterable[Mapping[str, str] | AlignmentData] = (),
    tags: Iterable[str] = (),
    valid_days: int | None = None,
    actor: Actor = None,
) -> BadgeClass:
    fields = _badge_class_fields_checked(
        criteria_narrative=criteria_narrative,
        criteria_url=criteria_url,
        alignments=alignments,
        tags=tags,
        valid_days=valid_days,
    )
    checked_image = badge_image_validate(image)
    badge_class = BadgeClass(issuer=issuer, name=name.strip(), description=description.strip(), **fields)
    # Everything is checked before the image is written, so a refused badge class leaves no file behind.
    badge_class.full_clean(exclude=["image"])
    badge_class.image.save(
        f"{badge_class.public_id}.{checked_image.extension}", ContentFile(checked_image.content), save=False
    )
    badge_class.save()
    audit_log(
        actor=actor,
        action=AuditAction.BADGE_CLASS_CREATED,
        obj=badge_class,
        scope=issuer,
        data={"after": _badge_class_state(badge_class)},
    )
    return badge_class


@transaction.atomic
def badge_class_update(
    *,
    badge_class: BadgeClass,
    name: str,
    description: str,
    image: UploadedFile | None = None,
    criteria_narrative: str = "",
    criteria_url: str = "",
    alignments: Iterable[Mapping[str, str] | AlignmentData] = (),
    tags: Iterable[str] = (),
    valid_days: int | None = None,
    actor: Actor = None,
) -> BadgeClass:
    """Change a badge class; `image` None keeps the current picture. Badges already awarded point at the
    class's public URL, so they show the change: it is for corrections, not for a different achievement.
    The changed fields go to the audit log with their values before and after."""
    current = BadgeClass.objects.select_for_update().select_related("issuer").get(pk=badge_class.pk)
    before = _badge_class_state(current)
    fields = _badge_class_fields_checked(
        criteria_narrative=criteria_narrative,
        criteria_url=criteria_url,
        alignments=alignments,
        tags=tags,
        valid_days=valid_days,
    )
    checked_image = badge_image_validate(image) if image is not None else None
    current.name = name.strip()
    current.description = description.strip()
    for field, value in fields.items():
        setattr(current, field, value)
    current.full_clean(exclude=["image"])
    if checked_image is not None:
        # A new file name, so caches and baked copies of the old picture are never confused with it.
        current.image.save(
            f"{current.public_id}-{secrets.token_hex(4)}.{checked_image.extension}",
            ContentFile(checked_image.content),
            save=False,
        )
    current.save()
    changed_before, changed_after = _changes(before, _badge_class_state(current))
    if changed_after:
        audit_log(
            actor=actor,
            action=AuditAction.BADGE_CLASS_UPDATED,
            obj=current,
            scope=current.issuer,
            data={"before": changed_before, "after": changed_after},
        )
    return current
