"""Response headers every page carries that neither Django nor a package sets, and the language a page
without a language prefix is shown in."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header, so no page, nor anything
    injected into one, can ask for the camera, the microphone, the visitor's location and the like."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items()
            )
        return response


class PreferredLanguageMiddleware:
    """Sends a visitor who prefers another language than English from an unprefixed page to the same
    page in their language (/ to /fr/). English pages have no prefix (makeworks/urls.py), so Django's
    LocaleMiddleware serves them in English to everyone; here the language cookie (set by the language
    switcher: a choice once made is kept) and otherwise the browser's Accept-Language (the first visit)
    decide. A prefixed URL always means its own language, and pages outside the language patterns
    (Open Badges ids, the API) are left alone, as are form posts and htmx fragments."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in {"GET", "HEAD"} or request.headers.get("HX-Request"):
            return self.get_response(request)
        if translation.get_language_from_path(request.path_info) is not None:
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        urlconf = getattr(request, "urlconf", None)
        if language == settings.LANGUAGE_CODE:
            # Whether the page has a twin in another language (French), for the Vary header only.
            localised = _localised_page(request.path_info, settings.LANGUAGES[-1][0], urlconf)
            response = self.get_response(request)
        else:
            localised = _localised_page(request.path_info, language, urlconf)
            if localised:
                query = request.META.get("QUERY_STRING", "")
                script = request.META.get("SCRIPT_NAME", "").rstrip("/")
                response = HttpResponseRedirect(script + localised + (f"?{query}" if query else ""))
            else:
                response = self.get_response(request)
        if localised:
            # The same URL answers by cookie and language, so caches must key on both.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def _localised_page(path: str, language: str, urlconf: str | None) -> str | None:
    """The page's URL in the language, when the bare path is a page of the language patterns (not an
    Open Badges id or the API, nor an unknown path); without its query string."""
    prefixed = f"/{language}{path}"
    try:
        bare = resolve(path, urlconf)
        with translation.override(language):
            localised = resolve(prefixed, urlconf)
    except Resolver404:
        return None
    return prefixed if localised.func == bare.func and localised.kwargs == bare.kwargs else None
