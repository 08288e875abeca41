"""Passport's demo seeding: demo Open Badges on top of the demo directory (run by the front door's
seed_demo after directory's seeding, and alone by `manage.py seed_badges`).

Every published makerspace becomes an issuer with its own signing key; a dozen badge classes, aligned
to ESCO skill groups, are shared out among them; each class is awarded to a few made-up makers, hosted
and signed in turn, and one award is revoked so the revocation lists have something to show. All of it
goes through badges.services and passport.services, like real badges. No e-mail is sent to the made-up
makers. The badges are made once: nothing is added once any issuer exists.

Outside production, demo accounts (DEMO_ACCOUNTS, password DEMO_PASSWORD) are then given their roles on
the first demo hub, so the staff console has people to show; that step runs every time and gives each
account its role only if it has none there yet.
"""

import io
import math
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from itertools import cycle

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageColor, ImageDraw, ImageFont

from badges import services as badge_services
from badges.models import BadgeClass, Issuer, IssuerMembership, IssuerRole
from badges.services.endorsements import endorsement_give
from directory import services as directory_services
from directory.models import Listing, ListingKind, Node
from makeworks.lib.seeding import Seeded
from passport import selectors, services
from passport.models import Assertion, Visibility
from passport.services import passports as passport_services

# ESCO's skills pillar is a hierarchy; its top groups have stable codes and URIs, which is what these
# demo badges align to (a real hub would pick the precise skill concepts it assesses).
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_GROUPS = {
    "S1": "communication, collaboration and creativity",
    "S2": "information skills",
    "S4": "management skills",
    "S5": "working with computers",
    "S6": "handling and moving",
    "S7": "constructing",
    "S8": "working with machinery and specialised equipment",
}
AWARDS_PER_CLASS = 3
BADGE_SIZE = 400


@dataclass(frozen=True)
class DemoBadge:
    name: str
    description: str
    criteria: str
    esco_groups: tuple[str, ...]
    tags: tuple[str, ...]
    colour: str
    valid_days: int | None = None


DEMO_BADGES = (
    DemoBadge(
        "Laser cutter operator",
        "Sets up, runs and maintains the hub's CO₂ laser cutter safely, from file to finished part.",
        "- Passed the laser safety induction\n- Cut and engraved a two-material job unsupervised\n"
        "- Cleaned the optics and logged the job",
        ("S8",),
        ("laser cutting", "digital fabrication"),
        "#c1121f",
        730,
    ),
    DemoBadge(
        "3D printing (FDM)",
        "Prepares models for fused-filament printing and gets a clean print first time.",
        "- Sliced a model with supports and chosen infill\n- Printed it and removed supports cleanly\n"
        "- Changed a filament and levelled the bed",
        ("S8", "S5"),
        ("3d printing", "digital fabrication"),
        "#1d3557",
    ),
    DemoBadge(
        "CNC router operator",
        "Turns a drawing into toolpaths and mills sheet material on the hub's CNC router.",
        "- Generated toolpaths with correct feeds and speeds\n- Fixed a sheet and zeroed the machine\n"
        "- Milled a part within 0.5 mm of the drawing",
        ("S8",),
        ("cnc", "woodworking"),
        "#2a9d8f",
        730,
    ),
    DemoBadge(
        "CAD for fabrication",
        "Draws parts in 2D and 3D CAD that a laser, a router or a printer can make as intended.",
        "- Drew a parametric part\n- Exported it for two different machines\n"
        "- Allowed for kerf and tolerance",
        ("S5",),
        ("cad", "design"),
        "#6a4c93",
    ),
    DemoBadge(
        "Hand tool woodworking",
        "Measures, saws, planes and joins timber with hand tools, keeping them sharp.",
        "- Cut a housing joint and a mortise and tenon\n- Sharpened a chisel and a plane iron",
        ("S6", "S7"),
        ("woodworking", "hand tools"),
        "#8d5524",
    ),
    DemoBadge(
        "Electronics soldering",
        "Solders through-hole and surface-mount parts and checks the work with a multimeter.",
        "- Assembled a kit with through-hole and SMD parts\n- Found and fixed a bridged joint",
        ("S8",),
        ("electronics", "soldering"),
        "#e09f3e",
    ),
    DemoBadge(
        "Sewing machine operator",
        "Threads, adjusts and sews on the hub's domestic and industrial sewing machines.",
        "- Sewed straight, zigzag and overlocked seams\n- Changed a needle and adjusted tension",
        ("S8",),
        ("textiles", "sewing"),
        "#d1495b",
    ),
    DemoBadge(
        "Workshop safety",
        "Knows the hub's safety rules, protective equipment and what to do when something goes wrong.",
        "- Completed the induction tour\n- Showed where the first-aid kit, extinguishers and stops are",
        ("S6",),
        ("safety", "induction"),
        "#ffb703",
        365,
    ),
    DemoBadge(
        "Workshop host",
        "Welcomes newcomers, runs an open session and teaches a machine to others.",
        "- Hosted three open sessions\n- Inducted two new members on a machine",
        ("S1",),
        ("community", "teaching"),
        "#3a86ff",
    ),
    DemoBadge(
        "Repair café fixer",
        "Diagnoses and repairs everyday objects with their owners, and knows when not to.",
        "- Took part in two repair cafés\n- Logged each repair in the open repair data format",
        ("S8", "S1"),
        ("repair", "circularity"),
        "#52b788",
    ),
    DemoBadge(
        "Open documentation",
        "Documents a project so someone else can make it: drawings, bill of materials, steps and licence.",
        "- Published a project with sources, a bill of materials and an open licence",
        ("S2",),
        ("documentation", "open hardware"),
        "#264653",
    ),
    DemoBadge(
        "Maker project planning",
        "Plans a making project: scope, materials, machine time, budget and who does what.",
        "- Planned and delivered a project for a member of the public",
        ("S4",),
        ("project management",),
        "#5f0f40",
    ),
)


@dataclass(frozen=True)
class DemoEquivalent:
    """A hub's own badge for what another hub's demo badge (`endorsed`) already proves, in its language,
    which it accepts in its place by endorsement."""

    country: str
    name: str
    endorsed: str
    description: str
    criteria: str
    comment: str
    tags: tuple[str, ...]
    colour: str


DEMO_EQUIVALENTS = (
    DemoEquivalent(
        "FR",
        "Habilitation découpe laser",
        "Laser cutter operator",
        "Utilise seul la découpeuse laser de l'atelier, en sécurité, du fichier à la pièce.",
        "- A suivi la formation sécurité laser\n- A réalisé une découpe et une gravure sans aide",
        "Nous acceptons le badge « Laser cutter operator » à la place de notre habilitation.",
        ("découpe laser",),
        "#9d0208",
    ),
    DemoEquivalent(
        "DE",
        "Lasercutter-Einweisung",
        "Laser cutter operator",
        "Bedient den Lasercutter der Werkstatt selbstständig und sicher.",
        "- Sicherheitseinweisung Laser\n- Einen Schneide- und Gravurauftrag allein ausgeführt",
        "We accept the Laser cutter operator badge in place of our own induction.",
        ("laser cutting",),
        "#6a040f",
    ),
    DemoEquivalent(
        "DE",
        "3D-Druck-Einweisung",
        "3D printing (FDM)",
        "Bereitet Modelle für den FDM-Druck vor und druckt sie auf den Druckern der Werkstatt.",
        "- Ein Modell gesliced und gedruckt\n- Filament gewechselt und das Bett nivelliert",
        "We accept the 3D printing (FDM) badge in place of our own induction.",
        ("3d printing",),
        "#1d3557",
    ),
)
# Sectors of a makerspace that is a shared kitchen rather than a workshop.
KITCHEN_SECTORS = {"food-and-drink", "catering"}

MAKERS = (
    ("Amina Diallo", "amina.diallo@makers.example"),
    ("Callum Reid", "callum.reid@makers.example"),
    ("Léa Moreau", "lea.moreau@makers.example"),
    ("Jonas Becker", "jonas.becker@makers.example"),
    ("Kofi Mensah", "kofi.mensah@makers.example"),
    ("Ngono Ewane", "ngono.ewane@makers.example"),
    ("Isla Campbell", "isla.campbell@makers.example"),
    ("Hugo Lefèvre", "hugo.lefevre@makers.example"),
)


# People who sign in to the demo's staff console, one per role on the first demo hub. Their password is
# public (the README names it), which is why they are never made in production.
DEMO_PASSWORD = "makeworks-demo"  # noqa: S105
DEMO_ACCOUNTS = (
    ("owner@demo.makeworks.example", IssuerRole.OWNER),
    ("editor@demo.makeworks.example", IssuerRole.EDITOR),
    ("staff@demo.makeworks.example", IssuerRole.STAFF),
)


# People who try the other roles: a node curator, a listing owner and a maker whose public passport holds
# badges (names of the demo badges they hold), with what the README suggests trying as each.
DEMO_CURATOR = "curator@demo.makeworks.example"
DEMO_LISTING_OWNER = "workshop@demo.makeworks.example"
DEMO_MEMBER = "member@demo.makeworks.example"
DEMO_MEMBER_NAME = "Rosa Quinn"
DEMO_MEMBER_HANDLE = "rosa-quinn"
DEMO_MEMBER_BADGES = ("Laser cutter operator", "3D printing (FDM)", "CAD for fabrication")


def demo_account(email: str) -> User:
    """The demo account for `email`, with its address verified so it can sign in at once."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(username=email, email=email, password=DEMO_PASSWORD)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def badge_image(*, badge: DemoBadge) -> SimpleUploadedFile:
    """A PNG medal drawn locally: a hexagon in the badge's colour with its initials."""
    colour = ImageColor.getrgb(badge.colour)[:3]
    picture = Image.new("RGBA", (BADGE_SIZE, BADGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    centre = BADGE_SIZE / 2
    for radius, fill in ((190, (255, 255, 255)), (176, colour)):
        corners = [
            (
                centre + radius * math.cos(math.radians(60 * n - 90)),
                centre + radius * math.sin(math.radians(60 * n - 90)),
            )
            for n in range(6)
        ]
        draw.polygon(corners, fill=fill)
    initials = "".join(word[0] for word in badge.name.replace("(", "").split()[:2]).upper()
    draw.text((centre, centre), initials, font=ImageFont.load_default(size=120), fill="white", anchor="mm")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return SimpleUploadedFile(f"{slugify(badge.name)}.png", buffer.getvalue(), content_type="image/png")


def demo_roles_give() -> Seeded | None:
    """Give each demo account (DEMO_ACCOUNTS) its role on the first demo hub, if it has none there yet;
    never in production, where their public password would be a way in."""
    if settings.PRODUCTION:
        return None
    hub = Issuer.objects.order_by("pk").first()
    if hub is None:
        return None
    given = []
    with transaction.atomic():
        for email, role in DEMO_ACCOUNTS:
            user = demo_account(email)
            if not IssuerMembership.objects.filter(issuer=hub, user=user).exists():
                badge_services.issuer_member_add(issuer=hub, user=user, role=role, actor=None)
                given.append(email)
    if not given:
        return None
    return Seeded(f"Demo console accounts on {hub.name} (password {DEMO_PASSWORD!r}): {', '.join(given)}.")


def demo_people_give() -> Seeded | None:
    """The demo curator (of the first node), listing owner (of the first node's first workshop) and
    member (a public passport in Glasgow showing DEMO_MEMBER_BADGES); each part only if missing, never in
    production. Needs the demo directory and badges."""
    if settings.PRODUCTION:
        return None
    node = Node.objects.order_by("pk").first()
    workshop = (
        Listing.objects.published().filter(node=node, kind=ListingKind.WORKSHOP).order_by("pk").first()
        if node
        else None
    )
    if node is None or workshop is None:
        return None
    with transaction.atomic():
        curator = demo_account(DEMO_CURATOR)
        directory_services.node_curator_add(node=node, user=curator)
        owner = demo_account(DEMO_LISTING_OWNER)
        if not workshop.owners.filter(pk=owner.pk).exists():
            directory_services.listing_owner_add(listing=workshop, user=owner)
        member = demo_account(DEMO_MEMBER)
        badges = _member_passport_seed(member)
    return Seeded(
        f"Demo people (password {DEMO_PASSWORD!r}): {DEMO_CURATOR} curates {node.name}, "
        f"{DEMO_LISTING_OWNER} owns {workshop.name}, {DEMO_MEMBER} has a public passport with "
        f"{badges} badges."
    )


def _member_passport_seed(member: User) -> int:
    """The demo member's public passport, with the demo badges they were awarded shown to everyone."""
    if not member.first_name:
        member.first_name, member.last_name = DEMO_MEMBER_NAME.split(" ", 1)
        member.save(update_fields=["first_name", "last_name"])
    passport = passport_services.passport_ensure(user=member)
    if passport.visibility != Visibility.PUBLIC:
        passport_services.passport_update(
            passport=passport,
            handle=DEMO_MEMBER_HANDLE,
            display_name=DEMO_MEMBER_NAME,
            bio="Furniture maker and lighting designer: I cut, print and draw my own parts, and teach "
            "newcomers on the laser on Thursdays.",
            location="Glasgow",
            languages="English, French",
            visibility=Visibility.PUBLIC,
        )
    held = set(selectors.badge_class_ids_held_by(member))
    now = timezone.now().replace(microsecond=0)
    for days, badge_class in enumerate(BadgeClass.objects.filter(name__in=DEMO_MEMBER_BADGES).order_by("pk")):
        if badge_class.pk in held:
            continue
        assertion = services.assertion_issue(
            badge_class=badge_class,
            recipient_email=member.email,
            recipient_name=DEMO_MEMBER_NAME,
            narrative=f"Assessed at {badge_class.issuer.name} by a workshop host.",
            issued_on=now - timedelta(days=30 + 45 * days),
            send_email=False,
        )
        passport_services.passport_badge_show(
            passport=passport, assertion=assertion, visibility=Visibility.PUBLIC
        )
    return len(DEMO_MEMBER_BADGES)


def demo_badges_seed() -> Seeded:
    """An issuer for each published makerspace, the demo badge classes shared out among them and a few
    awards of each, one revoked. Skips (done=False) once any issuer exists."""
    if Issuer.objects.exists():
        return Seeded("Issuers already exist; seed_badges skipped.", done=False)
    hubs = list(
        Listing.objects.published()
        .filter(kind=ListingKind.MAKERSPACE)
        .order_by("pk")
        .prefetch_related("terms")
    )
    if not hubs:
        return Seeded("No published makerspace to issue badges; run seed_demo first.", done=False)
    started = time.perf_counter()
    rng = random.Random(1)  # noqa: S311 - demo dates, not secrets
    now = timezone.now().replace(microsecond=0)
    # One transaction: a half-seeded set would make the next run skip.
    with transaction.atomic():
        issuers = [
            badge_services.issuer_create(
                listing=hub,
                name=hub.name,
                url=hub.website or settings.SITE_URL + hub.get_absolute_url(),
                # The listing's own contact address is never published, so the issuer gets its own.
                email=f"badges@{hub.slug}.example",
                description=hub.summary,
            )
            for hub in hubs
        ]
        makers = cycle(MAKERS)
        signed = cycle((False, True))
        awarded: list[Assertion] = []
        # Machine badges go to workshops with machines, not to the community kitchens among makerspaces.
        by_fit = sorted(issuers, key=lambda issuer: _is_kitchen(issuer.listing))
        classes: list[BadgeClass] = []
        for issuer, badge in zip(cycle(by_fit), DEMO_BADGES, strict=False):
            badge_class = badge_services.badge_class_create(
                issuer=issuer,
                name=badge.name,
                description=badge.description,
                image=badge_image(badge=badge),
                criteria_narrative=badge.criteria,
                alignments=[
                    {
                        "targetName": ESCO_GROUPS[code],
                        "targetUrl": ESCO_SKILL + code,
                        "targetFramework": "ESCO",
                        "targetCode": code,
                    }
                    for code in badge.esco_groups
                ],
                tags=badge.tags,
                valid_days=badge.valid_days,
            )
            classes.append(badge_class)
            for _ in range(AWARDS_PER_CLASS):
                name, email = next(makers)
                assertion = services.assertion_issue(
                    badge_class=badge_class,
                    recipient_email=email,
                    recipient_name=name,
                    narrative=f"Assessed at {issuer.name} by a workshop host.",
                    signed=next(signed),
                    issued_on=now - timedelta(days=rng.randint(1, 300)),
                    send_email=False,
                )
                awarded.append(assertion)
        services.assertion_revoke(
            assertion=awarded[0],
            reason="Awarded by mistake to the wrong member; demo of a revoked badge.",
        )
        equivalents = _equivalents_seed(by_fit, classes)
    return Seeded(
        f"Seeded {len(issuers)} issuers, {len(classes) + equivalents} badge classes ({equivalents} accepted "
        f"in place of another hub's by endorsement) and {len(awarded)} assertions (one revoked) in "
        f"{time.perf_counter() - started:.1f} s."
    )


def _is_kitchen(listing: Listing) -> bool:
    return any(term.vocabulary == "sector" and term.slug in KITCHEN_SECTORS for term in listing.terms.all())


def _equivalents_seed(issuers: list[Issuer], classes: list[BadgeClass]) -> int:
    """Each hub's own induction badge for a machine another hub's badge already covers, and its
    endorsement accepting that badge in place of its own: mutual recognition, so a holder of the one may
    use the other hub's machine. Each goes to the first workshop-like issuer in its country."""
    by_name = {badge_class.name: badge_class for badge_class in classes}
    made = 0
    for equivalent in DEMO_EQUIVALENTS:
        endorsed = by_name.get(equivalent.endorsed)
        issuer = next(
            (
                issuer
                for issuer in issuers
                if issuer.listing.country == equivalent.country and not _is_kitchen(issuer.listing)
            ),
            None,
        )
        if endorsed is None or issuer is None or issuer == endorsed.issuer:
            continue
        own = badge_services.badge_class_create(
            issuer=issuer,
            name=equivalent.name,
            description=equivalent.description,
            image=badge_image(badge=DemoBadge(equivalent.name, "", "", (), (), equivalent.colour)),
            criteria_narrative=equivalent.criteria,
            tags=equivalent.tags,
        )
        endorsement_give(
            endorser=issuer, badge_class=endorsed, accepted_as=own, comment=equivalent.comment, actor=None
        )
        made += 1
    return made
