"""Awarding one badge class to many people at once: all or nothing, each award a badge of its own."""

import pytest
from django.core.exceptions import ValidationError

from badges.openbadges.signing import unverified_payload
from passport.models import Assertion
from passport.services import Award, assertions_issue
from passport.verification import badge_verify
from tests.factories import BadgeClassFactory

pytestmark = pytest.mark.django_db


def test_a_batch_of_signed_awards_gives_each_maker_a_badge_that_verifies(
    django_capture_on_commit_callbacks,
) -> None:
    awards = [Award(f"maker{n}@example.org", recipient_name=f"Maker {n}") for n in range(5)]

    with django_capture_on_commit_callbacks(execute=True):
        issued = assertions_issue(badge_class=BadgeClassFactory.create(), awards=awards, signed=True)

    assert len({assertion.public_id for assertion in issued}) == 5
    assert len({assertion.recipient_salt for assertion in issued}) == 5
    for n, assertion in enumerate(issued):
        assert unverified_payload(assertion.jws)["id"].endswith(f"/{assertion.public_id}/")
        assert badge_verify(jws=assertion.jws, recipient_email=f"maker{n}@example.org").valid
    assert Assertion.objects.filter(baked_at__isnull=False).count() == 5


def test_each_maker_of_a_batch_is_e_mailed_once(mailoutbox: list, django_capture_on_commit_callbacks) -> None:
    awards = [Award("ada@example.org"), Award("grace@example.org")]

    with django_capture_on_commit_callbacks(execute=True):
        assertions_issue(badge_class=BadgeClassFactory.create(), awards=awards)

    assert sorted(message.to[0] for message in mailoutbox) == ["ada@example.org", "grace@example.org"]
    assert not Assertion.objects.exclude(pending_email="").exists()


def test_a_batch_with_bad_rows_writes_nothing_and_names_every_row() -> None:
    awards = [Award("ada@example.org"), Award("not an address"), Award("grace@example.org"), Award("")]

    with pytest.raises(ValidationError) as refused:
        assertions_issue(badge_class=BadgeClassFactory.create(), awards=awards, signed=True)

    assert refused.value.messages == [
        "Row 2: “not an address” is not an e-mail address.",
        "Row 4: “” is not an e-mail address.",
    ]
    assert not Assertion.objects.exists()
