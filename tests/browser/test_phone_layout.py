"""Every page on a 390 px phone, in English and French, signed out and as a hub owner: nothing is wider
than the screen (no sideways scrolling) and axe finds nothing serious or critical.

The pages are named by their URL names, and a test without a browser checks that every HTML page of the
URL conf is either visited here or set aside with the reason, so a page added later is measured too.
One browser context per language and person keeps the whole walk to one sign-in each."""

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.fixtures import Settings

from badges import selectors as badge_selectors
from badges import services as badge_services
from badges.models import IssuerMembership, SigningKey, SigningKeyStatus
from directory import services as directory_services
from directory.models import Listing
from machinery_map.models import Equipment
from machinery_map.seeding import taxonomy_seed
from passport import services as passport_services
from passport.claims import claim_path
from passport.models import Assertion, Passport, Visibility
from passport.services.passports import passport_badge_show, passport_ensure, passport_update
from tests.browser.conftest import _only_local
from tests.browser.test_claim_flow import person, sign_in
from tests.browser.test_directory_pages import blocking_violations
from tests.console.test_console_access import Hubs, build_hubs
from tests.directory.conftest import Catalogue, build_catalogue
from tests.factories import EquipmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER = "dorothy.featherstonehaugh@example.org"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@dataclass
class World:
    catalogue: Catalogue
    hubs: Hubs
    owner: User
    passport: Passport
    assertion: Assertion
    hub_listing: Listing
    equipment: Equipment
    key: SigningKey
    membership: IssuerMembership


@pytest.fixture
def world(site: str, settings: Settings) -> World:
    # Badge pages show images by their absolute ids, which must point at the live server.
    settings.SITE_URL = site
    catalogue = build_catalogue()
    # A name that is one long word, as German compounds are, in every list of listings.
    directory_services.listing_update(
        listing=catalogue.kelvin, actor=None, name="Holzbearbeitungswerkstattgenossenschaft Kelvin"
    )
    hubs = build_hubs()
    owner = person(OWNER)
    badge_services.issuer_member_add(issuer=hubs.a.issuer, user=owner, role="owner", actor=None)
    catalogue.clyde.owners.add(owner)
    catalogue.glasgow.curators.add(owner)
    assertion = passport_services.assertion_issue(
        badge_class=hubs.a.badge_class, recipient_email=OWNER, recipient_name="Dorothy"
    )
    passport = passport_ensure(user=owner)
    passport = passport_update(
        passport=passport,
        handle=passport.handle,
        # The name a new passport starts with, its handle: one long word in the heading.
        display_name=passport.display_name,
        bio="Furniture maker and **laser** tutor.",
        location="Glasgow",
        visibility=Visibility.PUBLIC,
    )
    passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.PUBLIC)
    hub_listing = hubs.a.issuer.listing
    taxonomy_seed()
    equipment = EquipmentFactory.create(hub=hub_listing, equipment_type="laser-cutter", bed_size_mm=1000)
    return World(
        catalogue=catalogue,
        hubs=hubs,
        owner=owner,
        passport=passport,
        assertion=assertion,
        hub_listing=hub_listing,
        equipment=equipment,
        key=SigningKey.objects.get(issuer=hubs.a.issuer, status=SigningKeyStatus.ACTIVE),
        membership=IssuerMembership.objects.get(issuer=hubs.a.issuer, user=hubs.a.people["editor"]),
    )


def hub(name: str, **ids: object) -> Callable[[World], str]:
    return lambda world: reverse(f"console:{name}", kwargs={"slug": world.hubs.a.issuer.slug, **ids})


def listing(name: str) -> Callable[[World], str]:
    return lambda world: reverse(f"directory:{name}", kwargs={"slug": world.catalogue.clyde.slug})


# Every page anyone may open, by URL name (or a plain name for pages outside our URL names).
PUBLIC_PAGES: dict[str, Callable[[World], str]] = {
    "pages:home": lambda world: reverse("pages:home"),
    "pages:about": lambda world: reverse("pages:about"),
    "pages:privacy": lambda world: reverse("pages:privacy"),
    "pages:terms": lambda world: reverse("pages:terms"),
    "pages:contact": lambda world: reverse("pages:contact"),
    "directory:search": lambda world: reverse("directory:search") + "?q=plywood&near=Glasgow",
    "search by node": lambda world: reverse("directory:search") + "?node=glasgow&material=plywood",
    "directory:node": lambda world: world.catalogue.glasgow.get_absolute_url(),
    "directory:listing": lambda world: world.catalogue.clyde.get_absolute_url(),
    "directory:listing_contact": listing("listing_contact"),
    "machinery_map:map": lambda world: reverse("machinery_map:map"),
    "machinery_map:can_i_make": lambda world: (
        reverse("machinery_map:can_i_make") + "?what=type:laser-cutter&near=55.86,-4.25&radius=50"
    ),
    "machinery_map:hub": lambda world: reverse("machinery_map:hub", kwargs={"slug": world.hub_listing.slug}),
    "passport_site:makers": lambda world: reverse("passport_site:makers"),
    "passport_site:passport": lambda world: reverse(
        "passport_site:passport", kwargs={"handle": world.passport.handle}
    ),
    "passport_site:passport_badge": lambda world: reverse(
        "passport_site:passport_badge",
        kwargs={"handle": world.passport.handle, "kind": "platform", "public_id": world.assertion.public_id},
    ),
    "passport_site:verify": lambda world: reverse("passport_site:verify"),
    "passport:assertion": lambda world: reverse(
        "passport:assertion", kwargs={"public_id": world.assertion.public_id}
    ),
    # The Open Badges ids are absolute URLs on SITE_URL, the live server.
    "badges:badge_class": lambda world: (
        urlsplit(badge_selectors.badge_class_url(world.hubs.a.badge_class)).path
    ),
    "badges:issuer": lambda world: urlsplit(badge_selectors.issuer_url(world.hubs.a.issuer)).path,
    "badges:key": lambda world: urlsplit(badge_selectors.key_url(world.key)).path,
    "not found": lambda world: "/no-such-page-at-all/",
    "sign in": lambda world: reverse("account_login"),
    "sign up": lambda world: reverse("account_signup"),
    "password reset": lambda world: reverse("account_reset_password"),
}

# The pages only a signed-in member, a listing's owner, a node's curator or a hub's owner opens.
OWNER_PAGES: dict[str, Callable[[World], str]] = {
    "directory:listing_new": lambda world: reverse("directory:listing_new"),
    "directory:listing_edit": listing("listing_edit"),
    "directory:listing_photos": listing("listing_photos"),
    "directory:listing_history": listing("listing_history"),
    "directory:listing_claim": lambda world: reverse(
        "directory:listing_claim", kwargs={"slug": world.catalogue.belleville.slug}
    ),
    "directory:node_curation": lambda world: reverse(
        "directory:node_curation", kwargs={"slug": world.catalogue.glasgow.slug}
    ),
    "machinery_map:equipment_new": lambda world: reverse(
        "machinery_map:equipment_new", kwargs={"slug": world.hub_listing.slug}
    ),
    "machinery_map:equipment_edit": lambda world: reverse(
        "machinery_map:equipment_edit", kwargs={"slug": world.hub_listing.slug, "pk": world.equipment.pk}
    ),
    "passport_site:mine": lambda world: reverse("passport_site:mine"),
    "passport_site:edit": lambda world: reverse("passport_site:edit"),
    "passport_site:badge_add": lambda world: reverse("passport_site:badge_add"),
    "passport_site:affiliation_add": lambda world: reverse("passport_site:affiliation_add"),
    "passport_site:affiliations_to_confirm": lambda world: reverse("passport_site:affiliations_to_confirm"),
    "passport_site:project_add": lambda world: reverse("passport_site:project_add"),
    "passport_site:account_delete": lambda world: reverse("passport_site:account_delete"),
    # The award e-mail's link to another person's badge: the page that says how to add it.
    "passport_site:claim": lambda world: claim_path(world.hubs.a.assertion, "ada@glasgow.example"),
    "console:hubs": lambda world: reverse("console:hubs"),
    "console:dashboard": hub("dashboard"),
    "console:issue": hub("issue"),
    "console:bulk_issue": hub("bulk_issue"),
    "console:batch": lambda world: hub("batch", batch_id=world.hubs.a.batch.pk)(world),
    "console:audit_log": hub("audit_log"),
    "console:affiliations": hub("affiliations"),
    "console:staff": hub("staff"),
    "console:keys": hub("keys"),
    "console:key_rotate": hub("key_rotate"),
    "console:key_revoke": lambda world: hub("key_revoke", public_id=world.key.public_id)(world),
    "console:profile": hub("profile"),
    "console:badge_classes": hub("badge_classes"),
    "console:badge_class_new": hub("badge_class_new"),
    "console:badge_class_edit": lambda world: hub(
        "badge_class_edit", public_id=world.hubs.a.badge_class.public_id
    )(world),
    "console:endorsements": hub("endorsements"),
    "console:endorse": hub("endorse"),
    "console:assertions": hub("assertions"),
    "console:assertion": lambda world: hub("assertion", public_id=world.hubs.a.assertion.public_id)(world),
    "account e-mail": lambda world: reverse("account_email"),
    "account password": lambda world: reverse("account_change_password"),
    "account two-factor": lambda world: reverse("mfa_index"),
    "accounts:welcome": lambda world: reverse("accounts:welcome"),
}

# URL names that are not pages a person reads, or that only answer a form's post.
NOT_PAGES = {
    "directory:suggest": "a fragment of suggestions inside the search box",
    "directory:place_suggest": "JSON: the towns a place field suggests while one types",
    "directory:export_csv": "open data",
    "directory:export_json": "open data",
    "directory:node_export_csv": "open data",
    "directory:node_export_json": "open data",
    "directory:listing_status": "answers a curator's post",
    "directory:claim_decide": "answers a curator's post",
    "machinery_map:equipment_delete": "answers the machine form's post",
    "machinery_map:okw_json": "open data",
    "machinery_map:okw_yaml": "open data",
    "machinery_map:all_okw_json": "open data",
    "machinery_map:all_okw_yaml": "open data",
    "passport_site:export": "a JSON download",
    "passport_site:badge_visibility": "answers a post from the passport page",
    "passport_site:badge_remove": "answers a post from the passport page",
    "passport_site:badge_decide": "answers a post from the passport page",
    "passport_site:affiliation_remove": "answers a post from the passport page",
    "passport_site:project_remove": "answers a post from the passport page",
    "passport:assertion_baked": "an image",
    "passport:revocation_list": "JSON",
    "badges:issuer_image": "an image",
    "badges:badge_class_image": "an image",
    "badges:endorsement": "JSON-LD (or its page, shown like the badge class page)",
    "console:assertions_export": "a CSV download",
    "console:bulk_template": "a CSV download",
    "console:assertions_revoke": "answers the assertions list's post",
    "console:assertion_revoke": "answers the assertion page's post",
    "console:assertion_resend": "answers the assertion page's post",
    "console:batch_retry": "answers the batch page's post",
    "console:member_change": "answers the people page's post",
    "console:member_remove": "answers the people page's post",
    "console:endorsement_withdraw": "answers the endorsements page's post",
}
# Not ours to lay out: the admin, and the API's Swagger UI and Redoc, third-party layouts for desktops.
SKIPPED_NAMESPACES = {"admin", "api", "djdt"}


def url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner not in SKIPPED_NAMESPACES:
                yield from url_names(pattern.url_patterns, inner)
        elif pattern.name and namespace:
            yield f"{namespace}:{pattern.name}"


def test_every_page_of_the_url_conf_is_measured_or_set_aside_with_a_reason() -> None:
    ours = set(url_names(get_resolver().url_patterns))

    unmeasured = ours - set(PUBLIC_PAGES) - set(OWNER_PAGES) - set(NOT_PAGES)

    assert not unmeasured, f"Add these pages to the phone layout test: {sorted(unmeasured)}"


def sign_in_on_a_phone(page: Page) -> None:
    """Sign in where the account menu is in sight (a desktop), then hold the page as a phone."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, OWNER)
    page.set_viewport_size(PHONE)


def localised(path: str, language: str) -> str:
    """The page in the language: French pages under /fr/, except the unprefixed Open Badges pages."""
    if language == "en" or path.startswith("/badges/"):
        return path
    return "/fr" + path


def too_wide(page: Page) -> str | None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if scroll_width <= inner_width:
        return None
    # Name the deepest elements that stick out, so the failure says where to look.
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 0.5))
            .slice(0, 4)
            .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
                ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                + ' (' + Math.round(e.getBoundingClientRect().right) + ')')"""
    )
    return f"{scroll_width} px: {', '.join(culprits)}"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("who", ["visitor", "owner"])
def test_every_page_fits_a_390_px_phone_with_nothing_serious_for_axe(
    browser: Browser, site: str, world: World, who: str, language: str
) -> None:
    context = browser.new_context(
        base_url=site, locale="fr-FR" if language == "fr" else "en-GB", viewport=PHONE, has_touch=True
    )
    context.route("**/*", _only_local(site))
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    pages = dict(PUBLIC_PAGES)
    if who == "owner":
        sign_in_on_a_phone(page)
        pages |= OWNER_PAGES
    wide: dict[str, str] = {}
    inaccessible: dict[str, list[str]] = {}
    failed: dict[str, int] = {}
    started = time.perf_counter()
    for name, path_of in pages.items():
        response = page.goto(localised(path_of(world), language))
        assert response is not None
        if response.status >= 400 and name != "not found":
            failed[name] = response.status
        page.wait_for_load_state("load")
        if (problem := too_wide(page)) is not None:
            wide[name] = problem
        if violations := blocking_violations(page):
            inaccessible[name] = violations
    print(f"{len(pages)} pages in {time.perf_counter() - started:.1f} s")
    context.close()

    assert not failed, f"Pages that did not open: {failed}"
    assert not wide, "Wider than a 390 px phone:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    assert not inaccessible, f"axe found serious or critical violations: {inaccessible}"
    assert not errors, f"JavaScript errors on the pages: {errors}"


def test_the_phone_menu_is_closed_until_tapped_then_shows_every_link(page: Page, world: World) -> None:
    sign_in_on_a_phone(page)
    page.goto("/fr/")

    menu = page.get_by_role("navigation", name="Principale")
    expect(menu.get_by_role("link", name="Rechercher")).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()

    expect(menu.get_by_role("link", name="Console")).to_be_visible()
    menu.get_by_text("Compte", exact=True).click()
    expect(menu.get_by_role("link", name=re.compile("Se déconnecter"))).to_be_visible()
    assert too_wide(page) is None


def test_without_javascript_the_phone_menu_still_opens(page_without_javascript: Page) -> None:
    page = page_without_javascript
    page.set_viewport_size(PHONE)
    page.goto("/")

    expect(page.get_by_role("link", name="Sign in")).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_be_visible()


def test_a_wide_screen_shows_every_link_and_no_menu_toggle(page: Page) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/fr/")

    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name="Rechercher")).to_be_visible()
    expect(page.get_by_role("link", name="S’inscrire")).to_be_visible()
