"""The console's forms: they say what fields a page takes and check their format; the services decide
the rest. Badge class and assertion choices are always limited to the hub whose page it is, so a
forged post naming another hub's id is an invalid choice."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from badges.models import AuditAction, BadgeClass, IssuerRole
from badges.services import alignments_validate, badge_image_validate, tags_validate
from console.audit_log import person_name
from console.bulk import MAX_BYTES
from console.selectors import STATUS_LABELS, account_by_email
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
    # Random for each blank form, so the same form posted twice (a double click, a browser's resubmit,
    # a retry after an error page) issues one badge.
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


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


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class AuditFilterForm(forms.Form):
    """Narrow the audit log to one kind of action, or to what one person did."""

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.ChoiceField(
            label=_("Action"), required=False, choices=[("", _("Every action")), *AuditAction.choices]
        )
        self.fields["person"] = PersonChoiceField(
            queryset=people, label=_("Done by"), required=False, empty_label=_("Anyone")
        )


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


# Owners' pages: people, the issuer profile; editors' pages: badge classes.


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("The address they sign in with; they need an account on this site first."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=IssuerRole.choices, initial=IssuerRole.STAFF)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = account_by_email(email)
        if user is None:
            raise forms.ValidationError(
                _(
                    "No account has the address %(email)s. Ask them to sign up (and verify their "
                    "address), then add them again."
                )
                % {"email": email}
            )
        return user


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=IssuerRole.choices)


def _image_checked(upload: UploadedFile | None) -> UploadedFile | None:
    """An uploaded image checked now, so a refusal shows beside the field; the service checks again."""
    if upload is not None:
        badge_image_validate(upload)
    return upload


class IssuerProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(label=_("Web address"), assume_scheme="https")
    email = forms.EmailField(
        label=_("Public e-mail"),
        help_text=_("Published in every badge as the issuer's contact; not the hub's private address."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    image = forms.FileField(
        label=_("Image (PNG or SVG)"),
        required=False,
        help_text=_("Leave empty to keep the current image. At most 2 MB."),
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication"),
        required=False,
        help_text=_(
            "Everyone working on this hub's badges, site administrators included, must then sign in "
            "with a code from an authenticator app; those who have not set one up are sent to do so."
        ),
    )

    def clean_image(self) -> UploadedFile | None:
        return _image_checked(self.cleaned_data.get("image"))


ALIGNMENT_LINE_FIELDS = ("targetName", "targetUrl", "targetFramework", "targetCode", "targetDescription")


def alignments_as_lines(alignments: list[dict[str, str]]) -> str:
    """Stored alignments as the form shows them: one a line, "name | url | framework | code | description",
    with the empty trailing parts left out."""
    lines = []
    for alignment in alignments:
        parts = [alignment.get(key, "") for key in ALIGNMENT_LINE_FIELDS]
        while len(parts) > 2 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def alignments_from_lines(text: str) -> list[dict[str, str]]:
    """The alignments typed one a line, checked as the service will store them."""
    alignments = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or len(parts) > len(ALIGNMENT_LINE_FIELDS):
            raise forms.ValidationError(
                _(
                    "Line %(number)d: write “name | web address”, optionally followed by "
                    "“| framework | code | description”."
                )
                % {"number": number}
            )
        alignments.append(dict(zip(ALIGNMENT_LINE_FIELDS, parts, strict=False)))
    return alignments_validate(alignments)


class BadgeClassForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the badge says its holder can do."),
    )
    image = forms.FileField(
        label=_("Image (PNG or SVG)"),
        help_text=_("Square, at most 2 MB and 4096 × 4096 pixels; the badges are baked into it."),
    )
    criteria_narrative = forms.CharField(
        label=_("Criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How to earn the badge. Markdown."),
    )
    criteria_url = forms.URLField(
        label=_("Criteria web address"),
        required=False,
        assume_scheme="https",
        help_text=_("A page describing the criteria, instead of or as well as the text above."),
    )
    alignments = forms.CharField(
        label=_("Alignments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Skills or standards the badge stands for, e.g. ESCO skills, one a line: "
            "name | web address | framework | code. Framework and code may be left out."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=3000,
        help_text=_("Separated by commas, e.g. laser cutting, digital fabrication."),
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        required=False,
        min_value=1,
        help_text=_("Badges of this class expire this many days after they are awarded; empty: never."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            image = self.fields["image"]
            image.required = False
            image.help_text = _("Leave empty to keep the current image.") + " " + str(image.help_text)

    @classmethod
    def initial_from(cls, badge_class: BadgeClass) -> dict[str, Any]:
        return {
            "name": badge_class.name,
            "description": badge_class.description,
            "criteria_narrative": badge_class.criteria_narrative,
            "criteria_url": badge_class.criteria_url,
            "alignments": alignments_as_lines(badge_class.alignments),
            "tags": ", ".join(badge_class.tags),
            "valid_days": badge_class.valid_days,
        }

    def clean_image(self) -> UploadedFile | None:
        return _image_checked(self.cleaned_data.get("image"))

    def clean_alignments(self) -> list[dict[str, str]]:
        return alignments_from_lines(self.cleaned_data["alignments"])

    def clean_tags(self) -> list[str]:
        return tags_validate(self.cleaned_data["tags"].split(","))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        has_criteria = data.get("criteria_narrative", "").strip() or data.get("criteria_url")
        if not has_criteria and "criteria_url" not in self.errors:
            # Said here too, so the refusal shows with the form's other errors rather than alone.
            self.add_error(
                "criteria_narrative",
                _("Say how to earn the badge: write the criteria, give the address of a page, or both."),
            )
        return data
