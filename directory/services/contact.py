"""Visitors writing to a listing through its contact form, without ever learning its e-mail address.

The message is recorded, then a Celery task e-mails it to the listing with the visitor as Reply-To, and
sends the visitor a copy that names the listing but not its address. Both e-mails are written in the
site's language, as the message does not record the visitor's.
"""

from datetime import timedelta
from email.headerregistry import Address

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import ContactMessage, Listing, ListingStatus
from makeworks.celery import enqueue_on_commit
from makeworks.lib.language import active_language, known_language
from makeworks.lib.ratelimit import Limit, attempt_allowed

# Someone writing to makers by hand rarely sends more than a few messages an hour; more from one
# address is a script, or someone using the form (and its copies) to flood an inbox.
MESSAGES_PER_ADDRESS = Limit(count=5, seconds=60 * 60)
# One IP address is often shared by a whole office, school or makerspace, so it gets more room.
MESSAGES_PER_IP = Limit(count=20, seconds=60 * 60)
# The delivery sweep queues again a message still unsent this long after it was queued: longer than the
# task's own retries last (about an hour), so it never runs beside a live chain of retries...
LOST_AFTER = timedelta(minutes=75)
# ...and gives up on it after this long (a listing that lost its address, a mail server that refuses).
SWEEP_WITHIN = timedelta(days=2)


def listing_takes_messages(*, listing: Listing) -> bool:
    """Whether a listing can be written to: published, with an address to send the message to."""
    return listing.status == ListingStatus.PUBLISHED and bool(listing.contact_email)


@transaction.atomic
def contact_message_send(
    *, listing: Listing, sender_name: str, sender_email: str, body: str, ip: str
) -> ContactMessage:
    """Record a visitor's message to a listing and queue its delivery for when the row is committed.

    Raises ValidationError with code "rate_limited" when the sender's address or IP address has sent
    too many messages lately, and "closed" when the listing takes no messages.
    """
    if not listing_takes_messages(listing=listing):
        raise ValidationError(_("This listing does not take messages."), code="closed")
    # Both counters count every attempt, so an address that is refused still uses up its IP's room.
    address_allowed = attempt_allowed(
        scope="contact-address", key=sender_email.strip().lower(), limit=MESSAGES_PER_ADDRESS
    )
    ip_allowed = attempt_allowed(scope="contact-ip", key=ip, limit=MESSAGES_PER_IP)
    if not (address_allowed and ip_allowed):
        raise ValidationError(
            _(
                "You have sent several messages in a short time. To protect makers from spam, please "
                "wait up to an hour before sending another; your message is kept below."
            ),
            code="rate_limited",
        )
    message = ContactMessage(
        listing=listing,
        sender_name=sender_name.strip(),
        sender_email=sender_email.strip(),
        body=body.strip(),
        language=active_language(),
        queued_at=timezone.now(),
    )
    message.full_clean()
    message.save()
    _queue_delivery(message.pk)
    return message


def _queue_delivery(message_id: int) -> None:
    """Queue the message's delivery on commit; if the broker refuses, mark it as not queued, for the sweep."""
    # Imported here because the task module imports this one to call contact_message_deliver.
    from directory.tasks import deliver_contact_message

    unqueued = ContactMessage.objects.filter(pk=message_id)
    enqueue_on_commit(deliver_contact_message, message_id, unqueued=lambda: unqueued.update(queued_at=None))


@transaction.atomic
def contact_messages_sweep() -> int:
    """Queue again the unsent messages of the last SWEEP_WITHIN that never reached the broker or were
    queued more than LOST_AFTER ago; returns how many. Run by Celery beat every minute (see
    makeworks.celery: the message row is the outbox)."""
    now = timezone.now()
    lost = Q(queued_at__isnull=True) | Q(queued_at__lt=now - LOST_AFTER)
    waiting = ContactMessage.objects.filter(lost, sent_at__isnull=True, created_at__gte=now - SWEEP_WITHIN)
    ids = list(waiting.select_for_update(skip_locked=True).values_list("pk", flat=True))
    ContactMessage.objects.filter(pk__in=ids).update(queued_at=now)
    for message_id in ids:
        _queue_delivery(message_id)
    return len(ids)


def contact_message_deliver(*, message_id: int) -> None:
    """E-mail a message to its listing and a copy to its sender, once: a message already sent, since
    deleted, or to a listing that has since lost its address sends nothing."""
    with transaction.atomic():
        # Locks the message, not the listing, so a second run of the task waits here and then skips it.
        message = (
            ContactMessage.objects.select_for_update(of=("self",))
            .select_related("listing")
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None or not message.listing.contact_email:
            return
        with translation.override(known_language(message.language)):
            _contact_message_send(message)


def _contact_message_send(message: ContactMessage) -> None:
    """Both e-mails of a message, in the language active (the sender's); marks the message sent."""
    listing = message.listing
    context = {
        "message": message,
        "listing": listing,
        "site_name": settings.SITE_NAME,
        "listing_url": settings.SITE_URL + listing.get_absolute_url(),
    }
    sender = str(Address(display_name=message.sender_name, addr_spec=message.sender_email))
    to_listing = EmailMessage(
        subject=_one_line(render_to_string("email/contact_listing_subject.txt", context)),
        body=render_to_string("email/contact_listing.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[listing.contact_email],
        reply_to=[sender],
    )
    copy_to_sender = EmailMessage(
        subject=_one_line(render_to_string("email/contact_copy_subject.txt", context)),
        body=render_to_string("email/contact_copy.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[sender],
    )
    # Sent inside the lock: if either fails, sent_at stays empty and the task tries both again.
    get_connection().send_messages([to_listing, copy_to_sender])
    message.sent_at = timezone.now()
    message.save(update_fields=["sent_at"])


def _one_line(text: str) -> str:
    """A subject on one line, whatever line breaks a listing's name carries."""
    return " ".join(text.split())
