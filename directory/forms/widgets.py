"""Form widgets: the place field other domains' forms use (public in pyproject's import contracts), and
the listing form's widgets that render their options in Python.

Django renders every option of a select or a checkbox list through a template of its own: the listing
form's few hundred terms and two hundred and fifty countries cost about half a second that way. These
widgets build the same HTML with the standard library's escape, from data read once, and keep Django's
value handling (value_from_datadict, format_value) untouched.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.safestring import SafeString, mark_safe

from makeworks.lib.text import fold


def attributes(attrs: dict[str, Any]) -> str:
    """HTML attributes as Django's flatatt writes them: True as a bare name, False and None left out."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {escape(key)}")
        elif value is not False and value is not None:
            parts.append(f' {escape(key)}="{escape(str(value))}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """A select whose options are written in Python: the country list has 250 of them."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            options.append(f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>')
        # Safe: every value that is not a literal went through escape().
        return mark_safe(f'<select name="{escape(name)}"{attributes(final)}>{"".join(options)}</select>')


@dataclass(frozen=True)
class TermOption:
    pk: int
    label: str
    # Folded words the picker's filter matches: the term's names and its broader term's.
    keywords: str


def term_options(rows: Iterable[tuple[int, str, str, int | None]], *, french: bool) -> list[TermOption]:
    """Options from (id, name, name_fr, parent_id) rows, labelled in the page's language."""
    rows = list(rows)
    by_id = {pk: (name, name_fr) for pk, name, name_fr, _parent in rows}
    options = []
    for pk, name, name_fr, parent_id in rows:
        label = name_fr if french and name_fr else name
        parent = by_id.get(parent_id, ("", "")) if parent_id else ("", "")
        # The label first, so the folded keywords also sort the options in the page's language.
        # Folded one by one: fold() is quick on the many plain-ASCII names, slow on the rest.
        keywords = " ".join(fold(part) for part in (label, name, name_fr, *parent) if part)
        options.append(TermOption(pk, label, keywords))
    return sorted(options, key=lambda option: option.keywords)


class TermChecklist(forms.CheckboxSelectMultiple):
    """One vocabulary's terms as a list of checkboxes, from options the form read in one query for all
    four vocabularies. Works as plain checkboxes without JavaScript; listing-form.js adds the filter."""

    def __init__(self, options: Sequence[TermOption] = (), attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.term_options = list(options)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in (value or [])}
        base_id = (attrs or {}).get("id") or f"id_{name}"
        items = []
        for index, option in enumerate(self.term_options):
            checked = " checked" if str(option.pk) in chosen else ""
            items.append(
                f'<li data-term="{escape(option.keywords)}"><label for="{escape(base_id)}_{index}">'
                f'<input type="checkbox" name="{escape(name)}" value="{option.pk}" '
                f'id="{escape(base_id)}_{index}"{checked}> {escape(option.label)}</label></li>'
            )
        # Safe: every value that is not a literal or a number went through escape().
        return mark_safe(f'<ul class="term-options" id="{escape(base_id)}">{"".join(items)}</ul>')

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        # The list itself has the id: a fieldset's legend names the group, no label points at it.
        return ""


class PlaceInput(forms.TextInput):
    """A text field for a town that static/js/places.js turns into a list of suggestions as one types.

    The contract with the script is one attribute, data-place-suggest="<the suggestions URL>"; without
    JavaScript it stays a plain text field, which the place resolver reads as typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's own autofill list would cover ours.
        defaults = {"data-place-suggest": reverse_lazy("directory:place_suggest"), "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})
