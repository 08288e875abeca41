"""Forms of the Maker Passport pages: they say what fields a page takes and check their format; the
services decide the rest."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeClass
from directory.forms.widgets import PlaceInput
from directory.models import Listing, ListingStatus
from directory.selectors import near_place, near_place_refusal
from makeworks.lib.geo import Near
from passport.models import Visibility
from passport.services.external_badges import MAX_IMAGE_BYTES
from passport.verification import MAX_TEXT_LENGTH
from passport.verify_forms import checked_badge_text

MAX_RADIUS_KM = 500
DEFAULT_RADIUS_KM = 50


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker sends and expects ISO dates whatever the page's language.
        super().__init__(attrs, format="%Y-%m-%d")


class PassportForm(forms.Form):
    display_name = forms.CharField(label=_("Name to show"), max_length=100)
    handle = forms.SlugField(
        label=_("Handle"),
        max_length=40,
        help_text=_("Your passport's address is /p/your-handle/: letters, digits and hyphens."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see your passport"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Unlisted passports are seen only by people you give the link to; search never shows them."
        ),
    )
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: *emphasis*, lists and links."),
    )
    location = forms.CharField(
        label=_("Where you are"),
        required=False,
        max_length=120,
        help_text=_("A town or city; people searching for makers near a place find you by it."),
        widget=PlaceInput(),
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        required=False,
        max_length=200,
        help_text=_("For example: English, French"),
    )
    photo = forms.FileField(
        label=_("Photo"), required=False, help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB.")
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)


class BadgeVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Who can see this badge"), choices=Visibility.choices)


class BadgeDecisionForm(forms.Form):
    """The answer to "Show this badge on your passport?" for a badge that just arrived."""

    choice = forms.ChoiceField(choices=[("show", _("Show")), ("private", _("Keep private"))])
    publish_passport = forms.BooleanField(
        label=_("Also make my passport public, so people can see it"), required=False
    )


class ExternalBadgeForm(forms.Form):
    """A badge from another issuer, in any one of the forms a backpack or an e-mail gives it."""

    badge = forms.CharField(
        label=_("Badge URL or signed badge (JWS)"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    image = forms.FileField(
        label=_("Baked badge image"), required=False, help_text=_("A PNG or SVG badge, up to 2 MB.")
    )

    def clean_badge(self) -> str:
        return checked_badge_text(self.cleaned_data.get("badge", ""))

    def clean_image(self) -> UploadedFile | None:
        image: UploadedFile | None = self.cleaned_data.get("image")
        if image is None:
            return None
        if image.size is not None and image.size > MAX_IMAGE_BYTES:
            raise ValidationError(_("The image is larger than 2 MB."))
        if not (image.name or "").lower().endswith((".png", ".svg")):
            raise ValidationError(_("Upload a PNG or SVG badge image."))
        return image

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("badge", "").strip()) == bool(cleaned.get("image")) and not self.errors:
            raise ValidationError(_("Give either the badge's URL or JWS, or its baked image: one of them."))
        return cleaned

    def given(self) -> dict[str, Any]:
        """The service's keyword arguments: url, jws or image."""
        text = self.cleaned_data.get("badge", "").strip()
        if self.cleaned_data.get("image"):
            return {"image": self.cleaned_data["image"]}
        if urlsplit(text).scheme in {"http", "https"}:
            return {"url": text}
        return {"jws": text}


def listing_from_address(text: str) -> Listing | None:
    """A published listing named by its page's address on this site or by its slug."""
    text = text.strip()
    slug = text
    if "/" in text:
        try:
            match = resolve(urlsplit(text).path)
        except Resolver404:
            return None
        if match.view_name != "directory:listing":
            return None
        slug = match.kwargs["slug"]
    return Listing.objects.filter(slug=slug, status=ListingStatus.PUBLISHED).first()


class AffiliationForm(forms.Form):
    listing = forms.CharField(
        label=_("Hub or listing"),
        max_length=500,
        help_text=_("The address of its page on this site, for example /listings/fablab-glasgow/."),
    )
    role = forms.CharField(
        label=_("Your role"), max_length=100, help_text=_("For example: member, technician, founder")
    )
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end_date = forms.DateField(
        label=_("Until"), required=False, widget=DateInput, help_text=_("Empty if you still are.")
    )

    def clean_listing(self) -> Listing:
        listing = listing_from_address(self.cleaned_data["listing"])
        if listing is None:
            raise ValidationError(_("No published hub or listing has this address."))
        return listing


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: *emphasis*, lists and links."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address a line."),
    )
    images = MultipleFileField(
        label=_("Images"), required=False, help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB each.")
    )
    image_description = forms.CharField(
        label=_("What the images show"),
        required=False,
        max_length=200,
        help_text=_("Read out to people who cannot see them."),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."))
        return password


class MakerSearchForm(forms.Form):
    skill = forms.CharField(
        label=_("Skill"),
        required=False,
        max_length=300,
        help_text=_(
            "A skill's name, code or web address, as badges are aligned to it (for example an ESCO skill)."
        ),
    )
    badge = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    near = forms.CharField(
        label=_("Near"), required=False, max_length=200, help_text=_("A town or city."), widget=PlaceInput()
    )
    radius = forms.IntegerField(
        label=_("Within (km)"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
    )

    def clean_badge(self) -> BadgeClass | None:
        public_id = self.cleaned_data.get("badge", "").strip()
        if not public_id:
            return None
        badge_class = BadgeClass.objects.select_related("issuer").filter(public_id=public_id).first()
        if badge_class is None:
            raise ValidationError(_("No such badge class."))
        return badge_class

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        near_text = " ".join(cleaned.get("near", "").split())
        cleaned["place"] = None
        if near_text:
            place: Near | None = near_place(near_text, float(cleaned.get("radius") or DEFAULT_RADIUS_KM))
            if place is None:
                self.add_error("near", near_place_refusal(near_text))
            cleaned["place"] = place
        return cleaned
