"""The migrations build exactly the schema the models describe (indexes included), so an
index added for speed in a model cannot be missing from a real database, or the reverse."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db

# The full-text index is made by hand in its migration: FTS5 tables on SQLite, the computed
# tsvector column with its GIN index on PostgreSQL. The models do not describe it.
FULL_TEXT = ("document_fts", "ix_document_texts_tsv", "tsv")


def _full_text(difference) -> bool:
    names = [getattr(part, "name", None) for part in difference
             if hasattr(part, "name")]
    return any(name and name.startswith(FULL_TEXT) for name in names)


def test_the_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert [d for d in differences if not _full_text(d)] == []
