"""Awarding badges to makers: issuing and revoking assertions, baking them into images and e-mailing them.

Issuing records the assertion (signing it with the issuer's active key when asked) and queues two tasks
for when the row is committed: one bakes the assertion into the badge image, the other e-mails the
earner. Both lock the row and check what was already done, so a retried or duplicated task neither bakes
nor sends twice; the e-mail bakes first if the bake has not run yet, so it always carries the image.

A bulk upload is issued as an IssueBatch, whose progress is read from its assertions: delivered (baked,
and e-mailed unless no e-mail was due), failed (a task gave up and said so in `delivery_failed_at`), or
pending. Staff may ask for the award e-mail again, once per request (`resend_requested_at`), and queue
again what is stuck. How the tasks are queued, swept and claimed is in passport.services.delivery.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass, SigningKey, SigningKeyStatus
from badges.openbadges import documents, recipient, signing
from badges.services import BadgeKeySecretMismatchError, signing_key_private_pem
from makeworks.lib.actors import Actor
from makeworks.lib.language import active_language
from passport import selectors
from passport.models import DELIVERED, Assertion, IssueBatch, VerificationType, new_public_id, stuck
from passport.services.delivery import delivery_queue

MAX_REASON_LENGTH = 1000
# As long as Assertion.delivery_failure holds.
MAX_FAILURE_LENGTH = 500
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Award:
    """Who gets a badge, and the evidence for it; the rest of an assertion comes from its batch."""

    recipient_email: str
    recipient_name: str = ""
    evidence_url: str = ""
    evidence_narrative: str = ""
    narrative: str = ""
    # When this award was earned, if not when its batch says (a bulk upload's "issued date" column).
    issued_on: datetime | None = None


@dataclass(frozen=True)
class AwardProblem:
    """Why one award of a batch cannot be issued; `row` is its position in the batch, from 1."""

    row: int
    message: str
    # The award's field it concerns ("recipient_email", "evidence_url"...), empty for the whole award.
    field: str = ""


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
    actor: Actor = None,
    submission_key: str = "",
) -> Assertion:
    """Award a badge to the holder of an e-mail address, hosted or signed with the issuer's active key.

    The address is stored only as a salted hash, plus a plain copy for the award e-mail that is erased
    once it is sent (or never kept with send_email=False, which demo data uses for made-up people).
    Without `expires`, a badge class with a validity period sets it from the issue date.
    Raises ValidationError naming the field for an unknown badge class, a bad address or dates out of
    order, and for a signed badge whose issuer has no active key.

    A form's `submission_key` issues one badge however often the form is posted: a second post raises
    ValidationError with code "already_issued" and the badge's `public_id` in its params.
    """
    current = _current_badge_class(badge_class)
    _refuse_resubmission(current, submission_key)
    award = Award(recipient_email, recipient_name, evidence_url, evidence_narrative, narrative)
    issued_on, expires = _dates(current, issued_on, expires)
    assertion = _unsaved_assertion(
        current, award, signed=signed, issued_on=issued_on, expires=expires, send_email=send_email
    )
    key = _active_key(badge_class=current) if signed else None
    _sign_all([assertion], key)
    assertion.submission_key = submission_key
    try:
        # A savepoint only where a failed insert is looked into (a form's key): otherwise the error goes
        # straight up and undoes the whole award, and the savepoint would be two round trips for nothing.
        with transaction.atomic(savepoint=bool(submission_key)):
            assertion.save(force_insert=True)
    except IntegrityError:
        # The same form, posted twice at once: the other post has just issued it.
        _refuse_resubmission(current, submission_key)
        raise
    audit_log(
        actor=actor,
        action=AuditAction.ASSERTION_ISSUED,
        obj=assertion,
        scope=current.issuer,
        data={"after": {"badge_class": current.public_id, "verification": assertion.verification_type}},
    )
    delivery_queue([assertion.pk], send_email=send_email)
    return assertion


def _refuse_resubmission(badge_class: BadgeClass, submission_key: str) -> None:
    if not submission_key:
        return
    issued = Assertion.objects.filter(submission_key=submission_key, badge_class__issuer=badge_class.issuer)
    public_id = issued.values_list("public_id", flat=True).first()
    if public_id is not None:
        raise ValidationError(
            _("This form was already sent: the badge was issued once."),
            code="already_issued",
            params={"public_id": public_id},
        )


@transaction.atomic
def assertions_issue(
    *,
    badge_class: BadgeClass,
    awards: Sequence[Award],
    signed: bool = False,
    expires: datetime | None = None,
    issued_on: datetime | None = None,
    send_email: bool = True,
    actor: Actor = None,
    batch: IssueBatch | None = None,
) -> list[Assertion]:
    """Award one badge class to many people at once, all or none: every award is checked before any
    is written, and a ValidationError lists each refused one by its position (row 1 is the first).
    An award's own `issued_on` wins over the batch's. The key is read and decrypted once, and the rows
    are inserted together, so a batch signs nearly as fast as the key can."""
    current = _current_badge_class(badge_class)
    assertions, problems = _unsaved_assertions(
        current, awards, signed=signed, issued_on=issued_on, expires=expires, send_email=send_email
    )
    if problems:
        raise ValidationError(
            [_("Row %(row)d: %(problem)s") % {"row": p.row, "problem": p.message} for p in problems],
            code="invalid_rows",
        )
    for assertion in assertions:
        assertion.batch = batch
    key = _active_key(badge_class=current) if signed else None
    _sign_all(assertions, key)
    created = Assertion.objects.bulk_create(assertions, batch_size=BATCH_SIZE)
    audit_log(
        actor=actor,
        action=AuditAction.ASSERTIONS_ISSUED,
        obj=current,
        scope=current.issuer,
        data={
            "after": {
                "count": len(created),
                "verification": VerificationType.SIGNED if signed else VerificationType.HOSTED,
                "assertions": [assertion.public_id for assertion in created],
            }
        },
    )
    delivery_queue([assertion.pk for assertion in created], send_email=send_email)
    return created


def awards_check(
    *,
    badge_class: BadgeClass,
    awards: Sequence[Award],
    signed: bool = False,
    expires: datetime | None = None,
    issued_on: datetime | None = None,
) -> list[AwardProblem]:
    """What assertions_issue would refuse in these awards, row by row, writing nothing: a bulk upload's
    preview. Raises ValidationError for what concerns the whole batch (an unknown badge class, dates
    out of order, a signed batch from an issuer without an active key)."""
    current = _current_badge_class(badge_class)
    _, problems = _unsaved_assertions(
        current, awards, signed=signed, issued_on=issued_on, expires=expires, send_email=False
    )
    if signed:
        _active_key(badge_class=current)
    return problems


def _unsaved_assertions(
    badge_class: BadgeClass,
    awards: Sequence[Award],
    *,
    signed: bool,
    issued_on: datetime | None,
    expires: datetime | None,
    send_email: bool,
) -> tuple[list[Assertion], list[AwardProblem]]:
    # The batch's own dates are checked once, and only if some award takes them, so that a bad expiry
    # is one error rather than one per row.
    batch_dates = None
    if any(award.issued_on is None for award in awards):
        batch_dates = _dates(badge_class, issued_on, expires)
    assertions: list[Assertion] = []
    problems: list[AwardProblem] = []
    for row, award in enumerate(awards, start=1):
        try:
            if award.issued_on is None and batch_dates is not None:
                award_issued_on, award_expires = batch_dates
            else:
                award_issued_on, award_expires = _dates(badge_class, award.issued_on, expires)
            assertions.append(
                _unsaved_assertion(
                    badge_class,
                    award,
                    signed=signed,
                    issued_on=award_issued_on,
                    expires=award_expires,
                    send_email=send_email,
                )
            )
        except BadgeKeySecretMismatchError:
            # The server's fault, not the row's: refuse the whole batch once rather than every row.
            raise
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                problems += [
                    AwardProblem(row, message, "" if field == NON_FIELD_ERRORS else field)
                    for field, messages in error.message_dict.items()
                    for message in messages
                ]
            else:
                problems += [AwardProblem(row, message) for message in error.messages]
    return assertions, problems


@transaction.atomic
def issue_batch_create(
    *,
    badge_class: BadgeClass,
    awards: Sequence[Award],
    created_by: User | None = None,
    signed: bool = False,
    expires: datetime | None = None,
    send_email: bool = True,
    skipped: Sequence[Mapping[str, Any]] = (),
) -> IssueBatch:
    """Issue a bulk upload's awards as one batch, all or none (see assertions_issue); its progress is
    then read from its assertions as the tasks bake and e-mail them. `skipped` records the upload's rows
    left out (line, column, message), for the batch page to list."""
    if not awards:
        raise ValidationError(_("A batch needs at least one award."), code="empty_batch")
    current = _current_badge_class(badge_class)
    batch = IssueBatch.objects.create(
        issuer=current.issuer,
        badge_class=current,
        created_by=created_by,
        total=len(awards),
        skipped=[dict(row) for row in skipped],
    )
    assertions_issue(
        badge_class=current,
        awards=awards,
        signed=signed,
        expires=expires,
        send_email=send_email,
        actor=created_by,
        batch=batch,
    )
    return batch


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
        recipient_lookup=badge_selectors.recipient_lookup(email),
        recipient_name=award.recipient_name.strip(),
        pending_email=email if send_email else "",
        email_language=active_language(),
        delivery_queued_at=timezone.now(),
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


@transaction.atomic
def assertion_revoke(*, assertion: Assertion, reason: str, actor: Actor = None) -> Assertion:
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
    audit_log(
        actor=actor,
        action=AuditAction.ASSERTION_REVOKED,
        obj=locked,
        scope=locked.badge_class.issuer,
        data={"before": {"revoked": False}, "after": {"revoked": True, "reason": reason}},
    )
    return locked


@transaction.atomic
def assertions_revoke(
    *, assertions: Sequence[Assertion], reason: str, actor: Actor = None
) -> list[Assertion]:
    """Revoke several assertions with one reason, all or none; those already revoked keep their own
    reason and are left out of the result."""
    ids = [assertion.pk for assertion in assertions]
    # Locked in id order, so two bulk revokes of overlapping sets cannot deadlock.
    unrevoked = Assertion.objects.select_for_update().filter(pk__in=ids, revoked=False).order_by("pk")
    return [assertion_revoke(assertion=assertion, reason=reason, actor=actor) for assertion in unrevoked]


@transaction.atomic
def assertion_email_resend(*, assertion: Assertion, recipient_email: str = "") -> bool:
    """Queue the award e-mail again: after a delivery failure, or, given the earner's address (only its
    hash is kept once the first e-mail went), to send a new copy.

    Idempotent: while an e-mail is already waiting to go, asking again queues nothing and returns
    False, unless it is stuck (its task was never queued, or long ago): then it is queued again. The
    e-mail task sends once per request, because it sends only while `resend_requested_at`
    is later than `emailed_at` and empties the address when it has sent. Raises ValidationError for a
    revoked badge, or for a missing address or one that is not the earner's.
    """
    locked = Assertion.objects.select_for_update().filter(pk=assertion.pk).first()
    if locked is None:
        raise ValidationError(_("This assertion does not exist."), code="unknown")
    if locked.revoked:
        raise ValidationError(_("A revoked badge is not e-mailed again."), code="revoked")
    now = timezone.now()
    if locked.pending_email and locked.delivery_failed_at is None:
        if not Assertion.objects.filter(stuck(now), pk=locked.pk).exists():
            return False
        # Stuck, not a new request: queued again, as the first e-mail, so it still goes once.
        locked.delivery_queued_at = now
        locked.save(update_fields=["delivery_queued_at"])
        delivery_queue([locked.pk], send_email=True)
        return True
    if not locked.pending_email:
        locked.pending_email = _earner_address(locked, recipient_email)
    locked.resend_requested_at = now
    locked.delivery_failed_at = None
    locked.delivery_failure = ""
    locked.delivery_queued_at = now
    locked.save(
        update_fields=[
            "pending_email",
            "resend_requested_at",
            "delivery_failed_at",
            "delivery_failure",
            "delivery_queued_at",
        ]
    )
    delivery_queue([locked.pk], send_email=True)
    return True


def _earner_address(assertion: Assertion, recipient_email: str) -> str:
    email = recipient_email.strip()
    if not email:
        raise ValidationError(
            {"recipient_email": _("Type the earner's e-mail address: only its hash was kept.")},
            code="required",
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"recipient_email": _("“%(email)s” is not an e-mail address.") % {"email": email}},
            code="invalid",
        ) from None
    if not recipient.identity_matches(assertion.recipient_identity, assertion.recipient_salt, email):
        raise ValidationError(
            {"recipient_email": _("This is not the address the badge was awarded to.")}, code="mismatch"
        )
    return email


@transaction.atomic
def issue_batch_retry(*, batch: IssueBatch) -> int:
    """Queue the bake and award e-mail again for those of a batch's assertions whose delivery failed
    (after a mail server outage, say) or is stuck (a worker killed mid-task, a broker that was down);
    returns how many. Asking twice queues nothing more, since a retried assertion is neither failed nor
    stuck any more, and the tasks skip what is done."""
    now = timezone.now()
    failed = ~DELIVERED & Q(delivery_failed_at__isnull=False)
    retried = Assertion.objects.select_for_update().filter(failed | stuck(now), batch=batch)
    ids = list(retried.order_by("pk").values_list("pk", flat=True))
    Assertion.objects.filter(pk__in=ids).update(
        delivery_failed_at=None, delivery_failure="", delivery_queued_at=now
    )
    delivery_queue(ids, send_email=True)
    return len(ids)


@transaction.atomic
def assertions_delivery_fail(*, assertion_ids: Sequence[int], reason: str) -> int:
    """Mark the undelivered ones of these assertions as failed, for a bake or e-mail task that has given
    up for good; returns how many. Delivered ones are left alone, so a task that failed after finishing
    some of its assertions blames only the rest."""
    failed = Assertion.objects.filter(pk__in=list(assertion_ids)).exclude(DELIVERED)
    return failed.update(delivery_failed_at=timezone.now(), delivery_failure=reason[:MAX_FAILURE_LENGTH])
