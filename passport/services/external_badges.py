"""Badges from other issuers on a member's passport: added only once they verify, checked again on a
schedule and flagged when their issuer revokes them or they expire.

Verifying may fetch documents from other servers, so it runs before any transaction opens; only the
write that follows is atomic.
"""

import io
import secrets
from datetime import UTC, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.openbadges.baking import BakingError, bake_png, bake_svg, unbake_png, unbake_svg
from badges.openbadges.recipient import identity_matches
from badges.openbadges.svg import UnsafeSvg, sanitize_svg
from badges.services.issuers import BADGE_IMAGE
from makeworks.lib.images import image_intake
from passport import selectors
from passport.models import ExternalBadge, ExternalSource, ExternalState, Passport, Visibility
from passport.services.passports import files_delete_on_commit
from passport.verification import (
    MAX_TEXT_LENGTH,
    PNG_SIGNATURE,
    Fetcher,
    VerificationReport,
    badge_verify,
    default_fetcher,
)

# As the verifier page limits uploads.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
# External badges re-verified per task, so one slow issuer delays only its own chunk.
REVERIFY_CHUNK = 50

# What each check of the verification report is about, in words for someone who is not an expert.
CHECK_LABELS = {
    "input": gettext_lazy("What you gave"),
    "assertion": gettext_lazy("The badge"),
    "badge_class": gettext_lazy("The badge's description"),
    "issuer": gettext_lazy("The issuer's profile"),
    "hosted_origin": gettext_lazy("Where the badge is kept"),
    "key": gettext_lazy("The issuer's signing key"),
    "key_owner": gettext_lazy("Who owns the signing key"),
    "signature": gettext_lazy("The signature"),
    "revocation": gettext_lazy("Revocation"),
    "expiry": gettext_lazy("Expiry"),
    "recipient": gettext_lazy("Who it was awarded to"),
}


def failure_lines(report: VerificationReport) -> list[str]:
    return [f"{CHECK_LABELS.get(check.name, check.name)}: {check.detail}" for check in report.failures]


def _refusal(report: VerificationReport) -> ValidationError:
    lines = failure_lines(report)
    return ValidationError([_("This badge was not added because it did not pass verification."), *lines])


def _awarded_to(report: VerificationReport, emails: list[str]) -> bool:
    recipient = (report.assertion or {}).get("recipient") or {}
    if not isinstance(recipient, dict) or str(recipient.get("type", "email")).lower() != "email":
        return False
    identity, salt = str(recipient.get("identity", "")), str(recipient.get("salt", "") or "")
    if recipient.get("hashed"):
        return any(identity_matches(identity, salt, email) for email in emails)
    return identity.strip().lower() in {email.strip().lower() for email in emails}


def _skills(badge_class: dict[str, Any]) -> str:
    alignments = badge_class.get("alignment") or []
    lines = {
        selectors.skill_line(str(alignment.get(key, "")))
        for alignment in (alignments if isinstance(alignments, list) else [alignments])
        if isinstance(alignment, dict)
        for key in ("targetName", "targetCode", "targetUrl")
        if str(alignment.get(key, "")).strip()
    }
    return "".join(sorted(lines))


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _baked_text(image: bytes) -> str:
    """What a baked image carries (its JWS, for a signed badge); only called once it verified."""
    if image.startswith(PNG_SIGNATURE):
        return unbake_png(image) or ""
    return unbake_svg(image.decode("utf-8")) or ""


def _stored_image(image: bytes, baked: str) -> "ContentFile[bytes] | None":
    """The given baked badge as it is kept: a PNG re-encoded by the one image intake (no EXIF, text
    chunks or appended data) and baked again with what it carried; an SVG only once sanitize_svg passes
    it, baked again too. None for an SVG that does not pass: the badge itself is kept, not the file."""
    if image.startswith(PNG_SIGNATURE):
        clean = image_intake(io.BytesIO(image), what=_("The badge image"), limits=BADGE_IMAGE)
        return ContentFile(bake_png(clean.content, baked), name=clean.name)
    try:
        svg = bake_svg(sanitize_svg(image), baked)
    except (UnsafeSvg, BakingError):
        return None
    return ContentFile(svg.encode("utf-8"), name=f"{secrets.token_hex(8)}.svg")


def _read_upload(image: UploadedFile) -> bytes:
    if image.size is not None and image.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."), code="too_large")
    data = image.read(MAX_IMAGE_BYTES + 1)
    image.seek(0)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."), code="too_large")
    return data


def external_badge_add(
    *,
    passport: Passport,
    url: str = "",
    jws: str = "",
    image: UploadedFile | None = None,
    fetcher: Fetcher = default_fetcher,
    now: datetime | None = None,
) -> ExternalBadge:
    """Verify a badge given as an assertion URL, a JWS or a baked image, and add it to the passport
    (private until the member shows it). Refused, with every failed check in words, unless it verifies
    and was awarded to one of the member's verified addresses; a badge of this platform is refused as
    one the passport already shows on its own."""
    url, jws = url.strip(), jws.strip()
    given = [bool(url), bool(jws), image is not None]
    if sum(given) != 1:
        raise ValidationError(_("Give one of: the badge's URL, its signed JWS or its baked image."))
    if len(jws) > MAX_TEXT_LENGTH:
        raise ValidationError(_("This JWS is too long to be a badge."))
    image_bytes = _read_upload(image) if image is not None else b""
    report = badge_verify(url=url, jws=jws, image=image_bytes, fetcher=fetcher, now=now)
    if not report.valid:
        raise _refusal(report)
    assert report.assertion is not None
    assertion_id = str(report.assertion.get("id", ""))
    emails = list(
        EmailAddress.objects.filter(user_id=passport.user_id, verified=True).values_list("email", flat=True)
    )
    platform = selectors.assertion_from_url(assertion_id) if assertion_id else None
    if platform is not None:
        if selectors.member_assertions(passport.user).filter(pk=platform.pk).exists():
            raise ValidationError(
                _(
                    "This badge was issued on this platform to one of your addresses: your passport "
                    "already lists it, so choose who sees it there."
                ),
                code="platform",
            )
        raise ValidationError(
            _(
                "This badge was issued on this platform to an address that is not one of your verified "
                "e-mail addresses. Add and verify that address in your account and it will appear."
            ),
            code="platform_other",
        )
    if not _awarded_to(report, emails):
        raise ValidationError(
            _(
                "This badge verified, but it was awarded to an e-mail address that is not one of your "
                "verified addresses. Add and verify that address in your account first."
            ),
            code="recipient",
        )
    expires = _moment(report.assertion.get("expires"))
    with transaction.atomic():
        if ExternalBadge.objects.filter(passport=passport, assertion_url=assertion_id).exists():
            raise ValidationError(_("This badge is already on your passport."), code="duplicate")
        badge = ExternalBadge(
            passport=passport,
            source=ExternalSource.URL if url else ExternalSource.JWS if jws else ExternalSource.IMAGE,
            source_url=url,
            source_jws=jws,
            verification_type=report.verification_type,
            assertion_url=assertion_id,
            # The JWS that verified (given, baked in the image or served at the URL) is what is checked
            # again later.
            signed_jws=report.jws,
            assertion_json=report.assertion,
            badge_class_json=report.badge_class or {},
            issuer_json=report.issuer or {},
            skills=_skills(report.badge_class or {}),
            expires=expires,
            state=ExternalState.VERIFIED,
            checked_at=now or timezone.now(),
            visibility=Visibility.PRIVATE,
        )
        kept = _stored_image(image_bytes, _baked_text(image_bytes)) if image is not None else None
        if kept is not None:
            badge.source_image.save(str(kept.name), kept, save=False)
            stored = badge.source_image
            try:
                badge.save()
            except Exception:
                stored.storage.delete(str(stored.name))
                raise
        else:
            badge.save()
    return badge


def state_from(report: VerificationReport) -> tuple[str, str]:
    """(state, reason) of a badge as a fresh report finds it."""
    if report.valid:
        return ExternalState.VERIFIED, ""
    revocation, expiry = report.check("revocation"), report.check("expiry")
    if revocation is not None and revocation.passed is False:
        return ExternalState.REVOKED, revocation.detail
    if expiry is not None and expiry.passed is False:
        return ExternalState.EXPIRED, expiry.detail
    return ExternalState.FAILED, "; ".join(failure_lines(report))


def external_badge_reverify(
    *, external_badge_id: int, fetcher: Fetcher = default_fetcher, now: datetime | None = None
) -> ExternalBadge | None:
    """Check one badge again and record what was found; None when it was removed meanwhile. Running it
    twice records the same state, so a retried task does no harm."""
    badge = ExternalBadge.objects.filter(pk=external_badge_id).first()
    if badge is None:
        return None
    # A signed badge is checked from its JWS, a hosted one from its URL, as a verifier would.
    if badge.signed_jws:
        report = badge_verify(jws=badge.signed_jws, fetcher=fetcher, now=now)
    else:
        report = badge_verify(url=badge.assertion_url, fetcher=fetcher, now=now)
    state, reason = state_from(report)
    with transaction.atomic():
        locked = ExternalBadge.objects.select_for_update().filter(pk=external_badge_id).first()
        if locked is None:
            return None
        locked.state, locked.state_reason = state, reason
        locked.checked_at = now or timezone.now()
        fields = ["state", "state_reason", "checked_at"]
        if report.valid and report.assertion is not None:
            locked.assertion_json = report.assertion
            locked.badge_class_json = report.badge_class or locked.badge_class_json
            locked.issuer_json = report.issuer or locked.issuer_json
            locked.skills = _skills(locked.badge_class_json)
            locked.expires = _moment(report.assertion.get("expires"))
            fields += ["assertion_json", "badge_class_json", "issuer_json", "skills", "expires"]
        locked.save(update_fields=fields)
    return locked


@transaction.atomic
def external_badge_show(*, badge: ExternalBadge, visibility: str) -> ExternalBadge:
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who can see this badge."))
    badge.visibility = visibility
    badge.save(update_fields=["visibility"])
    return badge


@transaction.atomic
def external_badge_remove(*, badge: ExternalBadge) -> None:
    image = badge.source_image
    badge.delete()
    files_delete_on_commit([image])
