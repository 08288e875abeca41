"""Every role against every action, through the real pages: who gets in, who is refused, and how.

Roles are taken with respect to Clyde Plywood Works, a published Glasgow listing: its owner, a curator
of Glasgow, a curator of Paris (only a member where Glasgow is concerned), a member, a site
administrator and an anonymous visitor.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from directory import services
from directory.forms.listing import ListingForm
from directory.models import Claim, Listing, ListingStatus
from directory.services import claims
from tests.directory.conftest import Catalogue
from tests.directory.test_opendata import downloaded

ROLES = ["anonymous", "member", "owner", "glasgow_curator", "paris_curator", "admin"]


@dataclass
class People:
    member: User
    owner: User
    glasgow_curator: User
    paris_curator: User
    admin: User
    claimant: User


@pytest.fixture
def people(catalogue: Catalogue) -> People:
    def person(name: str) -> User:
        return User.objects.create_user(
            username=name, email=f"{name}@example.org", password="pw-not-used-here"
        )

    found = People(
        member=person("member"),
        owner=person("owner"),
        glasgow_curator=person("glasgow-curator"),
        paris_curator=person("paris-curator"),
        admin=User.objects.create_superuser(username="admin", email="admin@example.org", password="x"),
        claimant=person("claimant"),
    )
    catalogue.clyde.owners.add(found.owner)
    catalogue.draft.owners.add(found.owner)
    catalogue.glasgow.curators.add(found.glasgow_curator)
    catalogue.paris.curators.add(found.paris_curator)
    return found


def edit_form_data(listing: Listing, **changes: object) -> dict[str, object]:
    """The edit form as its page fills it for `listing`, with some values changed."""
    data: dict[str, object] = {}
    for key, value in {**ListingForm.initial_for(listing), **changes}.items():
        if value is None:
            continue
        data[key] = [getattr(v, "pk", v) for v in value] if isinstance(value, list) else value
    return data


def client_for(role: str, people: People) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(people, role))
    return client


def sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


OK, DENIED, HIDDEN, SIGN_IN = "ok", "denied", "hidden", "sign in"


def outcome(response) -> str:
    if sign_in_redirect(response):
        return SIGN_IN
    if response.status_code in (200, 302):
        return OK
    return {403: DENIED, 404: HIDDEN}.get(response.status_code, str(response.status_code))


def expected(**by_role: str) -> list[tuple[str, str]]:
    assert set(by_role) == set(ROLES)
    return list(by_role.items())


# The listing's draft sibling (same node, same owner) answers "not found" to whoever may not see it.
VIEW_DRAFT = expected(
    anonymous=HIDDEN, member=HIDDEN, owner=OK, glasgow_curator=OK, paris_curator=HIDDEN, admin=OK
)
EDIT = expected(
    anonymous=SIGN_IN, member=DENIED, owner=OK, glasgow_curator=OK, paris_curator=DENIED, admin=OK
)
CLAIM = expected(
    anonymous=SIGN_IN, member=OK, owner=DENIED, glasgow_curator=DENIED, paris_curator=OK, admin=DENIED
)
CURATE = expected(
    anonymous=SIGN_IN, member=DENIED, owner=DENIED, glasgow_curator=OK, paris_curator=DENIED, admin=OK
)
CREATE = expected(anonymous=SIGN_IN, member=OK, owner=OK, glasgow_curator=OK, paris_curator=OK, admin=OK)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_published_listing(role: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(catalogue.clyde.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize(("role", "result"), VIEW_DRAFT)
def test_a_draft_is_seen_only_by_its_owners_its_curators_and_admins(
    role: str, result: str, people: People, catalogue: Catalogue
) -> None:
    response = client_for(role, people).get(catalogue.draft.get_absolute_url())

    assert outcome(response) == result


@pytest.mark.parametrize(("role", "result"), EDIT)
def test_opening_the_edit_form(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(reverse("directory:listing_edit", args=[catalogue.clyde.slug]))

    assert outcome(response) == result


@pytest.mark.parametrize(("role", "result"), EDIT)
def test_saving_an_edit(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    data = edit_form_data(
        catalogue.clyde, name="Clyde Plywood Works Ltd", social_links="https://www.instagram.com/clydeplywood"
    )

    response = client_for(role, people).post(
        reverse("directory:listing_edit", args=[catalogue.clyde.slug]), data
    )

    assert outcome(response) == result
    catalogue.clyde.refresh_from_db()
    assert (catalogue.clyde.name == "Clyde Plywood Works Ltd") == (result == OK)


def test_curator_of_paris_cannot_edit_a_glasgow_listing(people: People, catalogue: Catalogue) -> None:
    client = client_for("paris_curator", people)

    response = client.post(
        reverse("directory:listing_edit", args=[catalogue.clyde.slug]),
        {"name": "Hijacked", "kind": "workshop"},
    )

    assert response.status_code == 403
    catalogue.clyde.refresh_from_db()
    assert catalogue.clyde.name == "Clyde Plywood Works"


@pytest.mark.parametrize(("role", "result"), EDIT)
def test_managing_photos(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(reverse("directory:listing_photos", args=[catalogue.clyde.slug]))

    assert outcome(response) == result


@pytest.mark.parametrize(("role", "result"), CLAIM)
def test_claiming_a_listing(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    url = reverse("directory:listing_claim", args=[catalogue.clyde.slug])

    response = client_for(role, people).post(url, {"message": "I run the workshop."})

    assert outcome(response) == result
    assert Claim.objects.filter(listing=catalogue.clyde).exists() == (result == OK)


@pytest.mark.parametrize(("role", "result"), CURATE)
def test_opening_a_nodes_curation_page(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(reverse("directory:node_curation", args=[catalogue.glasgow.slug]))

    assert outcome(response) == result


@pytest.mark.parametrize(("role", "result"), CURATE)
def test_reading_a_listings_history(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(reverse("directory:listing_history", args=[catalogue.clyde.slug]))

    assert outcome(response) == result


@pytest.mark.parametrize(("role", "result"), CURATE)
def test_unpublishing_a_listing(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    url = reverse("directory:listing_status", args=[catalogue.clyde.slug])

    response = client_for(role, people).post(url, {"action": "unpublish"})

    assert outcome(response) == result
    catalogue.clyde.refresh_from_db()
    assert (catalogue.clyde.status == ListingStatus.DRAFT) == (result == OK)


@pytest.mark.parametrize(("role", "result"), CURATE)
def test_removing_the_verified_mark(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    url = reverse("directory:listing_status", args=[catalogue.clyde.slug])

    response = client_for(role, people).post(url, {"action": "unverify"})

    assert outcome(response) == result
    catalogue.clyde.refresh_from_db()
    assert catalogue.clyde.verified == (result != OK)


@pytest.mark.parametrize(("role", "result"), CURATE)
def test_publishing_a_draft(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    url = reverse("directory:listing_status", args=[catalogue.draft.slug])

    response = client_for(role, people).post(url, {"action": "publish"})

    published = Listing.objects.get(pk=catalogue.draft.pk).status == ListingStatus.PUBLISHED
    assert published == (result == OK)
    # Whoever may not even see the draft is told it does not exist.
    assert outcome(response) == (
        HIDDEN if result == DENIED and role in {"member", "paris_curator"} else result
    )


@pytest.mark.parametrize(("role", "result"), CURATE)
def test_deciding_a_claim(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    claim = claims.claim_create(listing=catalogue.clyde, claimant=people.claimant, message="It is mine.")

    response = client_for(role, people).post(
        reverse("directory:claim_decide", args=[claim.pk]), {"decision": "approve"}
    )

    assert outcome(response) == result
    assert catalogue.clyde.owners.filter(pk=people.claimant.pk).exists() == (result == OK)


@pytest.mark.parametrize(("role", "result"), CREATE)
def test_proposing_a_new_listing(role: str, result: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(reverse("directory:listing_new"))

    assert outcome(response) == result


def test_a_forged_claim_decision_for_another_node_changes_nothing(
    people: People, catalogue: Catalogue
) -> None:
    claim = claims.claim_create(listing=catalogue.clyde, claimant=people.claimant, message="It is mine.")
    client = client_for("paris_curator", people)

    response = client.post(reverse("directory:claim_decide", args=[claim.pk]), {"decision": "approve"})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "pending"
    assert not catalogue.clyde.owners.filter(pk=people.claimant.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_write_to_a_published_listing(role: str, people: People, catalogue: Catalogue) -> None:
    response = client_for(role, people).get(reverse("directory:listing_contact", args=[catalogue.clyde.slug]))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_download_a_nodes_open_data(role: str, people: People, catalogue: Catalogue) -> None:
    url = reverse("directory:node_export_csv", args=[catalogue.glasgow.slug])

    response = client_for(role, people).get(url)

    assert response.status_code == 200
    assert "Clyde Plywood Works" in downloaded(response)


def test_a_curator_verifies_a_listing_from_the_curation_page_and_returns_to_it(
    people: People, catalogue: Catalogue
) -> None:
    client = client_for("glasgow_curator", people)
    curation = reverse("directory:node_curation", args=[catalogue.glasgow.slug])
    services.listing_verify(listing=catalogue.clyde, verified=False)
    page = client.get(curation).content.decode()
    assert '>Verify<span class="visually-hidden"> Clyde Plywood Works' in page

    status_url = reverse("directory:listing_status", args=[catalogue.clyde.slug])
    response = client.post(status_url, {"action": "verify", "next": curation})

    assert response["Location"] == curation
    catalogue.clyde.refresh_from_db()
    assert catalogue.clyde.verified
