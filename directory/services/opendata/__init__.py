"""Open data in and out: the published catalogue as CSV or JSON, and listings imported from CSV.

Export: one row per published listing, read a chunk at a time so 100,000 listings never sit in memory,
never with the private contact e-mail or phone. The data is published under CC BY 4.0.

CSV layout (the same columns in and out; `updated_at` is written on export and ignored on import):

- list fields (social links, batch sizes, languages, ...) and the four term columns (materials,
  processes, sectors, services, as term slugs) hold their items joined by "|"; an item that itself
  contains "|" or "\\" has it escaped with a backslash ("\\|", "\\\\"). Items are trimmed on import.
- `verified` is "true" or "false"; numbers are written as plain numbers; `node` is the node's slug.
- A text cell a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
  return) gets a leading single quote, and so does a text cell that already starts with a quote, so
  that import can take exactly one quote off such cells and a round trip gives back the same text.

Import (into one node): every row is checked before anything is written, and either every row is
written in one transaction or none is (unless invalid rows are to be skipped). A row updates the
listing with the same `external_id` when it has one, else the listing with the same `slug`; a row with
neither always adds a listing. Columns missing from the file leave those fields of an updated listing as
they are. Imported listings are published unless their `status` cell says "draft".
"""

from directory.services.opendata.export import listings_csv_chunks, listings_export_rows, listings_json_chunks
from directory.services.opendata.formats import (
    EXPORT_COLUMNS,
    LICENCE_NAME,
    LICENCE_TITLE,
    LICENCE_URL,
    licence_notice,
    list_join,
    list_split,
)
from directory.services.opendata.importing import ImportProblem, ImportReport, listings_import

__all__ = [
    "EXPORT_COLUMNS",
    "LICENCE_NAME",
    "LICENCE_TITLE",
    "LICENCE_URL",
    "ImportProblem",
    "ImportReport",
    "licence_notice",
    "list_join",
    "list_split",
    "listings_csv_chunks",
    "listings_export_rows",
    "listings_import",
    "listings_json_chunks",
]
