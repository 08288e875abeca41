"""Export: the published catalogue as CSV or JSON, a chunk of listings at a time."""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone

from directory.models import (
    Listing,
    Node,
)
from directory.services.opendata.formats import (
    EXPORT_CHUNK_SIZE,
    EXPORT_COLUMNS,
    EXPORTED_FIELDS,
    LICENCE_NAME,
    LICENCE_TITLE,
    LICENCE_URL,
    TERM_COLUMNS,
    licence_notice,
    list_join,
)
from makeworks.lib.spreadsheet import cell_neutralise


def _listing_row(values: dict[str, Any], terms: dict[str, list[str]]) -> dict[str, Any]:
    row = {column: values[column] for column in EXPORT_COLUMNS if column in values}
    row["node"] = values["node__slug"] or ""
    row["updated_at"] = values["updated_at"].isoformat()
    for column, vocabulary in TERM_COLUMNS.items():
        row[column] = terms.get(vocabulary, [])
    return row


def _listing_row_chunks(*, node: Node | None, chunk_size: int) -> Iterator[list[dict[str, Any]]]:
    """Published listings as export rows, one list per query; each query starts after the last id seen,
    so no query result ever holds more than `chunk_size` listings."""
    listings = Listing.objects.published().order_by("pk")
    if node is not None:
        listings = listings.filter(node=node)
    after_pk = 0
    while True:
        chunk = list(listings.filter(pk__gt=after_pk).values(*EXPORTED_FIELDS)[:chunk_size])
        if not chunk:
            return
        ids = [values["pk"] for values in chunk]
        terms: dict[int, dict[str, list[str]]] = {}
        links = Listing.terms.through.objects.filter(listing_id__in=ids).order_by("term__slug")
        for listing_id, vocabulary, slug in links.values_list("listing_id", "term__vocabulary", "term__slug"):
            terms.setdefault(listing_id, {}).setdefault(vocabulary, []).append(slug)
        yield [_listing_row(values, terms.get(values["pk"], {})) for values in chunk]
        if len(chunk) < chunk_size:
            return
        after_pk = ids[-1]


def listings_export_rows(
    *, node: Node | None = None, chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[dict[str, Any]]:
    """Each published listing (of `node`, or of the whole catalogue) as a dict of export columns."""
    for chunk in _listing_row_chunks(node=node, chunk_size=chunk_size):
        yield from chunk


def _csv_cell(value: Any) -> Any:
    # Text first: it is what most cells hold.
    if isinstance(value, str):
        return cell_neutralise(value)
    if isinstance(value, list):
        return cell_neutralise(list_join(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return cell_neutralise(str(value))


def listings_csv_chunks(*, node: Node | None = None, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[str]:
    """The CSV export as pieces of text: the header first, then one piece per chunk of listings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield buffer.getvalue()
    for chunk in _listing_row_chunks(node=node, chunk_size=chunk_size):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cell(row[column]) for column in EXPORT_COLUMNS] for row in chunk)
        yield buffer.getvalue()


def listings_json_chunks(
    *, node: Node | None = None, source_url: str = "", chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[str]:
    """The JSON export as pieces of text: an object whose `license` field states the licence and whose
    `listings` array holds one object per listing, as the CSV columns with lists as arrays."""
    heading = {
        "license": {
            "name": LICENCE_NAME,
            "title": LICENCE_TITLE,
            "url": LICENCE_URL,
            "notice": licence_notice(),
        },
        "publisher": settings.SITE_NAME,
        "source": source_url or settings.SITE_URL,
        "node": node.slug if node is not None else None,
        "generated_at": timezone.now().isoformat(),
    }
    members = [
        f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in heading.items()
    ]
    yield "{\n" + ",\n".join(members) + ',\n "listings": ['
    separator = "\n"
    for chunk in _listing_row_chunks(node=node, chunk_size=chunk_size):
        pieces = []
        for row in chunk:
            pieces.append(separator + json.dumps(row, ensure_ascii=False))
            separator = ",\n"
        yield "".join(pieces)
    yield "\n ]\n}\n"
