"""Writes to the badges app: issuers, their signing keys and badge classes. Each function runs in one
transaction and checks its input, raising ValidationError with a message a person can act on."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from badges.models import BadgeClass, Issuer, SigningKey, SigningKeyStatus
from badges.openbadges import signing
from badges.openbadges.documents import AlignmentData
from badges.openbadges.svg import UnsafeSvg, sanitize_svg
from directory.models import Listing
from makeworks.lib.text import fold

# Badge images are small drawings; a larger upload is a mistake, not a badge.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4096 * 4096
MAX_TAGS = 30
MAX_ALIGNMENTS = 50
ALIGNMENT_KEYS = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode")

_http_url = URLValidator(schemes=["http", "https"])


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
        with Image.open(upload) as image:
            if image.format != "PNG":
                raise ValidationError(
                    _(
                        "Badge images must be PNG or SVG (this one is %(format)s), "
                        "so that badges can be baked into them."
                    ),
                    code="bad_format",
                    params={"format": image.format or _("unknown")},
                )
            # The size comes from the header before any pixel is decoded, so a decompression bomb stops here.
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The badge image has more than 4096 × 4096 pixels."), code="too_many_pixels"
                )
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a PNG or SVG image we can read."), code="not_an_image"
        ) from None
    finally:
        upload.seek(0)
    return BadgeImage(content, "png")


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
        private_key_encrypted=signing.encrypt_private_key(private_pem, settings.BADGE_KEY_SECRET),
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
) -> Issuer:
    """A hub's issuer profile with its first signing key, ready to sign and host badges."""
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
    return issuer


@transaction.atomic
def issuer_update(
    *,
    issuer: Issuer,
    name: str,
    url: str,
    email: str,
    description: str = "",
    image: UploadedFile | None = None,
) -> Issuer:
    """Change what the issuer profile says; its slug, and so its id, never changes."""
    issuer.name = name.strip()
    issuer.url = _http_url_checked(url, field=_("The issuer's web address"))
    issuer.email = email.strip()
    issuer.description = description.strip()
    issuer.full_clean()
    _issuer_image_save(issuer=issuer, image=image)
    issuer.save()
    return issuer


@transaction.atomic
def signing_key_rotate(*, issuer: Issuer) -> SigningKey:
    """A new active key for `issuer`; the previous one is retired and keeps verifying what it signed."""
    # Locking the issuer row makes two rotations at once run one after the other.
    Issuer.objects.select_for_update().get(pk=issuer.pk)
    SigningKey.objects.filter(issuer=issuer, status=SigningKeyStatus.ACTIVE).update(
        status=SigningKeyStatus.RETIRED
    )
    return _signing_key_new(issuer=issuer)


@transaction.atomic
def signing_key_revoke(*, key: SigningKey) -> SigningKey:
    """Stop trusting a (compromised) key. Revoking the active key also makes a new active one, so the
    issuer can keep signing; badges the revoked key signed no longer verify."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.status == SigningKeyStatus.REVOKED:
        raise ValidationError(_("This signing key is already revoked."), code="already_revoked")
    was_active = key.status == SigningKeyStatus.ACTIVE
    key.status = SigningKeyStatus.REVOKED
    key.revoked_at = timezone.now()
    key.save(update_fields=["status", "revoked_at"])
    if was_active:
        _signing_key_new(issuer=key.issuer)
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
        return signing.decrypt_private_key(bytes(key.private_key_encrypted), settings.BADGE_KEY_SECRET)
    except signing.KeyDecryptionError as error:
        raise ValidationError(str(error), code="undecryptable_key") from None


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
) -> BadgeClass:
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
    checked_image = badge_image_validate(image)
    badge_class = BadgeClass(
        issuer=issuer,
        name=name.strip(),
        description=description.strip(),
        criteria_narrative=criteria_narrative.strip(),
        criteria_url=_http_url_checked(criteria_url, field=_("The criteria web address"))
        if criteria_url.strip()
        else "",
        alignments=alignments_validate(alignments),
        tags=tags_validate(tags),
        valid_days=valid_days,
    )
    # Everything is checked before the image is written, so a refused badge class leaves no file behind.
    badge_class.full_clean(exclude=["image"])
    badge_class.image.save(
        f"{badge_class.public_id}.{checked_image.extension}", ContentFile(checked_image.content), save=False
    )
    badge_class.save()
    return badge_class
