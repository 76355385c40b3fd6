"""Uploading, versioning, releasing, deleting and purging documents; one audited commit each."""

from __future__ import annotations

import io
import logging
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from portal import jobs
from portal.audit.models import Action, Outcome
from portal.audit.services import record, record_and_commit
from portal.auth.models import User
from portal.clients.models import Client
from portal.clock import AMSTERDAM, local_today
from portal.database import utcnow
from portal.documents import search, storage, tasks, text, validation
from portal.documents.models import Document, DocumentKind, DocumentVersion
from portal.extensions import db
from portal.refusal import DomainError
from portal.transactions import service

log = logging.getLogger(__name__)
SCAN_KINDS = {DocumentKind.REGISTRATIEDOCUMENT}
MAX_NAME = 120
BIDI_AND_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def allowed_formats(kind: DocumentKind) -> set[str]:
    formats = {validation.PDF, validation.DOCX}
    return formats | {validation.JPEG, validation.PNG} if kind in SCAN_KINDS else formats


def display_name(raw: str | None, extension: str) -> str:
    """A safe display name: NFC, no path, no control/bidi characters, capped, right extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf")
                   and c not in BIDI_AND_INVISIBLE)
    name = " ".join(name.split()).strip(". ")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:MAX_NAME - len(extension)].strip() or "document"
    return stem + extension


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str | None


def _store_version(document: Document, actor: User, upload: Upload) -> tuple[DocumentVersion,
                                                                            validation.Accepted]:
    accepted = validation.check(upload.stream, allowed_formats(DocumentKind(document.kind)))
    stored = storage.store(upload.stream)
    version = DocumentVersion(number=len(document.versions) + 1,
                              filename=display_name(upload.filename, accepted.extension),
                              mime_type=accepted.mime_type, size=stored.size,
                              sha256=stored.sha256, storage_key=stored.key,
                              uploaded_by_id=actor.id)
    document.versions.append(version)
    return version, accepted


@contextmanager
def files_kept_only_on_commit(keys: list[str]):
    """Run the block and commit; on any failure roll back and remove the new files."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in keys:
            storage.delete(key)
        raise


@service
def upload(client: Client, actor: User, *, kind: DocumentKind, title: str,
           document_date: date | None, note: str | None, file: Upload,
           confidential: bool = False) -> Document:
    document = Document(client_id=client.id, kind=kind.value, title=title.strip(),
                        document_date=document_date, note=(note or "").strip() or None,
                        confidential=confidential, author_id=actor.id, changed_at=utcnow())
    db.session.add(document)
    try:
        version, accepted = _store_version(document, actor, file)
    except validation.Refused as refusal:
        db.session.rollback()
        _record_refusal(client, kind, refusal)
        raise
    with files_kept_only_on_commit([version.storage_key]):
        document.retention_until = retention_date(document, client)
        db.session.flush()
        record("documents.uploaded", Action.CREATE, object_type="document",
               object_id=document.id, client_id=client.id,
               detail={"kind": kind.value, "version": 1, "size": version.size,
                       "format": accepted.format})
        queue_indexing(version.id, None)
    return document


@service
def add_version(document: Document, client: Client, actor: User, file: Upload) -> DocumentVersion:
    previous = document.current.id
    try:
        version, accepted = _store_version(document, actor, file)
    except validation.Refused as refusal:
        db.session.rollback()
        _record_refusal(client, DocumentKind(document.kind), refusal)
        raise
    with files_kept_only_on_commit([version.storage_key]):
        document.changed_at = utcnow()
        document.retention_until = retention_date(document, client)
        withdrawn = document.is_diagnostic and document.released_at is not None
        if withdrawn:  # a revised report is released again by its author, not automatically
            document.released_at = document.released_by_id = document.released_version = None
        db.session.flush()
        record("documents.version_added", Action.UPDATE, object_type="document",
               object_id=document.id, client_id=client.id,
               detail={"version": version.number, "release_withdrawn": withdrawn})
        queue_indexing(version.id, previous)
    return version


def _record_refusal(client: Client, kind: DocumentKind, refusal: validation.Refused) -> None:
    record_and_commit("documents.upload_refused", Action.CREATE, outcome=Outcome.FAILURE,
                      object_type="document", client_id=client.id,
                      detail={"kind": kind.value, "reason": refusal.reason})


def queue_indexing(version_id: int, previous_id: int | None) -> None:
    """Once the upload commits, text extraction runs on the job queue, not in the request."""
    jobs.after_commit(tasks.index_document_version, version_id, previous_id)


def retention_date(document: Document, client: Client) -> date | None:
    """Diagnostics: 20 years after the last change (WGBO); others: 15 years after closing."""
    cfg = current_app.config
    if document.kind == DocumentKind.DIAGNOSTIEKRAPPORT:
        changed = (document.changed_at or utcnow()).astimezone(AMSTERDAM).date()
        return _years_after(changed, cfg["RETENTION_DIAGNOSTICS_YEARS"])
    if client.closed_at is None:
        return None
    return _years_after(client.closed_at, cfg["RETENTION_DOSSIER_YEARS"])


def _years_after(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def update_retention_for(client: Client) -> None:
    """Called inside the transaction that closes or reopens a dossier."""
    for document in db.session.scalars(select(Document).where(Document.client_id == client.id)):
        document.retention_until = retention_date(document, client)


@service
def release(document: Document, actor: User) -> None:
    if document.released_at is not None:
        raise DomainError("Dit rapport is al vrijgegeven.")
    document.released_at, document.released_by_id = utcnow(), actor.id
    document.released_version = document.current.number
    record("documents.released", Action.UPDATE, object_type="document", object_id=document.id,
           client_id=document.client_id)
    db.session.commit()


def record_download(version: DocumentVersion, client_id: int, outcome: Outcome,
                    problem: str | None = None) -> None:
    record_and_commit("documents.downloaded", Action.READ, outcome=outcome,
                      object_type="document_version", object_id=version.id,
                      client_id=client_id, detail={"problem": problem} if problem else {})


@service
def add_generated(client: Client, actor: User, *, kind: DocumentKind, title: str,
                  content: bytes, filename: str, keys: list[str]) -> Document:
    """A document the portal made itself (a letter): confidential by default, indexed at once.

    Runs inside the caller's transaction; the new file's key is appended to `keys` so the
    caller's `files_kept_only_on_commit` removes it if the transaction fails."""
    document = Document(client_id=client.id, kind=kind.value, title=title, confidential=True,
                        author_id=actor.id, document_date=local_today(), changed_at=utcnow())
    db.session.add(document)
    stream = io.BytesIO(content)
    version, accepted = _store_version(document, actor, Upload(stream, filename))
    keys.append(version.storage_key)
    document.retention_until = retention_date(document, client)
    db.session.flush()
    search.replace_text(None, version.id, text.extract_text(stream, accepted.format))
    version.text_status = "geïndexeerd"
    record("documents.generated", Action.CREATE, object_type="document", object_id=document.id,
           client_id=client.id, detail={"kind": kind.value})
    return document
