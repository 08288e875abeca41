"""Awarded badges in the back office: read-only records; revoking goes through passport.services, so it
is checked and recorded as everywhere else. Badges are awarded with `manage.py issue_badge`."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from passport import selectors, services
from passport.models import Affiliation, Assertion, ExternalBadge, Passport
from passport.services import MAX_REASON_LENGTH

# The plain e-mail waiting to be sent is left out: staff have no need to read it.
ASSERTION_FIELDS: tuple[str, ...] = (
    "public_link",
    "badge_class",
    "recipient_name",
    "recipient_identity",
    "recipient_salt",
    "email_pending",
    "issued_on",
    "expires",
    "verification_type",
    "signing_key",
    "jws",
    "narrative",
    "evidence_url",
    "evidence_narrative",
    "revoked",
    "revocation_reason",
    "revoked_at",
    "baked_image",
    "baked_at",
    "emailed_at",
    "created_at",
)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verifiers show it to whoever checks the badge."),
    )


@admin.register(Assertion)
class AssertionAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "badge_class",
        "issuer",
        "verification_type",
        "issued_on",
        "expires",
        "revoked",
    ]
    list_filter = ["verification_type", "revoked", "badge_class__issuer"]
    search_fields = ["public_id", "recipient_name", "badge_class__name"]
    list_select_related = ["badge_class__issuer"]
    date_hierarchy = "issued_on"
    actions = ["revoke_selected"]
    fields = ASSERTION_FIELDS
    readonly_fields = ASSERTION_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Assertion | None = None) -> bool:
        return False

    # An awarded badge is revoked, never deleted: its URL must keep telling verifiers why it stopped.
    def has_delete_permission(self, request: HttpRequest, obj: Assertion | None = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("passport.change_assertion")

    @admin.display(description=_("issuer"), ordering="badge_class__issuer__name")
    def issuer(self, assertion: Assertion) -> str:
        return assertion.badge_class.issuer.name

    @admin.display(description=_("public page"))
    def public_link(self, assertion: Assertion) -> str:
        url = selectors.assertion_url(assertion)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("award e-mail waiting"), boolean=True)
    def email_pending(self, assertion: Assertion) -> bool:
        return bool(assertion.pending_email)

    @admin.action(description=_("Revoke the selected assertions"), permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Assertion]) -> HttpResponse | None:
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            revoked = 0
            for assertion in queryset.filter(revoked=False):
                try:
                    services.assertion_revoke(
                        assertion=assertion, reason=form.cleaned_data["reason"], actor=request.user
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    revoked += 1
            self.message_user(
                request,
                ngettext("%(count)d assertion revoked.", "%(count)d assertions revoked.", revoked)
                % {"count": revoked},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke assertions"),
            "opts": self.model._meta,
            "form": form,
            "assertions": queryset.select_related("badge_class"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "passport/admin/revoke_assertions.html", context)


@admin.register(Passport)
class PassportAdmin(admin.ModelAdmin):
    """Passports are the members' own: staff may read them (to answer questions) but not change them."""

    list_display = ["handle", "display_name", "visibility", "location", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["handle", "display_name", "user__email"]
    readonly_fields = [field.name for field in Passport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Passport | None = None) -> bool:
        return False


@admin.register(ExternalBadge)
class ExternalBadgeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "passport", "state", "visibility", "checked_at"]
    list_filter = ["state", "visibility", "source"]
    search_fields = ["assertion_url", "passport__handle"]
    readonly_fields = [field.name for field in ExternalBadge._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExternalBadge | None = None) -> bool:
        return False


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["passport", "listing", "role", "start_date", "end_date", "confirmed_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["passport__handle", "listing__name", "role"]
    list_select_related = ["passport", "listing"]
    readonly_fields = [field.name for field in Affiliation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Affiliation | None = None) -> bool:
        return False
