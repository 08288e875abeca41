"""The form visitors write to a listing with. It asks only for what the visitor gives; the listing's
address is never part of it."""

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import ContactMessage


def _max_length(field_name: str) -> int | None:
    """The length the table allows, so the form refuses what could not be stored."""
    field = ContactMessage._meta.get_field(field_name)
    return field.max_length if isinstance(field, models.Field) else None


# Name and address go into e-mail headers, where a line break would start a header of its own.
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f]"


class ContactForm(forms.Form):
    sender_name = forms.CharField(
        label=_("Your name"),
        max_length=_max_length("sender_name"),
        validators=[
            RegexValidator(
                CONTROL_CHARACTERS, inverse_match=True, message=_("Please write your name on one line.")
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=_max_length("sender_email"),
        validators=[
            RegexValidator(CONTROL_CHARACTERS, inverse_match=True, message=_("Enter a valid email address."))
        ],
        help_text=_("They will see it, so they can reply to you. We send you a copy of your message."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=_max_length("body"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # A honeypot: hidden from people and from assistive technology, so only robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
