"""Helpers for the forms of every domain's pages."""

from django import forms
from django.core.exceptions import ValidationError


def form_errors_from(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form that asked for the change: each message beside its field when
    the form has that field, above the form otherwise. Services raise ValidationError keyed by their own
    argument names, which the forms share where they can."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)
