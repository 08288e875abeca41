"""The home page and the pages that say who runs the site and what it keeps: about, privacy, terms,
contact. Thin: the home asks pages.selectors, the others render what settings say."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory.models import ListingKind
from pages import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "home": selectors.home_page(),
        "kinds": ListingKind.choices,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "pages/home.html", context)


def _trust_page(template: str) -> Callable[[HttpRequest], HttpResponse]:
    """A page of fixed text, with the operators' contact address from settings."""

    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        context = {
            "contact_email": settings.CONTACT_EMAIL,
            # The one outside server a visitor's browser may reach: the map tiles' (none when unset).
            "map_tile_host": urlsplit(settings.MAP_TILE_URL).hostname or "",
        }
        return render(request, template, context)

    return view


about = _trust_page("pages/about.html")
privacy = _trust_page("pages/privacy.html")
terms = _trust_page("pages/terms.html")
contact = _trust_page("pages/contact.html")
