"""Presentation helpers for the directory's templates: sanitised Markdown and search URLs."""

from collections.abc import Iterable
from dataclasses import dataclass

# The standard library's escape, which Django's own calls: the same output, without the wrapper for lazy
# strings that cost more than the escaping itself across the few hundred values of a results page.
from html import escape
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from directory.models import Listing, Vocabulary
from directory.search import FacetValue, ListingHit, SearchParams, SearchResults
from makeworks.lib.geo import NamedPlace
from makeworks.lib.text import markdown_html
from makeworks.lib.text import markdown_plain as markdown_plain_text

register = template.Library()

FACETS_SHOWN = 10
# A group lists at most this many values: past that, typing the word finds it faster than scrolling.
FACETS_LISTED = 20
FACET_ORDER = (
    ("kind", _("Kind")),
    (Vocabulary.MATERIAL.value, _("Material")),
    (Vocabulary.PROCESS.value, _("Process")),
    (Vocabulary.SECTOR.value, _("Sector")),
    (Vocabulary.SERVICE.value, _("Service")),
    ("node", _("Node")),
)


@register.filter(is_safe=True)
def markdown(text: object) -> SafeString:
    """Markdown rendered to HTML and sanitised (makeworks.lib.text.markdown_html); anything but text,
    as another issuer's badge document may hold, renders as nothing."""
    # Safe because nh3 removed every tag, attribute and URL scheme outside the allowed sets.
    return mark_safe(markdown_html(text if isinstance(text, str) else ""))


@register.filter
def markdown_plain(text: object) -> str:
    """The words of a Markdown text without its markup, for a card's summary (escaped as any text)."""
    return markdown_plain_text(text if isinstance(text, str) else "")


@register.filter
def country_name(code: object) -> str:
    return countries.name(str(code or "")) or ""


def _current_values(params: SearchParams, key: str) -> tuple[str, ...]:
    if key == "kind":
        return params.kinds
    if key == "node":
        return params.nodes
    return params.terms.get(key, ())


def toggle_query(params: SearchParams, key: str, value: str) -> str:
    """The query string of this search with one facet value added or removed, back on page 1."""
    return toggle_queries(params, key, [value])[value]


def toggle_queries(params: SearchParams, key: str, values: Iterable[str]) -> dict[str, str]:
    """`toggle_query` for many values of one facet. The rest of the query is the same for all of them,
    so it is encoded once, around a marker that no encoded value can contain (NUL encodes as %00)."""
    marker = urlencode({key: "\x00"})
    before, _marker, after = params.to_query_string(**{key: ["\x00"], "page": None}).partition(marker)
    # A literal "&" in an encoded query only ever separates pairs (values encode theirs as %26).
    before, after = before.rstrip("&"), after.lstrip("&")
    current = _current_values(params, key)
    queries = {}
    for value in values:
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        middle = urlencode([(key, v) for v in chosen])
        queries[value] = "&".join(part for part in (before, middle, after) if part)
    return queries


@register.simple_tag
def facet_toggle_query(params: SearchParams, key: str, value: str) -> str:
    return toggle_query(params, key, value)


@register.simple_tag
def page_query(params: SearchParams, page: int) -> str:
    return params.to_query_string(page=page if page > 1 else None)


@register.simple_tag
def near_query(params: SearchParams, place: NamedPlace) -> str:
    """This search around another town of the same name ("Paris, US" rather than Paris, France)."""
    return params.to_query_string(near=place.query, page=None)


@register.simple_tag
def clear_filters_query(params: SearchParams) -> str:
    """This search's words, place and sort, with every facet dropped."""
    facet_keys = {key: None for key, _label in FACET_ORDER}
    return params.to_query_string(**facet_keys, page=None)


@register.simple_tag
def search_url(key: str = "", value: str = "") -> str:
    """The search page filtered by one value, for links like a listing's materials."""
    url = reverse("directory:search")
    return f"{url}?{SearchParams().to_query_string(**{key: value})}" if key else url


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    query: str


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    shown: list[FacetLink]
    more: list[FacetLink]


def facet_groups(results: SearchResults) -> list[FacetGroup]:
    groups = []
    for key, label in FACET_ORDER:
        values: list[FacetValue] = results.facets.get(key, [])
        if not values:
            continue
        # Selected values come first so the visitor can always see, and undo, what is applied.
        ordered = [v for v in values if v.selected] + [v for v in values if not v.selected]
        listed = ordered[: max(FACETS_LISTED, sum(v.selected for v in ordered))]
        queries = toggle_queries(results.params, key, [v.value for v in listed])
        links = [FacetLink(v.value, v.label, v.count, v.selected, queries[v.value]) for v in listed]
        groups.append(FacetGroup(key, str(label), links[:FACETS_SHOWN], links[FACETS_SHOWN:]))
    return groups


@register.simple_tag
def facet_sections(results: SearchResults) -> SafeString:
    """Every facet group of a results page: its heading, its first values, the rest folded under "Show N
    more". Built here, as the values inside it are, for the search page's budget over its SQL."""
    groups = facet_groups(results)
    if not groups:
        return format_html('<p class="muted">{}</p>', gettext("No filters apply to these results."))
    sections = []
    for group in groups:
        more = ""
        if group.more:
            count = len(group.more)
            label = ngettext("Show %(counter)s more", "Show %(counter)s more", count) % {"counter": count}
            more = (
                f'<details class="facet-more"><summary>{escape(label)}</summary>'
                f'<ul class="facet-list">{facet_items(group.more, results.approximate)}</ul></details>'
            )
        sections.append(
            f'<section class="facet" aria-labelledby="facet-{escape(group.key)}">'
            f'<h3 id="facet-{escape(group.key)}">{escape(group.label)}</h3>'
            f'<ul class="facet-list">{facet_items(group.shown, results.approximate)}</ul>{more}</section>'
        )
    # Safe: the values come from escape() or from facet_items, which escapes its own.
    return mark_safe("".join(sections))


@register.simple_tag
def facet_items(links: list[FacetLink], approximate: bool) -> SafeString:
    """Facet values as list items, each a link that toggles it. Built here rather than by a template:
    a results page carries a hundred of these, and a template or format_html costs several times more."""
    about = (
        f'<span aria-hidden="true">≈</span><span class="visually-hidden">{escape(gettext("about"))} </span>'
        if approximate
        else ""
    )
    selected_note = (
        f'<span class="visually-hidden">{escape(gettext("(selected; choose to remove this filter)"))}</span>'
    )
    items = []
    for link in links:
        css, current, note = (
            ("facet-link is-selected", ' aria-current="true"', selected_note)
            if link.selected
            else ("facet-link", "", "")
        )
        items.append(
            f'<li><a class="{css}" href="?{escape(link.query)}"{current}>'
            '<span class="facet-check" aria-hidden="true"></span>'
            f'<span class="facet-label">{escape(link.label)}</span>'
            f'<span class="facet-count">{about}{link.count}</span>{note}</a></li>'
        )
    # Safe: every value that is not a literal above went through escape().
    return mark_safe("".join(items))


@register.simple_tag
def listing_cards(hits: list[ListingHit], hide_node: bool = False) -> SafeString:
    """Result cards as list items. Built here for the reason facet_items is: twenty cards through a
    template cost more than the search that found them, and the search page has a budget (make bench)."""
    verified = (
        ' <span class="badge badge-verified"><span aria-hidden="true">✓</span> '
        f"{escape(gettext('Verified'))}</span>"
    )
    cards = []
    for hit in hits:
        image = (
            f'<img class="card-image" src="{escape(hit.thumbnail_url)}" alt="" loading="lazy" '
            'width="480" height="360">'
            if hit.thumbnail_url
            else card_placeholder(hit.kind)
        )
        summary = f'<p class="card-summary">{escape(hit.summary)}</p>' if hit.summary else ""
        cards.append(
            f'<li class="card listing-card">{image}<div class="card-body">'
            f'<p class="card-kind">{escape(hit.kind_label)}{verified if hit.verified else ""}</p>'
            f'<h3 class="card-title"><a href="{escape(hit.url)}">{escape(hit.name)}</a></h3>'
            f'{summary}<p class="card-meta">{"".join(_card_meta(hit, hide_node))}</p></div></li>'
        )
    # Safe: every value that is not a literal above went through escape().
    return mark_safe("".join(cards))


# A line drawing per kind for cards without a photo (24 by 24, stroked in the card's colour), so a listing
# without photos shows what it is rather than an empty frame.
KIND_ICONS = {
    # A gear: fabricators.
    "fabricator": '<circle cx="12" cy="12" r="3.2"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3'
    'M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"/>'
    '<circle cx="12" cy="12" r="6.5"/>',
    # Stacked boards: material suppliers.
    "supplier": '<path d="M3 16l9 4 9-4M3 12l9 4 9-4M3 8l9-4 9 4-9 4z"/>',
    # A hammer on a bench: workshops.
    "workshop": '<path d="M3 20h18M6 20v-4h12v4M14.5 4.5l4 4-2 2-4-4zM12.5 6.5L6 13l1.5 1.5 6.5-6.5"/>',
    # A bowl with steam: food producers.
    "food": '<path d="M3.5 12h17a8.5 8.5 0 0 1-17 0zM8 20h8M9 4c1 1.2-1 2.3 0 3.5M13 4c1 1.2-1 2.3 0 3.5"/>',
    # Three connected people: makerspaces and hubs.
    "makerspace": '<circle cx="12" cy="6" r="2.5"/><circle cx="5" cy="17" r="2.5"/>'
    '<circle cx="19" cy="17" r="2.5"/>'
    '<path d="M10.8 8.2L6.2 14.8M13.2 8.2l4.6 6.6M7.5 17h9"/>',
}


def card_placeholder(kind: str) -> str:
    """The picture of a card without a photo: its kind's drawing on its kind's colour (site.css)."""
    icon = KIND_ICONS.get(kind, KIND_ICONS["workshop"])
    css_kind = escape(kind if kind in KIND_ICONS else "other")
    return (
        f'<div class="card-image card-placeholder kind-{css_kind}" aria-hidden="true">'
        '<svg viewBox="0 0 24 24" width="64" height="64" fill="none" stroke="currentColor" '
        'stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round" focusable="false">'
        f"{icon}</svg></div>"
    )


def _card_meta(hit: ListingHit, hide_node: bool) -> list[str]:
    """Where the listing is, how far, and its node, each a span."""
    parts = []
    if hit.city or hit.country:
        place = ", ".join(part for part in (hit.city, hit.country_name if hit.country else "") if part)
        parts.append(f"<span>{escape(place)}</span>")
    if hit.distance_km is not None:
        distance = floatformat(hit.distance_km, 1)  # the template filter's rounding and decimal mark
        away = gettext("%(distance)s km away") % {"distance": distance}
        parts.append(f"<span>{escape(away)}</span>")
    if hit.node_name and hit.node_name != hit.city and not hide_node:
        parts.append(f"<span>{escape(hit.node_name)}</span>")
    return parts


def page_window(current: int, last: int, width: int = 2) -> list[int | None]:
    """Page numbers around the current one plus the first and last; None marks a gap."""
    pages = sorted({1, last, *range(max(1, current - width), min(last, current + width) + 1)})
    window: list[int | None] = []
    for page in pages:
        if window and page - (window[-1] or 0) > 1:
            window.append(None)
        window.append(page)
    return window


@register.simple_tag
def page_links(results: SearchResults) -> SafeString:
    """The list items of a results page's pagination: previous, a window of pages with gaps, next.
    `page` comes last in a search's query, so the rest is encoded once for every link."""
    params, last = results.params, results.num_pages
    rest = params.to_query_string(page=None)

    def href(page: int) -> str:
        query = "&".join(part for part in (rest, f"page={page}" if page > 1 else "") if part)
        return escape(f"?{query}")

    items = []
    if params.page > 1:
        items.append(
            f'<li><a href="{href(params.page - 1)}" rel="prev">{escape(gettext("Previous"))}</a></li>'
        )
    label = f'<span class="visually-hidden">{escape(gettext("Page"))} </span>'
    for page in page_window(params.page, last):
        if page is None:
            items.append('<li class="pagination-gap" aria-hidden="true">…</li>')
            continue
        current = ' aria-current="page"' if page == params.page else ""
        items.append(f'<li><a href="{href(page)}"{current}>{label}{page}</a></li>')
    if params.page < last:
        items.append(f'<li><a href="{href(params.page + 1)}" rel="next">{escape(gettext("Next"))}</a></li>')
    # Safe: the only values that are not literals or numbers went through escape().
    return mark_safe("".join(items))


SUGGESTION_KINDS = {
    Vocabulary.MATERIAL.value: _("Material"),
    Vocabulary.PROCESS.value: _("Process"),
    Vocabulary.SECTOR.value: _("Sector"),
    Vocabulary.SERVICE.value: _("Service"),
    "listing": _("Listing"),
}


@register.filter
def suggestion_kind(kind: str) -> str:
    return str(SUGGESTION_KINDS.get(kind, kind))


@register.simple_tag
def map_points(hits: list[ListingHit]) -> list[dict[str, object]]:
    """The markers for a map: hits that have coordinates, with what their popups show."""
    return [
        {
            "name": hit.name,
            "url": hit.url,
            "lat": hit.latitude,
            "lng": hit.longitude,
            "detail": " · ".join(part for part in (hit.kind_label, hit.city) if part),
        }
        for hit in hits
        if hit.latitude is not None and hit.longitude is not None
    ]


@register.simple_tag
def listing_points(listing: Listing) -> list[dict[str, object]]:
    """The single marker of a listing's own map, or none when it has no coordinates."""
    if not listing.has_location:
        return []
    return [
        {
            "name": listing.name,
            "url": listing.get_absolute_url(),
            "lat": listing.latitude,
            "lng": listing.longitude,
            "detail": " · ".join(part for part in (str(listing.get_kind_display()), listing.city) if part),
        }
    ]
