"""Writes to the directory, one module per concept. Listing, photo, node and term writes are used
everywhere and re-exported here; claims, contact and open data are imported from their modules."""

from directory.services.listings import (
    LISTING_FIELDS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    listing_create,
    listing_delete,
    listing_indexing_batched,
    listing_owner_add,
    listing_propose,
    listing_publish,
    listing_unpublish,
    listing_update,
    listing_verify,
    listings_bulk_create,
    node_create,
    node_curator_add,
    photo_add,
    photo_delete,
    photo_reencode,
    term_create,
    term_delete,
    term_save,
    unique_slug,
)
from directory.services.nodes import node_describe
from directory.services.places import place_record, place_record_city, place_save

__all__ = [
    "LISTING_FIELDS",
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "listing_create",
    "listing_delete",
    "listing_indexing_batched",
    "listing_owner_add",
    "listing_propose",
    "listing_publish",
    "listing_unpublish",
    "listing_update",
    "listing_verify",
    "listings_bulk_create",
    "node_create",
    "node_curator_add",

    "node_describe",
    "photo_add",
    "photo_delete",
    "photo_reencode",
    "place_record",
    "place_record_city",
    "place_save",
    "term_create",
    "term_delete",
    "term_save",
    "unique_slug",
]
