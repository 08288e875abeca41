""" "Can I make this here?": whether one person may use one machine, and why, decided from plain facts.

The machine's side (its access rule and the badges it requires) is known to everyone; the person's side
(which badges they hold) only once they sign in. `machine_verdict` is a pure function of both, so every
combination can be tested without a database; machinery_map.selectors gathers the facts for a page.
"""

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from machinery_map.models import EquipmentAccess


@dataclass(frozen=True)
class BadgeRef:
    """A badge class as the verdict names it: what it is called, who issues it and where to read about
    it (and the hub's page, where to get it)."""

    id: int
    name: str
    issuer_name: str
    url: str = ""
    hub_url: str = ""


class Holding(enum.Enum):
    HELD = "held"  # the person holds this very badge
    EQUIVALENT = "equivalent"  # they hold another hub's badge the issuer accepts in its place
    MISSING = "missing"
    UNKNOWN = "unknown"  # not signed in: we cannot tell


@dataclass(frozen=True)
class BadgeCheck:
    badge: BadgeRef
    holding: Holding
    # The badge the person holds instead, when holding is EQUIVALENT.
    via: BadgeRef | None = None


class Outcome(enum.Enum):
    """The answer in one word, most hopeful first; the page colours it."""

    YES = "yes"  # nothing stands in the way
    BOOK = "book"  # staff run it: you can have things made, by booking
    STEPS = "steps"  # something to do first (join, an induction, a badge)
    SIGN_IN = "sign-in"  # the machine side is fine; only your badges are unknown


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    headline: str
    # The machine-side rule in a sentence (for everyone), then one check per required badge.
    access_reason: str
    badges: tuple[BadgeCheck, ...]

    @property
    def missing(self) -> tuple[BadgeCheck, ...]:
        return tuple(check for check in self.badges if check.holding is Holding.MISSING)


def badge_checks(
    required: Sequence[BadgeRef],
    *,
    held: Collection[int] | None,
    equivalents: Mapping[int, Sequence[BadgeRef]],
) -> tuple[BadgeCheck, ...]:
    """Each required badge against what the person holds (`held` None: not signed in). `equivalents`:
    for a required badge's id, the other hubs' badges its issuer accepts in its place."""
    checks = []
    for badge in required:
        if held is None:
            checks.append(BadgeCheck(badge, Holding.UNKNOWN))
        elif badge.id in held:
            checks.append(BadgeCheck(badge, Holding.HELD))
        else:
            via = next((other for other in equivalents.get(badge.id, ()) if other.id in held), None)
            checks.append(BadgeCheck(badge, Holding.EQUIVALENT if via else Holding.MISSING, via))
    return tuple(checks)


def access_reason(access: str) -> str:
    """The machine's access rule as a sentence anyone can read, signed in or not."""
    reasons: dict[str, str] = {
        EquipmentAccess.OPEN: _("Open to anyone."),
        EquipmentAccess.INDUCTION: _("Used after an induction by the hub."),
        EquipmentAccess.MEMBERS: _("Members only: join the hub to use it."),
        EquipmentAccess.STAFF: _("Staff operate this machine: book a session and they make it for you."),
    }
    return reasons.get(access, _("Ask the hub how to use it."))


def machine_verdict(
    *,
    access: str,
    required: Sequence[BadgeRef],
    held: Collection[int] | None,
    equivalents: Mapping[int, Sequence[BadgeRef]],
) -> Verdict:
    """May this person use this machine? `access` is its EquipmentAccess; `held` the ids of the badge
    classes the person holds, or None for a visitor who has not signed in.

    A required badge is the proof of the hub's induction, so an "induction" machine whose badges are all
    held (or accepted equivalents) is ready to use; one that requires none still asks for the induction.
    Staff-operated machines are booked whatever the badges; members-only ones need joining first."""
    checks = badge_checks(required, held=held, equivalents=equivalents)
    reason = access_reason(access)
    missing = any(check.holding is Holding.MISSING for check in checks)
    unknown = any(check.holding is Holding.UNKNOWN for check in checks)
    if access == EquipmentAccess.STAFF:
        return Verdict(Outcome.BOOK, _("Book a session with the staff"), reason, checks)
    if access == EquipmentAccess.MEMBERS:
        return Verdict(Outcome.STEPS, _("Join the hub first"), reason, checks)
    if missing:
        return Verdict(Outcome.STEPS, _("Needs a badge you do not hold yet"), reason, checks)
    if access == EquipmentAccess.INDUCTION and not checks:
        return Verdict(Outcome.STEPS, _("Ask the hub for an induction"), reason, checks)
    if unknown:
        return Verdict(Outcome.SIGN_IN, _("Sign in to check your badges"), reason, checks)
    if access not in EquipmentAccess.values:
        return Verdict(Outcome.STEPS, _("Ask the hub"), reason, checks)
    return Verdict(Outcome.YES, _("You may use it"), reason, checks)
