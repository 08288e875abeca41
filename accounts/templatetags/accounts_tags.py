"""How the account pages (allauth's, in templates/allauth/elements/) draw a form field."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def described_widget(field: BoundField) -> SafeString:
    """The field's input, described by its errors (read first: they say what to fix) and its help text,
    whose ids the fields template gives them; Django alone would name only the help text."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    attrs: dict[str, str | bool] | None = {"aria-describedby": " ".join(ids)} if ids else None
    # allauth writes the label into the placeholder of the forms it means to show unlabelled; beside
    # the visible label it only repeats it, and reads as text already typed.
    if str(field.field.widget.attrs.get("placeholder", "")).lower() == str(field.label).lower():
        del field.field.widget.attrs["placeholder"]
    return field.as_widget(attrs=attrs)
