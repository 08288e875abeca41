"""What the home page shows, gathered from every domain through its selectors.

The home sits in the front door because it tells one story across domains: the directory's listings
and nodes, the badges makers show on their passports, the machines hubs add to the map. No domain
may read another above it, so the page that needs all of them lives above all of them."""

from dataclasses import dataclass
from datetime import datetime

from directory import selectors as directory_selectors
from directory.models import Listing
from directory.search import ListingHit
from machinery_map import selectors as machine_selectors
from machinery_map.models import Equipment
from passport import selectors as passport_selectors
from passport.selectors import ShownBadge

ACTIVITY_LIMIT = 6
# A line about a hub names at most this many of the machines it added.
MACHINES_PER_LINE = 3


@dataclass(frozen=True)
class ActivityItem:
    """One line of "latest activity": a badge a maker shows, or the machines a hub added."""

    when: datetime
    badge: ShownBadge | None = None
    hub: Listing | None = None
    machines: tuple[Equipment, ...] = ()

    @property
    def machine_names(self) -> str:
        return ", ".join(machine.title for machine in self.machines)


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
    """Badges shown publicly and machines added (one line per hub), merged newest first. Each kind keeps
    at least half the lines when it has that many, so a hub adding its whole workshop at once does not
    push every badge off the page."""
    badges = [
        ActivityItem(when=badge.issued_on, badge=badge)
        for badge in passport_selectors.recent_public_badges(limit=limit)
    ]
    machines = _machines_by_hub(machine_selectors.recent_machines(limit=limit * MACHINES_PER_LINE))
    badge_lines = min(len(badges), max(limit // 2, limit - len(machines)))
    chosen = badges[:badge_lines] + machines[: limit - badge_lines]
    return sorted(chosen, key=lambda item: item.when, reverse=True)


def _machines_by_hub(machines: list[Equipment]) -> list[ActivityItem]:
    """The newest machines as one line per hub (its newest few), in the order of each hub's newest."""
    by_hub: dict[int, list[Equipment]] = {}
    for machine in machines:
        by_hub.setdefault(machine.hub_id, []).append(machine)
    return [
        ActivityItem(when=group[0].created_at, hub=group[0].hub, machines=tuple(group[:MACHINES_PER_LINE]))
        for group in by_hub.values()
    ]
