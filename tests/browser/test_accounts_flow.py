"""A new member's first minutes, in a browser: sign up (a mistake first, shown under its field), open the
link the e-mail carries, confirm, land on the welcome and start a passport. In French on a 390 px phone
and in English on a desktop, with axe and the no-sideways-scrolling check on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import _only_local
from tests.browser.test_directory_pages import blocking_violations
from tests.browser.test_phone_layout import too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kiln-fired-stoneware-42"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}

WORDS = {
    "en": {
        "sign up": "Sign Up",
        "mismatch": "You must type the same password each time.",
        "verify": "Verify Your Email Address",
        "confirm": "Confirm",
        "welcome": "Welcome to makeworks",
        "create": "Create your passport",
        "edit": "Edit your passport",
    },
    "fr": {
        "sign up": "Création de compte",
        "mismatch": "Vous devez saisir deux fois le même mot de passe.",
        "verify": "Vérifiez votre adresse e-mail",
        "confirm": "Confirmer",
        "welcome": "Bienvenue sur makeworks",
        "create": "Créer votre passeport",
        "edit": "Modifier votre passeport",
    },
}


def checked(page: Page, problems: list[str]) -> None:
    """Note what is wrong with the page in sight: wider than the screen, or serious for axe."""
    if (wide := too_wide(page)) is not None:
        problems.append(f"{page.url}: {wide}")
    problems.extend(f"{page.url}: {violation}" for violation in blocking_violations(page))


@pytest.mark.parametrize(
    ("language", "viewport"), [("fr", PHONE), ("en", DESKTOP)], ids=["fr-phone", "en-desktop"]
)
def test_a_new_member_signs_up_confirms_and_is_welcomed_to_create_a_passport(
    browser: Browser, site: str, mailoutbox: list, language: str, viewport: ViewportSize
) -> None:
    words = WORDS[language]
    context = browser.new_context(
        base_url=site, locale="fr-FR" if language == "fr" else "en-GB", viewport=viewport, has_touch=True
    )
    context.route("**/*", _only_local(site))
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    prefix = "/fr" if language == "fr" else ""

    # The browser's language decides where the bare address leads.
    page.goto("/accounts/signup/")
    assert page.url == f"{site}{prefix}/accounts/signup/"
    checked(page, problems)
    page.locator("input[name=email]").fill("new.maker@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD + "?")
    page.get_by_role("button", name=words["sign up"]).click()

    # The mistake is told under the field it is about, and nothing typed is lost.
    repeat = page.locator(".field").filter(has=page.locator("input[name=password2]"))
    expect(repeat.locator(".field-errors")).to_have_text(words["mismatch"])
    expect(page.locator("input[name=email]")).to_have_value("new.maker@example.org")
    checked(page, problems)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=words["sign up"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["verify"])
    checked(page, problems)
    assert [message.to for message in mail.outbox] == [["new.maker@example.org"]]
    link = re.search(r"https?://[^/\s]+(/\S+)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    assert link.group(1).startswith(f"{prefix}/accounts/confirm-email/")

    page.goto(link.group(1))
    checked(page, problems)
    page.get_by_role("button", name=words["confirm"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["welcome"])
    assert page.url == f"{site}{prefix}/accounts/welcome/"
    checked(page, problems)
    page.get_by_role("link", name=words["create"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["edit"])
    checked(page, problems)
    context.close()
    assert not problems, "\n".join(problems)
