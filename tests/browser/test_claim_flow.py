"""A claim in a real browser: a member signs in and claims a listing, a curator of its node approves
it on the curation page, the member is e-mailed and can then edit the listing."""

import re
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SITE_MESSAGES, _new_context
from tests.browser.test_directory_pages import blocking_violations
from tests.directory.conftest import Catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

PASSWORD = "walnut-veneer-press-31"


def person(email: str) -> User:
    user = User.objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page: Page, email: str) -> None:
    """Sign in through the log-in page, in whichever language the browser is sent to."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    # Signed in, the header holds the person's own links (under "Account", folded into the menu on a
    # phone; named in the page's language), sign-out among them.
    expect(page.locator(".account-menu a[href$='/accounts/logout/']")).to_be_attached()


@pytest.fixture
def curator_page(browser: Browser, site: str) -> Iterator[Page]:
    context = _new_context(browser, site)
    yield context.new_page()
    context.close()


def test_a_member_claims_a_listing_and_a_curator_approves_it(
    page: Page, curator_page: Page, catalogue: Catalogue, mailoutbox: list
) -> None:
    person("june@example.org")
    catalogue.glasgow.curators.add(person("curator@example.org"))

    sign_in(page, "june@example.org")
    page.goto(catalogue.clyde.get_absolute_url())
    page.get_by_role("link", name="Claim this listing").click()
    assert blocking_violations(page) == []
    page.get_by_label("Why should you be an owner of this listing?").fill("I founded the workshop in 2009.")
    page.get_by_role("button", name="Send my claim").click()
    expect(page.locator(SITE_MESSAGES)).to_contain_text("Your claim is sent")
    expect(page.get_by_role("link", name="Edit this listing")).to_have_count(0)

    sign_in(curator_page, "curator@example.org")
    curator_page.goto(catalogue.glasgow.get_absolute_url())
    curator_page.get_by_role("link", name="Curate this node").click()
    claim = curator_page.get_by_role("article").filter(has_text="june@example.org claims Clyde Plywood Works")
    expect(claim).to_contain_text("I founded the workshop in 2009.")
    assert blocking_violations(curator_page) == []
    claim.get_by_label("Note to the claimant (optional)").fill("Welcome aboard.")
    claim.get_by_role("button", name="Approve").click()
    expect(curator_page.locator(SITE_MESSAGES)).to_contain_text("june@example.org is now an owner of Clyde")
    expect(curator_page.get_by_text("No claims are waiting.")).to_be_visible()

    assert [message.to for message in mail.outbox] == [["june@example.org"]]
    assert "Welcome aboard." in str(mail.outbox[0].body)
    page.reload()
    page.get_by_role("link", name="Edit this listing").click()
    page.get_by_label("Lead time").fill("One week")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(SITE_MESSAGES)).to_contain_text("Your changes are saved.")
    expect(page).to_have_url(re.compile(re.escape(catalogue.clyde.get_absolute_url()) + "$"))
