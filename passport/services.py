"""Awarding badges to makers: issuing and revoking assertions, baking them into images and e-mailing them.

Issuing records the assertion (signing it with the issuer's active key when asked) and queues two tasks
for when the row is committed: one bakes the assertion into the badge image, the other e-mails the
earner. Both lock the row and check what was already done, so a retried or duplicated task neither bakes
nor sends twice; the e-mail bakes first if the bake has not run yet, so it always carries the image.
"""

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
from badges.openbadges import baking, recipient, signing
from badges.services import signing_key_private_pem
from passport import selectors
from passport.models import Assertion, VerificationType, new_public_id
from passport.selectors import ImageFormat

MAX_REASON_LENGTH = 1000
IMAGE_CONTENT_TYPES = {ImageFormat.PNG: "image/png", ImageFormat.SVG: "image/svg+xml"}


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
    try:
        current = BadgeClass.objects.select_related("issuer").get(pk=badge_class.pk)
    except BadgeClass.DoesNotExist:
        raise ValidationError(
            {"badge_class": _("This badge class does not exist.")}, code="unknown"
        ) from None
    email = recipient_email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"recipient_email": _("“%(email)s” is not an e-mail address.") % {"email": email}},
            code="invalid",
        ) from None
    issued_on = issued_on or timezone.now()
    if timezone.is_naive(issued_on) or (expires is not None and timezone.is_naive(expires)):
        raise ValidationError(_("Dates need a time zone."), code="naive_datetime")
    if expires is None and current.valid_days:
        expires = issued_on + timedelta(days=current.valid_days)
    if expires is not None and expires <= issued_on:
        raise ValidationError(
            {"expires": _("The expiry date must come after the issue date.")}, code="expires_before_issue"
        )
    salt = recipient.new_salt()
    assertion = Assertion(
        public_id=new_public_id(),
        badge_class=current,
        recipient_identity=recipient.hash_identity(email, salt),
        recipient_salt=salt,
        recipient_name=recipient_name.strip(),
        pending_email=email if send_email else "",
        issued_on=issued_on,
        expires=expires,
        evidence_url=evidence_url.strip(),
        evidence_narrative=evidence_narrative.strip(),
        narrative=narrative.strip(),
        verification_type=VerificationType.SIGNED if signed else VerificationType.HOSTED,
    )
    # The badge class was looked up above and the key is looked up below, so no field check queries.
    assertion.full_clean(
        exclude=["badge_class", "signing_key"], validate_unique=False, validate_constraints=False
    )
    if signed:
        assertion.signing_key = _active_key(badge_class=current)
        private_pem = signing_key_private_pem(key=assertion.signing_key)
        assertion.jws = signing.sign(selectors.assertion_document(assertion), private_pem)
    assertion.save(force_insert=True)
    _queue_bake_and_email(assertion_id=assertion.pk, send_email=send_email)
    return assertion


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
