"""Suggestions while typing: materials, processes and listing names that start with what was typed."""

from dataclasses import dataclass

from django.db import connection
from django.urls import reverse

from directory.models import Listing, Term, Vocabulary
from directory.search.backends import current_backend
from makeworks.lib.text import fold, words

MAX_TERM_SUGGESTIONS = 6
MAX_LISTING_SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "material", "process", "sector", "service" or "listing"
    label: str
    url: str


def suggest(text: str) -> list[Suggestion]:
    typed = words(text)
    if not typed or len(typed[-1]) < 2:
        return []
    prefix = fold(" ".join(typed))[:60]
    suggestions: list[Suggestion] = []
    search_url = reverse("directory:search")
    # The vocabularies are a few hundred rows: folding in Python matches accents and French names alike.
    terms = Term.objects.filter(vocabulary__in=[Vocabulary.MATERIAL, Vocabulary.PROCESS, Vocabulary.SECTOR])
    matches = []
    for term in terms:
        names = [fold(term.name), fold(term.name_fr)]
        if any(name.startswith(prefix) for name in names):
            matches.append((0, term))
        elif any(f" {prefix}" in f" {name}" for name in names):
            matches.append((1, term))
    matches.sort(key=lambda item: (item[0], item[1].name))
    for _rank, term in matches[:MAX_TERM_SUGGESTIONS]:
        suggestions.append(
            Suggestion(term.vocabulary, term.label, f"{search_url}?{term.vocabulary}={term.slug}")
        )

    match = current_backend().name_prefix_match(typed[-1])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {match.sql} SELECT e.listing_id FROM directory_searchentry e "
            "JOIN matched m ON m.id = e.listing_id ORDER BY e.sort_name LIMIT 50",
            match.params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    listings = Listing.objects.filter(pk__in=ids).only("name", "slug").order_by("name")
    for listing in listings:
        if fold(listing.name).startswith(prefix) or len(typed) == 1:
            suggestions.append(Suggestion("listing", listing.name, listing.get_absolute_url()))
        if len(suggestions) >= MAX_TERM_SUGGESTIONS + MAX_LISTING_SUGGESTIONS:
            break
    return suggestions
