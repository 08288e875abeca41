"""The language an action was taken in, kept with what it starts so the e-mails it sends later (from a
Celery task, which has no request) are written in it."""

from django.conf import settings
from django.utils import translation

# The longest code in settings.LANGUAGES, with room for a regional variant ("pt-br").
LANGUAGE_MAX_LENGTH = 8


def active_language() -> str:
    """The site's language now active (the request's), as one of settings.LANGUAGES; the default one
    outside a request or for a language the site does not offer."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(current)
    except LookupError:
        return settings.LANGUAGE_CODE


def known_language(code: str) -> str:
    """`code` when the site offers it (a row may outlive a language), else the default language."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
