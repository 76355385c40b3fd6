"""Full-text search over document text: SQLite FTS5 or PostgreSQL tsvector (Dutch).

Results come newest version first, and the match drives the search. First the newest
FIRST_MATCHES matching version ids come from the full-text index alone (FTS5 returns rowids in
that order; PostgreSQL walks the text table's primary key backwards for a common word, sorts a
rare word's few); then, by primary key, which of them are still their document's current
version and which of those documents the user may see. That fills the page for most users
and words. Only when it does not (a user who sees few documents) one statement looks among the
older matches, where the database may start from the user's documents instead.

Why not one join of everything: on PostgreSQL its planner charges the access rules' subquery
hashes once per document probed and guesses a rare word's matches in the hundreds, and then
scans every document or version instead (issue 17 has the plans and timings)."""

from __future__ import annotations

import json
import re

from sqlalchemy import (
    Integer,
    String,
    any_,
    bindparam,
    column,
    delete,
    exists,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from portal import access
from portal.clients.models import Client
from portal.documents.models import Document, DocumentText, DocumentVersion
from portal.extensions import db

MAX_RESULTS = 50
FIRST_MATCHES = 500  # newest matches checked one by one before searching among the rest
WORD = re.compile(r"\w+", re.UNICODE)
SQLITE_INDEX = table("document_fts", column("rowid", Integer), column("document_fts"))


def replace_text(old_version_id: int | None, version_id: int, content: str) -> None:
    """Index the current version's text (the previous version leaves the index)."""
    if old_version_id is not None:
        db.session.execute(delete(DocumentText).where(DocumentText.version_id == old_version_id))
    db.session.add(DocumentText(version_id=version_id, content=content))


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _one_of(key, ids: list[int]):
    """SQL: key is one of the ids, sent as one parameter, not one per id (500 parameters
    cost more to bind, send and parse than the lookups themselves): a PostgreSQL array, or
    on SQLite a JSON array read by json_each."""
    if _on_postgresql():
        return key == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    listed = func.json_each(bindparam(None, json.dumps(ids), type_=String)).table_valued("value")
    return key.in_(select(listed.c.value))


def _matching_versions(terms: list[str]):
    """SELECT of the indexed version ids (`version_id`) whose text holds every term."""
    if _on_postgresql():
        # plainto_tsquery: every word must occur, and no word is read as an operator.
        tsv = literal_column("document_texts.tsv")
        return select(DocumentText.version_id).where(
            tsv.op("@@")(func.plainto_tsquery("dutch", " ".join(terms))))
    query = " ".join(f'"{term}"*' for term in terms)  # each word as a quoted prefix: no syntax
    return select(SQLITE_INDEX.c.rowid.label("version_id")).where(
        SQLITE_INDEX.c.document_fts.op("MATCH")(query))


def _newest_matches(terms: list[str]) -> list[int]:
    """The newest FIRST_MATCHES matching version ids, newest first."""
    statement = _matching_versions(terms)
    version_id = statement.selected_columns.version_id
    return list(db.session.scalars(statement.order_by(version_id.desc()).limit(FIRST_MATCHES)))


def _current(version):
    """SQL: no newer version of the same document exists. Until a new version's text is
    extracted the index holds the previous version's, which must not match."""
    newer = aliased(DocumentVersion)
    return ~exists().where(newer.document_id == version.document_id, newer.id > version.id)


def _current_documents(version_ids: list[int]) -> list[int]:
    """The documents of those versions that are still current, in the order given."""
    rows = db.session.execute(select(DocumentVersion.id, DocumentVersion.document_id)
                              .where(_one_of(DocumentVersion.id, version_ids),
                                     _current(DocumentVersion)))
    document_of = {version_id: document_id for version_id, document_id in rows}
    return [document_of[v] for v in version_ids if v in document_of]


def _visible(user, document_ids: list[int]) -> list[int]:
    """Those documents the user may see, in the order given."""
    seen = set(db.session.scalars(select(Document.id).where(_one_of(Document.id, document_ids),
                                                            access.document_scope(user))))
    return [d for d in document_ids if d in seen]


def _older_visible_matches(user, terms: list[str], below: int, count: int) -> list[int]:
    """Up to `count` visible documents whose current version is older than `below` and
    matches, newest first."""
    matches = _matching_versions(terms).subquery()
    return list(db.session.scalars(
        select(Document.id).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(DocumentVersion.id < below, DocumentVersion.id.in_(select(matches.c.version_id)),
               _current(DocumentVersion), access.document_scope(user))
        .order_by(DocumentVersion.id.desc()).limit(count)))


def _visible_matches(user, terms: list[str]) -> list[int]:
    """The first MAX_RESULTS visible documents whose current version matches, newest first."""
    newest = _newest_matches(terms)
    found = _visible(user, _current_documents(newest)) if newest else []
    if len(found) >= MAX_RESULTS or len(newest) < FIRST_MATCHES:
        return found[:MAX_RESULTS]
    return found + _older_visible_matches(user, terms, newest[-1], MAX_RESULTS - len(found))


def _with_clients(document_ids: list[int]) -> list[tuple[Document, Client]]:
    """The documents with their clients, in the order given."""
    rows = db.session.execute(select(Document, Client)
                              .join(Client, Client.id == Document.client_id)
                              .where(_one_of(Document.id, document_ids)))
    found = {row.Document.id: (row.Document, row.Client) for row in rows}
    # On PostgreSQL each statement sees its own snapshot: one deleted meanwhile is left out.
    return [found[d] for d in document_ids if d in found]


def search(user, query: str) -> list[tuple[Document, Client]]:
    """Documents the user may see whose current text matches every word of the query, the
    most recently uploaded version first (the order of their 'gewijzigd' date)."""
    terms = WORD.findall(query.lower())[:8]
    if not terms:
        return []
    if _on_postgresql():
        # Plan for these words, not a generic plan: a rare word and a common one need others.
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    found = _visible_matches(user, terms)
    return _with_clients(found) if found else []
