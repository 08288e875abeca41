"""Reads behind the directory's pages. Each runs a fixed number of queries, whatever the data."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language_info
from django_countries import countries

from audit import selectors as audit_selectors
from audit.models import AuditEntry
from directory.models import (
    BatchSize,
    Claim,
    ClaimStatus,
    Clientele,
    Listing,
    ListingPhoto,
    ListingStatus,
    Node,
    ProductionAccess,
    SearchEntry,
    Term,
    Vocabulary,
)
from directory.search import ListingHit, SearchParams, SearchResults, listing_hits, search_listings
from directory.search.params import DEFAULT_RADIUS_KM as DEFAULT_RADIUS_KM
from directory.search.params import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH
from directory.search.params import MAX_RADIUS_KM as MAX_RADIUS_KM
from directory.search.params import resolve_near, unplaced_message
from makeworks.lib.geo import Near, squared_km, within_radius
from makeworks.lib.video import Video, parse_video

NEARBY_RADIUS_KM = 50.0
NEARBY_LIMIT = 6


def near_place(text: str, radius_km: float) -> Near | None:
    """Where a typed place ("Glasgow", "55.86,-4.25") is, from the catalogue's gazetteer or the online
    geocoder; None when it is unknown. The machine and maker searches find places as the catalogue's does,
    within the same bounds (DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MAX_QUERY_LENGTH, re-exported above)."""
    return resolve_near(text, radius_km)


def near_place_refusal(text: str) -> str:
    """What to tell a visitor whose typed place near_place() could not find (a postcode gets its own
    words), so every place field refuses alike."""
    return unplaced_message(text)


@dataclass(frozen=True)
class NodeCard:
    node: Node
    listing_count: int


def node_cards() -> list[NodeCard]:
    """Every node with how many published listings it has, in one query."""
    nodes = Node.objects.annotate(
        published_count=Count("listings", filter=Q(listings__status=ListingStatus.PUBLISHED))
    ).order_by("name")
    return [NodeCard(node, node.published_count) for node in nodes]


@dataclass(frozen=True)
class NodePage:
    node: Node
    results: SearchResults


def node_page(slug: str) -> NodePage:
    """A node and the first page of its published listings, with counts per kind from the facets."""
    node = get_object_or_404(Node, slug=slug)
    return NodePage(node, search_listings(SearchParams(nodes=(node.slug,))))


@dataclass(frozen=True)
class TermGroup:
    vocabulary: str
    label: str
    terms: list[Term]


@dataclass(frozen=True)
class SocialLink:
    label: str
    url: str


@dataclass
class ListingPage:
    listing: Listing
    term_groups: list[TermGroup]
    photos: list[ListingPhoto]
    video: Video | None
    languages: list[str]
    certifications: list[str]
    batch_sizes: list[str]
    works_with: list[str]
    production_access: list[str]
    social_links: list[SocialLink]
    nearby: list[ListingHit] = field(default_factory=list)

    @property
    def node(self) -> Node | None:
        return self.listing.node


def listing_page(slug: str) -> ListingPage:
    """A listing, draft or published, with everything its page shows; Http404 for unknown slugs.
    Whether the visitor may see it is the view's question, answered by directory.permissions."""
    listing = get_object_or_404(
        Listing.objects.select_related("node").prefetch_related("terms", "photos"), slug=slug
    )
    terms = sorted(listing.terms.all(), key=lambda term: term.label.casefold())
    return ListingPage(
        listing=listing,
        term_groups=_term_groups(terms),
        photos=list(listing.photos.all()),
        video=parse_video(listing.video_url) if listing.video_url else None,
        languages=[_language_name(code) for code in _strings(listing.languages)],
        certifications=_strings(listing.certifications),
        batch_sizes=_choice_labels(listing.batch_sizes, BatchSize),
        works_with=_choice_labels(listing.works_with, Clientele),
        production_access=_choice_labels(listing.production_access, ProductionAccess),
        social_links=_social_links(listing.social_links),
        nearby=nearby_sharing_a_process(listing, [t.pk for t in terms if t.vocabulary == Vocabulary.PROCESS]),
    )


def _term_groups(terms: list[Term]) -> list[TermGroup]:
    groups = []
    for vocabulary, label in Vocabulary.choices:
        members = [term for term in terms if term.vocabulary == vocabulary]
        if members:
            groups.append(TermGroup(vocabulary, str(label), members))
    return groups


def _strings(values: object) -> list[str]:
    """The text items of a JSON list field; anything else a careless import left there is ignored."""
    if not isinstance(values, list):
        return []
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def _choice_labels(values: object, choices: type[BatchSize | Clientele | ProductionAccess]) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(value, value)) for value in _strings(values)]


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code.lower())["name_translated"])
    except KeyError:
        return code


def _social_links(values: object) -> list[SocialLink]:
    """Social links as (label, url), from plain URLs or {"url": …, "label": …} objects; only http(s)."""
    links = []
    for value in values if isinstance(values, list) else []:
        url, label = (value, "") if isinstance(value, str) else ("", "")
        if isinstance(value, dict):
            url, label = str(value.get("url", "")), str(value.get("label") or value.get("network") or "")
        parts = urlsplit(url.strip())
        if parts.scheme in {"http", "https"} and parts.hostname:
            host = parts.hostname.removeprefix("www.")
            links.append(SocialLink(label or host, url.strip()))
    return links


def nearby_sharing_a_process(
    listing: Listing, process_ids: list[int], limit: int = NEARBY_LIMIT
) -> list[ListingHit]:
    """Published listings within 50 km that share at least one process, nearest first (two queries)."""
    if not process_ids or not listing.has_location:
        return []
    latitude, longitude = float(listing.latitude or 0), float(listing.longitude or 0)
    shares_process = Listing.terms.through.objects.filter(listing_id=OuterRef("pk"), term_id__in=process_ids)
    candidates = Listing.objects.published().exclude(pk=listing.pk).filter(Exists(shares_process))
    nearest = (
        candidates.filter(within_radius(latitude, longitude, NEARBY_RADIUS_KM))
        .annotate(distance_sq=squared_km(latitude, longitude))
        .order_by("distance_sq", "name")
        .values_list("pk", "distance_sq")[:limit]
    )
    return listing_hits([(pk, math.sqrt(distance_sq)) for pk, distance_sq in nearest])


@dataclass(frozen=True)
class ListingChange:
    """One line of a listing's history, as the history and curation pages show it: an audit log entry
    about the listing, with the listing itself while it exists."""

    created_at: datetime
    actor: User | None
    action_label: str
    changes: dict[str, Any]
    listing: Listing | None
    listing_name: str


def _listing_changes(entries: Iterable[AuditEntry], listings: dict[int, Listing]) -> list[ListingChange]:
    return [
        ListingChange(
            created_at=entry.created_at,
            actor=entry.actor,
            action_label=str(entry.get_action_display()),
            changes=entry.changes,
            listing=listings.get(int(entry.object_id)),
            listing_name=entry.object_label,
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class CurationPage:
    node: Node
    drafts: list[Listing]
    claims: list[Claim]
    recently_changed: list[Listing]
    recent_changes: list[ListingChange]


CURATION_RECENT_CHANGES = 30
CURATION_RECENT_LISTINGS = 20


def curation_page(node: Node) -> CurationPage:
    """What waits for a node's curators: draft listings, pending claims, and the latest changes."""
    drafts = Listing.objects.filter(node=node, status=ListingStatus.DRAFT).order_by("-updated_at")
    claims = (
        Claim.objects.filter(listing__node=node, status=ClaimStatus.PENDING)
        .select_related("listing", "claimant")
        .order_by("created_at")
    )
    # The listings now in the node, as the audit log names them (their primary keys, as text).
    node_listing_ids = Listing.objects.filter(node=node).annotate(key=Cast("pk", CharField())).values("key")
    entries = list(audit_selectors.entries_for_objects(Listing, node_listing_ids)[:CURATION_RECENT_CHANGES])
    listings = Listing.objects.in_bulk({int(entry.object_id) for entry in entries})
    changes = _listing_changes(entries, listings)
    recently_changed = Listing.objects.filter(node=node, status=ListingStatus.PUBLISHED).order_by(
        "-updated_at", "-id"
    )[:CURATION_RECENT_LISTINGS]
    return CurationPage(node, list(drafts), list(claims), list(recently_changed), changes)


def listing_history(listing: Listing) -> list[ListingChange]:
    """A listing's history, newest first: what the audit log says was done to it."""
    return _listing_changes(audit_selectors.entries_for_object(listing), {listing.pk: listing})


# The home page: the newest listings, a few with photos to show off, and the nodes on a map.
HOME_RECENT_LIMIT = 6
HOME_FEATURED_LIMIT = 4


def recent_listings(*, exclude: Iterable[int] = (), limit: int = HOME_RECENT_LIMIT) -> list[ListingHit]:
    """The newest published listings, as result cards (two queries: the search index's own order by
    creation, then the cards). `exclude`: cards already on the page."""
    newest = (
        SearchEntry.objects.exclude(listing_id__in=list(exclude))
        .order_by("-created_at", "-listing_id")
        .values_list("listing_id", flat=True)
    )
    return listing_hits([(listing_id, None) for listing_id in newest[:limit]])


def featured_listings(limit: int = HOME_FEATURED_LIMIT) -> list[ListingHit]:
    """Published listings with a photo, curator-verified ones first, then the most recently updated: the
    ones that show a visitor what the directory holds."""
    has_photo = ListingPhoto.objects.filter(listing_id=OuterRef("pk"))
    chosen = (
        Listing.objects.published()
        .filter(Exists(has_photo))
        .order_by("-verified", "-updated_at", "-pk")
        .values_list("pk", flat=True)
    )
    return listing_hits([(listing_id, None) for listing_id in chosen[:limit]])


def node_points(cards: Iterable[NodeCard]) -> list[dict[str, object]]:
    """The markers of a map of the nodes, in the shape static/js/map.js reads."""
    return [
        {
            "name": card.node.label,
            "url": card.node.get_absolute_url(),
            "lat": card.node.latitude,
            "lng": card.node.longitude,
            "detail": countries.name(card.node.country),
        }
        for card in cards
    ]
