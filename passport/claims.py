"""The link in the award e-mail that brings a badge into its earner's passport.

A platform badge is in a member's passport as soon as one of their verified e-mail addresses is the
address it was awarded to (selectors.member_assertions): claiming it is signing up with that address, or
signing in to an account that has it, and confirming it. The link only says which badge and which
address, sealed (makeworks.lib.sealing) so that nobody can forge one for an address they were not sent
and nobody who sees the link in a log or a history can read the address. The plain address is kept
nowhere else once the e-mail is sent, so the link carries it, to fill in the sign-up form.
"""

from dataclasses import dataclass

from django.urls import reverse

from badges.openbadges import recipient
from makeworks.lib.sealing import seal, unseal
from passport.models import Assertion

PURPOSE = "passport.badge-claim"


@dataclass(frozen=True)
class Claim:
    assertion: Assertion
    email: str


def claim_path(assertion: Assertion, email: str) -> str:
    """The path of the claim page for this badge and address, in the active language."""
    token = seal({"a": assertion.public_id, "e": email}, purpose=PURPOSE)
    return reverse("passport_site:claim", kwargs={"token": token})


def claim_from_token(token: str) -> Claim | None:
    """The badge and address a claim link names; None for a forged or mangled link, a badge that no
    longer exists, or an address the badge was not awarded to."""
    data = unseal(token, purpose=PURPOSE)
    if data is None or not isinstance(data.get("a"), str) or not isinstance(data.get("e"), str):
        return None
    public_id, email = data["a"], data["e"]
    assertion = Assertion.objects.select_related("badge_class__issuer").filter(public_id=public_id).first()
    if assertion is None:
        return None
    # The signature already vouches for the pair; checking the salted identity as a verifier would also
    # refuses a link whose badge was since re-pointed at someone else.
    if not recipient.identity_matches(assertion.recipient_identity, assertion.recipient_salt, email):
        return None
    return Claim(assertion=assertion, email=email)
