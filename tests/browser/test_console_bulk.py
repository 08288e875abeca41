"""The console's bulk issue in a real browser: an editor signs in, uploads a file with one bad row
(nothing is issued and the row is named), then the fixed file, confirms, and follows the batch until
every badge is baked and e-mailed. Every page on the way is checked with axe."""

import pytest
from django.core import mail
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.fixtures import Settings

from badges import services as badge_services
from passport.models import Assertion, IssueBatch
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_directory_pages import blocking_violations
from tests.console.test_console_access import Hubs, build_hubs, console_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "rosalind@example.org"
FIXED_FILE = (
    "email,name,evidence,narrative,issued date\n"
    "ada@example.org,Ada Lovelace,https://example.org/work/ada,Cut a two-material job,2025-03-14\n"
    "grace@example.org,Grace Hopper,,,\n"
    "linus@example.org,Linus Pauling,,,2025-03-15\n"
)
BAD_FILE = FIXED_FILE.replace("grace@example.org", "grace at example.org")


@pytest.fixture
def hubs(site: str, settings: Settings) -> Hubs:
    # Baked images are linked by their absolute ids, which must point at the live server.
    settings.SITE_URL = site
    hubs = build_hubs()
    badge_services.issuer_member_add(issuer=hubs.a.issuer, user=person(EDITOR), role="editor", actor=None)
    return hubs


def csv_file(text: str) -> FilePayload:
    return FilePayload(name="awards.csv", mimeType="text/csv", buffer=text.encode())


def assert_accessible(page: Page) -> None:
    violations = blocking_violations(page)
    assert not violations, "axe found serious or critical violations:\n" + "\n".join(violations)


def upload(page: Page, text: str) -> None:
    page.get_by_label("Badge class").select_option(label="Laser cutting at Glasgow")
    page.get_by_label("Hosted").check()
    page.get_by_label("CSV file (UTF-8)").set_input_files(files=[csv_file(text)])
    page.get_by_role("button", name="Check the file").click()


def test_a_bulk_issue_with_a_bad_row_then_the_fixed_file(page: Page, hubs: Hubs) -> None:
    issued_before = Assertion.objects.count()
    sign_in(page, EDITOR)
    page.get_by_role("link", name="Console").click()
    page.get_by_role("link", name="Fablab Glasgow").click()
    page.get_by_role("link", name="Bulk issue from a CSV file").click()
    assert_accessible(page)

    upload(page, BAD_FILE)

    expect(page.get_by_role("alert")).to_contain_text("Nothing was issued: 1 line has problems.")
    problem = page.get_by_role("row").filter(has_text="is not an e-mail address")
    expect(problem).to_have_text("3email“grace at example.org” is not an e-mail address.")
    expect(page.get_by_role("button", name="Issue 3 badges")).to_have_count(0)
    assert_accessible(page)
    assert Assertion.objects.count() == issued_before

    upload(page, FIXED_FILE)

    expect(page.get_by_role("status").first).to_contain_text("Every row is valid: 3 badges")
    expect(page.get_by_role("table")).to_contain_text("Grace Hopper")
    assert_accessible(page)
    assert Assertion.objects.count() == issued_before
    page.get_by_role("button", name="Issue 3 badges").click()

    expect(page.get_by_role("heading", name="Bulk issue of Laser cutting at Glasgow")).to_be_visible()
    expect(page.get_by_text("Done: every badge is baked and e-mailed.")).to_be_visible()
    for term, count in (("Done", "3"), ("Failed", "0"), ("Pending", "0")):
        expect(page.locator(f"#batch-progress dt:text-is('{term}') + dd")).to_have_text(count)
    assert page.locator("#batch-progress progress").get_attribute("value") == "3"
    assert_accessible(page)
    batch = IssueBatch.objects.get(total=3)
    assert batch.assertions.filter(baked_at__isnull=False, pending_email="").count() == 3
    # The hubs' own awards (at glasgow.example and paris.example) were e-mailed when they were set up.
    assert sorted(message.to[0] for message in mail.outbox if message.to[0].endswith("@example.org")) == [
        "ada@example.org",
        "grace@example.org",
        "linus@example.org",
    ]

    page.get_by_role("link", name="See the badges of this batch").click()
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("img", name="The baked badge image: Laser cutting at Glasgow")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("name", ["hubs", "dashboard", "assertions", "assertion", "issue"])
def test_console_pages_have_no_serious_accessibility_violations(page: Page, hubs: Hubs, name: str) -> None:
    sign_in(page, EDITOR)
    urls = {
        "hubs": "/console/",
        "dashboard": console_url("dashboard", hubs.a),
        "assertions": console_url("assertions", hubs.a),
        "assertion": console_url("assertion", hubs.a, public_id=hubs.a.assertion.public_id),
        "issue": console_url("issue", hubs.a),
    }
    page.goto(urls[name])

    assert_accessible(page)


def test_the_audit_log_an_owner_reads_has_no_serious_accessibility_violations(page: Page, hubs: Hubs) -> None:
    owner = "dorothy@example.org"
    badge_services.issuer_member_add(issuer=hubs.a.issuer, user=person(owner), role="owner", actor=None)
    sign_in(page, owner)
    page.goto(console_url("audit_log", hubs.a))

    expect(page.get_by_role("heading", name="Audit log of Fablab Glasgow")).to_be_visible()
    expect(page.get_by_text("issued “Laser cutting at Glasgow” to 2 people in a batch.")).to_be_visible()
    assert_accessible(page)
