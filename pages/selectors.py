"""What the home page shows, gathered from every domain through its selectors.

The home sits in the front door because it tells one story across domains: the directory's listings
and nodes, the badges makers show on their passports, the machines hubs add to the map. No domain
may read another above it, so the page that needs all of them lives above all of them."""

from dataclasses import dataclass
from datetime import datetime

from directory import selectors as directory_selectors
from directory.search import ListingHit
from machinery_map import selectors as machine_selectors
from machinery_map.models import Equipment
from passport import selectors as passport_selectors
from passport.selectors import ShownBadge

ACTIVITY_LIMIT = 6


@dataclass(frozen=True)
class ActivityItem:
    """One line of "latest activity": a badge a maker shows, or a machine a hub added."""

    when: datetime
    badge: ShownBadge | None = None
    machine: Equipment | None = None


@dataclass(frozen=True)
class HomePage:
    node_cards: list[directory_selectors.NodeCard]
    node_points: list[dict[str, object]]
    listing_total: int
    recent: list[ListingHit]
    featured: list[ListingHit]
    activity: list[ActivityItem]


def home_page() -> HomePage:
    """Everything the home page shows, in a fixed handful of queries whatever the catalogue's size."""
    cards = directory_selectors.node_cards()
    # Featured first: on a young directory every listing is recent, and the ones with photos belong on top.
    featured = directory_selectors.featured_listings()
    recent = directory_selectors.recent_listings(exclude=[hit.id for hit in featured])
    return HomePage(
        node_cards=cards,
        node_points=directory_selectors.node_points(cards),
        listing_total=sum(card.listing_count for card in cards),
        recent=recent,
        featured=featured,
        activity=latest_activity(),
    )


def latest_activity(limit: int = ACTIVITY_LIMIT) -> list[ActivityItem]:
    """Badges shown publicly and machines added, merged newest first."""
    items = [
        ActivityItem(when=badge.issued_on, badge=badge)
        for badge in passport_selectors.recent_public_badges(limit=limit)
    ]
    items += [
        ActivityItem(when=machine.created_at, machine=machine)
        for machine in machine_selectors.recent_machines(limit=limit)
    ]
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]
