"""Writes to the catalogue. Each function runs in one transaction, keeps the search index in step (so a
listing is never findable in a state the database does not hold) and writes the listing's history:
who (`actor`, None for the system itself) changed which fields, from what, to what."""

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_log
from directory import search
from directory.models import (
    ChangeAction,
    Listing,
    ListingPhoto,
    ListingStatus,
    Node,
    Term,
)
from directory.services.places import place_listing, place_record, place_record_city
from makeworks.lib.actors import Actor
from makeworks.lib.images import PHOTO, image_intake, image_thumbnail, stored_image_reencoded
from makeworks.lib.text import fold

# A change to any of these places the listing again (or refuses its town).
PLACING_FIELDS = frozenset({"city", "country", "latitude", "longitude"})
MAX_PHOTO_BYTES = PHOTO.max_bytes
MAX_PHOTO_PIXELS = PHOTO.max_pixels
THUMBNAIL_SIZE = (480, 360)

# Fields a caller may set on a listing; anything else is a programming error, not user input.
LISTING_FIELDS = {
    "kind", "name", "summary", "description", "node", "address", "city", "postcode", "country",
    "latitude", "longitude", "website", "contact_email", "contact_phone", "social_links",
    "year_founded", "team_size", "minimum_order", "lead_time", "batch_sizes", "works_with",
    "production_access", "languages", "certifications", "circularity", "video_url", "status", "verified",
    "external_id",
}  # fmt: skip


# Slugs that name pages of their own under /listings/, so no listing may take them.
RESERVED_SLUGS = frozenset({"new"})


def unique_slug(*, model: type[Listing] | type[Node], text: str, exclude_pk: int | None = None) -> str:
    base = slugify(fold(text))[:200] or "listing"
    slug, n = base, 1
    existing = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while slug in RESERVED_SLUGS or existing.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - LISTING_FIELDS
    if unknown:
        raise TypeError(f"Unknown listing fields: {', '.join(sorted(unknown))}")


def _plain(value: Any) -> Any:
    """A field value as history stores it: JSON values as they are, anything else as its text."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, Model):
        return str(value)
    return str(value)


@transaction.atomic
def listing_create(
    *,
    name: str,
    kind: str,
    terms: Iterable[Term] = (),
    slug: str = "",
    owners: Iterable[User] = (),
    actor: Actor = None,
    action: str = ChangeAction.CREATED,
    **fields: Any,
) -> Listing:
    _check_fields(fields)
    listing = Listing(name=name, kind=kind, slug=slug or unique_slug(model=Listing, text=name), **fields)
    place_listing(listing=listing)
    listing.full_clean()
    listing.save()
    term_list = list(terms)
    listing.terms.set(term_list)
    listing.owners.set(list(owners))
    place_record_city(listing=listing)
    search.index_listings([listing.pk])
    audit_log(
        actor=actor,
        action=action,
        obj=listing,
        label=listing.name,
        data={"changes": {"terms": sorted(t.slug for t in term_list)}},
    )
    return listing


@transaction.atomic
def listing_update(
    *,
    listing: Listing,
    terms: Iterable[Term] | None = None,
    actor: Actor = None,
    action: str = ChangeAction.UPDATED,
    **fields: Any,
) -> Listing:
    """Change some fields (and, when given, the terms). The history line lists only what really changed;
    a save that changes nothing writes no line."""
    _check_fields(fields)
    before = {field: _plain(getattr(listing, field)) for field in fields}
    for field, value in fields.items():
        setattr(listing, field, value)
    if PLACING_FIELDS & set(fields):
        place_listing(listing=listing)
    listing.full_clean()
    listing.save()
    changes: dict[str, Any] = {
        field: [before[field], _plain(getattr(listing, field))]
        for field in fields
        if before[field] != _plain(getattr(listing, field))
    }
    if terms is not None:
        old_slugs = set(listing.terms.values_list("slug", flat=True))
        term_list = list(terms)
        listing.terms.set(term_list)
        new_slugs = {t.slug for t in term_list}
        if old_slugs != new_slugs:
            changes["terms"] = {
                "added": sorted(new_slugs - old_slugs),
                "removed": sorted(old_slugs - new_slugs),
            }
    place_record_city(listing=listing)
    search.index_listings([listing.pk])
    if changes:
        audit_log(actor=actor, action=action, obj=listing, label=listing.name, data={"changes": changes})
    return listing


@transaction.atomic
def listing_propose(
    *, member: User, name: str, kind: str, terms: Iterable[Term] = (), **fields: Any
) -> Listing:
    """A listing a member adds: a draft they own, until a curator of its node publishes it."""
    fields["status"] = ListingStatus.DRAFT
    return listing_create(name=name, kind=kind, terms=terms, owners=[member], actor=member, **fields)


@transaction.atomic
def listing_publish(*, listing: Listing, actor: Actor = None) -> Listing:
    return listing_update(
        listing=listing, status=ListingStatus.PUBLISHED, actor=actor, action=ChangeAction.PUBLISHED
    )


@transaction.atomic
def listing_unpublish(*, listing: Listing, actor: Actor = None) -> Listing:
    return listing_update(
        listing=listing, status=ListingStatus.DRAFT, actor=actor, action=ChangeAction.UNPUBLISHED
    )


@transaction.atomic
def listing_verify(*, listing: Listing, verified: bool, actor: Actor = None) -> Listing:
    action = ChangeAction.VERIFIED if verified else ChangeAction.UNVERIFIED
    return listing_update(listing=listing, verified=verified, actor=actor, action=action)


@transaction.atomic
def listing_owner_add(*, listing: Listing, user: User, actor: Actor = None) -> None:
    listing.owners.add(user)
    audit_log(
        actor=actor,
        action=ChangeAction.OWNER_ADDED,
        obj=listing,
        label=listing.name,
        data={"changes": {"owner": [None, str(user)]}},
    )


@transaction.atomic
def listing_delete(*, listing: Listing, actor: Actor = None) -> None:
    listing_id = listing.pk
    for photo in listing.photos.all():
        photo_delete(photo=photo)
    audit_log(actor=actor, action=ChangeAction.DELETED, obj=listing, label=listing.name)
    listing.delete()
    search.unindex_listings([listing_id])


@transaction.atomic
def listings_bulk_create(*, listings: Sequence[Listing], terms: Sequence[Sequence[int]]) -> int:
    """Insert many prepared listings at once (seeding and benchmarks), then index them in one pass.

    `terms[i]` holds the term ids of `listings[i]`. Validation is the caller's job: this is for data the
    program made itself, never for user input.
    """
    created = Listing.objects.bulk_create(listings, batch_size=2000)
    through = Listing.terms.through
    links = [
        through(listing_id=listing.pk, term_id=term_id)
        for listing, term_ids in zip(created, terms, strict=True)
        for term_id in term_ids
    ]
    through.objects.bulk_create(links, batch_size=5000)
    search.index_listings([listing.pk for listing in created])
    return len(created)


@transaction.atomic
def photo_add(
    *,
    listing: Listing,
    upload: UploadedFile,
    alt_text: str = "",
    position: int | None = None,
    actor: Actor = None,
) -> ListingPhoto:
    """Store a photo as makeworks.lib.images re-encodes it (the upload itself, with its EXIF location and
    author, is never kept), with its thumbnail; it goes last unless a position is given."""
    clean = image_intake(upload, what=_("The photo"))
    thumb = image_thumbnail(clean, size=THUMBNAIL_SIZE)
    position = listing.photos.count() if position is None else position
    photo = ListingPhoto(listing=listing, alt_text=alt_text or listing.name, position=position)
    photo.image.save(clean.name, clean.as_file(), save=False)
    photo.thumbnail.save(thumb.name, thumb.as_file(), save=False)
    photo.save()
    if actor is not None:
        audit_log(
            actor=actor,
            action=ChangeAction.PHOTO_ADDED,
            obj=listing,
            label=listing.name,
            data={"changes": {"photo": [None, photo.image.name]}},
        )
    return photo


@transaction.atomic
def photo_reencode(*, photo: ListingPhoto) -> bool:
    """Replace a photo stored as it was uploaded (before every upload was re-encoded, so with its EXIF)
    by its re-encoded copy and a new thumbnail. False when it already is one."""
    clean = stored_image_reencoded(photo.image, what=_("The photo"))
    if clean is None:
        return False
    thumb = image_thumbnail(clean, size=THUMBNAIL_SIZE)
    old = [(file.storage, str(file.name)) for file in (photo.image, photo.thumbnail) if file]
    photo.image.save(clean.name, clean.as_file(), save=False)
    photo.thumbnail.save(thumb.name, thumb.as_file(), save=False)
    photo.save(update_fields=["image", "thumbnail", "width", "height"])

    # The originals go once the new names are committed, so a rollback never leaves a row without a file.
    def delete_originals() -> None:
        for storage, name in old:
            storage.delete(name)

    transaction.on_commit(delete_originals)
    return True


@transaction.atomic
def photo_delete(*, photo: ListingPhoto, actor: Actor = None) -> None:
    # Files are removed only once the row is gone for good, so a rollback never leaves a row without its file.
    image, thumbnail = photo.image, photo.thumbnail
    if actor is not None:
        audit_log(
            actor=actor,
            action=ChangeAction.PHOTO_REMOVED,
            obj=photo.listing,
            label=photo.listing.name,
            data={"changes": {"photo": [image.name, None]}},
        )
    photo.delete()
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))


@transaction.atomic
def node_create(
    *, name: str, country: str, latitude: float, longitude: float, slug: str = "", **fields: Any
) -> Node:
    node = Node(
        name=name,
        slug=slug or unique_slug(model=Node, text=name),
        country=country,
        latitude=latitude,
        longitude=longitude,
        **fields,
    )
    node.full_clean()
    node.save()
    place_record(name=name, country=country, latitude=latitude, longitude=longitude)
    return node


@transaction.atomic
def node_curator_add(*, node: Node, user: User) -> None:
    """Make `user` a curator of `node` (as the admin does): they then publish, verify and decide claims
    for its listings (directory.permissions)."""
    node.curators.add(user)


@transaction.atomic
def term_create(
    *, vocabulary: str, name: str, slug: str = "", parent: Term | None = None, **fields: Any
) -> Term:
    term = Term(vocabulary=vocabulary, name=name, slug=slug or slugify(fold(name)), parent=parent, **fields)
    term.full_clean()
    term.save()
    return term


def _listings_carrying(term: Term) -> list[int]:
    """Listings whose index holds this term's names: tagged with it or with any narrower term."""
    (branch,) = Term.objects.branches([term.pk])
    through = Listing.terms.through.objects.filter(term_id__in=branch)
    return list(through.values_list("listing_id", flat=True).distinct())


@transaction.atomic
def term_save(*, term: Term) -> Term:
    """Save a new or edited term. Listings are found by their terms' names, and a term's place in the
    hierarchy decides which searches it answers, so the listings carrying its branch are re-indexed."""
    term.full_clean()
    term.save()
    search.index_listings(_listings_carrying(term))
    return term


@transaction.atomic
def term_delete(*, term: Term) -> None:
    listing_ids = _listings_carrying(term)
    term.delete()
    search.index_listings(listing_ids)


def listing_indexing_batched() -> AbstractContextManager[None]:
    """Around a run of many listing writes in one transaction (an import): every listing the block creates
    or changes is indexed for search once, together, when it ends, rather than one by one."""
    return search.indexing_batched()
