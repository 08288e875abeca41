"""The curators' back office. Listing writes go through directory.services, never plain saves, so the
search index always matches what the admin shows."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import search, services
from directory.models import Listing, ListingPhoto, ListingStatus, Node, Place, Term
from directory.views import opendata
from makeworks.lib.admin import HttpsUrlsAdmin
from makeworks.lib.images import image_intake


@admin.register(Node)
class NodeAdmin(HttpsUrlsAdmin):
    list_display = ["name", "name_fr", "country", "slug"]
    list_filter = ["country"]
    search_fields = ["name", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["curators"]
    # Adds the "Import listings" button to a node's page.
    change_form_template = "directory/admin/node_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        import_listings = path(
            "<int:node_id>/import-listings/",
            self.admin_site.admin_view(self.import_listings_view),
            name="directory_node_import_listings",
        )
        return [import_listings, *super().get_urls()]

    def import_listings_view(self, request: HttpRequest, node_id: int) -> HttpResponse:
        return opendata.node_import_listings(
            request, node_id=node_id, admin_context=dict(self.admin_site.each_context(request))
        )


@admin.register(Term)
class TermAdmin(HttpsUrlsAdmin):
    list_display = ["name", "name_fr", "vocabulary", "parent", "slug"]
    list_filter = ["vocabulary"]
    search_fields = ["name", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: Term, form: ModelForm, change: bool) -> None:
        services.term_save(term=obj)

    def delete_model(self, request: HttpRequest, obj: Term) -> None:
        services.term_delete(term=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Term]) -> None:
        for term in queryset:
            services.term_delete(term=term)


class ListingPhotoForm(forms.ModelForm):
    class Meta:
        model = ListingPhoto
        fields = ["image", "alt_text", "position"]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and not isinstance(image, FieldFile):
            # Refused here, beside the field; services.photo_add re-encodes it when the formset is saved.
            image_intake(image, what=str(_("The photo")))
        return image


class ListingPhotoInline(admin.TabularInline):
    model = ListingPhoto
    form = ListingPhotoForm
    extra = 1
    fields = ["image", "alt_text", "position"]


@admin.register(Listing)
class ListingAdmin(HttpsUrlsAdmin):
    list_display = ["name", "kind", "node", "city", "country", "status", "verified", "updated_at"]
    list_filter = ["status", "verified", "kind", "node"]
    search_fields = ["name", "slug", "city", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["terms"]
    list_select_related = ["node"]
    inlines = [ListingPhotoInline]
    actions = ["publish_selected"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "verified", "node", "summary", "description"]}),
        (_("What they do"), {"fields": ["terms", "circularity", "certifications"]}),
        (_("Where"), {"fields": ["address", "city", "postcode", "country", "latitude", "longitude"]}),
        (_("Online"), {"fields": ["website", "social_links", "video_url"]}),
        (_("Private contact (never shown on the site)"), {"fields": ["contact_email", "contact_phone"]}),
        (
            _("How they work"),
            {
                "fields": [
                    "year_founded",
                    "team_size",
                    "minimum_order",
                    "lead_time",
                    "batch_sizes",
                    "works_with",
                    "production_access",
                    "languages",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Listing, form: ModelForm, change: bool) -> None:
        fields = {name: getattr(obj, name) for name in services.LISTING_FIELDS}
        if change:
            # The form has already changed `obj`; the stored row is what the history compares against.
            services.listing_update(listing=Listing.objects.get(pk=obj.pk), actor=request.user, **fields)
            return
        created = services.listing_create(slug=obj.slug, actor=request.user, **fields)
        # The admin keeps using its own instance for the inlines and the many-to-many fields.
        obj.pk = created.pk
        obj._state.adding = False
        obj._state.db = created._state.db
        obj.created_at, obj.updated_at = created.created_at, created.updated_at

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Terms are saved with the related objects, after save_model indexed the listing without them.
        search.index_listings([form.instance.pk])

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: Any, change: bool) -> None:
        if formset.model is not ListingPhoto:
            super().save_formset(request, form, formset, change)
            return
        # New photos go through services.photo_add, which makes their thumbnails; deletions remove files.
        # The three lists are what the admin's change message reads, as formset.save() would set them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for photo_form in formset.forms:
            data = getattr(photo_form, "cleaned_data", None)
            if not data:
                continue
            photo = photo_form.instance
            if data.get("DELETE"):
                if photo.pk:
                    services.photo_delete(photo=photo, actor=request.user)
                    formset.deleted_objects.append(photo)
            elif photo.pk is None or "image" in photo_form.changed_data:
                # A replaced picture is a new photo: only photo_add stores images, re-encoded.
                if photo.pk is not None:
                    services.photo_delete(photo=ListingPhoto.objects.get(pk=photo.pk), actor=request.user)
                added = services.photo_add(
                    listing=form.instance,
                    upload=data["image"],
                    alt_text=data.get("alt_text", ""),
                    position=data.get("position"),
                    actor=request.user,
                )
                formset.new_objects.append(added)
            elif photo_form.has_changed():
                photo_form.save()
                formset.changed_objects.append((photo, photo_form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Listing) -> None:
        services.listing_delete(listing=obj, actor=request.user)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Listing]) -> None:
        for listing in queryset:
            services.listing_delete(listing=listing, actor=request.user)

    @admin.action(description=_("Publish the selected listings"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Listing]) -> None:
        count = 0
        for listing in queryset.exclude(status=ListingStatus.PUBLISHED):
            services.listing_publish(listing=listing, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d listing published.", "%(count)d listings published.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name", "names__key"]
    readonly_fields = ["geonames_id"]

    def save_model(self, request: HttpRequest, obj: Place, form: ModelForm, change: bool) -> None:
        # The key of its name is what "near" looks it up by, so it always follows the name.
        services.place_save(place=obj)
