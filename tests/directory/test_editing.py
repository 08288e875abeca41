"""Owners edit their listings and members propose new ones, through the pages, with every change
kept as history and every refused input explained without losing what was typed."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from audit import selectors as audit_selectors
from directory.models import ChangeAction, Listing, ListingPhoto, ListingStatus
from tests.directory.conftest import Catalogue
from tests.directory.test_permissions import edit_form_data
from tests.factories import ListingFactory
from tests.images import assert_carries_nothing_but_pixels, located_jpeg, media_files_linked, zip_archive

CLEAN_LINKS = "https://www.instagram.com/clydeplywood"


@pytest.fixture
def owner(catalogue: Catalogue) -> User:
    user = User.objects.create_user(username="owner", email="owner@example.org", password="x")
    catalogue.clyde.owners.add(user)
    return user


@pytest.fixture
def owner_client(client: Client, owner: User) -> Client:
    client.force_login(owner)
    return client


def edit(client: Client, catalogue: Catalogue, **changes: object):
    data = edit_form_data(catalogue.clyde, social_links=CLEAN_LINKS, **changes)
    return client.post(reverse("directory:listing_edit", args=[catalogue.clyde.slug]), data)


def photo(
    size: tuple[int, int] = (800, 600), fmt: str = "JPEG", name: str = "floor.jpg"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 120, 60)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_owners_edit_is_saved_and_recorded_with_before_and_after(
    owner_client: Client, owner: User, catalogue: Catalogue
) -> None:
    response = edit(owner_client, catalogue, summary="Plywood furniture, cut to order.", material_terms=[])

    assert response.status_code == 302
    change = audit_selectors.entries_for_object(catalogue.clyde).get(action=ChangeAction.UPDATED)
    assert change.actor == owner
    assert change.changes["summary"] == [
        "CNC-cut plywood furniture and fit-outs.",
        "Plywood furniture, cut to order.",
    ]
    assert change.changes["terms"] == {"added": [], "removed": ["plywood"]}
    assert set(change.changes) == {"summary", "social_links", "terms"}


def test_the_history_page_shows_curators_who_changed_what(
    client: Client, owner_client: Client, catalogue: Catalogue
) -> None:
    edit(owner_client, catalogue, lead_time="1 week")
    curator = User.objects.create_user(username="cur", email="curator@example.org", password="x")
    catalogue.glasgow.curators.add(curator)
    client.force_login(curator)

    page = client.get(reverse("directory:listing_history", args=[catalogue.clyde.slug])).content.decode()

    assert "owner@example.org" in page
    assert "lead_time" in page
    assert "2–3 weeks → 1 week" in page


def test_a_refused_edit_keeps_what_was_typed_and_saves_nothing(
    owner_client: Client, catalogue: Catalogue
) -> None:
    response = edit(
        owner_client, catalogue, summary="A new summary", latitude=56.0, longitude="", languages="en, klingon"
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give both latitude and longitude, or neither." in page
    assert "We do not know these language codes: klingon." in page
    assert "A new summary" in page
    catalogue.clyde.refresh_from_db()
    assert catalogue.clyde.summary == "CNC-cut plywood furniture and fit-outs."
    assert (
        not audit_selectors.entries_for_object(catalogue.clyde).filter(action=ChangeAction.UPDATED).exists()
    )


def test_a_video_link_from_an_unknown_host_is_refused(owner_client: Client, catalogue: Catalogue) -> None:
    response = edit(owner_client, catalogue, video_url="https://videos.example.com/watch/1")

    assert response.status_code == 400
    assert "Video portraits can come from YouTube, Vimeo or PeerTube." in response.content.decode()


def test_saving_an_unchanged_form_writes_no_history(owner_client: Client, catalogue: Catalogue) -> None:
    edit(owner_client, catalogue)
    audit_selectors.entries_for_object(catalogue.clyde).all().delete()

    edit(owner_client, catalogue)

    assert not audit_selectors.entries_for_object(catalogue.clyde).exists()


def test_an_owner_adds_and_removes_a_photo_and_both_are_in_the_history(
    owner_client: Client, catalogue: Catalogue
) -> None:
    url = reverse("directory:listing_photos", args=[catalogue.clyde.slug])

    owner_client.post(url, {"image": photo(), "alt_text": "The CNC router"})
    added = ListingPhoto.objects.get(listing=catalogue.clyde)
    owner_client.post(url, {"delete": added.pk})

    assert not ListingPhoto.objects.filter(listing=catalogue.clyde).exists()
    photo_changes = audit_selectors.entries_for_object(catalogue.clyde).exclude(action=ChangeAction.CREATED)
    actions = list(photo_changes.values_list("action", flat=True))
    assert actions == [ChangeAction.PHOTO_REMOVED, ChangeAction.PHOTO_ADDED]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cv.jpg", b"%PDF-1.4 a document"), "This file is not an image we can read."),
        (SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1)), "The photo is larger than 10 MB."),
        (
            SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
            "SVG drawings cannot be used here.",
        ),
    ],
    ids=["not an image", "over 10 MB", "svg"],
)
def test_a_bad_photo_is_refused_with_a_clear_message(
    owner_client: Client, catalogue: Catalogue, upload: SimpleUploadedFile, message: str
) -> None:
    response = owner_client.post(
        reverse("directory:listing_photos", args=[catalogue.clyde.slug]), {"image": upload}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ListingPhoto.objects.exists()


def test_a_photo_over_40_megapixels_is_refused_with_a_clear_message(
    owner_client: Client, catalogue: Catalogue
) -> None:
    # A PNG of one flat colour compresses to almost nothing, so it is a small file with many pixels.
    response = owner_client.post(
        reverse("directory:listing_photos", args=[catalogue.clyde.slug]),
        {"image": photo(size=(8000, 5001), fmt="PNG", name="huge.png")},
    )

    assert response.status_code == 400
    assert "The photo has more than 40 megapixels." in response.content.decode()


def test_a_members_new_listing_is_a_draft_they_own_until_a_curator_publishes_it(
    client: Client, catalogue: Catalogue
) -> None:
    member = User.objects.create_user(username="new", email="new@example.org", password="x")
    client.force_login(member)
    response = client.post(
        reverse("directory:listing_new"),
        {"node": catalogue.glasgow.pk, "name": "Partick Pottery", "kind": "workshop", "city": "Glasgow",
         "country": "GB", "process_terms": [catalogue.laser.pk]},
    )  # fmt: skip
    listing = Listing.objects.get(name="Partick Pottery")
    assert response.status_code == 302
    assert listing.status == ListingStatus.DRAFT
    assert list(listing.owners.all()) == [member]
    assert "Partick Pottery" not in client.get(reverse("directory:search"), {"q": "pottery"}).content.decode()

    curator = User.objects.create_user(username="cur", email="curator@example.org", password="x")
    catalogue.glasgow.curators.add(curator)
    client.force_login(curator)
    assert (
        "Partick Pottery" in client.get(reverse("directory:node_curation", args=["glasgow"])).content.decode()
    )
    client.post(reverse("directory:listing_status", args=[listing.slug]), {"action": "publish"})

    assert "Partick Pottery" in client.get(reverse("directory:search"), {"q": "pottery"}).content.decode()
    assert list(audit_selectors.entries_for_object(listing).values_list("action", flat=True)) == [
        ChangeAction.PUBLISHED,
        ChangeAction.CREATED,
    ]


def test_a_new_listing_needs_a_node(client: Client, catalogue: Catalogue) -> None:
    client.force_login(User.objects.create_user(username="new", email="new@example.org", password="x"))

    response = client.post(reverse("directory:listing_new"), {"name": "Nowhere Works", "kind": "workshop"})

    assert response.status_code == 400
    assert not Listing.objects.filter(name="Nowhere Works").exists()


def test_a_listing_called_new_does_not_hide_the_add_a_listing_page(
    client: Client, catalogue: Catalogue
) -> None:
    listing = ListingFactory.create(name="New")

    assert listing.slug == "new-2"
    assert client.get(listing.get_absolute_url()).status_code == 200


def test_a_photo_from_a_phone_is_published_without_its_location_author_or_appended_zip(
    owner_client: Client, catalogue: Catalogue, settings: object
) -> None:
    upload = SimpleUploadedFile("at home.jpg", located_jpeg(trailing=zip_archive()), "image/jpeg")
    owner_client.post(
        reverse("directory:listing_photos", args=[catalogue.clyde.slug]),
        {"image": upload, "alt_text": "Floor"},
    )

    page = Client().get(reverse("directory:listing", args=[catalogue.clyde.slug]))
    api = Client().get(f"/api/v1/listings/{catalogue.clyde.slug}/").json()
    linked = media_files_linked(
        page.content, also=[p[k] for p in api["photos"] for k in ("image", "thumbnail")]
    )
    stored = ListingPhoto.objects.get(listing=catalogue.clyde)
    files = {stored.image.path, stored.thumbnail.path}

    assert {str(path) for path in linked} == files
    for path in files:
        assert_carries_nothing_but_pixels(Path(path).read_bytes())
    # Nothing else was written: no original kept beside the published copies.
    assert {str(path) for path in Path(stored.image.path).parent.iterdir()} == files


def test_bidi_controls_typed_into_a_listing_name_never_reach_the_page(
    owner_client: Client, catalogue: Catalogue
) -> None:
    edit(owner_client, catalogue, name="Clyde \u202eskroW doowylP\u202c \u2066Works\u2069\u200e")

    catalogue.clyde.refresh_from_db()
    assert catalogue.clyde.name == "Clyde skroW doowylP Works"
    page = Client().get(reverse("directory:listing", args=[catalogue.clyde.slug])).content.decode()
    assert "Clyde skroW doowylP Works" in page
    assert not {"\u202e", "\u202c", "\u2066", "\u2069", "\u200e"} & set(page)
