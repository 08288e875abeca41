"""A badge arriving, end to end on a French phone: a hub awards a badge (through the service, as the
console does), the maker opens the award e-mail's link at 390 px, signs up with the address already filled
in, confirms it from the confirmation e-mail, lands on the badge asking "Afficher ce badge sur votre
passeport ?", chooses to show it and to make the passport public, and a visitor sees it on /p/<handle>/.
Every page on the way fits the phone and axe finds nothing serious."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from badges import services as badge_services
from passport import services
from passport.models import Passport
from tests.browser.conftest import SITE_MESSAGES, _only_local
from tests.browser.test_directory_pages import blocking_violations
from tests.browser.test_phone_layout import PHONE, too_wide
from tests.factories import ListingFactory, badge_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "camille@example.org"
PASSWORD = "walnut-veneer-press-31"


def fits_and_passes_axe(page: Page) -> None:
    assert too_wide(page) is None, too_wide(page)
    assert blocking_violations(page) == []


def test_a_maker_claims_a_new_badge_from_the_email_on_a_french_phone_and_shows_it(
    browser: Browser, site: str, settings: Settings, mailoutbox: list
) -> None:
    settings.SITE_URL = site
    issuer = badge_services.issuer_create(
        listing=ListingFactory.create(name="Fablab Lyon"),
        name="Fablab Lyon",
        url="https://fablab-lyon.example",
        email="badges@fablab-lyon.example",
    )
    laser = badge_services.badge_class_create(
        issuer=issuer,
        name="Découpe laser",
        description="Règle et utilise la **découpeuse laser** en sécurité.",
        image=SimpleUploadedFile("laser.png", badge_png()),
        criteria_narrative="- A suivi la formation sécurité",
    )
    services.assertion_issue(badge_class=laser, recipient_email=EMAIL, recipient_name="Camille")
    (award,) = mailoutbox
    found = re.search(r"https?://[^/\s]+(/(?:fr/)?passport/claim/\S+/)", str(award.body))
    assert found is not None, award.body
    link = found.group(1) if found.group(1).startswith("/fr/") else "/fr" + found.group(1)

    context = browser.new_context(base_url=site, locale="fr-FR", viewport=PHONE, has_touch=True)
    context.route("**/*", _only_local(site))
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/fr/accounts/signup/"))
    expect(page.locator('input[name="email"]')).to_have_value(EMAIL)
    fits_and_passes_axe(page)
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.locator('input[name="password2"]').press("Enter")

    page.wait_for_url(re.compile(r"/fr/accounts/confirm-email/"))
    confirm = re.search(r"https?://[^/\s]+(/\S*accounts/confirm-email/\S+/)", str(mailoutbox[-1].body))
    assert confirm is not None, mailoutbox[-1].body
    page.goto(confirm.group(1))
    page.locator('main form[method="post"] [type="submit"]').click()

    passport = Passport.objects.get(user__email=EMAIL)
    page.wait_for_url(re.compile(rf"/fr/p/{passport.handle}/"))
    badge = page.get_by_role("listitem").filter(has_text="Découpe laser")
    expect(badge).to_contain_text("Afficher ce badge sur votre passeport\u00a0?")
    expect(badge).to_contain_text("Règle et utilise la découpeuse laser en sécurité.")
    fits_and_passes_axe(page)
    badge.get_by_label("Rendre aussi mon passeport public, pour que d’autres puissent le voir").check()
    badge.get_by_role("button", name="Afficher", exact=True).click()
    expect(page.locator(SITE_MESSAGES)).to_contain_text(
        "«\u00a0Découpe laser\u00a0» est affiché sur votre passeport."
    )
    expect(badge.get_by_label("Public", exact=True)).to_be_checked()
    fits_and_passes_axe(page)
    context.close()

    visitor = browser.new_context(base_url=site, locale="fr-FR", viewport=PHONE)
    visitor.route("**/*", _only_local(site))
    public = visitor.new_page()
    public.goto(f"/fr/p/{passport.handle}/")
    expect(public.get_by_role("heading", name="Découpe laser")).to_be_visible()
    expect(public.get_by_text("Afficher ce badge sur votre passeport\u00a0?")).to_have_count(0)
    assert "**" not in public.content()
    fits_and_passes_axe(public)
    visitor.close()
