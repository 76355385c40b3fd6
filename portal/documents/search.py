"""Full-text search over document text: SQLite FTS5 or PostgreSQL tsvector (Dutch)."""

from __future__ import annotations

import re

from sqlalchemy import and_, delete, select, text

from portal import access
from portal.clients.models import Client
from portal.documents.models import Document, DocumentText, DocumentVersion
from portal.extensions import db

MAX_RESULTS = 50
WORD = re.compile(r"\w+", re.UNICODE)


def replace_text(old_version_id: int | None, version_id: int, content: str) -> None:
    """Index the current version's text (the previous version leaves the index)."""
    if old_version_id is not None:
        db.session.execute(delete(DocumentText).where(DocumentText.version_id == old_version_id))
    db.session.add(DocumentText(version_id=version_id, content=content))


def _matching_versions(terms: list[str]):
    if db.session.get_bind().dialect.name == "postgresql":
        # plainto_tsquery: every word must occur, and no word is read as an operator.
        return text("SELECT version_id FROM document_texts "
                    "WHERE tsv @@ plainto_tsquery('dutch', :q)").bindparams(
            q=" ".join(terms)).columns(version_id=db.Integer)
    query = " ".join(f'"{term}"*' for term in terms)  # each word as a quoted prefix: no syntax
    return text("SELECT rowid AS version_id FROM document_fts WHERE document_fts MATCH :q"
                ).bindparams(q=query).columns(version_id=db.Integer)


def search(user, query: str) -> list[tuple[Document, Client]]:
    """Documents the user may see whose current text matches every word of the query."""
    terms = WORD.findall(query.lower())[:8]
    if not terms:
        return []
    matches = _matching_versions(terms).subquery()
    latest = (select(DocumentVersion.document_id, db.func.max(DocumentVersion.id).label("id"))
              .group_by(DocumentVersion.document_id).subquery())
    statement = (select(Document, Client)
                 .join(Client, Client.id == Document.client_id)
                 .join(latest, and_(latest.c.document_id == Document.id))
                 .where(latest.c.id.in_(select(matches.c.version_id)),
                        access.document_scope(user))
                 .order_by(Document.changed_at.desc()).limit(MAX_RESULTS))
    return [(row.Document, row.Client) for row in db.session.execute(statement)]
