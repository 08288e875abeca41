"""API keys in the admin: creating one shows its token once; keys are revoked, never edited or deleted,
so the record of who had access stays."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from api.keys import services
from api.keys.models import APIKey, APIKeyScope


class APIKeyCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=APIKeyScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = APIKey
        fields = ["name", "scopes", "issuer", "expires_at"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                services.api_key_check(
                    name=cleaned["name"],
                    scopes=cleaned["scopes"],
                    issuer=cleaned.get("issuer"),
                    expires_at=cleaned.get("expires_at"),
                    created_by=self.user,
                )
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return cleaned

    def _post_clean(self) -> None:
        # The service builds and checks the key (its prefix and hash), not the model form.
        pass


def partial_form(form: type[APIKeyCreateForm], **bound: Any) -> Any:
    """The admin instantiates the form class itself; this hands it the person asking as well."""

    class WithUser(form):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **bound, **kwargs)

    return WithUser


@admin.register(APIKey)
class APIKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "issuer", "scope_list", "status_label", "last_used_at", "expires_at"]
    list_filter = ["issuer"]
    search_fields = ["name", "prefix"]
    readonly_fields = [
        "name", "prefix", "scopes", "issuer", "created_by", "created_at", "expires_at", "revoked_at",
        "last_used_at",
    ]  # fmt: skip
    actions = ["revoke_keys"]

    @admin.display(description=_("scopes"))
    def scope_list(self, key: APIKey) -> str:
        return ", ".join(key.scopes)

    @admin.display(description=_("status"))
    def status_label(self, key: APIKey) -> str:
        return str(key.status.label)

    def get_form(
        self, request: HttpRequest, obj: APIKey | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            form = super().get_form(request, obj, change=change, form=APIKeyCreateForm, **kwargs)
            return partial_form(form, user=request.user)  # type: ignore[arg-type]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: APIKey | None = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: APIKey | None = None) -> Any:
        return self.readonly_fields if obj is not None else ["name", "scopes", "issuer", "expires_at"]

    def save_model(self, request: HttpRequest, obj: APIKey, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        key, token = services.api_key_create(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            issuer=form.cleaned_data["issuer"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = key.pk
        messages.warning(
            request,
            _("The key for “%(name)s” is %(token)s. Copy it now: it will not be shown again.")
            % {"name": key.name, "token": token},
        )

    def has_delete_permission(self, request: HttpRequest, obj: APIKey | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[APIKey]) -> None:
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            services.api_key_revoke(key=key)
            revoked += 1
        self.message_user(request, _("%(count)d API keys revoked.") % {"count": revoked}, messages.SUCCESS)
