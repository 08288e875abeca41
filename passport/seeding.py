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
from badges.models import Issuer, IssuerMembership, IssuerRole
from directory.models import Listing, ListingKind
from makeworks.lib.seeding import Seeded
from passport import services
from passport.models import Assertion

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


def demo_badges_seed() -> Seeded:
    """An issuer for each published makerspace, the demo badge classes shared out among them and a few
    awards of each, one revoked. Skips (done=False) once any issuer exists."""
    if Issuer.objects.exists():
        return Seeded("Issuers already exist; seed_badges skipped.", done=False)
    hubs = list(Listing.objects.published().filter(kind=ListingKind.MAKERSPACE).order_by("pk"))
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
        for issuer, badge in zip(cycle(issuers), DEMO_BADGES, strict=False):
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
    return Seeded(
        f"Seeded {len(issuers)} issuers, {len(DEMO_BADGES)} badge classes and "
        f"{len(awarded)} assertions (one revoked) in {time.perf_counter() - started:.1f} s."
    )
