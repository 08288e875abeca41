"""A member's badges are found from their verified addresses, whatever the case they were typed in."""

from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone

from badges.models import BadgeClass
from passport import services
from passport.models import Assertion
from passport.selectors import badge_class_ids_held_by, member_assertions
from tests.factories import UserFactory


def _member(email: str, *, verified: bool = True) -> User:
    user = UserFactory.create(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_badge_issued_to_a_verified_address_is_the_members(
    issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    member = _member("ada@example.org")
    mine = issue(badge_class=png_class, recipient_email="ADA@example.org ")
    issue(badge_class=png_class, recipient_email="someone.else@example.org")

    assert list(member_assertions(member)) == [mine]


def test_badge_to_an_unverified_address_is_not_shown(
    issue: Callable[..., Assertion], png_class: BadgeClass
) -> None:
    member = _member("ada@example.org", verified=False)
    issue(badge_class=png_class, recipient_email="ada@example.org")

    assert not member_assertions(member).exists()


def test_revoked_and_expired_badges_are_not_held(
    issue: Callable[..., Assertion], png_class: BadgeClass, svg_class: BadgeClass
) -> None:
    member = _member("ada@example.org")
    revoked = issue(badge_class=png_class, recipient_email="ada@example.org")
    services.assertion_revoke(assertion=revoked, reason="Issued by mistake")
    issue(
        badge_class=svg_class,
        recipient_email="ada@example.org",
        issued_on=timezone.now() - timedelta(days=10),
        expires=timezone.now() - timedelta(days=1),
    )
    assert member_assertions(member).count() == 2
    assert badge_class_ids_held_by(member) == set()

    issue(badge_class=png_class, recipient_email="ada@example.org")
    assert badge_class_ids_held_by(member) == {png_class.id}
