"""Claims: a member asks to become an owner of a listing, and a curator of its node decides.

The claimant hears the decision by e-mail either way; the e-mail leaves through a Celery task once the
decision is committed, so a rolled-back decision never tells anyone anything.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Claim, ClaimStatus, Listing
from directory.services.listings import listing_owner_add
from makeworks.celery import enqueue_on_commit
from makeworks.lib.language import active_language, known_language

# As for contact messages (directory.services.contact): the sweep queues again a decision e-mail still
# unsent this long after it was queued, for decisions made within SWEEP_WITHIN.
LOST_AFTER = timedelta(minutes=75)
SWEEP_WITHIN = timedelta(days=2)


@transaction.atomic
def claim_create(*, listing: Listing, claimant: User, message: str) -> Claim:
    """Record a claim. Refused, with a message for the claimant, when they own the listing already or
    are still waiting on an earlier claim to it."""
    if listing.owners.filter(pk=claimant.pk).exists():
        raise ValidationError(_("You are already an owner of this listing."), code="already_owner")
    # Locks the listing's pending claims, so two quick submissions cannot both pass the check.
    pending = Claim.objects.select_for_update().filter(
        listing=listing, claimant=claimant, status=ClaimStatus.PENDING
    )
    if pending.exists():
        raise ValidationError(
            _("You have already asked to own this listing; a curator will answer soon."), code="pending"
        )
    claim = Claim(listing=listing, claimant=claimant, message=message.strip(), language=active_language())
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_decide(*, claim: Claim, approve: bool, curator: User, response: str = "") -> Claim:
    """Approve (the claimant becomes an owner) or deny a pending claim, and e-mail the claimant."""
    claim = Claim.objects.select_for_update().select_related("listing").get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("This claim has already been decided."), code="decided")
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.DENIED
    claim.decided_at = timezone.now()
    claim.decided_by = curator
    claim.response = response.strip()
    claim.notification_queued_at = claim.decided_at
    claim.full_clean()
    claim.save()
    if approve:
        listing_owner_add(listing=claim.listing, user=claim.claimant, actor=curator)
    _queue_notification(claim.pk)
    return claim


def _queue_notification(claim_id: int) -> None:
    """Queue the decision e-mail on commit; if the broker refuses, mark it as not queued, for the sweep."""
    # Imported here because the task module imports this one to call claim_decision_deliver.
    from directory.tasks import deliver_claim_decision

    unqueued = Claim.objects.filter(pk=claim_id)
    enqueue_on_commit(
        deliver_claim_decision, claim_id, unqueued=lambda: unqueued.update(notification_queued_at=None)
    )


@transaction.atomic
def claim_decisions_sweep() -> int:
    """Queue again the decision e-mails of the last SWEEP_WITHIN still unsent that never reached the
    broker or were queued more than LOST_AFTER ago; returns how many. Run by Celery beat every minute."""
    now = timezone.now()
    lost = Q(notification_queued_at__isnull=True) | Q(notification_queued_at__lt=now - LOST_AFTER)
    waiting = (
        Claim.objects.filter(lost, notified_at__isnull=True, decided_at__gte=now - SWEEP_WITHIN)
        .exclude(status=ClaimStatus.PENDING)
        .select_for_update(skip_locked=True)
    )
    ids = list(waiting.values_list("pk", flat=True))
    Claim.objects.filter(pk__in=ids).update(notification_queued_at=now)
    for claim_id in ids:
        _queue_notification(claim_id)
    return len(ids)


def claim_decision_deliver(*, claim_id: int) -> None:
    """E-mail the claimant the decision on their claim, once: a claim already notified, still pending
    or since deleted sends nothing."""
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update()
            .select_related("listing", "claimant")
            .filter(pk=claim_id, notified_at__isnull=True)
            .exclude(status=ClaimStatus.PENDING)
            .first()
        )
        if claim is None or not claim.claimant.email:
            return
        context = {
            "claim": claim,
            "listing": claim.listing,
            "site_name": settings.SITE_NAME,
            "listing_url": settings.SITE_URL + claim.listing.get_absolute_url(),
        }
        template = "approved" if claim.status == ClaimStatus.APPROVED else "denied"
        # In the claimant's language, links to the listing's page in it included.
        with translation.override(known_language(claim.language)):
            context["listing_url"] = settings.SITE_URL + claim.listing.get_absolute_url()
            subject = render_to_string(f"email/claim_{template}_subject.txt", context).strip()
            body = render_to_string(f"email/claim_{template}.txt", context)
        # Sent inside the lock: if sending fails, the claim stays un-notified and the task retries.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [claim.claimant.email])
        claim.notified_at = timezone.now()
        claim.save(update_fields=["notified_at"])
