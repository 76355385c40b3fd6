"""Notifications raised by changes in other features, inside the transaction that makes them:
a diagnostics report released (to the assigned casemanagers) and a delivery of her mailing
that failed for good (to the person who sent it, once while unread)."""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from portal.clients.models import client_casemanagers
from portal.documents.models import Document, DocumentKind
from portal.letters.models import Letter, Mailing, OutboxMessage, OutboxStatus
from portal.notifications.models import Kind, Notification


def install() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def _changed(obj, name: str) -> bool:
    return inspect(obj).attrs[name].history.has_changes()


def _before_flush(session, flush_context, instances) -> None:
    for obj in list(session.dirty):
        if isinstance(obj, Document) and _released(obj):
            with session.no_autoflush:
                _report_released(session, obj)
        elif isinstance(obj, OutboxMessage) and _failed(obj):
            with session.no_autoflush:
                _mailing_failed(session, obj)


def _released(document: Document) -> bool:
    return (document.kind == DocumentKind.DIAGNOSTIEKRAPPORT.value
            and document.released_at is not None and _changed(document, "released_version"))


def _failed(message: OutboxMessage) -> bool:
    return message.status == OutboxStatus.MISLUKT.value and _changed(message, "status")


def _report_released(session, document: Document) -> None:
    readers = session.scalars(select(client_casemanagers.c.user_id).where(
        client_casemanagers.c.client_id == document.client_id)).all()
    for user_id in readers:
        if user_id != document.author_id:
            session.add(Notification(user_id=user_id, kind=Kind.REPORT_RELEASED.value,
                                     client_id=document.client_id, object_id=document.id))


def _mailing_failed(session, message: OutboxMessage) -> None:
    row = session.execute(select(Mailing.id, Mailing.created_by_id)
                          .join(Letter, Letter.mailing_id == Mailing.id)
                          .where(Letter.id == message.letter_id)).first()
    if row is None:
        return
    pending = any(isinstance(n, Notification) and n.kind == Kind.MAILING_FAILED.value
                  and n.object_id == row.id for n in session.new)
    told = session.scalar(select(Notification.id).where(
        Notification.user_id == row.created_by_id, Notification.object_id == row.id,
        Notification.kind == Kind.MAILING_FAILED.value, Notification.read_at.is_(None)))
    if not pending and told is None:
        session.add(Notification(user_id=row.created_by_id, kind=Kind.MAILING_FAILED.value,
                                 object_id=row.id))
