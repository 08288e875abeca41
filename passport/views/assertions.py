"""Public pages of awarded badges: the assertion (HTML for people, JSON-LD for verifiers), its baked
image and each issuer's revocation list. No log-in: anyone must be able to verify a badge."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from makeworks.lib.negotiation import JOSE, jose_requested, json_ld_content_type, json_ld_response
from passport import selectors
from passport.services import IMAGE_CONTENT_TYPES

# A baked SVG comes from a sanitised upload, but it is served from the site's own origin, so it gets
# no right to run or load anything even if a sanitiser bug let something through.
BAKED_IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_safe
def assertion_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    assertion = selectors.public_assertion(public_id)
    if assertion.jws and not assertion.revoked and jose_requested(request):
        # A signed badge's URL gives its JWS on request, so a verifier given only the URL (the badge
        # page's "Verify this badge" link does that) can check the signature.
        response = HttpResponse(assertion.jws, content_type=JOSE)
        response["Access-Control-Allow-Origin"] = "*"
        patch_vary_headers(response, ("Accept",))
        return response
    json_type = json_ld_content_type(request)
    if json_type:
        # Signed awards answer 410 too once revoked: a verifier that fetches the id learns it at once.
        if assertion.revoked:
            return json_ld_response(selectors.revoked_assertion_document(assertion), json_type, status=410)
        return json_ld_response(selectors.assertion_document(assertion), json_type)
    page = selectors.assertion_page(assertion)
    if assertion.revoked:
        response = render(request, "passport/assertion_revoked.html", {"page": page}, status=410)
    else:
        response = render(request, "passport/assertion.html", {"page": page})
    # One URL answers people and verifiers differently, so caches must tell the two apart.
    patch_vary_headers(response, ("Accept",))
    return response


@require_safe
def assertion_baked(request: HttpRequest, public_id: str, extension: str) -> FileResponse:
    assertion = selectors.public_assertion(public_id)
    image_format = selectors.badge_image_format(assertion.badge_class)
    if extension != image_format:
        raise Http404(_("This badge is baked as %(format)s.") % {"format": image_format.upper()})
    if not assertion.baked_image:
        raise Http404(_("This badge is still being baked; try again in a minute."))
    name = slugify(assertion.badge_class.name) or "badge"
    response = FileResponse(
        assertion.baked_image.open("rb"),
        content_type=IMAGE_CONTENT_TYPES[image_format],
        filename=f"{name}-{assertion.public_id}.{image_format}",
    )
    response["Content-Security-Policy"] = BAKED_IMAGE_POLICY
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def revocation_list(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = selectors.public_issuer(slug)
    json_type = json_ld_content_type(request)
    if json_type:
        return json_ld_response(selectors.revocation_list_document(issuer), json_type)
    revoked = selectors.revoked_assertions(issuer).select_related("badge_class")
    context = {"issuer": issuer, "revoked": revoked, "list_url": selectors.revocation_list_url(issuer)}
    response = render(request, "passport/revocation_list.html", context)
    patch_vary_headers(response, ("Accept",))
    return response
