"""A template file between the two upload steps, kept server-side and encrypted.

The first step stores the uploaded .docx in the file store (AES-GCM, like every file) under a
random token bound to the login session; the confirming step sends only the token back, so a
template up to the upload limit works (a base64 copy in a hidden field was capped by the
form-memory limit at about 370 kB). A token of another session, or older than TTL, is not
found; staged files are removed once stored as a template version, or when they expire.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import select

from portal.database import utcnow
from portal.documents import storage
from portal.documents.services import files_kept_only_on_commit
from portal.extensions import db
from portal.letters.models import TemplateUpload
from portal.refusal import DomainError
from portal.transactions import service

TTL = timedelta(hours=2)
NO_FILE = "Kies een .docx-bestand."


def _session_hash() -> str:
    sid = session.get("sid")
    if not sid:
        raise DomainError(NO_FILE, field="file")
    return hashlib.sha256(str(sid).encode()).hexdigest()


@service
def stage(data: bytes) -> str:
    """Keep the file for the confirming step; answers the token for the form."""
    purge_expired()
    stored = storage.store(io.BytesIO(data))
    row = TemplateUpload(token=secrets.token_urlsafe(32), session_hash=_session_hash(),
                         storage_key=stored.key, sha256=stored.sha256, size=stored.size)
    with files_kept_only_on_commit([stored.key]):
        db.session.add(row)
    return row.token


def _row(token: str | None) -> TemplateUpload | None:
    if not token:
        return None
    return db.session.scalar(select(TemplateUpload).where(
        TemplateUpload.token == token, TemplateUpload.session_hash == _session_hash(),
        TemplateUpload.created_at > utcnow() - TTL))


def staged(token: str | None) -> bytes:
    """The file this session staged under the token; refused when there is none."""
    row = _row(token)
    if row is None:
        raise DomainError(NO_FILE, field="file")
    return b"".join(storage.stream(row.storage_key, row.sha256))


def discard(token: str | None) -> None:
    """Remove the staged file once its template version is stored (own commit)."""
    row = _row(token)
    if row is not None:
        key = row.storage_key
        db.session.delete(row)
        db.session.commit()
        storage.delete(key)


def purge_expired() -> int:
    """Staged files nobody confirmed within TTL (the page was left): removed."""
    rows = db.session.scalars(select(TemplateUpload).where(
        TemplateUpload.created_at <= utcnow() - TTL)).all()
    keys = [row.storage_key for row in rows]
    for row in rows:
        db.session.delete(row)
    db.session.commit()
    for key in keys:
        storage.delete(key)
    return len(keys)
