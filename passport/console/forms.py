"""The console's forms: they say what fields a page takes and check their format; the services decide
the rest. Badge class and assertion choices are always limited to the hub whose page it is, so a
forged post naming another hub's id is an invalid choice."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeClass
from passport.console.bulk import MAX_BYTES
from passport.console.selectors import STATUS_LABELS
from passport.models import Assertion, VerificationType
from passport.services import MAX_REASON_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker sends and expects ISO dates whatever the page's language.
        super().__init__(attrs, format="%Y-%m-%d")


def _badge_class_field(
    badge_classes: QuerySet[BadgeClass], *, required: bool = True
) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=badge_classes,
        label=_("Badge class"),
        required=required,
        empty_label=_("Choose a badge class") if required else _("Any badge class"),
    )


VERIFICATION_HELP = _(
    "Hosted badges are checked against this site. Signed badges carry the hub's signature, so they "
    "can be checked even when this site is offline."
)


class AwardOptionsForm(forms.Form):
    """What every award of a page shares: the hub's badge class, hosted or signed, and an expiry."""

    badge_class = forms.ModelChoiceField(queryset=BadgeClass.objects.none())
    verification = forms.ChoiceField(
        label=_("Verification"),
        choices=VerificationType.choices,
        initial=VerificationType.HOSTED,
        widget=forms.RadioSelect,
        help_text=VERIFICATION_HELP,
    )
    expires = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to use the badge class's validity period, if it has one."),
    )

    def __init__(self, *args: Any, badge_classes: QuerySet[BadgeClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["badge_class"] = _badge_class_field(badge_classes)


class IssueForm(AwardOptionsForm):
    field_order = [
        "badge_class", "recipient_email", "recipient_name", "evidence_url", "narrative",
        "verification", "expires",
    ]  # fmt: skip
    recipient_email = forms.EmailField(
        label=_("Earner's e-mail address"),
        help_text=_("The badge is sent here; afterwards only a salted hash of the address is kept."),
    )
    recipient_name = forms.CharField(label=_("Earner's name"), max_length=200, required=False)
    evidence_url = forms.URLField(
        label=_("Evidence web address"),
        max_length=500,
        assume_scheme="https",
        required=False,
        help_text=_("A page showing the work, e.g. photos of the finished piece."),
    )
    narrative = forms.CharField(
        label=_("How it was earned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the badge's page. Markdown."),
    )


class BulkUploadForm(AwardOptionsForm):
    field_order = ["badge_class", "verification", "expires", "file"]
    expires = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput,
        help_text=_("For every badge of the file. Leave empty to use the badge class's validity period."),
    )
    file = forms.FileField(
        label=_("CSV file (UTF-8)"),
        help_text=_("Columns: email, name, evidence, narrative, issued date. Only email is required."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)d MB: split it into several uploads.")
                % {"megabytes": MAX_BYTES // (1024 * 1024)}
            )
        return bytes(upload.read())


class BulkConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AssertionFilterForm(forms.Form):
    recipient = forms.CharField(
        label=_("Recipient"),
        required=False,
        max_length=254,
        help_text=_("Part of a name, or a whole e-mail address."),
    )
    badge_class = forms.ModelChoiceField(queryset=BadgeClass.objects.none())
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *((status.value, label) for status, label in STATUS_LABELS.items())],
    )
    issued_from = forms.DateField(label=_("Issued from"), required=False, widget=DateInput)
    issued_to = forms.DateField(label=_("Issued until"), required=False, widget=DateInput)
    batch = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, badge_classes: QuerySet[BadgeClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["badge_class"] = _badge_class_field(badge_classes, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verifiers show it to whoever checks the badge. Revoking cannot be undone."),
    )


class AssertionsSelectForm(forms.Form):
    """Assertions picked on the list for a bulk action, by public id, among the hub's own."""

    assertions = forms.ModelMultipleChoiceField(
        queryset=Assertion.objects.none(),
        to_field_name="public_id",
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select at least one badge.")},
    )

    def __init__(self, *args: Any, assertions: QuerySet[Assertion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assertions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = assertions


class BulkRevokeForm(AssertionsSelectForm, RevokeForm):
    pass


class ResendForm(forms.Form):
    recipient_email = forms.EmailField(
        label=_("Earner's e-mail address"),
        required=False,
        help_text=_(
            "Only a hash of it was kept, so type it again; it must be the address the badge was sent to."
        ),
    )
