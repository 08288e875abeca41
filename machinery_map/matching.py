"""Mapping the names files give to equipment types, processes and materials onto the seeded taxonomies.

Open Know-Where names them by Wikipedia URL, but real files also hold plain words in any case and
spelling ("3d_printing", "3DP", "Laser"). Both are folded to the same plain key: a Wikipedia URL to its
article title, then case, accents, underscores and hyphens folded to spaces. Pure functions only, so the
data migration can use them too.
"""

import re
import unicodedata
from typing import Generic, TypeVar
from urllib.parse import unquote, urlsplit

T = TypeVar("T")

WIKIPEDIA_HOST = re.compile(r"^(?:[a-z]{2,3}\.)?(?:m\.)?wikipedia\.org$")
SEPARATORS = re.compile(r"[\s_\-/]+")


def fold_name(text: str) -> str:
    """ "3D_Printing", "3d-printing" and " 3D  printing " all become "3d printing"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return SEPARATORS.sub(" ", plain.casefold()).strip()


def wikipedia_article(value: str) -> str | None:
    """The article title of a Wikipedia URL ("Laser_cutting"), or None when `value` is not one."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not WIKIPEDIA_HOST.match((parts.hostname or "").lower()):
        return None
    if not parts.path.startswith("/wiki/"):
        return None
    return unquote(parts.path.removeprefix("/wiki/")) or None


def is_url(value: str) -> bool:
    parts = urlsplit(value.strip())
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def match_key(value: str) -> str:
    """The key a name or Wikipedia URL is looked up by: the folded article title or the folded words."""
    article = wikipedia_article(value)
    return fold_name(article if article is not None else value)


class Lookup(Generic[T]):
    """Finds an item of a taxonomy by any of its names: its Wikipedia article, its name, its slug or an
    alias. Earlier names win, so an article shared by a broad and a narrow entry finds the broad one."""

    def __init__(self) -> None:
        self._by_key: dict[str, T] = {}

    def add(self, item: T, *names: str) -> None:
        for name in names:
            key = match_key(name) if name else ""
            if key:
                self._by_key.setdefault(key, item)

    def find(self, value: str) -> T | None:
        if not value or not value.strip():
            return None
        return self._by_key.get(match_key(value))
