"""`seed_badges`: demo issuers, a dozen aligned badge classes and awards of both kinds, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from badges.models import BadgeClass, Issuer
from badges.openbadges.baking import unbake_png
from directory.models import Listing, ListingKind, ListingStatus
from passport.models import Assertion, VerificationType
from passport.seeding import DEMO_EQUIVALENTS
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_seed_badges_creates_issuers_classes_and_awards_once(mailoutbox: list[object]) -> None:
    hubs = [ListingFactory.create(name=f"Hub {n}", kind=ListingKind.MAKERSPACE) for n in range(3)]
    ListingFactory.create(name="Not a hub")
    out = StringIO()

    call_command("seed_badges", stdout=out)
    call_command("seed_badges", stdout=out)

    assert set(Issuer.objects.values_list("listing_id", flat=True)) == {hub.pk for hub in hubs}
    # No hub here is in a country whose hubs issue an equivalent of their own (DEMO_EQUIVALENTS).
    assert BadgeClass.objects.count() == 12
    assert all(
        badge_class.alignments[0]["targetFramework"] == "ESCO" for badge_class in BadgeClass.objects.all()
    )
    kinds = set(Assertion.objects.values_list("verification_type", flat=True))
    assert kinds == {VerificationType.HOSTED, VerificationType.SIGNED}
    assert Assertion.objects.filter(revoked=True).count() == 1
    assert not Assertion.objects.exclude(pending_email="").exists()
    assert mailoutbox == []
    assert "seed_badges skipped" in out.getvalue()


def test_seeded_awards_are_baked_once_committed(django_capture_on_commit_callbacks: object) -> None:
    ListingFactory.create(name="Hub", kind=ListingKind.MAKERSPACE)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        call_command("seed_badges", stdout=StringIO())

    hosted = Assertion.objects.filter(verification_type=VerificationType.HOSTED).first()
    assert hosted is not None
    assert hosted.baked_at is not None
    with hosted.baked_image.open("rb") as baked:
        assert unbake_png(baked.read()) == f"https://makeworks.example/badges/assertions/{hosted.public_id}/"


def test_seed_demo_gives_every_demo_hub_an_issuer_with_badges() -> None:
    call_command("seed_demo", photos=False, stdout=StringIO())

    hubs = Listing.objects.filter(kind=ListingKind.MAKERSPACE, status=ListingStatus.PUBLISHED)
    assert set(Issuer.objects.values_list("listing_id", flat=True)) == set(hubs.values_list("pk", flat=True))
    # A dozen demo badges, and other hubs' own equivalents of some that they accept by endorsement.
    assert BadgeClass.objects.count() == 12 + len(DEMO_EQUIVALENTS)
    assert Assertion.objects.exists()
