"""`issue_badge` and `revoke_badge`: what they print, and the plain error (never a traceback) for a
badge class, an address or an assertion URL that is wrong."""

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from badges.models import BadgeClass, SigningKey, SigningKeyStatus
from badges.openbadges import signing
from passport.models import Assertion
from tests.passport.conftest import SITE

pytestmark = pytest.mark.django_db


def run(name: str, *args: str, capture: Any) -> list[str]:
    out = StringIO()
    with capture(execute=True):
        call_command(name, *args, stdout=out)
    return out.getvalue().splitlines()


def test_issue_badge_prints_the_url_of_a_hosted_award(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any
) -> None:
    lines = run(
        "issue_badge",
        f"--badge-class={png_class.public_id}",
        "--email",
        "ada@example.org",
        "--name",
        "Ada",
        capture=django_capture_on_commit_callbacks,
    )

    assertion = Assertion.objects.get()
    assert lines == [f"{SITE}/badges/assertions/{assertion.public_id}/"]
    assert assertion.recipient_name == "Ada"
    assert assertion.baked_at is not None


def test_issue_badge_prints_the_url_and_jws_of_a_signed_award(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any
) -> None:
    url, jws = run(
        "issue_badge",
        f"--badge-class={png_class.public_id}",
        "--email",
        "ada@example.org",
        "--signed",
        capture=django_capture_on_commit_callbacks,
    )

    key = SigningKey.objects.get(issuer=png_class.issuer, status=SigningKeyStatus.ACTIVE)
    assert signing.verify(jws, key.public_key_pem)["id"] == url


def test_issue_badge_takes_dates(svg_class: BadgeClass, django_capture_on_commit_callbacks: Any) -> None:
    run(
        "issue_badge",
        f"--badge-class={svg_class.public_id}",
        "--email",
        "ada@example.org",
        "--issued-on",
        "2024-01-01",
        "--expires",
        "2024-06-30T12:00:00Z",
        capture=django_capture_on_commit_callbacks,
    )

    assertion = Assertion.objects.get()
    assert assertion.issued_on.isoformat() == "2024-01-01T00:00:00+00:00"
    assert assertion.expires is not None
    assert assertion.expires.isoformat() == "2024-06-30T12:00:00+00:00"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--badge-class", "nope", "--email", "ada@example.org"],
            "No badge class has the id 'nope'. Some that exist:",
        ),
        (["--email", "not-an-address"], "“not-an-address” is not an e-mail address."),
        (["--email", "ada@example.org", "--expires", "someday"], "--expires takes a date such as"),
        (
            ["--email", "ada@example.org", "--issued-on", "2026-01-02", "--expires", "2026-01-01"],
            "The expiry date must come after the issue date.",
        ),
    ],
)
def test_issue_badge_explains_what_is_wrong(
    png_class: BadgeClass, arguments: list[str], message: str
) -> None:
    if not any(argument.startswith("--badge-class") for argument in arguments):
        arguments = [f"--badge-class={png_class.public_id}", *arguments]

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("issue_badge", *arguments, stdout=StringIO())

    assert not Assertion.objects.exists()


def test_revoke_badge_revokes_the_award_at_a_url(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any
) -> None:
    (url,) = run(
        "issue_badge",
        f"--badge-class={png_class.public_id}",
        "--email",
        "ada@example.org",
        capture=django_capture_on_commit_callbacks,
    )

    lines = run(
        "revoke_badge", url, "--reason", "Awarded by mistake.", capture=django_capture_on_commit_callbacks
    )

    assertion = Assertion.objects.get()
    assert assertion.revoked
    assert assertion.revocation_reason == "Awarded by mistake."
    assert lines == [f"Revoked {url}: Awarded by mistake."]


def test_revoke_badge_also_takes_a_bare_public_id(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any
) -> None:
    run(
        "issue_badge",
        f"--badge-class={png_class.public_id}",
        "--email",
        "ada@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    assertion = Assertion.objects.get()

    run(
        "revoke_badge",
        assertion.public_id,
        "--reason",
        "Mistake.",
        capture=django_capture_on_commit_callbacks,
    )

    assert Assertion.objects.get().revoked


@pytest.mark.parametrize(
    "url",
    [
        f"{SITE}/badges/assertions/AAAAAAAAAAAAAAAAAAAAAA/",
        "https://elsewhere.example/badges/assertions/{public_id}/",
        f"{SITE}/listings/some-listing/",
        "",
    ],
)
def test_revoke_badge_explains_an_unknown_url(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any, url: str
) -> None:
    run(
        "issue_badge",
        f"--badge-class={png_class.public_id}",
        "--email",
        "ada@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    url = url.format(public_id=Assertion.objects.get().public_id)

    with pytest.raises(CommandError, match="No assertion at"):
        call_command("revoke_badge", url, "--reason", "Mistake.")

    assert not Assertion.objects.get().revoked


def test_revoke_badge_needs_a_reason_and_refuses_a_second_revocation(
    png_class: BadgeClass, django_capture_on_commit_callbacks: Any
) -> None:
    (url,) = run(
        "issue_badge",
        f"--badge-class={png_class.public_id}",
        "--email",
        "ada@example.org",
        capture=django_capture_on_commit_callbacks,
    )

    with pytest.raises(CommandError, match="Give a reason"):
        call_command("revoke_badge", url, "--reason", "  ")
    call_command("revoke_badge", url, "--reason", "Mistake.", stdout=StringIO())
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_badge", url, "--reason", "Again.")
