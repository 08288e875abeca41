"""Addresses on the public origin, SITE_URL: what every API document, badge id and export links to."""

from django.conf import settings


def site_url(path: str) -> str:
    """`path` (as reverse() or a file field's .url gives it) on the public origin."""
    return settings.SITE_URL.rstrip("/") + path
