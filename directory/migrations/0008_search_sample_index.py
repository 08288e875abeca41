"""Two narrower full-text indexes, so that the cost of a word common to most listings stops growing with
the catalogue (see directory/search/backends.py):
- the sample alone (SAMPLE_INDEX_BUCKETS), for counting the facets of a large result on a sample;
- on SQLite, the names alone, for the first tier of relevance. PostgreSQL has had its name_vector since
  0002; FTS5 answered "in the name" from the whole index, reading the word's positions in every listing."""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE INDEX directory_searchentry_vector_sample ON directory_searchentry USING gin (vector) "
    "WHERE sample < 16",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS directory_searchentry_vector_sample"]
FTS5_OPTIONS = "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3'"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE directory_listing_fts_name USING fts5(name, {FTS5_OPTIONS})",
    "INSERT INTO directory_listing_fts_name (rowid, name) SELECT rowid, name FROM directory_listing_fts",
    "CREATE VIRTUAL TABLE directory_listing_fts_sample USING fts5("
    f"name, terms, body, description, {FTS5_OPTIONS})",
    "INSERT INTO directory_listing_fts_sample (rowid, name, terms, body, description) "
    "SELECT rowid, name, terms, body, description FROM directory_listing_fts WHERE rowid % 256 < 16",
    # However an entry is deleted, its rows in every full-text table go with it (as since 0002).
    "DROP TRIGGER directory_searchentry_ad",
    "CREATE TRIGGER directory_searchentry_ad AFTER DELETE ON directory_searchentry BEGIN "
    "DELETE FROM directory_listing_fts WHERE rowid = old.listing_id; "
    "DELETE FROM directory_listing_fts_name WHERE rowid = old.listing_id; "
    "DELETE FROM directory_listing_fts_sample WHERE rowid = old.listing_id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER directory_searchentry_ad",
    "CREATE TRIGGER directory_searchentry_ad AFTER DELETE ON directory_searchentry BEGIN "
    "DELETE FROM directory_listing_fts WHERE rowid = old.listing_id; END",
    "DROP TABLE IF EXISTS directory_listing_fts_sample",
    "DROP TABLE IF EXISTS directory_listing_fts_name",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters, so the "%" of a modulo reaches the database as written.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_delete_listingchange")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
