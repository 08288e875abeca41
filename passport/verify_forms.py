"""The public verifier's form: a badge's URL or JWS, or a baked image, and optionally the earner's
e-mail. It checks the shape of what is given (one of the two, an image small enough and really a PNG or
an SVG, judged by its bytes rather than its name); passport.verification does the verifying."""

from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from badges.openbadges.baking import SVG_NAMESPACE
from makeworks.lib.safe_fetch import MAX_URL_LENGTH
from passport.verification import MAX_TEXT_LENGTH

# A baked badge is a small picture; the same ceiling as badge class images.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def image_kind(content: bytes) -> str | None:
    """ "png" or "svg" by what the bytes are, whatever the file is called; None for anything else."""
    if content.startswith(PNG_SIGNATURE):
        return "png"
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    return "svg" if root.tag == f"{{{SVG_NAMESPACE}}}svg" else None


def checked_badge_text(text: str) -> str:
    """A badge's URL, JWS or JSON as typed, refused when it is a URL longer than any this site fetches:
    the same limit as the API and the fetcher, so no form lets a longer one through."""
    if urlsplit(text).scheme in {"http", "https"} and len(text) > MAX_URL_LENGTH:
        raise forms.ValidationError(
            _("A badge's web address has at most %(limit)s characters; this one has %(length)s."),
            code="url_too_long",
            params={"limit": MAX_URL_LENGTH, "length": len(text)},
        )
    return text


class VerifyForm(forms.Form):
    badge = forms.CharField(
        label=_("Badge URL or signed badge (JWS)"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("The web address of the badge, or the long signed text that starts with “eyJ”."),
    )
    image = forms.FileField(
        label=_("Baked badge image"),
        required=False,
        help_text=_("A PNG or SVG badge image with the badge baked in, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml,.png,.svg"}),
    )
    email = forms.EmailField(
        label=_("Earner's e-mail"),
        required=False,
        help_text=_("Optional: we check whether the badge was awarded to this address. It is not stored."),
    )

    def clean_badge(self) -> str:
        return checked_badge_text(self.cleaned_data.get("badge", ""))

    def clean_image(self) -> bytes:
        upload: UploadedFile | None = self.cleaned_data.get("image")
        if not upload:
            return b""
        if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("The image is larger than 2 MB; a baked badge is much smaller."))
        upload.seek(0)
        content = upload.read(MAX_IMAGE_BYTES + 1)
        if len(content) > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("The image is larger than 2 MB; a baked badge is much smaller."))
        if image_kind(content) is None:
            raise forms.ValidationError(
                _("This file is not a PNG or SVG image, so it cannot carry a badge."), code="bad_type"
            )
        return content

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        given = bool(cleaned.get("badge")) + bool(cleaned.get("image"))
        if given == 0:
            raise forms.ValidationError(
                _("Paste a badge's web address or signed text, or upload a baked badge image."), code="empty"
            )
        if given == 2:
            raise forms.ValidationError(
                _("Give either a badge's web address or signed text, or an image, not both."), code="both"
            )
        return cleaned
