"""The trash: a deleted document stays restorable for TRASH_DAYS, then the purge removes it."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import User
from portal.clock import local_today
from portal.database import utcnow
from portal.documents import storage
from portal.documents.models import Document
from portal.extensions import db
from portal.refusal import DomainError
from portal.transactions import service


@service
def move_to_trash(document: Document, actor: User, reason: str) -> None:
    if not reason.strip():
        raise DomainError("Geef een reden voor het verwijderen.", field="reason")
    document.deleted_at, document.deleted_by_id = utcnow(), actor.id
    document.delete_reason = reason.strip()
    document.purge_after = local_today() + timedelta(days=current_app.config["TRASH_DAYS"])
    record("documents.deleted", Action.DELETE, object_type="document", object_id=document.id,
           client_id=document.client_id, detail={"purge_after": document.purge_after.isoformat()})
    db.session.commit()


@service
def restore(document: Document) -> None:
    document.deleted_at = document.deleted_by_id = document.delete_reason = None
    document.purge_after = None
    record("documents.restored", Action.UPDATE, object_type="document", object_id=document.id,
           client_id=document.client_id)
    db.session.commit()


@service
def purge_due(today: date | None = None) -> int:
    """Remove trashed documents whose purge date has passed: rows first, then their files."""
    today = today or local_today()
    due = db.session.scalars(select(Document).where(Document.deleted_at.is_not(None),
                                                    Document.purge_after < today)).all()
    keys = [v.storage_key for d in due for v in d.versions]
    for document in due:
        record("documents.purged", Action.DELETE, object_type="document", object_id=document.id,
               client_id=document.client_id, user=None)
        db.session.delete(document)
    db.session.commit()
    for key in keys:  # a crash here leaves orphans, which check-storage reports
        storage.delete(key)
    return len(due)
