"""The contact form: a visitor writes to a listing without ever seeing its e-mail address.

It works without JavaScript: the listing page posts here; a refused message comes back on a page of
its own with everything the visitor typed, and a sent one redirects to the listing with a notice.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory import permissions
from directory.forms.contact import ContactForm
from directory.models import Listing
from directory.permissions import Action
from directory.services.contact import contact_message_send, listing_takes_messages
from makeworks.lib.requests import client_address


def contact_form_context(listing: Listing) -> dict[str, ContactForm | None]:
    """What a listing page needs for its contact form: an empty form, or None if it takes no messages."""
    return {"contact_form": ContactForm() if listing_takes_messages(listing=listing) else None}


@require_http_methods(["GET", "HEAD", "POST"])
def listing_contact(request: HttpRequest, slug: str) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("node"), slug=slug)
    permissions.require(request.user, Action.CONTACT, listing)
    if not listing_takes_messages(listing=listing):
        raise Http404
    if request.method != "POST":
        return render(request, "directory/contact.html", {"listing": listing, "contact_form": ContactForm()})

    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        # Only robots fill the hidden field: they get what a person would, so they learn nothing.
        if data["website"]:
            return _sent(request, listing)
        try:
            contact_message_send(
                listing=listing,
                sender_name=data["sender_name"],
                sender_email=data["sender_email"],
                body=data["body"],
                ip=client_address(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _sent(request, listing)
    status = 429 if form.has_error(NON_FIELD_ERRORS, "rate_limited") else 400
    return render(
        request, "directory/contact.html", {"listing": listing, "contact_form": form}, status=status
    )


def _sent(request: HttpRequest, listing: Listing) -> HttpResponse:
    messages.success(
        request,
        _("Your message to %(name)s is on its way, and a copy is on its way to you.")
        % {"name": listing.name},
    )
    return redirect(listing.get_absolute_url())
