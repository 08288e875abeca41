"""A hub owner's hour in the console, in a real browser: on a 390 px phone in French, a CSV with three
good rows and two bad ones is checked, the bad rows are named, the valid ones issued on request, and
the audit log tells it as a sentence; then on a 1366 px desktop in English a badge is revoked through
its red button and the confirmation it opens. Every page passes axe and fits its width.

With CONSOLE_SHOTS set to a folder, each page is also photographed at both widths."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.fixtures import Settings

from badges import services as badge_services
from passport.models import Assertion, IssueBatch
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_console_bulk import assert_accessible
from tests.console.test_console_access import Hubs, build_hubs, console_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER = "dorothy@example.org"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
FRENCH_FILE = (
    "Courriel,Nom,Date de délivrance\n"
    "ada@example.org,Ada Lovelace,2025-03-14\n"
    "grace at example.org,Grace Hopper,\n"
    "linus@example.org,Linus Pauling,\n"
    'hedy@example.org,"=HYPERLINK(""https://evil.example"")",\n'
    "june@example.org,June Almeida,\n"
)


@pytest.fixture
def hubs(site: str, settings: Settings) -> Hubs:
    settings.SITE_URL = site
    hubs = build_hubs()
    badge_services.issuer_member_add(issuer=hubs.a.issuer, user=person(OWNER), role="owner", actor=None)
    return hubs


def fits(page: Page) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll_width <= inner_width, f"{page.url} is {scroll_width} px wide in {inner_width} px"


def checked(page: Page, shot: str) -> None:
    """Axe and the width check on the page as it is, and its photographs if asked for."""
    assert_accessible(page)
    fits(page)
    folder = os.environ.get("CONSOLE_SHOTS")
    if folder:
        width = page.viewport_size
        for name, size in (("390", PHONE), ("1366", DESKTOP)):
            page.set_viewport_size(size)  # type: ignore[arg-type]
            page.screenshot(path=str(Path(folder) / f"{shot}-{name}.png"), full_page=True)
        page.set_viewport_size(width)  # type: ignore[arg-type]


def french(path: str) -> str:
    return "/fr" + path


def test_an_owner_issues_the_valid_rows_on_a_phone_in_french_then_revokes_a_badge_on_a_desktop(
    page: Page, hubs: Hubs
) -> None:
    sign_in(page, OWNER)
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    before = Assertion.objects.count()

    page.goto(french(console_url("bulk_issue", hubs.a)))
    checked(page, "bulk-fr")
    page.get_by_label("Modèle de badge").select_option(label="Laser cutting at Glasgow")
    page.locator("input[name=verification][value=hosted]").check()
    page.locator("input[name=file]").set_input_files(
        files=[FilePayload(name="badges.csv", mimeType="text/csv", buffer=FRENCH_FILE.encode())]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_role("alert")).to_contain_text("Rien n’a été délivré : 2 lignes posent problème.")
    problems = page.locator(".bulk-problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("3email")
    expect(problems.nth(1)).to_contain_text("formule")
    checked(page, "bulk-check-fr")
    assert Assertion.objects.count() == before

    page.get_by_role("button", name="Délivrer seulement les 3 lignes valides").click()

    expect(page.get_by_role("heading", name="3 badges délivrés, 2 problèmes laissés de côté")).to_be_visible()
    expect(page.locator(".bulk-skipped li")).to_have_count(2)
    checked(page, "batch-fr")
    batch = IssueBatch.objects.latest("pk")
    assert (batch.total, Assertion.objects.count()) == (3, before + 3)

    page.goto(french(console_url("audit_log", hubs.a)))
    sentence = page.locator(".audit-sentence").first
    expect(sentence).to_have_text(
        "dorothy@example.org a délivré « Laser cutting at Glasgow » à 3 personnes dans un lot."
    )
    expect(sentence.get_by_role("link", name="« Laser cutting at Glasgow »")).to_be_visible()
    checked(page, "audit-fr")

    # A desktop, in English: revoking takes the red button, then the confirmation it opens.
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    assertion = batch.assertions.order_by("pk").first()
    assert assertion is not None
    page.goto(console_url("assertion", hubs.a, public_id=assertion.public_id))
    opener = page.locator("summary", has_text="Revoke this badge…")
    assert opener.evaluate("e => getComputedStyle(e).color") == "rgb(180, 35, 24)"
    revoke = page.get_by_role("button", name="Revoke the badge")
    expect(revoke).to_be_hidden()
    opener.click()
    expect(revoke).to_be_visible()
    page.get_by_label("Reason").fill("Issued to the wrong person")
    checked(page, "revoke-confirm-en")
    revoke.click()

    expect(page.get_by_text("The badge is revoked.")).to_be_visible()
    assertion.refresh_from_db()
    assert assertion.revoked
    page.goto(console_url("audit_log", hubs.a))
    expect(page.locator(".audit-sentence").first).to_have_text(
        "dorothy@example.org revoked “Laser cutting at Glasgow” of Ada Lovelace: "
        "“Issued to the wrong person”."
    )
    checked(page, "audit-en")
