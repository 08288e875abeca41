"""The back office for issuers, signing keys, badge classes and who works on each issuer. Every write goes
through badges.services; private keys are never shown and nothing a badge was verified against is deleted.
The issuers' audit log is read in the audit app's admin, where nothing can be added, changed or deleted."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from badges import services
from badges.models import (
    BadgeClass,
    Endorsement,
    Issuer,
    IssuerMembership,
    SigningKey,
    SigningKeyStatus,
)
from badges.services.endorsements import endorsement_withdraw
from makeworks.lib.admin import HttpsUrlsAdmin


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Model form fields as Django makes them, except that a web address typed without a scheme is https
    (the admin classes below do the same through HttpsUrlsAdmin; this covers the forms on their own)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class IssuerForm(forms.ModelForm):
    # A plain file field: the issuer image may be an SVG, which Django's ImageField would refuse.
    image = forms.FileField(label=_("Image (PNG or SVG)"), required=False)

    class Meta:
        model = Issuer
        fields = ["listing", "name", "url", "email", "description", "image"]
        formfield_callback = _formfield

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            services.badge_image_validate(image)
        return image


class SigningKeyInline(admin.TabularInline):
    model = SigningKey
    fields = ["public_id", "status", "created_at", "revoked_at"]
    readonly_fields = ["public_id", "status", "created_at", "revoked_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IssuerMembershipInline(admin.TabularInline):
    """Who works on the issuer, to read here; roles are given and changed on the memberships' own pages,
    where the services check that the issuer keeps an owner."""

    model = IssuerMembership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Issuer)
class IssuerAdmin(HttpsUrlsAdmin):
    form = IssuerForm
    list_display = ["name", "listing", "email", "slug", "created_at"]
    search_fields = ["name", "slug", "listing__name"]
    autocomplete_fields = ["listing"]
    readonly_fields = ["slug", "created_at"]
    inlines = [SigningKeyInline]
    actions = ["rotate_keys"]

    def get_inlines(self, request: HttpRequest, obj: Issuer | None) -> list[type[InlineModelAdmin]]:
        # A new issuer has nobody yet; its people are listed once it exists.
        return [*self.inlines, IssuerMembershipInline] if obj else list(self.inlines)

    def get_readonly_fields(self, request: HttpRequest, obj: Issuer | None = None) -> list[str]:
        # The hub an issuer speaks for is fixed once badges carry its id.
        return [*self.readonly_fields, "listing"] if obj else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Issuer, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        image = data.get("image") if "image" in form.changed_data else None
        fields = {
            "name": data["name"],
            "url": data["url"],
            "email": data["email"],
            "description": data.get("description", ""),
            "image": image if hasattr(image, "content_type") else None,
        }
        if change:
            services.issuer_update(issuer=Issuer.objects.get(pk=obj.pk), actor=request.user, **fields)
            return
        created = services.issuer_create(listing=data["listing"], **fields)
        # The admin goes on with its own instance (for the message and the redirect).
        obj.pk, obj.slug, obj.created_at = created.pk, created.slug, created.created_at
        obj._state.adding = False
        obj._state.db = created._state.db

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Give the selected issuers a new signing key (the old one is retired)"))
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[Issuer]) -> None:
        for issuer in queryset:
            services.signing_key_rotate(issuer=issuer, actor=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d issuer has a new signing key.", "%(count)d issuers have a new signing key.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["public_id", "issuer", "status", "created_at", "revoked_at"]
    list_filter = ["status"]
    search_fields = ["public_id", "issuer__name"]
    # The encrypted private key is not in this list, so no admin page ever shows it.
    fields = ["issuer", "public_id", "status", "created_at", "revoked_at", "public_key_pem"]
    readonly_fields = ["issuer", "public_id", "status", "created_at", "revoked_at", "public_key_pem"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(
        description=_("Revoke the selected keys (compromised: their badges stop verifying)"),
        permissions=["revoke"],
    )
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[SigningKey]) -> None:
        count = 0
        for key in queryset.exclude(status=SigningKeyStatus.REVOKED):
            services.signing_key_revoke(key=key, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        # Revoking is the one write on keys; whoever may change issuers may do it.
        return request.user.has_perm("badges.change_issuer")


class BadgeClassForm(forms.ModelForm):
    image = forms.FileField(label=_("Image (PNG or SVG)"))
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas, e.g. welding, safety.")
    )

    class Meta:
        model = BadgeClass
        formfield_callback = _formfield
        fields = [
            "issuer",
            "name",
            "description",
            "image",
            "criteria_narrative",
            "criteria_url",
            "alignments",
            "tags",
            "valid_days",
        ]
        help_texts = {
            "alignments": _(
                'A JSON list of objects, e.g. [{"targetName": "Weld metal", '
                '"targetUrl": "https://esco.ec.europa.eu/...", '
                '"targetFramework": "ESCO", "targetCode": "..."}].'
            )
        }

    def clean_image(self) -> Any:
        image = self.cleaned_data["image"]
        services.badge_image_validate(image)
        return image

    def clean_alignments(self) -> Any:
        alignments = self.cleaned_data.get("alignments") or []
        if not isinstance(alignments, list):
            raise ValidationError(_("Alignments must be a JSON list of objects."))
        return services.alignments_validate(alignments)

    def clean_tags(self) -> list[str]:
        return services.tags_validate(self.cleaned_data.get("tags", "").split(","))


@admin.register(BadgeClass)
class BadgeClassAdmin(HttpsUrlsAdmin):
    form = BadgeClassForm
    list_display = ["name", "issuer", "public_id", "valid_days", "created_at"]
    list_filter = ["issuer"]
    search_fields = ["name", "public_id", "description"]
    autocomplete_fields = ["issuer"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Awarded badges point at this class; the spec asks for a new class, not an edit, when it changes.
        return False

    def save_model(self, request: HttpRequest, obj: BadgeClass, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        created = services.badge_class_create(
            issuer=data["issuer"],
            name=data["name"],
            description=data["description"],
            image=data["image"],
            criteria_narrative=data.get("criteria_narrative", ""),
            criteria_url=data.get("criteria_url", ""),
            alignments=data.get("alignments") or [],
            tags=data.get("tags") or [],
            valid_days=data.get("valid_days"),
            actor=request.user,
        )
        obj.pk, obj.public_id, obj.created_at = created.pk, created.public_id, created.created_at
        obj._state.adding = False
        obj._state.db = created._state.db

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IssuerMembershipForm(forms.ModelForm):
    class Meta:
        model = IssuerMembership
        fields = ["issuer", "user", "role"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The instance still holds the stored role here, so the last-owner rule sees what is being changed.
        if self.instance.pk is not None and cleaned.get("role"):
            services.issuer_member_check(membership=self.instance, role=cleaned["role"])
        return cleaned


@admin.register(IssuerMembership)
class IssuerMembershipAdmin(admin.ModelAdmin):
    """Site administrators give people roles for issuers; every change goes through the membership
    services, so it is checked (an issuer keeps an owner) and written to the issuer's audit log."""

    form = IssuerMembershipForm
    list_display = ["user", "issuer", "role", "created_at"]
    list_filter = ["role", "issuer"]
    search_fields = ["user__username", "user__email", "issuer__name"]
    list_select_related = ["user", "issuer"]
    autocomplete_fields = ["issuer", "user"]
    actions = ["remove_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: IssuerMembership | None = None) -> list[str]:
        # A membership is one person at one issuer; someone else, or another issuer, is a new membership.
        return ["issuer", "user", "created_at"] if obj else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Django's bulk delete would skip the services, and so the last-owner rule and the audit log.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: IssuerMembership, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.issuer_member_change(membership=obj, role=data["role"], actor=request.user)
            return
        created = services.issuer_member_add(
            issuer=data["issuer"], user=data["user"], role=data["role"], actor=request.user
        )
        # The admin goes on with its own instance (for the message and the redirect).
        obj.pk, obj.created_at = created.pk, created.created_at
        obj._state.adding = False
        obj._state.db = created._state.db

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        membership = self.get_object(request, unquote(object_id))
        if membership is not None:
            try:
                services.issuer_member_check(membership=membership, role=None)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:badges_issuermembership_change", args=[membership.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: IssuerMembership) -> None:
        services.issuer_member_remove(membership=obj, actor=request.user)

    @admin.action(description=_("Take the selected people's roles away"), permissions=["delete"])
    def remove_selected(self, request: HttpRequest, queryset: QuerySet[IssuerMembership]) -> None:
        removed = 0
        for membership in queryset.select_related("issuer", "user"):
            try:
                services.issuer_member_remove(membership=membership, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                removed += 1
        if removed:
            self.message_user(
                request,
                ngettext("%(count)d role taken away.", "%(count)d roles taken away.", removed)
                % {"count": removed},
                messages.SUCCESS,
            )


ENDORSEMENT_FIELDS = (
    "public_id",
    "endorser",
    "badge_class",
    "accepted_as",
    "comment",
    "issued_on",
    "withdrawn_at",
    "created_by",
)


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    """Endorsements, to read and to withdraw: hubs' owners give them in the console, and one stays once
    withdrawn so that its public URL keeps saying so."""

    list_display = ["endorser", "badge_class", "accepted_as", "issued_on", "withdrawn_at"]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["public_id", "endorser__name", "badge_class__name", "badge_class__issuer__name"]
    list_select_related = ["endorser", "badge_class", "accepted_as"]
    fields = ENDORSEMENT_FIELDS
    readonly_fields = ENDORSEMENT_FIELDS
    actions = ["withdraw_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Withdraw the selected endorsements"), permissions=["withdraw"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Endorsement]) -> None:
        count = 0
        for endorsement in queryset.filter(withdrawn_at__isnull=True):
            endorsement_withdraw(endorsement=endorsement, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d endorsement withdrawn.", "%(count)d endorsements withdrawn.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        # Withdrawing is the one write on endorsements; whoever may change issuers may do it.
        return request.user.has_perm("badges.change_issuer")
