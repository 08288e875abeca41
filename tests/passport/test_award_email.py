"""The award e-mail asks "Show this badge on your passport?" and links to the claim page for the address
it was sent to, in the language it is written in; the badge's description reads as text in both the
HTML and the plain part, never as Markdown's asterisks or as a script."""

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import translation

from badges import services as badge_services
from badges.models import BadgeClass, Issuer
from passport import claims
from passport.models import Assertion
from passport.services.delivery import award_message
from tests.passport.conftest import EARNER, SITE, png_bytes

pytestmark = pytest.mark.django_db

Issue = Callable[..., Assertion]
DESCRIPTION = "Runs the **laser cutter** safely.\n\n- from file\n- to part <script>alert(1)</script>"


@pytest.fixture
def markdown_class(issuer: Issuer) -> BadgeClass:
    return badge_services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description=DESCRIPTION,
        image=SimpleUploadedFile("laser.png", png_bytes(), content_type="image/png"),
        criteria_narrative="Passed the induction.",
    )


def parts(message: EmailMessage) -> tuple[str, str]:
    assert isinstance(message, EmailMultiAlternatives)
    ((html, _mimetype),) = message.alternatives
    return str(message.body), str(html)


def test_the_english_email_asks_whether_to_show_the_badge_and_links_to_the_claim(
    markdown_class: BadgeClass, issue: Issue, mailoutbox: list[EmailMessage]
) -> None:
    issue(badge_class=markdown_class, recipient_name="Ada")

    text, html = parts(mailoutbox[0])
    for part in (text, html):
        assert "Show this badge on your passport?" in part
        assert "stays private until you choose" in part
    link = re.search(r"(https://makeworks\.example/passport/claim/[^\s\"]+/)", html)
    assert link is not None
    assert link.group(1) in text
    claim = claims.claim_from_token(link.group(1).rstrip("/").rsplit("/", 1)[1])
    assert claim is not None
    assert claim.email == EARNER
    assert "Add it to my passport" in html


def test_the_description_reads_as_text_without_asterisks_or_script(
    markdown_class: BadgeClass, issue: Issue, mailoutbox: list[EmailMessage]
) -> None:
    issue(badge_class=markdown_class)

    text, html = parts(mailoutbox[0])
    assert "<strong>laser cutter</strong>" in html
    assert "<li>from file</li>" in html
    assert "Runs the laser cutter safely. from file to part" in text
    for part in (text, html):
        assert "**" not in part
        assert "<script" not in part
        assert "alert(1)" not in part


def test_the_french_email_asks_the_same_question_in_french_with_a_french_link(
    markdown_class: BadgeClass, issue: Issue, mailoutbox: list[EmailMessage]
) -> None:
    assertion = issue(badge_class=markdown_class, recipient_name="Ada", send_email=False)
    assertion.pending_email = EARNER

    with translation.override("fr"):
        message = award_message(assertion)

    text, html = parts(message)
    assert message.subject == "Vous avez obtenu le badge « Laser cutter operator » décerné par Fablab Glasgow"
    for part in (text, html):
        assert "Bonjour Ada," in part
        assert "Afficher ce badge sur votre passeport\u00a0?" in part
        assert f"{SITE}/fr/passport/claim/" in part
    assert "Ajouter à mon passeport" in html
    assert 'lang="fr"' in html
