"""The console's page of makers who say they are affiliated with the hub: its owners, editors and staff
confirm them (badges.permissions, IssuerAction.CONFIRM_AFFILIATION). Only affiliations with this hub's
own listing are looked up, so a forged id of another hub's affiliation answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from badges import permissions
from badges.models import Issuer
from badges.permissions import IssuerAction
from makeworks.lib.requests import signed_in_user
from passport import selectors
from passport.services import passports


@login_required
@require_http_methods(["GET", "POST"])
def affiliations(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = get_object_or_404(Issuer.objects.select_related("listing"), slug=slug)
    permissions.require(request.user, IssuerAction.CONFIRM_AFFILIATION, issuer)
    if request.method == "POST":
        try:
            affiliation_id = int(request.POST.get("affiliation", ""))
        except ValueError:
            raise Http404(_("No such affiliation waiting.")) from None
        affiliation = selectors.pending_affiliation([issuer.listing], affiliation_id)
        passports.affiliation_confirm(affiliation=affiliation, actor=signed_in_user(request))
        messages.success(
            request,
            _("%(name)s's affiliation with %(hub)s is confirmed.")
            % {"name": affiliation.passport.display_name, "hub": issuer.listing.name},
        )
        return redirect("console:affiliations", slug=issuer.slug)
    context = {
        "issuer": issuer,
        "can": permissions.allowed_actions(request.user, issuer),
        "pending": selectors.pending_affiliations(issuer.listing),
    }
    return render(request, "console/affiliations.html", context)
