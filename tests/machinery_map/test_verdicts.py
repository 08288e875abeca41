""" "Can I make this here?" decided from plain facts: every access rule against every state of a badge
(held, held through an endorsed equivalent, missing) for a member, and against a visitor."""

import itertools

import pytest
from django.utils import translation

from machinery_map.models import EquipmentAccess
from machinery_map.verdicts import BadgeRef, Holding, Outcome, machine_verdict

LASER = BadgeRef(id=1, name="Laser cutter operator", issuer_name="Springburn Fab Lab", hub_url="/machines/s/")
THEIRS = BadgeRef(id=2, name="Habilitation découpe laser", issuer_name="La Fabrique")
EQUIVALENTS = {LASER.id: [THEIRS]}
# What the person holds, by name of the case: None is a visitor who has not signed in.
HOLDINGS: dict[str, frozenset[int] | None] = {
    "holds it": frozenset({LASER.id}),
    "holds the endorsed equivalent": frozenset({THEIRS.id}),
    "holds nothing": frozenset(),
    "visitor": None,
}
EXPECTED_HOLDING = {
    "holds it": Holding.HELD,
    "holds the endorsed equivalent": Holding.EQUIVALENT,
    "holds nothing": Holding.MISSING,
    "visitor": Holding.UNKNOWN,
}


def expected_outcome(access: str, badge_required: bool, holding: str) -> Outcome:
    """The rule as a reader of the page would state it, written out separately from the code."""
    if access == EquipmentAccess.STAFF:
        return Outcome.BOOK
    if access == EquipmentAccess.MEMBERS:
        return Outcome.STEPS
    if badge_required and holding == "holds nothing":
        return Outcome.STEPS
    if access == EquipmentAccess.INDUCTION and not badge_required:
        return Outcome.STEPS
    if badge_required and holding == "visitor":
        return Outcome.SIGN_IN
    return Outcome.YES


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("access", "badge_required", "holding"),
    list(itertools.product(EquipmentAccess.values, (True, False), HOLDINGS)),
)
def test_every_access_rule_and_badge_state_gets_the_right_answer(access, badge_required, holding):
    verdict = machine_verdict(
        access=access,
        required=[LASER] if badge_required else [],
        held=HOLDINGS[holding],
        equivalents=EQUIVALENTS,
    )

    assert verdict.outcome is expected_outcome(access, badge_required, holding)
    assert verdict.access_reason
    if badge_required:
        (check,) = verdict.badges
        assert check.holding is EXPECTED_HOLDING[holding]
        assert (check.via == THEIRS) is (holding == "holds the endorsed equivalent")
    else:
        assert verdict.badges == ()


def test_each_answer_gives_its_reason_in_words():
    staff = machine_verdict(access=EquipmentAccess.STAFF, required=[], held=None, equivalents={})
    members = machine_verdict(access=EquipmentAccess.MEMBERS, required=[], held=frozenset(), equivalents={})
    missing = machine_verdict(access=EquipmentAccess.OPEN, required=[LASER], held=frozenset(), equivalents={})

    assert staff.headline == "Book a session with the staff"
    assert "Staff operate this machine" in staff.access_reason
    assert members.headline == "Join the hub first"
    assert missing.headline == "Needs a badge you do not hold yet"
    assert missing.missing[0].badge == LASER


def test_a_badge_another_hub_accepts_counts_only_through_an_endorsement():
    unrelated = machine_verdict(
        access=EquipmentAccess.INDUCTION, required=[LASER], held=frozenset({THEIRS.id}), equivalents={}
    )

    assert unrelated.outcome is Outcome.STEPS


def test_every_required_badge_must_be_held():
    other = BadgeRef(id=3, name="Workshop safety", issuer_name="Springburn Fab Lab")

    verdict = machine_verdict(
        access=EquipmentAccess.OPEN, required=[LASER, other], held=frozenset({LASER.id}), equivalents={}
    )

    assert verdict.outcome is Outcome.STEPS
    assert [check.holding for check in verdict.badges] == [Holding.HELD, Holding.MISSING]


def test_answers_are_in_french_for_a_french_page():
    with translation.override("fr"):
        verdict = machine_verdict(access=EquipmentAccess.STAFF, required=[], held=None, equivalents={})

    assert verdict.headline != "Book a session with the staff"
