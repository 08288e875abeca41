"""Reads behind the Map of Machinery. Each runs a fixed number of queries, whatever the data."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse

from badges import selectors as badge_selectors
from badges.models import BadgeClass
from directory.models import Listing, ListingStatus, Term, Vocabulary
from machinery_map.models import (
    HUB_KINDS,
    Equipment,
    EquipmentAccess,
    EquipmentStatus,
    EquipmentType,
    ManufacturingProcess,
)
from machinery_map.verdicts import BadgeRef, Outcome, Verdict, machine_verdict
from makeworks.lib.geo import Near, squared_km, within_radius
from passport import selectors as passport_selectors

PER_PAGE = 30
# What a map card shows of a machine and what its filters test; the other fields (notes, OKW properties...)
# load when read, so a page of hundreds of machines does not decode what nobody looks at.
CARD_MACHINE_FIELDS = (
    "hub",
    "equipment_type",
    "make",
    "model",
    "quantity",
    "status",
    "access",
    "bed_size_mm",
    "build_volume_mm3",
    "booking_url",
)
LITRE_MM3 = 1_000_000


@dataclass(frozen=True)
class MapFilters:
    """What a visitor asks of the map, already validated (machinery_map.forms.MapFilterForm)."""

    equipment_types: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    min_bed_size_mm: int | None = None
    min_build_volume_l: Decimal | None = None
    access: tuple[str, ...] = ()
    near: Near | None = None
    # Only machines in working order: "can I make this here?" wants a machine it can use today.
    operational_only: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def is_empty(self) -> bool:
        return not (
            self.equipment_types
            or self.processes
            or self.materials
            or self.min_bed_size_mm
            or self.min_build_volume_l
            or self.access
            or self.near
        )


@dataclass
class MachineCard:
    equipment: Equipment
    # For "can I make this here?": whether this person may use it, and why (verdicts_mark).
    verdict: Verdict | None = None


@dataclass
class HubCard:
    hub: Listing
    machines: list[MachineCard]
    matching_count: int
    distance_km: float | None

    @property
    def ready_count(self) -> int:
        """How many of the listed machines the person may use as things stand."""
        return sum(1 for card in self.machines if card.verdict and card.verdict.outcome is Outcome.YES)


@dataclass
class MapResults:
    hubs: list[HubCard]
    total: int
    page: int
    per_page: int
    machine_total: int = 0
    points: list[dict[str, object]] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def page_out_of_range(self) -> bool:
        return self.page > self.num_pages


def _type_branch_ids(slugs: tuple[str, ...], types: Iterable[EquipmentType] | None = None) -> list[int]:
    """The ids of these types and of every narrower type below them ("3D printer" covers SLA); from the
    types given when the caller has them already."""
    children: dict[int | None, list[int]] = {}
    roots = []
    rows = (
        EquipmentType.objects.values_list("id", "parent_id", "slug")
        if types is None
        else ((equipment_type.pk, equipment_type.parent_id, equipment_type.slug) for equipment_type in types)
    )
    for type_id, parent_id, slug in rows:
        children.setdefault(parent_id, []).append(type_id)
        if slug in slugs:
            roots.append(type_id)
    found: set[int] = set()
    stack = roots
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return list(found)


def _material_ids(slugs: tuple[str, ...]) -> list[int]:
    terms = Term.objects.filter(vocabulary=Vocabulary.MATERIAL)
    roots = list(terms.filter(slug__in=slugs).values_list("id", flat=True))
    return [term_id for branch in terms.branches(roots) for term_id in branch]


def matching_machines(
    filters: MapFilters,
    types: Iterable[EquipmentType] | None = None,
    *,
    among: QuerySet[Equipment] | None = None,
) -> QuerySet[Equipment]:
    """Machines that satisfy every machine filter (not the place: that is the hub's). `types`: every
    equipment type, when the caller has loaded them already; `among`: the machines to choose from (all,
    by default), with whatever related rows the caller fetches alongside."""
    machines = Equipment.objects.all() if among is None else among
    if filters.operational_only:
        machines = machines.filter(status=EquipmentStatus.OPERATIONAL)
    else:
        machines = machines.exclude(status=EquipmentStatus.RETIRED)
    if filters.equipment_types:
        machines = machines.filter(equipment_type_id__in=_type_branch_ids(filters.equipment_types, types))
    if filters.processes:
        process_ids = list(
            ManufacturingProcess.objects.filter(slug__in=filters.processes).values_list("id", flat=True)
        )
        does = Equipment.processes.through.objects.filter(
            equipment_id=OuterRef("pk"), manufacturingprocess_id__in=process_ids
        )
        machines = machines.filter(Exists(does))
    if filters.materials:
        works = Equipment.materials.through.objects.filter(
            equipment_id=OuterRef("pk"), term_id__in=_material_ids(filters.materials)
        )
        machines = machines.filter(Exists(works))
    if filters.min_bed_size_mm:
        machines = machines.filter(bed_size_mm__gte=filters.min_bed_size_mm)
    if filters.min_build_volume_l:
        machines = machines.filter(build_volume_mm3__gte=int(filters.min_build_volume_l * LITRE_MM3))
    if filters.access:
        machines = machines.filter(access__in=filters.access)
    return machines


def matching_hubs(filters: MapFilters, machines: QuerySet[Equipment] | None = None) -> QuerySet[Listing]:
    """Published hubs with at least one machine that satisfies every filter, within the place's radius when
    one is given; nearest first, else by name. Asking each hub whether such a machine exists (an index
    probe per hub) costs far less than grouping every matching machine by hub."""
    if machines is None:
        machines = matching_machines(filters)
    hubs = Listing.objects.published().filter(
        Exists(machines.filter(hub_id=OuterRef("pk"))), kind__in=HUB_KINDS
    )
    near = filters.near
    if near is None:
        return hubs.order_by("name", "pk")
    # A bounding box the index can use first, then the flat-earth distance, as directory search does.
    return (
        hubs.filter(within_radius(near.latitude, near.longitude, near.radius_km))
        .annotate(distance_sq=squared_km(near.latitude, near.longitude))
        .order_by("distance_sq", "pk")
    )


def map_search(filters: MapFilters) -> MapResults:
    """The page of hubs that have a machine matching the filters, each with its matching machines.

    A fixed number of queries: the page of hubs with the number of all matches alongside (one pass over the
    hubs instead of a count and then a page), the types, and that page's machines (and the count alone,
    only for a page past the end). Required badges are not fetched here: only "can I make this here?" shows
    them, and verdicts_mark fetches them for the machines it marks."""
    # The few dozen types once: to widen a type filter, and for the page's machines rather than a copy
    # joined onto every one of them.
    types = EquipmentType.objects.in_bulk()
    machines = matching_machines(filters, types.values())
    hubs = matching_hubs(filters, machines)
    offset = (filters.page - 1) * filters.per_page
    # Only what a hub card and its marker show: listing rows are wide (descriptions, JSON lists).
    shown = hubs.only("name", "slug", "kind", "status", "city", "country", "latitude", "longitude").annotate(
        matching_total=Window(Count("pk"))
    )
    page = list(shown[offset : offset + filters.per_page])
    # Past the last page no row carries the total, so only then is it counted alone.
    total = page[0].matching_total if page else (hubs.count() if offset else 0)
    by_hub: dict[int, list[MachineCard]] = {hub.pk: [] for hub in page}
    if by_hub:
        machine_list = (
            machines.filter(hub_id__in=list(by_hub))
            .only(*CARD_MACHINE_FIELDS)
            .order_by("equipment_type__name", "make", "model", "id")
        )
        for equipment in machine_list:
            equipment.equipment_type = types[equipment.equipment_type_id]
            by_hub[equipment.hub_id].append(MachineCard(equipment))
    cards = []
    for hub in page:
        distance = getattr(hub, "distance_sq", None)
        cards.append(
            HubCard(
                hub=hub,
                machines=by_hub[hub.pk],
                matching_count=len(by_hub[hub.pk]),
                distance_km=math.sqrt(distance) if distance is not None else None,
            )
        )
    return MapResults(
        hubs=cards,
        total=total,
        page=filters.page,
        per_page=filters.per_page,
        points=[_point(card) for card in cards if card.hub.has_location],
    )


def _point(card: HubCard) -> dict[str, object]:
    hub = card.hub
    # Each distinct type's label once: translating it per machine costs more than the rest of the point.
    types = dict.fromkeys(machine.equipment.equipment_type for machine in card.machines)
    labels = list(dict.fromkeys(equipment_type.label for equipment_type in types))
    return {
        "name": hub.name,
        "url": machines_url(hub),
        "lat": hub.latitude,
        "lng": hub.longitude,
        "detail": " · ".join(part for part in (hub.city, ", ".join(labels[:4])) if part),
    }


def machines_url(hub: Listing) -> str:
    return reverse("machinery_map:hub", kwargs={"slug": hub.slug})


def _badge_ref(badge: BadgeClass) -> BadgeRef:
    return BadgeRef(
        id=badge.pk,
        name=badge.name,
        issuer_name=badge.issuer.name,
        url=reverse("badges:badge_class", kwargs={"public_id": badge.public_id}),
        hub_url=machines_url(badge.issuer.listing),
    )


def verdicts_mark(*, user: User | AnonymousUser, results: MapResults) -> None:
    """Give each machine its "can I make this here?" verdict (machinery_map.verdicts): its access rule
    and, for every badge it requires, whether the person holds it, holds another hub's badge its issuer
    accepts in its place, or not; for a visitor, the machine's side alone. Three queries at most."""
    cards = [card for hub in results.hubs for card in hub.machines]
    badge_rows = BadgeClass.objects.select_related("issuer__listing").only(
        "name", "public_id", "issuer__name", "issuer__listing__slug"
    )
    prefetch_related_objects(
        [card.equipment for card in cards],
        Prefetch("required_badge_classes", queryset=badge_rows.order_by("name")),
    )
    required = {
        card.equipment.pk: [_badge_ref(badge) for badge in card.equipment.required_badge_classes.all()]
        for card in cards
    }
    wanted = {badge.id for badges in required.values() for badge in badges}
    held = passport_selectors.badge_class_ids_held_by(user) if user.is_authenticated else None
    equivalents: dict[int, list[BadgeRef]] = {}
    if wanted and held:
        accepted = badge_selectors.accepted_equivalents(wanted)
        others = {
            badge.pk: _badge_ref(badge) for badge in badge_rows.filter(pk__in=set().union(*accepted.values()))
        }
        equivalents = {badge_id: [others[other] for other in ids] for badge_id, ids in accepted.items()}
    for card in cards:
        card.verdict = machine_verdict(
            access=card.equipment.access,
            required=required[card.equipment.pk],
            held=held,
            equivalents=equivalents,
        )


@dataclass
class HubPage:
    hub: Listing
    machines: list[Equipment]


def hub_page(slug: str) -> HubPage:
    """A hub and all its machines, retired ones last; Http404 for an unknown slug or a listing that is not
    a hub. Whether the visitor may see a draft is the view's question."""
    hub = get_object_or_404(Listing.objects.select_related("node"), slug=slug, kind__in=HUB_KINDS)
    machines = (
        Equipment.objects.filter(hub=hub)
        .select_related("equipment_type")
        .prefetch_related(
            "processes",
            Prefetch("materials", queryset=Term.objects.order_by("name")),
            Prefetch(
                "required_badge_classes",
                queryset=BadgeClass.objects.select_related("issuer").order_by("name"),
            ),
        )
    )
    ordered = sorted(machines, key=lambda machine: machine.status == EquipmentStatus.RETIRED)
    return HubPage(hub=hub, machines=ordered)


def hub_equipment(hub: Listing, pk: int) -> Equipment:
    """One of this hub's machines; Http404 when the id belongs to another hub, so ids cannot be probed."""
    return get_object_or_404(Equipment.objects.select_related("equipment_type", "hub"), pk=pk, hub=hub)


@dataclass(frozen=True)
class FilterChoices:
    equipment_types: list[tuple[str, str]]
    processes: list[tuple[str, str]]
    materials: list[tuple[str, str]]
    access: list[tuple[str, str]]


def filter_choices() -> FilterChoices:
    """The options of the map's filters: narrower equipment types indented under their broader one."""
    types = list(EquipmentType.objects.order_by("name"))
    children: dict[int | None, list[EquipmentType]] = {}
    for equipment_type in types:
        children.setdefault(equipment_type.parent_id, []).append(equipment_type)
    type_choices: list[tuple[str, str]] = []
    for root in sorted(children.get(None, []), key=lambda t: t.label.casefold()):
        type_choices.append((root.slug, root.label))
        for child in sorted(children.get(root.pk, []), key=lambda t: t.label.casefold()):
            type_choices.append((child.slug, f"— {child.label}"))
    processes = sorted(ManufacturingProcess.objects.all(), key=lambda p: p.label.casefold())
    materials = sorted(Term.objects.filter(vocabulary=Vocabulary.MATERIAL), key=lambda t: t.label.casefold())
    return FilterChoices(
        equipment_types=type_choices,
        processes=[(process.slug, process.label) for process in processes],
        materials=[(term.slug, term.label) for term in materials],
        access=[(str(value), str(label)) for value, label in EquipmentAccess.choices],
    )


def recent_machines(limit: int = 5) -> list[Equipment]:
    """The machines most recently added to published hubs, newest first (one query), retired ones left
    out: what the home page's activity says arrived."""
    return list(
        Equipment.objects.filter(hub__status=ListingStatus.PUBLISHED)
        .exclude(status=EquipmentStatus.RETIRED)
        .select_related("hub", "equipment_type")
        .order_by("-created_at", "-pk")[:limit]
    )
