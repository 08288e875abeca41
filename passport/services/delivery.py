"""Getting an issued badge baked and e-mailed: queueing its tasks, finding what is stuck, baking, and
claiming an award e-mail before sending it.

The assertion row is the outbox (makeworks.celery explains the design): `delivery_queued_at` says when
its tasks were last handed to the broker, and is emptied when the broker refused them. The sweep, run by
Celery beat every minute, queues again every pending assertion that was never queued, or was queued so
long ago that its task must be lost. Staff may queue a stuck one again from the console.

The award e-mail is claimed durably (`email_claimed_at`, committed) before it is sent, and the claim
lasts as long as the broker waits before handing an unacknowledged task to another worker. A second run
of the task (a redelivery while the first is still talking to a slow mail server, or a duplicate queued
by the sweep) finds the claim and leaves the e-mail alone; a run killed mid-send leaves a claim that
expires, after which the e-mail is sent by the next run.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from badges.openbadges import baking
from makeworks.celery import enqueue_on_commit
from makeworks.lib.db import commit_without_waiting_for_disk
from makeworks.lib.language import known_language
from makeworks.lib.urls import site_url
from passport import claims, selectors
from passport.models import DELIVERED, Assertion, VerificationType
from passport.selectors import ImageFormat

IMAGE_CONTENT_TYPES = {ImageFormat.PNG: "image/png", ImageFormat.SVG: "image/svg+xml"}
# Ids per bake or e-mail task. Small, so a worker killed mid-task leaves few e-mails waiting for the
# task's redelivery, and a task ends well within the broker's visibility timeout even with a slow mail
# server (ten e-mails at a few seconds each).
TASK_CHUNK = 10
# The sweep queues again what was queued this long ago: longer than a task's own retries last (about an
# hour for the e-mail), so that the sweep adds no second chain of retries beside a live one.
LOST_AFTER = timedelta(minutes=75)
# Assertions one sweep queues at most, so its transaction stays short after a long outage; the next
# minute's sweep takes the rest.
SWEEP_LIMIT = 5000


class EmailClaimedError(Exception):
    """Another run of the e-mail task holds the claim on this award e-mail; try again after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the award e-mail is being sent by another task; try again in {seconds:.0f} s")
        self.seconds = seconds


def email_claim_seconds() -> int:
    """How long a claim on an award e-mail holds: as long as the broker's visibility timeout, after which
    it would hand the task to another worker anyway."""
    return int(settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"])


def delivery_queue(assertion_ids: Sequence[int], *, send_email: bool) -> None:
    """Queue the bake (and the award e-mail) of these assertions when the transaction commits, a chunk of
    ids per task. If the broker refuses, they are marked as not queued, for the sweep."""
    # Imported here because the task module imports the services it runs.
    from passport.tasks import bake_assertion, bake_assertions, email_assertion, email_assertions

    ids = list(assertion_ids)
    for start in range(0, len(ids), TASK_CHUNK):
        chunk = ids[start : start + TASK_CHUNK]

        def unqueued(chunk: list[int] = chunk) -> None:
            Assertion.objects.filter(pk__in=chunk).update(delivery_queued_at=None)

        if len(ids) == 1:
            enqueue_on_commit(bake_assertion, chunk[0], unqueued=unqueued)
            if send_email:
                enqueue_on_commit(email_assertion, chunk[0], unqueued=unqueued)
        else:
            enqueue_on_commit(bake_assertions, chunk, unqueued=unqueued)
            if send_email:
                enqueue_on_commit(email_assertions, chunk, unqueued=unqueued)


@transaction.atomic
def assertions_delivery_sweep() -> int:
    """Queue again every pending assertion that was never queued (the broker was down) or was queued
    more than LOST_AFTER ago (its task was lost); returns how many. Run by Celery beat every minute."""
    now = timezone.now()
    lost = Q(delivery_queued_at__isnull=True) | Q(delivery_queued_at__lt=now - LOST_AFTER)
    waiting = Assertion.objects.exclude(DELIVERED).filter(
        lost, delivery_failed_at__isnull=True, revoked=False
    )
    locked = waiting.select_for_update(skip_locked=True).order_by("pk")
    ids = list(locked.values_list("pk", flat=True)[:SWEEP_LIMIT])
    if ids:
        Assertion.objects.filter(pk__in=ids).update(delivery_queued_at=now)
        # The e-mail task sends nothing where no e-mail waits, so every chunk gets both tasks.
        delivery_queue(ids, send_email=True)
    return len(ids)


def email_claim(assertion: Assertion) -> None:
    """Claim the award e-mail of a locked assertion for this run, committed with the caller's transaction.
    Raises EmailClaimedError while another run's claim holds."""
    now = timezone.now()
    held_until = (
        assertion.email_claimed_at + timedelta(seconds=email_claim_seconds())
        if assertion.email_claimed_at is not None
        else None
    )
    if held_until is not None and held_until > now:
        raise EmailClaimedError((held_until - now).total_seconds())
    assertion.email_claimed_at = now
    assertion.save(update_fields=["email_claimed_at"])


def email_claim_release(*, assertion_id: int, claimed_at: datetime | None) -> None:
    """Give up this run's claim after a failed send, so a retry need not wait for it to expire."""
    Assertion.objects.filter(pk=assertion_id, email_claimed_at=claimed_at).update(email_claimed_at=None)


# What the bake reads of an assertion and its badge class, and all it writes: a third of the columns,
# where compiling and reading each column was much of the bake's CPU (a test counts its queries, so
# a field read later without being listed here would show as one more).
BAKE_FIELDS = ("public_id", "verification_type", "jws", "baked_image", "baked_at", "badge_class__image")


def _locked_assertion(assertion_id: int, *, for_bake: bool = False) -> Assertion | None:
    # Locks the assertion only, so a second run of either task waits here and then sees what was done.
    # With what the caller reads of it: the bake needs the badge class, the e-mail its issuer as well.
    # get() rather than first(), which would order by the assertions' default ordering to find one row.
    assertions = Assertion.objects.select_for_update(of=("self",))
    if for_bake:
        assertions = assertions.select_related("badge_class").only("badge_class", *BAKE_FIELDS)
    else:
        assertions = assertions.select_related("badge_class__issuer")
    try:
        return assertions.get(pk=assertion_id)
    except Assertion.DoesNotExist:
        return None


def assertion_bake(*, assertion_id: int) -> bool:
    """Bake an assertion into its badge image, once: the URL for a hosted one, the JWS for a signed one.
    Returns whether it baked (False for an assertion already baked, or deleted)."""
    with transaction.atomic():
        # A bake lost in a database crash is done again (the sweep queues what is not delivered).
        commit_without_waiting_for_disk()
        assertion = _locked_assertion(assertion_id, for_bake=True)
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
    revoked, deleted, or issued without an address to write to. Returns whether it sent. Raises
    EmailClaimedError while another run holds the claim on this e-mail (see passport.services.delivery).
    """
    with translation.override(settings.LANGUAGE_CODE):
        assertion = _email_claimed(assertion_id)
    if assertion is None:
        return False
    # Sent after the claim is committed and outside any lock, so a slow mail server holds up no other
    # task; if sending fails, the claim is given up and the address kept for a retry. Written in the
    # language the badge was issued in.
    with translation.override(known_language(assertion.email_language)):
        try:
            award_message(assertion).send()
        except BaseException:
            email_claim_release(assertion_id=assertion_id, claimed_at=assertion.email_claimed_at)
            raise
        Assertion.objects.filter(pk=assertion_id).update(
            emailed_at=timezone.now(), pending_email="", email_claimed_at=None
        )
        return True


def _email_claimed(assertion_id: int) -> Assertion | None:
    """The assertion, baked, its award e-mail claimed for this run; None when no e-mail is due.

    Usually the bake task has run, and one lock both sees that and claims the e-mail. Otherwise the bake
    is done and committed in a transaction of its own, as the bake task would, so that a claim refused
    or failing next never undoes a finished bake (or orphans its file); the claim then locks again.

    Neither transaction waits for the disk: a claim lost in a database crash lets the next run send the
    e-mail, as an unexpired claim would once it ran out, and the commit that records the e-mail as sent
    (an ordinary one) flushes both."""
    with transaction.atomic():
        commit_without_waiting_for_disk()
        assertion = _locked_assertion(assertion_id)
        if assertion is None or assertion.baked_at is not None:
            return _claimed(assertion)
        _bake(assertion)
    with transaction.atomic():
        commit_without_waiting_for_disk()
        return _claimed(_locked_assertion(assertion_id))


def _claimed(assertion: Assertion | None) -> Assertion | None:
    """The locked, baked assertion with its award e-mail claimed; None when no e-mail is due."""
    if assertion is None or not assertion.pending_email:
        return None
    if assertion.emailed_at is not None and not _resend_waiting(assertion):
        return None
    if assertion.revoked:
        assertion.pending_email = ""
        assertion.save(update_fields=["pending_email"])
        return None
    email_claim(assertion)
    return assertion


def _resend_waiting(assertion: Assertion) -> bool:
    requested, sent = assertion.resend_requested_at, assertion.emailed_at
    return requested is not None and (sent is None or requested > sent)


def award_message(assertion: Assertion) -> EmailMultiAlternatives:
    """The award e-mail of a baked assertion with an address waiting, in the active language: the badge,
    the question whether to show it on the passport with the claim link (passport.claims), the public
    badge's link, and the baked image attached."""
    badge_class = assertion.badge_class
    image_format = selectors.badge_image_format(badge_class)
    url = selectors.assertion_url(assertion)
    context = {
        "assertion": assertion,
        "badge_class": badge_class,
        "issuer": badge_class.issuer,
        "assertion_url": url,
        # Sign-up or log-in for this address, then the badge on the passport (passport.claims).
        "claim_url": site_url(claims.claim_path(assertion, assertion.pending_email)),
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
