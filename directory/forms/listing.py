"""Forms for the people who look after listings: owners editing, members proposing and claiming,
curators deciding. They validate input; the services do the writing."""

import contextlib
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.core.validators import URLValidator
from django.db.models import Field, QuerySet, URLField
from django.forms.models import fields_for_model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from directory.forms.widgets import QuickSelect, TermChecklist, term_options
from directory.models import (
    BatchSize,
    Clientele,
    Listing,
    Node,
    ProductionAccess,
    Term,
    Vocabulary,
    prefers_french,
)
from makeworks.lib.video import parse_video

# What an owner edits. Status, verification, node and external id belong to curators and imports.
OWNER_FIELDS = [
    "name", "kind", "summary", "description", "address", "city", "postcode", "country", "latitude",
    "longitude", "website", "contact_email", "contact_phone", "year_founded", "team_size",
    "minimum_order", "lead_time", "circularity", "video_url",
]  # fmt: skip
LIST_LIMIT = 20
TERM_FIELDS = {vocabulary.value: f"{vocabulary.value}_terms" for vocabulary in Vocabulary}
# The edit page's sections, in order: (anchor, heading, fields). Photos follow as a form of their own.
SECTIONS = (
    ("basics", gettext_lazy("The basics"), ("name", "kind", "summary", "description")),
    ("place", gettext_lazy("Place"), ("address", "city", "postcode", "country", "latitude", "longitude")),
    ("terms", gettext_lazy("What you work with"), tuple(TERM_FIELDS.values())),
    ("details", gettext_lazy("Details"), (
        "year_founded", "team_size", "minimum_order", "lead_time", "batch_sizes", "works_with",
        "production_access", "languages", "certifications", "circularity", "video_url",
    )),
    ("contact", gettext_lazy("Contact"), ("website", "contact_email", "contact_phone", "social_links")),
)  # fmt: skip
# The first step of a new listing: enough to find it (what, where, a few terms); the rest comes after.
FIRST_STEP = ("node", "name", "kind", "city", "country", "latitude", "longitude", *TERM_FIELDS.values())


def _https_by_default(field: "Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    """A web address typed without a scheme is taken as https, as Django 6 will do by default."""
    if isinstance(field, URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


# The country list in each language, named and sorted once: django-countries sorts it on every reading.
_COUNTRY_CHOICES: dict[str, list[tuple[str, str]]] = {}


def _country_choices(language: str, field: forms.ChoiceField) -> list[tuple[str, str]]:
    if language not in _COUNTRY_CHOICES:
        choices: Iterable[tuple[Any, Any]] = field.widget.choices
        _COUNTRY_CHOICES[language] = [(str(value), str(label)) for value, label in choices]
    return _COUNTRY_CHOICES[language]


class ListingForm(forms.Form):
    """Every field of a listing its owners may change, with its terms per vocabulary. Built from the
    model's own fields, so lengths and choices never drift from what the database accepts."""

    batch_sizes = forms.MultipleChoiceField(
        label=gettext_lazy("Batch sizes"),
        choices=BatchSize.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    works_with = forms.MultipleChoiceField(
        label=gettext_lazy("Works with"),
        choices=Clientele.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    production_access = forms.MultipleChoiceField(
        label=gettext_lazy("Production access"),
        choices=ProductionAccess.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages spoken"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Language codes separated by commas, for example: en, fr, de."),
    )
    certifications = forms.CharField(
        label=gettext_lazy("Certifications"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    social_links = forms.CharField(
        label=gettext_lazy("Social links"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One web address per line."),
    )

    def __init__(self, *args: Any, listing: Listing | None = None, with_node: bool = False, **kwargs: Any):
        if listing is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(listing)
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(Listing, fields=OWNER_FIELDS, formfield_callback=_https_by_default)
        for name in reversed(OWNER_FIELDS):
            self.fields = {name: model_fields[name], **self.fields}
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 8})
        self.fields["circularity"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["contact_email"].help_text = _(
            "Never shown on the site: visitors write to it through the contact form."
        )
        self._place_fields()
        if with_node:
            self.fields = {
                "node": forms.ModelChoiceField(
                    label=_("Node"),
                    queryset=Node.objects.order_by("name"),
                    help_text=_("The regional node whose curators will review the listing."),
                ),
                **self.fields,
            }
        # Every vocabulary's terms in one query for the page; each field's queryset only validates a POST.
        rows: dict[str, list[tuple[int, str, str, int | None]]] = {}
        columns = ("vocabulary", "id", "name", "name_fr", "parent_id")
        for vocabulary, *row in Term.objects.order_by().values_list(*columns):
            rows.setdefault(vocabulary, []).append(tuple(row))
        french = prefers_french()
        for vocabulary, label in Vocabulary.choices:
            options = term_options(rows.get(vocabulary, []), french=french)
            self.fields[TERM_FIELDS[vocabulary]] = forms.ModelMultipleChoiceField(
                label=label,
                queryset=Term.objects.filter(vocabulary=vocabulary),
                required=False,
                widget=TermChecklist(options),
            )

    def _place_fields(self) -> None:
        """Town, country and coordinates as the map picker and the place suggestions use them."""
        fields = self.fields
        country = fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.widget = QuickSelect(choices=_country_choices(get_language() or "", country))
        city = fields["city"]
        city.label = _("Town or city")
        city.help_text = _("We place the listing at the town's centre, unless you pick the spot on the map.")
        city.widget.attrs["autocomplete"] = "off"
        # The suggestions endpoint may not be installed; the field then works as plain text.
        with contextlib.suppress(NoReverseMatch):
            city.widget.attrs["data-place-suggest"] = reverse("directory:place_suggest")
        for name in ("latitude", "longitude"):
            fields[name].widget.attrs.update(
                {"step": "any", "inputmode": "decimal", "data-map-coordinate": name}
            )
        fields["latitude"].help_text = _("Filled in when you click the map; or type them.")

    def term_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TERM_FIELDS.values()]

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The form's fields grouped as the page shows them, leaving out sections it does not have."""
        grouped = []
        for anchor, heading, names in SECTIONS:
            present = [self[name] for name in names if name in self.fields]
            if present:
                grouped.append((anchor, str(heading), present))
        return grouped

    @staticmethod
    def initial_for(listing: Listing) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(listing, name) for name in OWNER_FIELDS}
        initial.update(
            batch_sizes=listing.batch_sizes,
            works_with=listing.works_with,
            production_access=listing.production_access,
            languages=", ".join(listing.languages or []),
            certifications="\n".join(listing.certifications or []),
            # Links that were never shown (not http or https) are dropped rather than blocking the form.
            social_links="\n".join(
                url
                for url in (
                    link if isinstance(link, str) else str(link.get("url", ""))
                    for link in listing.social_links or []
                )
                if url.startswith(("http://", "https://"))
            ),
        )
        chosen = list(listing.terms.all()) if listing.pk else []
        for vocabulary in Vocabulary:
            initial[TERM_FIELDS[vocabulary.value]] = [t.pk for t in chosen if t.vocabulary == vocabulary]
        return initial

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in _lines(self.cleaned_data["languages"])]
        unknown = [code for code in codes if code not in LANG_INFO]
        if unknown:
            raise forms.ValidationError(
                _("We do not know these language codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))[:LIST_LIMIT]

    def clean_certifications(self) -> list[str]:
        values = [line.strip() for line in self.cleaned_data["certifications"].splitlines() if line.strip()]
        if len(values) > LIST_LIMIT:
            raise forms.ValidationError(_("List at most %(limit)d certifications.") % {"limit": LIST_LIMIT})
        return values

    def clean_social_links(self) -> list[str]:
        urls = _lines(self.cleaned_data["social_links"])
        check = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                check(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(url)s” is not a web address starting with http:// or https://.") % {"url": url[:80]}
                ) from None
        if len(urls) > LIST_LIMIT:
            raise forms.ValidationError(_("List at most %(limit)d links.") % {"limit": LIST_LIMIT})
        return urls

    def clean_video_url(self) -> str:
        url: str = self.cleaned_data["video_url"]
        if url and parse_video(url) is None:
            raise forms.ValidationError(_("Video portraits can come from YouTube, Vimeo or PeerTube."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.has_error(
            "latitude"
        ):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return data

    def listing_fields(self) -> dict[str, Any]:
        """The cleaned values as the listing services take them (terms apart): those of the fields this
        form has, so the first step leaves the rest at the model's defaults."""
        terms = set(TERM_FIELDS.values())
        return {name: value for name, value in self.cleaned_data.items() if name not in terms}

    def chosen_terms(self) -> list[Term]:
        chosen: list[Term] = []
        for field in TERM_FIELDS.values():
            selected: QuerySet[Term] = self.cleaned_data[field]
            chosen.extend(selected)
        return chosen


class ListingStartForm(ListingForm):
    """The first step of a new listing: its node, name, kind, place and a few terms."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, with_node=True, **kwargs)
        self.fields = {name: self.fields[name] for name in FIRST_STEP}


class PhotoForm(forms.Form):
    # A plain file field: the photo service reads the file itself and says what is wrong with it.
    image = forms.FileField(label=gettext_lazy("Photo"))
    alt_text = forms.CharField(
        label=gettext_lazy("Describe the photo for people who cannot see it"), max_length=200, required=False
    )


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Why should you be an owner of this listing?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Tell the curators who you are there, so they can check. 2,000 characters at most."
        ),
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("deny", gettext_lazy("Deny"))],
        widget=forms.HiddenInput,
    )
    response = forms.CharField(
        label=gettext_lazy("Note to the claimant (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ListingStatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("publish", "publish"),
            ("unpublish", "unpublish"),
            ("verify", "verify"),
            ("unverify", "unverify"),
        ]
    )


class NodeDescriptionForm(forms.Form):
    """A node's own words, which its curators write in both languages; each page shows its language's,
    or the other when only one is written."""

    description = forms.CharField(
        label=gettext_lazy("Description in English"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}),
        help_text=gettext_lazy("Markdown: **bold**, *italics*, lists and links."),
    )
    description_fr = forms.CharField(
        label=gettext_lazy("Description in French"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
        help_text=gettext_lazy("Shown on French pages; English pages show it when there is no English."),
    )
