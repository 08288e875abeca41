"""The listing form's fields as HTML, written in Python.

Django renders each field through five or six small templates (the group, the label, the widget, its
attributes, each option), a millisecond or more per field: the listing form's thirty fields cost more than
its whole page may (make bench: 100 ms). This writes the same markup Django would, from the same widget
context, so ids, aria-describedby, aria-invalid and values stay exactly Django's.
"""

from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe

from directory.forms.widgets import QuickSelect, TermChecklist, attributes


def _option(option: dict[str, Any]) -> str:
    value = escape(str(option["value"]))
    return f'<option value="{value}"{attributes(option["attrs"])}>{escape(str(option["label"]))}</option>'


def _checkbox(option: dict[str, Any]) -> str:
    attrs = option["attrs"]
    label_for = f' for="{escape(attrs["id"])}"' if attrs.get("id") else ""
    value = escape(str(option["value"]))
    box = (
        f'<input type="{option["type"]}" name="{escape(option["name"])}" value="{value}"{attributes(attrs)}>'
    )
    return f"<div><label{label_for}>{box} {escape(str(option['label']))}</label></div>"


def widget_html(context: dict[str, Any]) -> str:
    """One widget from its template context (Widget.get_context()["widget"])."""
    template = context["template_name"]
    name, attrs = escape(context["name"]), context["attrs"]
    if template.endswith("textarea.html"):
        value = escape(str(context["value"])) if context["value"] else ""
        return f'<textarea name="{name}"{attributes(attrs)}>\n{value}</textarea>'
    if template.endswith("/select.html"):  # not checkbox_select.html
        options = "".join(_option(o) for _group, group, _i in context["optgroups"] for o in group)
        return f'<select name="{name}"{attributes(attrs)}>{options}</select>'
    if "optgroups" in context:  # checkboxes or radio buttons
        boxes = "".join(_checkbox(o) for _group, group, _i in context["optgroups"] for o in group)
        id_ = f' id="{escape(attrs["id"])}"' if attrs.get("id") else ""
        return f"<div{id_}>{boxes}</div>"
    value = "" if context["value"] is None else f' value="{escape(str(context["value"]))}"'
    return f'<input type="{escape(context["type"])}" name="{name}"{value}{attributes(attrs)}>'


def _widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, QuickSelect | TermChecklist):
        return str(field)
    # What BoundField.as_widget does before it hands over to the widget's templates.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    return widget_html(context)


def field_group(field: forms.BoundField) -> SafeString:
    """A field's label (or legend), help text, errors and widget, in a div Django's field.html would
    write without the div."""
    help_text = ""
    if field.help_text:
        help_id = f' id="{escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{escape(str(field.help_text))}</div>'
    # An empty error list renders nothing; a full one is rare enough for Django's own template.
    errors = str(field.errors) if field.errors else ""
    body = f"{help_text}{errors}{_widget(field)}"
    label = escape(str(field.label))
    if field.use_fieldset:
        html = f'<fieldset class="field"><legend>{label}</legend>{body}</fieldset>'
    else:
        label_for = f' for="{escape(field.id_for_label)}"' if field.id_for_label else ""
        html = f'<div class="field"><label{label_for}>{label}</label>{body}</div>'
    # Safe: every value that is not a literal went through escape(), and Django's ErrorList is safe.
    return mark_safe(html)
