"""An owner's console in a real browser: they give an existing account the editor role, rotate the
hub's signing key after confirming, and read both in the audit log. Every page on the way is checked
with axe."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from badges import permissions
from badges import services as badge_services
from badges.models import SigningKey, SigningKeyStatus
from tests.browser.conftest import SITE_MESSAGES
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_console_bulk import assert_accessible
from tests.console.test_console_access import Hubs, build_hubs, console_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER = "dorothy@example.org"
NEWCOMER = "rosalind@example.org"


@pytest.fixture
def hubs(site: str, settings: Settings) -> Hubs:
    settings.SITE_URL = site
    hubs = build_hubs()
    badge_services.issuer_member_add(issuer=hubs.a.issuer, user=person(OWNER), role="owner", actor=None)
    person(NEWCOMER)
    return hubs


def test_an_owner_adds_an_editor_and_rotates_the_key_then_reads_both_in_the_audit_log(
    page: Page, hubs: Hubs
) -> None:
    old_key = SigningKey.objects.get(issuer=hubs.a.issuer, status=SigningKeyStatus.ACTIVE)
    sign_in(page, OWNER)
    page.get_by_role("link", name="Console").click()
    page.get_by_role("link", name="Fablab Glasgow").click()
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People of Fablab Glasgow")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Their e-mail address").fill(NEWCOMER)
    page.get_by_label(re.compile(r"^Role:?$")).select_option(label="Editor")
    page.get_by_role("button", name="Add").click()

    expect(page.locator(SITE_MESSAGES)).to_contain_text(
        "rosalind@example.org is now editor of Fablab Glasgow."
    )
    expect(page.get_by_label("Role of rosalind@example.org", exact=True)).to_have_value("editor")
    assert_accessible(page)

    page.get_by_role("link", name="Signing keys").click()
    page.get_by_role("link", name="Rotate the signing key").click()
    expect(page.get_by_text(f"The current key, {old_key.public_id}, is retired")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Rotate the key").click()

    expect(page.locator(SITE_MESSAGES)).to_contain_text("The hub has a new signing key")
    expect(page.get_by_role("row").filter(has_text=old_key.public_id)).to_contain_text("Retired")
    assert_accessible(page)

    page.get_by_role("link", name="Audit log").click()
    # Each line of the log is a sentence saying who did what to whom.
    added = page.get_by_role("listitem").filter(has_text="Person given a role").filter(has_text=NEWCOMER)
    expect(added).to_contain_text(f"{OWNER} gave {NEWCOMER} the role Editor.")
    new_key = SigningKey.objects.get(issuer=hubs.a.issuer, status=SigningKeyStatus.ACTIVE)
    rotated = page.get_by_role("listitem").filter(has_text="Signing key rotated")
    expect(rotated).to_contain_text(
        f"{OWNER} rotated the signing key: {new_key.public_id[:12]} is the new active key."
    )
    assert_accessible(page)

    assert permissions.issuer_role(User.objects.get(email=NEWCOMER), hubs.a.issuer) == "editor"
    old_key.refresh_from_db()
    assert old_key.status == SigningKeyStatus.RETIRED


@pytest.mark.parametrize("name", ["profile", "badge_classes", "badge_class_new", "badge_class_edit"])
def test_owner_and_badge_class_pages_have_no_serious_accessibility_violations(
    page: Page, hubs: Hubs, name: str
) -> None:
    sign_in(page, OWNER)
    ids = {"public_id": hubs.a.badge_class.public_id} if name == "badge_class_edit" else {}
    page.goto(console_url(name, hubs.a, **ids))

    assert_accessible(page)
