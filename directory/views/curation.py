"""Curators' pages: a node's queue of drafts and claims, a listing's history, and the decisions.
Each view checks directory.permissions, validates a form and calls a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory import permissions, selectors, services
from directory.forms.listing import ClaimDecisionForm, ListingStatusForm, NodeDescriptionForm
from directory.models import Claim, Listing, Node
from directory.permissions import Action
from directory.services import claims
from makeworks.lib.requests import signed_in_user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def node_curation(request: HttpRequest, slug: str) -> HttpResponse:
    """The queue of claims and drafts, and the node's description in both languages (posted here)."""
    node = get_object_or_404(Node, slug=slug)
    permissions.require(request.user, Action.CURATE, node)
    initial = {"description": node.description, "description_fr": node.description_fr}
    form = NodeDescriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        services.node_describe(node=node, actor=signed_in_user(request), **form.cleaned_data)
        messages.success(request, _("The node's description is saved."))
        return redirect("directory:node_curation", slug=node.slug)
    page = selectors.curation_page(node)
    context = {"page": page, "decision_form": ClaimDecisionForm(), "description_form": form}
    return render(request, "directory/node_curation.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def listing_history(request: HttpRequest, slug: str) -> HttpResponse:
    listing = get_object_or_404(Listing, slug=slug)
    permissions.require(request.user, Action.VIEW_HISTORY, listing)
    context = {"listing": listing, "changes": selectors.listing_history(listing)}
    return render(request, "directory/listing_history.html", context)


@login_required
@require_POST
def listing_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish, unpublish, verify or unverify, from the buttons on the listing and curation pages."""
    listing = get_object_or_404(Listing, slug=slug)
    form = ListingStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose publish, unpublish, verify or unverify."))
    action = form.cleaned_data["action"]
    if action in {"publish", "unpublish"}:
        permissions.require(request.user, Action.PUBLISH, listing)
        change = services.listing_publish if action == "publish" else services.listing_unpublish
        change(listing=listing, actor=request.user)
    else:
        permissions.require(request.user, Action.VERIFY, listing)
        services.listing_verify(listing=listing, verified=action == "verify", actor=request.user)
    done = {
        "publish": _("The listing is published."),
        "unpublish": _("The listing is back to draft: only its owners and curators see it."),
        "verify": _("The listing is marked as verified."),
        "unverify": _("The verified mark is removed."),
    }
    messages.success(request, done[action])
    next_url = request.POST.get("next", "")
    # Only paths on this site are followed after an action, never another origin.
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(listing)


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("listing__node"), pk=pk)
    permissions.require(request.user, Action.DECIDE_CLAIM, claim)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose to approve or deny the claim."))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        claims.claim_decide(
            claim=claim,
            approve=approve,
            curator=signed_in_user(request),
            response=form.cleaned_data["response"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = claim.claimant.email or claim.claimant.get_username()
        done = (
            _("%(name)s is now an owner of %(listing)s.")
            if approve
            else _("The claim by %(name)s is denied.")
        )
        messages.success(request, done % {"name": name, "listing": claim.listing.name})
    node = claim.listing.node
    return redirect("directory:node_curation", slug=node.slug) if node else redirect(claim.listing)
