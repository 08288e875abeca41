"""Issuing and revoking through passport.services: what is stored, what is signed, what is refused."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from badges import services as badge_services
from badges.models import BadgeClass, SigningKey, SigningKeyStatus
from badges.openbadges import signing
from badges.openbadges.recipient import identity_matches
from passport import selectors, services
from passport.models import Assertion, VerificationType, new_public_id
from tests.passport.conftest import EARNER, SITE

pytestmark = pytest.mark.django_db

Issue = Callable[..., Assertion]


def test_a_hosted_assertion_stores_only_a_salted_hash_of_the_address(
    png_class: BadgeClass, issue: Issue
) -> None:
    assertion = issue(badge_class=png_class, recipient_name="Ada Lovelace")

    assert assertion.verification_type == VerificationType.HOSTED
    assert assertion.signing_key is None
    assert assertion.jws == ""
    assert assertion.recipient_identity.startswith("sha256$")
    assert identity_matches(
        assertion.recipient_identity, assertion.recipient_salt, "ada.lovelace@example.org"
    )
    assert not identity_matches(assertion.recipient_identity, assertion.recipient_salt, "ada@example.org")
    assert EARNER.lower() not in assertion.recipient_identity.lower()
    assert assertion.expires is None


def test_public_ids_are_long_random_and_never_sequential(png_class: BadgeClass, issue: Issue) -> None:
    first, second = issue(badge_class=png_class), issue(badge_class=png_class)

    assert len(first.public_id) >= 22
    assert first.public_id != second.public_id


def test_public_ids_never_start_like_a_command_line_option() -> None:
    ids = {new_public_id() for _ in range(2000)}

    assert len(ids) == 2000
    assert not any(public_id.startswith(("-", "_")) for public_id in ids)
    assert all(len(public_id) == 22 for public_id in ids)


def test_each_award_has_its_own_salt(png_class: BadgeClass, issue: Issue) -> None:
    first, second = issue(badge_class=png_class), issue(badge_class=png_class)

    assert first.recipient_salt != second.recipient_salt
    assert first.recipient_identity != second.recipient_identity


def test_a_signed_assertion_is_a_jws_that_verifies_with_the_issuers_active_key(
    png_class: BadgeClass, issue: Issue
) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    key = SigningKey.objects.get(issuer=png_class.issuer, status=SigningKeyStatus.ACTIVE)

    payload = signing.verify(assertion.jws, key.public_key_pem)

    assert assertion.signing_key == key
    assert payload == selectors.assertion_document(assertion)
    assert payload["verification"] == {
        "type": "SignedBadge",
        "creator": f"{SITE}/badges/keys/{key.public_id}/",
    }
    assert payload["id"] == f"{SITE}/badges/assertions/{assertion.public_id}/"
    assert payload["recipient"]["hashed"] is True


def test_a_signed_assertion_fails_against_another_issuers_key(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class, signed=True)
    other_pem = signing.public_key_pem(signing.generate_private_key_pem())

    with pytest.raises(signing.SignatureError):
        signing.verify(assertion.jws, other_pem)


def test_after_a_key_rotation_new_badges_use_the_new_key_and_old_ones_still_verify(
    png_class: BadgeClass, issue: Issue
) -> None:
    before = issue(badge_class=png_class, signed=True)
    new_key = badge_services.signing_key_rotate(issuer=png_class.issuer)

    after = issue(badge_class=png_class, signed=True)

    assert after.signing_key == new_key
    assert before.signing_key is not None
    assert before.signing_key != new_key
    assert signing.verify(before.jws, before.signing_key.public_key_pem)["id"] == selectors.assertion_url(
        before
    )
    assert signing.verify(after.jws, new_key.public_key_pem)["id"] == selectors.assertion_url(after)


def test_a_badge_class_validity_period_sets_the_expiry(svg_class: BadgeClass, issue: Issue) -> None:
    issued_on = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)

    assertion = issue(badge_class=svg_class, issued_on=issued_on)

    assert assertion.expires == issued_on + timedelta(days=365)
    assert selectors.assertion_document(assertion)["expires"] == "2027-01-10T12:00:00Z"


def test_an_expiry_given_wins_over_the_validity_period(svg_class: BadgeClass, issue: Issue) -> None:
    issued_on = datetime(2026, 1, 10, tzinfo=UTC)

    assertion = issue(badge_class=svg_class, issued_on=issued_on, expires=issued_on + timedelta(days=30))

    assert assertion.expires == datetime(2026, 2, 9, tzinfo=UTC)


def test_evidence_and_narrative_are_in_the_document(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(
        badge_class=png_class,
        evidence_url="https://fablab-glasgow.example/projects/stool",
        evidence_narrative="A flat-pack stool.",
        narrative="Assessed by a workshop host.",
    )

    document = selectors.assertion_document(assertion)

    assert document["evidence"] == [
        {"id": "https://fablab-glasgow.example/projects/stool", "narrative": "A flat-pack stool."}
    ]
    assert document["narrative"] == "Assessed by a workshop host."


@pytest.mark.parametrize("address", ["", "not-an-address", "ada@", "ada lovelace@example.org"])
def test_a_bad_address_is_refused_by_name(png_class: BadgeClass, address: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.assertion_issue(badge_class=png_class, recipient_email=address)

    assert "recipient_email" in refused.value.message_dict
    assert not Assertion.objects.exists()


def test_an_unknown_badge_class_is_refused(png_class: BadgeClass) -> None:
    gone = BadgeClass(pk=png_class.pk + 1000, issuer=png_class.issuer, name="Gone")

    with pytest.raises(ValidationError) as refused:
        services.assertion_issue(badge_class=gone, recipient_email=EARNER)

    assert refused.value.message_dict == {"badge_class": ["This badge class does not exist."]}


def test_an_expiry_before_the_issue_date_is_refused(png_class: BadgeClass) -> None:
    issued_on = timezone.now()

    with pytest.raises(ValidationError) as refused:
        services.assertion_issue(
            badge_class=png_class, recipient_email=EARNER, issued_on=issued_on, expires=issued_on
        )

    assert refused.value.message_dict == {"expires": ["The expiry date must come after the issue date."]}


def test_a_date_without_a_time_zone_is_refused(png_class: BadgeClass) -> None:
    with pytest.raises(ValidationError, match="time zone"):
        services.assertion_issue(
            badge_class=png_class, recipient_email=EARNER, issued_on=datetime(2026, 1, 1, 12, 0)
        )


def test_a_bad_evidence_address_is_refused(png_class: BadgeClass) -> None:
    with pytest.raises(ValidationError) as refused:
        services.assertion_issue(badge_class=png_class, recipient_email=EARNER, evidence_url="not a url")

    assert "evidence_url" in refused.value.message_dict


def test_nothing_is_baked_or_sent_before_the_award_is_committed(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Callable[..., object], mailoutbox: list[object]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[attr-defined]
        assertion = services.assertion_issue(badge_class=png_class, recipient_email=EARNER)
        assertion.refresh_from_db()
        assert not assertion.baked_image
        assert mailoutbox == []

    assert len(callbacks) == 2


def test_revoking_records_the_reason_and_time(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class)

    revoked = services.assertion_revoke(assertion=assertion, reason="  Awarded to the wrong member. ")

    assertion.refresh_from_db()
    assert assertion.revoked
    assert assertion.revocation_reason == "Awarded to the wrong member."
    assert assertion.revoked_at is not None
    assert revoked.revoked_at == assertion.revoked_at


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_needs_a_reason(png_class: BadgeClass, issue: Issue, reason: str) -> None:
    assertion = issue(badge_class=png_class)

    with pytest.raises(ValidationError) as refused:
        services.assertion_revoke(assertion=assertion, reason=reason)

    assert "reason" in refused.value.message_dict
    assertion.refresh_from_db()
    assert not assertion.revoked


def test_revoking_twice_says_it_is_already_revoked(png_class: BadgeClass, issue: Issue) -> None:
    assertion = issue(badge_class=png_class)
    services.assertion_revoke(assertion=assertion, reason="Mistake.")

    with pytest.raises(ValidationError, match=r"already revoked: Mistake\."):
        services.assertion_revoke(assertion=assertion, reason="Again.")
