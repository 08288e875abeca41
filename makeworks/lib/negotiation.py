"""Content negotiation for Open Badges documents: one URL answers a browser with a page and a verifier
with JSON-LD, as the spec's "Setting Content-Type" section asks."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

JSON_LD = "application/ld+json"
JSON = "application/json"
# A compact JWS (RFC 7515, section 9.2.1): what a signed assertion's URL answers a verifier asking for it.
JOSE = "application/jose"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def _accept_weights(header: str) -> dict[str, float]:
    """Each media range of an Accept header with its q weight (1 when absent, 0 when unreadable)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        weights[media.lower()] = max(weights.get(media.lower(), 0.0), weight)
    return weights


def json_ld_content_type(request: HttpRequest) -> str | None:
    """The JSON content type to answer with, or None when the client prefers (or only takes) HTML.

    JSON-LD when the client names application/ld+json or application/json at least as highly as HTML;
    `application/json` only when that is what it prefers, `application/ld+json` otherwise. A bare */*
    (curl, most libraries) gets the page, as a browser would.
    """
    weights = _accept_weights(request.headers.get("Accept", ""))
    json_ld, json_plain = weights.get(JSON_LD, 0.0), weights.get(JSON, 0.0)
    html = max(weights.get(media, 0.0) for media in HTML_TYPES)
    best = max(json_ld, json_plain)
    if best <= 0 or best < html:
        return None
    return JSON_LD if json_ld >= json_plain else JSON


def jose_requested(request: HttpRequest) -> bool:
    """Whether the client asks for a compact JWS at least as much as for a page or JSON."""
    weights = _accept_weights(request.headers.get("Accept", ""))
    others = max(weights.get(media, 0.0) for media in (JSON_LD, JSON, *HTML_TYPES))
    return weights.get(JOSE, 0.0) > 0 and weights.get(JOSE, 0.0) >= others


def json_ld_response(document: dict[str, Any], content_type: str, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type=f"{content_type}; charset=utf-8",
        status=status,
    )
    # Badge documents are public, and verifiers and backpacks running in browsers fetch them cross-origin.
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept"])
    return response
