"""Awarding badges to makers: issuing and revoking assertions, baking them into images and e-mailing them.

Issuing records the assertion (signing it with the issuer's active key when asked) and queues two tasks
for when the row is committed: one bakes the assertion into the badge image, the other e-mails the
earner. Both lock the row and check what was already done, so a retried or duplicated task neither bakes
nor sends twice; the e-mail bakes first if the bake has not run yet, so it always carries the image.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from badges.models import BadgeClass, SigningKey, SigningKeyStatus
from badges.openbadges import baking, documents, recipient, signing
from badges.services import signing_key_private_pem
from passport import selectors
from passport.models import Assertion, VerificationType, new_public_id
from passport.selectors import ImageFormat

MAX_REASON_LENGTH = 1000
BATCH_SIZE = 1000
# Ids per baking or e-mail task of a batch: one task each would queue thousands of messages.
TASK_CHUNK = 200
IMAGE_CONTENT_TYPES = {ImageFormat.PNG: "image/png", ImageFormat.SVG: "image/svg+xml"}


@dataclass(frozen=True)
class Award:
    """Who gets a badge, and the evidence for it; the rest of an assertion comes from its batch."""

    recipient_email: str
    recipient_name: str = ""
    evidence_url: str = ""
    evidence_narrative: str = ""
    narrative: str = ""


@transaction.atomic
def assertion_issue(
    *,
    badge_class: BadgeClass,
    recipient_email: str,
    recipient_name: str = "",
    evidence_url: str = "",
    evidence_narrative: str = "",
    narrative: str = "",
    signed: bool = False,
    expires: datetime | None = None,
    issued_on: datetime | None = None,
    send_email: bool = True,
) -> Assertion:
    """Award a badge to the holder of an e-mail address, hosted or signed with the issuer's active key.

    The address is stored only as a salted hash, plus a plain copy for the award e-mail that is erased
    once it is sent (or never kept with send_email=False, which demo data uses for made-up people).
    Without `expires`, a badge class with a validity period sets it from the issue date.
    Raises ValidationError naming the field for an unknown badge class, a bad address or dates out of
    order, and for a signed badge whose issuer has no active key.
    """
    current = _current_badge_class(badge_class)
    award = Award(recipient_email, recipient_name, evidence_url, evidence_narrative, narrative)
    issued_on, expires = _dates(current, issued_on, expires)
    assertion = _unsaved_assertion(
        current, award, signed=signed, issued_on=issued_on, expires=expires, send_email=send_email
    )
    key = _active_key(badge_class=current) if signed else None
    _sign_all([assertion], key)
    assertion.save(force_insert=True)
    _queue_bake_and_email(assertion_id=assertion.pk, send_email=send_email)
    return assertion


@transaction.atomic
def assertions_issue(
    *,
    badge_class: BadgeClass,
    awards: Sequence[Award],
    signed: bool = False,
    expires: datetime | None = None,
    issued_on: datetime | None = None,
    send_email: bool = True,
) -> list[Assertion]:
    """Award one badge class to many people at once, all or none: every award is checked before any
    is written, and a ValidationError lists each refused one by its position (row 1 is the first).
    The key is read and decrypted once, and the rows are inserted together, so a batch signs nearly as
    fast as the key can."""
    current = _current_badge_class(badge_class)
    issued_on, expires = _dates(current, issued_on, expires)
    assertions, problems = [], []
    for row, award in enumerate(awards, start=1):
        try:
            assertions.append(
                _unsaved_assertion(
                    current, award, signed=signed, issued_on=issued_on, expires=expires, send_email=send_email
                )
            )
        except ValidationError as error:
            problems += [
                _("Row %(row)d: %(problem)s") % {"row": row, "problem": message} for message in error.messages
            ]
    if problems:
        raise ValidationError(problems, code="invalid_rows")
    key = _active_key(badge_class=current) if signed else None
    _sign_all(assertions, key)
    created = Assertion.objects.bulk_create(assertions, batch_size=BATCH_SIZE)
    ids = [assertion.pk for assertion in created]
    for start in range(0, len(ids), TASK_CHUNK):
        _queue_batch(ids[start : start + TASK_CHUNK], send_email=send_email)
    return created


def _queue_batch(assertion_ids: list[int], *, send_email: bool) -> None:
    # Imported here because the task module imports this one to call the services it runs.
    from passport.tasks import bake_assertions, email_assertions

    transaction.on_commit(lambda: bake_assertions.delay(assertion_ids))
    if send_email:
        transaction.on_commit(lambda: email_assertions.delay(assertion_ids))


def _current_badge_class(badge_class: BadgeClass) -> BadgeClass:
    try:
        return BadgeClass.objects.select_related("issuer").get(pk=badge_class.pk)
    except BadgeClass.DoesNotExist:
        raise ValidationError(
            {"badge_class": _("This badge class does not exist.")}, code="unknown"
        ) from None


def _dates(
    badge_class: BadgeClass, issued_on: datetime | None, expires: datetime | None
) -> tuple[datetime, datetime | None]:
    issued_on = issued_on or timezone.now()
    if timezone.is_naive(issued_on) or (expires is not None and timezone.is_naive(expires)):
        raise ValidationError(_("Dates need a time zone."), code="naive_datetime")
    if expires is None and badge_class.valid_days:
        expires = issued_on + timedelta(days=badge_class.valid_days)
    if expires is not None and expires <= issued_on:
        raise ValidationError(
            {"expires": _("The expiry date must come after the issue date.")}, code="expires_before_issue"
        )
    return issued_on, expires


def _unsaved_assertion(
    badge_class: BadgeClass,
    award: Award,
    *,
    signed: bool,
    issued_on: datetime,
    expires: datetime | None,
    send_email: bool,
) -> Assertion:
    email = award.recipient_email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"recipient_email": _("“%(email)s” is not an e-mail address.") % {"email": email}},
            code="invalid",
        ) from None
    salt = recipient.new_salt()
    assertion = Assertion(
        public_id=new_public_id(),
        badge_class=badge_class,
        recipient_identity=recipient.hash_identity(email, salt),
        recipient_salt=salt,
        recipient_name=award.recipient_name.strip(),
        pending_email=email if send_email else "",
        issued_on=issued_on,
        expires=expires,
        evidence_url=award.evidence_url.strip(),
        evidence_narrative=award.evidence_narrative.strip(),
        narrative=award.narrative.strip(),
        verification_type=VerificationType.SIGNED if signed else VerificationType.HOSTED,
    )
    # The badge class was looked up already and the key is looked up once, so no field check queries.
    assertion.full_clean(
        exclude=["badge_class", "signing_key"], validate_unique=False, validate_constraints=False
    )
    return assertion


def _sign_all(assertions: Sequence[Assertion], key: SigningKey | None) -> None:
    """Sign each assertion's document with `key` (None for hosted badges, which are not signed)."""
    if key is None or not assertions:
        return
    private_pem = signing_key_private_pem(key=key)
    urls = selectors.document_urls(assertions[0].badge_class, key)
    for assertion in assertions:
        assertion.signing_key = key
        assertion.jws = signing.sign(
            documents.assertion_document(selectors.assertion_data(assertion, urls)), private_pem
        )


def _active_key(*, badge_class: BadgeClass) -> SigningKey:
    # get() rather than first(): the keys' default ordering would join the issuers on every award.
    try:
        return SigningKey.objects.get(issuer=badge_class.issuer, status=SigningKeyStatus.ACTIVE)
    except SigningKey.DoesNotExist:
        raise ValidationError(
            _("%(issuer)s has no active signing key; rotate its keys before issuing signed badges.")
            % {"issuer": badge_class.issuer.name},
            code="no_active_key",
        ) from None


def _queue_bake_and_email(*, assertion_id: int, send_email: bool) -> None:
    # Imported here because the task module imports this one to call the services it runs.
    from passport.tasks import bake_assertion, email_assertion

    transaction.on_commit(lambda: bake_assertion.delay(assertion_id))
    if send_email:
        transaction.on_commit(lambda: email_assertion.delay(assertion_id))


@transaction.atomic
def assertion_revoke(*, assertion: Assertion, reason: str) -> Assertion:
    """Revoke an assertion for good, with the reason verifiers will show; an unsent award e-mail is
    dropped. Raises ValidationError without a reason, or when the assertion is already revoked."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: verifiers show it to whoever checks the badge.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_LENGTH}}
        )
    locked = Assertion.objects.select_for_update().filter(pk=assertion.pk).first()
    if locked is None:
        raise ValidationError(_("This assertion does not exist."), code="unknown")
    if locked.revoked:
        raise ValidationError(
            _("This assertion was already revoked: %(reason)s") % {"reason": locked.revocation_reason},
            code="already_revoked",
        )
    locked.revoked = True
    locked.revocation_reason = reason
    locked.revoked_at = timezone.now()
    locked.pending_email = ""
    locked.save(update_fields=["revoked", "revocation_reason", "revoked_at", "pending_email"])
    return locked


def _locked_assertion(assertion_id: int) -> Assertion | None:
    # Locks the assertion only, so a second run of either task waits here and then sees what was done.
    return (
        Assertion.objects.select_for_update(of=("self",))
        .select_related("badge_class__issuer")
        .filter(pk=assertion_id)
        .first()
    )


def assertion_bake(*, assertion_id: int) -> bool:
    """Bake an assertion into its badge image, once: the URL for a hosted one, the JWS for a signed one.
    Returns whether it baked (False for an assertion already baked, or deleted)."""
    with transaction.atomic():
        assertion = _locked_assertion(assertion_id)
        if assertion is None or assertion.baked_at is not None:
            return False
        _bake(assertion)
        return True


def _bake(assertion: Assertion) -> None:
    image_format = selectors.badge_image_format(assertion.badge_class)
    embedded = assertion.jws if assertion.verification_type == VerificationType.SIGNED else ""
    embedded = embedded or selectors.assertion_url(assertion)
    with assertion.badge_class.image.open("rb") as image:
        source = image.read()
    if image_format == ImageFormat.SVG:
        baked = baking.bake_svg(source.decode("utf-8"), embedded).encode("utf-8")
    else:
        baked = baking.bake_png(source, embedded)
    assertion.baked_image.save(f"{assertion.public_id}.{image_format}", ContentFile(baked), save=False)
    assertion.baked_at = timezone.now()
    assertion.save(update_fields=["baked_image", "baked_at"])


def assertion_email(*, assertion_id: int) -> bool:
    """E-mail the earner their badge with its baked image, once, then forget their address.

    Bakes first when the bake task has not run yet. Sends nothing for an assertion already e-mailed,
    revoked, deleted, or issued without an address to write to. Returns whether it sent.
    """
    # In its own transaction, so a send that fails never undoes a finished bake (or orphans its file).
    assertion_bake(assertion_id=assertion_id)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        assertion = _locked_assertion(assertion_id)
        if assertion is None or assertion.emailed_at is not None or not assertion.pending_email:
            return False
        if assertion.revoked:
            assertion.pending_email = ""
            assertion.save(update_fields=["pending_email"])
            return False
        # Sent inside the lock: if sending fails, the address and emailed_at stay as they were for a retry.
        _award_message(assertion).send()
        assertion.emailed_at = timezone.now()
        assertion.pending_email = ""
        assertion.save(update_fields=["emailed_at", "pending_email"])
        return True


def _award_message(assertion: Assertion) -> EmailMultiAlternatives:
    badge_class = assertion.badge_class
    image_format = selectors.badge_image_format(badge_class)
    url = selectors.assertion_url(assertion)
    context = {
        "assertion": assertion,
        "badge_class": badge_class,
        "issuer": badge_class.issuer,
        "assertion_url": url,
        # The passport has no page of its own yet; the assertion page is where a badge is collected.
        "passport_url": url,
        "site_name": settings.SITE_NAME,
    }
    subject = " ".join(render_to_string("passport/email/assertion_awarded_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("passport/email/assertion_awarded.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[assertion.pending_email],
    )
    message.attach_alternative(
        render_to_string("passport/email/assertion_awarded.html", context), "text/html"
    )
    with assertion.baked_image.open("rb") as baked:
        message.attach(
            f"{slugify(badge_class.name) or 'badge'}.{image_format}",
            baked.read(),
            IMAGE_CONTENT_TYPES[image_format],
        )
    return message
