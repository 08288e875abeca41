"""The open-data file layout shared by export and import: columns, lists, booleans and the licence."""

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from directory.models import (
    BatchSize,
    Clientele,
    ProductionAccess,
    Vocabulary,
)

LICENCE_NAME = "CC BY 4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

LIST_SEPARATOR = "|"
LIST_ESCAPE = "\\"

# Listings read per query: large enough that the per-query cost vanishes, small enough to stay light.
EXPORT_CHUNK_SIZE = 1000

TEXT_COLUMNS = (
    "name", "kind", "summary", "description", "address", "city", "postcode", "country", "website",
    "team_size", "minimum_order", "lead_time", "circularity", "video_url",
)  # fmt: skip
LIST_COLUMNS = (
    "social_links",
    "batch_sizes",
    "works_with",
    "production_access",
    "languages",
    "certifications",
)
# List fields whose items must come from a fixed set, so a typo is caught instead of stored.
LIST_CHOICES: dict[str, set[str]] = {
    "batch_sizes": set(BatchSize.values),
    "works_with": set(Clientele.values),
    "production_access": set(ProductionAccess.values),
}
TERM_COLUMNS: dict[str, str] = {
    "materials": Vocabulary.MATERIAL,
    "processes": Vocabulary.PROCESS,
    "sectors": Vocabulary.SECTOR,
    "services": Vocabulary.SERVICE,
}
EXPORT_COLUMNS = (
    "external_id", "slug", "name", "kind", "summary", "description", "address", "city", "postcode",
    "country", "latitude", "longitude", "website", "social_links", "year_founded", "team_size",
    "minimum_order", "lead_time", "batch_sizes", "works_with", "production_access", "languages",
    "certifications", "circularity", "video_url", "verified", "node", "materials", "processes", "sectors",
    "services", "updated_at",
)  # fmt: skip
IMPORT_COLUMNS = frozenset(EXPORT_COLUMNS) | {"status"}
REQUIRED_COLUMNS = ("name", "kind")
# Listing fields read for the export; the contact e-mail and phone are deliberately not among them.
EXPORTED_FIELDS = (
    "pk", "external_id", "slug", "name", "kind", "summary", "description", "address", "city", "postcode",
    "country", "latitude", "longitude", "website", "social_links", "year_founded", "team_size",
    "minimum_order", "lead_time", "batch_sizes", "works_with", "production_access", "languages",
    "certifications", "circularity", "video_url", "verified", "node__slug", "updated_at",
)  # fmt: skip

TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}


def licence_notice() -> str:
    return _(
        "Listings from %(site)s (%(url)s) are open data under the %(title)s licence (%(name)s, "
        "%(licence_url)s): you may share and adapt them if you credit %(site)s."
    ) % {
        "site": settings.SITE_NAME,
        "url": settings.SITE_URL,
        "title": LICENCE_TITLE,
        "name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }


def _list_item_text(item: Any) -> str:
    # A social link may be stored as an object ({"url": ..., "label": ...}); its JSON text keeps every part.
    text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
    return text.replace(LIST_ESCAPE, LIST_ESCAPE * 2).replace(LIST_SEPARATOR, LIST_ESCAPE + LIST_SEPARATOR)


def list_join(items: Any) -> str:
    if not isinstance(items, list):
        items = [] if items in (None, "") else [items]
    return LIST_SEPARATOR.join(_list_item_text(item) for item in items)


def list_split(text: str) -> list[str]:
    """The items of a list cell: split on unescaped "|", trimmed, empty items dropped."""
    items: list[str] = []
    current: list[str] = []
    characters = iter(text)
    for character in characters:
        if character == LIST_ESCAPE:
            following = next(characters, "")
            escaped = following in (LIST_ESCAPE, LIST_SEPARATOR)
            current.append(following if escaped else character + following)
        elif character == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(character)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]
