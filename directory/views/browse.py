"""The directory's pages. Each view validates its input, asks a selector or the search, and renders."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from directory import permissions, selectors
from directory.permissions import Action
from directory.search import SearchParamsError, parse_search_params, search_listings, suggest
from directory.search.params import MAX_FILTER_VALUES, MAX_QUERY_LENGTH, TERM_PARAMS
from directory.views.contact import contact_form_context
from makeworks.lib.csp import origin_source
from makeworks.lib.requests import HtmxHttpRequest

# The actions a listing page offers as buttons, each shown only to those who may take it.
LISTING_ACTIONS = (Action.EDIT, Action.CLAIM, Action.PUBLISH, Action.VERIFY, Action.VIEW_HISTORY)

# Sizes the search form's fields: enough to re-show what was typed, never a 10,000-character echo.
FORM_VALUE_LENGTH = MAX_QUERY_LENGTH


def _map_context() -> dict[str, str]:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _form_values(query: QueryDict) -> dict[str, str]:
    """What the visitor typed, to put back into the search form whether or not it was valid."""
    return {key: query.get(key, "")[:FORM_VALUE_LENGTH] for key in ("q", "near", "radius", "sort")}


# The search form's fields a message can be about, by the id of their input on the page.
FIELD_INPUTS = {"near": "search-near", "radius": "search-radius"}


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    context: dict[str, object] = {"form": _form_values(request.GET), **_map_context()}
    try:
        params = parse_search_params(request.GET)
    except SearchParamsError as error:
        context["field_errors"] = error.fields
        # The summary above the results links each message to its field, where it is said again.
        inputs = {
            message: FIELD_INPUTS[name]
            for name, messages in error.fields.items()
            if name in FIELD_INPUTS
            for message in messages
        }
        context["kept_filters"] = _kept_filters(request.GET)
        context["errors"] = [
            {"text": message, "input": inputs.get(message, "")} for message in error.messages
        ]
        response = render(request, _search_template(request), context, status=400)
    else:
        results = search_listings(params)
        context.update(params=params, results=results)
        status = 404 if results.page_out_of_range else 200
        response = render(request, _search_template(request), context, status=status)
    # The same URL answers with a fragment or a page, so caches must tell the two apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _kept_filters(query: QueryDict) -> list[tuple[str, str]]:
    """The filters of a search that could not run, as sent (within bounds), to send again with the form."""
    names = ("kind", "node", *TERM_PARAMS)
    return [
        (name, value[:FORM_VALUE_LENGTH])
        for name in names
        for value in query.getlist(name)[:MAX_FILTER_VALUES]
    ]


def _search_template(request: HtmxHttpRequest) -> str:
    """The whole page for a plain request (JavaScript off, a shared link, or htmx restoring history from
    the server); for htmx, the part it swaps: the results alone for a facet or page link, the form and
    the results for the form, whose fields may carry a message."""
    if not request.htmx or request.htmx.history_restore_request:
        return "directory/search.html"
    return (
        "directory/_results.html"
        if request.htmx.target == "results-region"
        else "directory/_search_form.html"
    )


@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:FORM_VALUE_LENGTH]
    return render(request, "directory/_suggestions.html", {"suggestions": suggest(text), "text": text})


@require_safe
def node_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.node_page(slug)
    can_curate = permissions.can(request.user, Action.CURATE, page.node)
    return render(request, "directory/node.html", {"page": page, "can_curate": can_curate, **_map_context()})


@require_safe
def listing_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.listing_page(slug)
    permissions.require(request.user, Action.VIEW, page.listing)
    allowed = permissions.allowed_actions(request.user, LISTING_ACTIONS, page.listing)
    context = {"page": page, "allowed": allowed, **contact_form_context(page.listing), **_map_context()}
    response = render(request, "directory/listing.html", context)
    video_origin = origin_source(page.video.embed_url) if page.video else None
    if video_origin:
        # A PeerTube video plays from its own instance, which the site-wide policy cannot list.
        response._csp_update = {"frame-src": [video_origin]}  # type: ignore[attr-defined]
    return response
