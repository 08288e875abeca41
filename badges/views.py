"""Public Open Badges pages: issuer profiles, badge classes, keys and badge images. Each id is one URL
that gives a browser a page and a verifier the JSON-LD document (see makeworks.lib.negotiation)."""

import json
from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from badges import selectors
from badges.models import BadgeClass, Endorsement, Issuer, SigningKey, SigningKeyStatus
from badges.openbadges.documents import (
    badge_class_document,
    endorsement_document,
    issuer_document,
    key_document,
    withdrawn_endorsement_document,
)
from makeworks.lib.negotiation import json_ld_content_type, json_ld_response

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
# A badge SVG is shown as an image; should someone open it directly, it may draw but never fetch or run.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def _document_or_page(
    request: HttpRequest,
    document: dict[str, Any],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The JSON-LD document for verifiers, or the page for people. A page's context that costs queries is
    passed as a function, so verifiers (who read these documents in bulk) never pay for it."""
    content_type = json_ld_content_type(request)
    if content_type is not None:
        return json_ld_response(document, content_type)
    context = context() if callable(context) else context
    context["document_json"] = json.dumps(document, ensure_ascii=False, indent=2)
    response = render(request, template, context)
    patch_vary_headers(response, ["Accept"])
    return response


def _image_response(file: Any, *, max_age: int) -> FileResponse:
    extension = file.name.rsplit(".", 1)[-1].lower()
    if extension not in IMAGE_TYPES:
        raise Http404("No badge image")
    response = FileResponse(file.open("rb"), content_type=IMAGE_TYPES[extension])
    if extension == "svg":
        response["Content-Security-Policy"] = SVG_POLICY
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _issuer_or_404(slug: str) -> Issuer:
    try:
        return selectors.issuer_by_slug(slug)
    except Issuer.DoesNotExist:
        raise Http404("No such issuer") from None


def _badge_class_or_404(public_id: str) -> BadgeClass:
    try:
        return selectors.badge_class_by_public_id(public_id)
    except BadgeClass.DoesNotExist:
        raise Http404("No such badge class") from None


@require_safe
def issuer(request: HttpRequest, slug: str) -> HttpResponse:
    found = _issuer_or_404(slug)
    data = selectors.issuer_data(found)
    context = {
        "issuer": found,
        "data": data,
        "badge_classes": selectors.issuer_badge_classes(found),
        "keys": selectors.issuer_keys(found),
        "endorsements_received": selectors.endorsements_received(found),
        "endorsements_given": selectors.endorsements_given(found),
        "statuses": SigningKeyStatus,
    }
    return _document_or_page(request, issuer_document(data), "badges/issuer.html", context)


@require_safe
def issuer_image(request: HttpRequest, slug: str) -> FileResponse:
    found = _issuer_or_404(slug)
    if not found.image:
        raise Http404("This issuer has no image")
    # The profile image may be replaced, so caches check back within the hour.
    return _image_response(found.image, max_age=3600)


@require_safe
def badge_class(request: HttpRequest, public_id: str) -> HttpResponse:
    found = _badge_class_or_404(public_id)
    data = selectors.badge_class_data(found)

    def page_context() -> dict[str, Any]:
        return {
            "badge_class": found,
            "data": data,
            "issuer_data": selectors.issuer_data(found.issuer),
            "endorsements": selectors.badge_class_endorsements(found),
        }

    return _document_or_page(request, badge_class_document(data), "badges/badge_class.html", page_context)


@require_safe
def badge_class_image(request: HttpRequest, public_id: str) -> FileResponse:
    found = _badge_class_or_404(public_id)
    # A badge class's image never changes once created, so it may be cached for a day.
    return _image_response(found.image, max_age=86400)


@require_safe
def key(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        found = selectors.key_by_public_id(public_id)
    except SigningKey.DoesNotExist:
        raise Http404("No such key") from None
    data = selectors.key_data(found)
    context = {"key": found, "data": data, "statuses": SigningKeyStatus}
    return _document_or_page(request, key_document(data), "badges/key.html", context)


@require_safe
def endorsement(request: HttpRequest, public_id: str) -> HttpResponse:
    """An endorsement's page or document; once withdrawn, 410 Gone with a body that says so, as a
    revoked hosted badge answers, so a verifier that fetches it learns it at once."""
    try:
        found = selectors.endorsement_by_public_id(public_id)
    except Endorsement.DoesNotExist:
        raise Http404("No such endorsement") from None
    data = selectors.endorsement_data(found)
    context: dict[str, Any] = {
        "endorsement": found,
        "data": data,
        "accepted_as_url": selectors.badge_class_url(found.accepted_as) if found.accepted_as else "",
    }
    if found.withdrawn_at is None:
        return _document_or_page(request, endorsement_document(data), "badges/endorsement.html", context)
    withdrawn_on = found.withdrawn_at.date().isoformat()
    content_type = json_ld_content_type(request)
    if content_type is not None:
        reason = f"Withdrawn by {found.endorser.name} on {withdrawn_on}."
        return json_ld_response(withdrawn_endorsement_document(data.id, reason), content_type, status=410)
    response = render(request, "badges/endorsement.html", context, status=410)
    patch_vary_headers(response, ["Accept"])
    return response
