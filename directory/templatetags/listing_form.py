"""The listing form's fields, rendered in Python (directory.forms.rendering) for its time budget."""

from django import forms, template
from django.utils.safestring import SafeString

from directory.forms.rendering import field_group

register = template.Library()


@register.simple_tag
def listing_field(field: forms.BoundField) -> SafeString:
    return field_group(field)
