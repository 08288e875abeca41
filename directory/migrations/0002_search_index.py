"""Full-text search structures, which differ per database: see directory/search/backends.py."""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # A stemmer without a stop-word list, so PostgreSQL and SQLite index the same words.
    "CREATE TEXT SEARCH DICTIONARY makeworks_stem (TEMPLATE = snowball, Language = english)",
    "CREATE TEXT SEARCH CONFIGURATION makeworks (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION makeworks ALTER MAPPING FOR "
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, makeworks_stem",
    "ALTER TABLE directory_searchentry ADD COLUMN vector tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX directory_searchentry_vector ON directory_searchentry USING gin (vector)",
    # The name alone, so the best-ranked matches (those in the name) are found without ranking every match.
    "ALTER TABLE directory_searchentry ADD COLUMN name_vector tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX directory_searchentry_name_vector ON directory_searchentry USING gin (name_vector)",
    # The name with the listing's terms: the second tier of relevance, what the listing makes or uses.
    "ALTER TABLE directory_searchentry ADD COLUMN title_vector tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX directory_searchentry_title_vector ON directory_searchentry USING gin (title_vector)",
    # The listing's term ids: filters test them through GIN, facets count them without a join.
    "ALTER TABLE directory_searchentry ADD COLUMN term_ids integer[] NOT NULL DEFAULT '{}'",
    "CREATE INDEX directory_searchentry_term_ids ON directory_searchentry USING gin (term_ids)",
    "CREATE INDEX directory_searchword_trgm ON directory_searchword USING gin (word gin_trgm_ops)",
    "CREATE INDEX directory_searchword_prefix ON directory_searchword (word text_pattern_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS directory_searchword_prefix",
    "DROP INDEX IF EXISTS directory_searchword_trgm",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS term_ids",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS name_vector",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS makeworks",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS makeworks_stem",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE directory_listing_fts USING fts5("
    "name, terms, body, description, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3')",
    "CREATE VIRTUAL TABLE directory_searchword_trgm USING fts5("
    "word, content = 'directory_searchword', content_rowid = 'id', tokenize = 'trigram')",
    # An entry is the truth of what is searchable: however it is deleted (a service, a cascade from its
    # listing, a flush), its full-text row goes with it.
    "CREATE TRIGGER directory_searchentry_ad AFTER DELETE ON directory_searchentry BEGIN "
    "DELETE FROM directory_listing_fts WHERE rowid = old.listing_id; END",
    # Triggers keep the trigram table in step with the vocabulary inside the database itself.
    "CREATE TRIGGER directory_searchword_ai AFTER INSERT ON directory_searchword BEGIN "
    "INSERT INTO directory_searchword_trgm (rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER directory_searchword_ad AFTER DELETE ON directory_searchword BEGIN "
    "INSERT INTO directory_searchword_trgm (directory_searchword_trgm, rowid, word) "
    "VALUES ('delete', old.id, old.word); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_searchword_ad",
    "DROP TRIGGER IF EXISTS directory_searchentry_ad",
    "DROP TRIGGER IF EXISTS directory_searchword_ai",
    "DROP TABLE IF EXISTS directory_searchword_trgm",
    "DROP TABLE IF EXISTS directory_listing_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
