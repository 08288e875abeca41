"""Badge and passport cards read as text: a badge class's description and a member's bio written in
Markdown show as formatted text on full pages and as plain words in card summaries, never as raw
asterisks and never with a script."""

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges import services as badge_services
from badges.models import Issuer
from passport import services
from passport.models import Passport, Visibility
from passport.services.passports import passport_badge_show, passport_ensure, passport_update
from tests.factories import UserFactory
from tests.passport.conftest import png_bytes

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"
MARKDOWN = "Runs the **laser cutter** safely <script>alert(1)</script>\n\n- from file\n- to part"


@pytest.fixture
def public_passport(issuer: Issuer) -> Passport:
    user = UserFactory.create(username="ada", email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    passport = passport_update(
        passport=passport_ensure(user=user),
        handle="ada",
        display_name="Ada Lovelace",
        bio="I *love* **plywood**.",
        visibility=Visibility.PUBLIC,
    )
    badge_class = badge_services.badge_class_create(
        issuer=issuer,
        name="Laser cutter operator",
        description=MARKDOWN,
        image=SimpleUploadedFile("laser.png", png_bytes(), content_type="image/png"),
        criteria_narrative="- Passed the **induction**",
    )
    assertion = services.assertion_issue(badge_class=badge_class, recipient_email=EMAIL, send_email=False)
    passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.PUBLIC)
    return passport


def test_the_passport_card_summarises_the_description_as_plain_words(
    client: Client, public_passport: Passport
) -> None:
    page = client.get(reverse("passport_site:passport", kwargs={"handle": "ada"})).content.decode()

    assert '<p class="card-summary">Runs the laser cutter safely from file to part</p>' in page
    assert "<em>love</em>" in page
    assert "**" not in page
    assert "alert(1)" not in page


def test_the_badge_page_renders_the_description_and_criteria_as_formatted_text(
    client: Client, public_passport: Passport
) -> None:
    (setting,) = public_passport.badge_settings.all()
    url = reverse(
        "passport_site:passport_badge",
        kwargs={"handle": "ada", "kind": "platform", "public_id": setting.assertion.public_id},
    )
    page = client.get(url).content.decode()

    assert "<strong>laser cutter</strong>" in page
    assert "<li>to part</li>" in page
    assert "<strong>induction</strong>" in page
    assert "**" not in page
    assert "<script>alert" not in page


def test_the_maker_search_card_shows_the_bio_without_markup(
    client: Client, public_passport: Passport
) -> None:
    page = client.get(reverse("passport_site:makers")).content.decode()

    assert '<p class="card-summary">I love plywood.</p>' in page
    assert "**plywood**" not in page
