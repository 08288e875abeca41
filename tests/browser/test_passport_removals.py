"""Removing things from one's passport asks first, within the page: each remove button opens a fold that says
what happens, and only the red button inside it acts."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from passport.models import ExternalBadge, ExternalState, Visibility
from passport.services.passports import affiliation_add, passport_ensure, project_add
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_directory_pages import blocking_violations
from tests.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAKER = "ines.maker@example.org"


def test_a_maker_removes_a_badge_an_affiliation_and_a_project_after_confirming_each(page: Page) -> None:
    passport = passport_ensure(user=person(MAKER))
    # A badge from another issuer as adding it leaves it (adding one fetches it from its issuer).
    ExternalBadge.objects.create(
        passport=passport,
        source="url",
        verification_type="hosted",
        assertion_url="https://badges.example.org/assertions/1",
        badge_class_json={"name": "First aid at work"},
        issuer_json={"name": "Red Cross Training"},
        state=ExternalState.VERIFIED,
        checked_at=timezone.now(),
        visibility=Visibility.PUBLIC,
    )
    affiliation_add(
        passport=passport, listing=ListingFactory.create(name="Achimota Components"), role="Technician"
    )
    project_add(passport=passport, title="Oak bench", description="Jointed by hand.")
    sign_in(page, MAKER)
    page.goto("/passport/")
    expect(page.get_by_role("link", name="Delete your account")).to_have_class("button button-danger")

    for fold, confirm, done in [
        ("Remove First aid at work…", "Remove First aid at work", "The badge is removed from your passport."),
        (
            "Remove the affiliation with Achimota Components…",
            "Remove the affiliation with Achimota Components",
            "The affiliation is removed.",
        ),
        ("Remove Oak bench…", "Remove Oak bench", "The project is removed."),
    ]:
        button = page.get_by_role("button", name=confirm, exact=True)
        expect(button).to_be_hidden()
        page.get_by_text(fold, exact=True).click()
        expect(button).to_be_visible()
        expect(button).to_have_class("button button-small button-danger")
        assert blocking_violations(page) == []
        button.click()
        expect(page.get_by_role("status")).to_contain_text(done)
        expect(page.get_by_text(fold, exact=True)).to_have_count(0)

    assert not ExternalBadge.objects.exists()
    assert not passport.affiliations.exists()
    assert not passport.projects.exists()
