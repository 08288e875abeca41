"""Pages where people change the directory: members propose listings and claim them, owners edit
theirs. Each view checks directory.permissions, validates a form and calls a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory import permissions, services
from directory.forms.listing import ClaimForm, ListingForm, ListingStartForm, PhotoForm
from directory.models import Listing, ListingPhoto, Node
from directory.permissions import Action
from directory.services import claims
from makeworks.lib.forms import form_errors_from
from makeworks.lib.requests import signed_in_user

# Europe and West Africa, where the nodes are, before anyone picks a spot.
WORLD_VIEW = (35.0, 5.0, 3)


@login_required
@require_http_methods(["GET", "POST"])
def listing_new(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CREATE)
    form = ListingStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.listing_fields()
        try:
            listing = services.listing_propose(
                member=signed_in_user(request), terms=form.chosen_terms(), **fields
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your listing is saved as a draft. Add the rest below; a curator of its node will review "
                    "and publish it."
                ),
            )
            return redirect("directory:listing_edit", slug=listing.slug)
    context = {
        "form": form,
        "listing": None,
        "map_centre": map_centre(None),
        # Where each node is, so the map picker moves there when the node is chosen (listing-form.js).
        "node_centres": {
            str(pk): [latitude, longitude]
            for pk, latitude, longitude in Node.objects.values_list("pk", "latitude", "longitude")
        },
        **map_tiles(),
    }
    return render(request, "directory/listing_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, slug: str) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("node"), slug=slug)
    permissions.require(request.user, Action.EDIT, listing)
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            try:
                services.listing_update(
                    listing=listing, terms=form.chosen_terms(), actor=request.user, **form.listing_fields()
                )
            except ValidationError as error:
                # The service validated a copy in memory; the stored listing is read afresh for the page.
                listing.refresh_from_db()
                form_errors_from(form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(listing)
    else:
        form = ListingForm(listing=listing)
    context = {
        "form": form,
        "listing": listing,
        "map_centre": map_centre(listing),
        "photos": listing.photos.all(),
        "photo_form": PhotoForm(),
        **map_tiles(),
    }
    return render(request, "directory/listing_form.html", context, status=400 if form.errors else 200)


def map_tiles() -> dict[str, str]:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def map_centre(listing: Listing | None) -> tuple[float, float, int]:
    """Where the map picker opens: the listing's spot, its node's town, or a view of all the nodes."""
    if listing is not None and listing.has_location:
        return (listing.latitude or 0.0, listing.longitude or 0.0, 15)
    if listing is not None and listing.node is not None:
        return (listing.node.latitude, listing.node.longitude, 11)
    return WORLD_VIEW


@login_required
@require_http_methods(["GET", "POST"])
def listing_photos(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a photo, or remove one (a POST naming `delete`)."""
    listing = get_object_or_404(Listing, slug=slug)
    permissions.require(request.user, Action.EDIT, listing)
    form = PhotoForm()
    if request.method == "POST" and "delete" in request.POST:
        photo = get_object_or_404(
            ListingPhoto, listing=listing, pk=request.POST.get("delete", "").strip() or 0
        )
        services.photo_delete(photo=photo, actor=request.user)
        messages.success(request, _("The photo is removed."))
        return redirect(photos_return(request, listing))
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.photo_add(
                    listing=listing,
                    upload=form.cleaned_data["image"],
                    alt_text=form.cleaned_data["alt_text"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("image", error)
            else:
                messages.success(request, _("The photo is added."))
                return redirect(photos_return(request, listing))
    context = {"listing": listing, "photos": listing.photos.all(), "form": form}
    return render(request, "directory/listing_photos.html", context, status=400 if form.errors else 200)


def photos_return(request: HttpRequest, listing: Listing) -> str:
    """Back to the edit page's photos when the form was sent from there, else to the photos page."""
    if request.POST.get("back") == "edit":
        return reverse("directory:listing_edit", kwargs={"slug": listing.slug}) + "#photos"
    return reverse("directory:listing_photos", kwargs={"slug": listing.slug})


@login_required
@require_http_methods(["GET", "POST"])
def listing_claim(request: HttpRequest, slug: str) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("node"), slug=slug)
    permissions.require(request.user, Action.CLAIM, listing)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claims.claim_create(
                    listing=listing, claimant=signed_in_user(request), message=form.cleaned_data["message"]
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Your claim is sent. The node's curators will decide, and we will e-mail you either way."),
            )
            return redirect(listing)
    context = {"form": form, "listing": listing}
    return render(request, "directory/listing_claim.html", context, status=400 if form.errors else 200)
