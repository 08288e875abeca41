"""Forms for the people who look after listings: owners editing, members proposing and claiming,
curators deciding. They validate input; the services do the writing."""

from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.core.validators import URLValidator
from django.db.models import Field, QuerySet, URLField
from django.forms.models import fields_for_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import BatchSize, Clientele, Listing, Node, ProductionAccess, Term, Vocabulary
from makeworks.lib.video import parse_video

# What an owner edits. Status, verification, node and external id belong to curators and imports.
OWNER_FIELDS = [
    "name", "kind", "summary", "description", "address", "city", "postcode", "country", "latitude",
    "longitude", "website", "contact_email", "contact_phone", "year_founded", "team_size",
    "minimum_order", "lead_time", "circularity", "video_url",
]  # fmt: skip
LIST_LIMIT = 20
TERM_FIELDS = {vocabulary.value: f"{vocabulary.value}_terms" for vocabulary in Vocabulary}


def _https_by_default(field: "Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    """A web address typed without a scheme is taken as https, as Django 6 will do by default."""
    if isinstance(field, URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


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
        if with_node:
            self.fields = {
                "node": forms.ModelChoiceField(
                    label=_("Node"),
                    queryset=Node.objects.order_by("name"),
                    help_text=_("The regional node whose curators will review the listing."),
                ),
                **self.fields,
            }
        terms = Term.objects.order_by("name")
        for vocabulary, label in Vocabulary.choices:
            field = forms.ModelMultipleChoiceField(
                label=label,
                queryset=terms.filter(vocabulary=vocabulary),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[TERM_FIELDS[vocabulary]] = field

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
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def listing_fields(self) -> dict[str, Any]:
        """The cleaned values as the listing services take them (terms apart)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in OWNER_FIELDS}
        for name in ("batch_sizes", "works_with", "production_access", "languages", "certifications"):
            fields[name] = data[name]
        fields["social_links"] = data["social_links"]
        if "node" in data:
            fields["node"] = data["node"]
        return fields

    def chosen_terms(self) -> list[Term]:
        chosen: list[Term] = []
        for field in TERM_FIELDS.values():
            selected: QuerySet[Term] = self.cleaned_data[field]
            chosen.extend(selected)
        return chosen


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
