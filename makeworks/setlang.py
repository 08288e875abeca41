"""The language switcher's view."""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (it remembers the choice in the language cookie and returns to the page in
    the chosen language), reading the page it came from in that page's language. The switcher posts to
    an unprefixed URL, which Django reads in English, so it could not find /fr/... among the English
    URLs and left someone who chose English on the French page."""
    came_from = request.POST.get("next", request.GET.get("next", ""))
    language = translation.get_language_from_path(urlsplit(came_from).path)
    if language is None:
        return django_set_language(request)
    with translation.override(language):
        return django_set_language(request)
