"""Place suggestions while a visitor types in a "near" or location field (static/js/places.js asks)."""

from dataclasses import asdict

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.gazetteer import place_suggestions
from makeworks.lib.ratelimit import Limit, attempt_allowed
from makeworks.lib.requests import client_address

# Longer than any town's name with its country; a longer text is not a place being typed.
MAX_TYPED_LENGTH = 100
# A box asks once per pause in typing: a few hundred a minute is a script, not a person.
SUGGESTIONS_PER_CLIENT = Limit(count=240, seconds=60)
# The gazetteer changes only with a release or a new listing's town: an hour's caching is harmless.
CACHE_SECONDS = 3600


@require_safe
def place_suggest(request: HttpRequest) -> JsonResponse:
    """Up to eight towns whose names start with `q`: {"places": [{label, value, country, population}]}.

    Fewer than two letters gives an empty list; an over-long `q` a 400 with the reason in "error"."""
    text = request.GET.get("q", "")
    if len(text) > MAX_TYPED_LENGTH:
        message = _("Type at most %(max)d characters of a place's name.") % {"max": MAX_TYPED_LENGTH}
        return JsonResponse({"error": message, "places": []}, status=400)
    if not attempt_allowed(scope="place-suggest", key=client_address(request), limit=SUGGESTIONS_PER_CLIENT):
        message = _("Too many requests; please wait a minute.")
        return JsonResponse({"error": message, "places": []}, status=429)
    places = [asdict(place) for place in place_suggestions(text)]
    response = JsonResponse({"places": places})
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    # Country names are in the page's language.
    patch_vary_headers(response, ("Accept-Language",))
    return response
