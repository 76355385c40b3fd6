"""Making, reading and digesting notifications; each change one audited commit."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.audit.models import Action
from portal.audit.services import record
from portal.database import utcnow
from portal.extensions import db
from portal.notifications.models import Kind, Notification, NotificationPreference
from portal.notifications.queries import visible
from portal.transactions import service

__all__ = ["Kind", "notify", "mark_read", "mark_all_read", "set_digest", "preference"]


def notify(user_id: int, kind: Kind, *, client_id: int | None = None,
           object_id: int | None = None, actor=None) -> None:
    """Add a notification inside the caller's transaction (the caller commits). Nobody is
    told about what she did herself."""
    if actor is not None and actor.id == user_id:
        return
    db.session.add(Notification(user_id=user_id, kind=kind.value, client_id=client_id,
                                object_id=object_id,
                                actor_name=actor.name if actor is not None else None))


@service
def mark_read(user, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
    record("notifications.read", Action.UPDATE, object_type="notification",
           object_id=notification.id, client_id=notification.client_id)
    db.session.commit()


@service
def mark_all_read(user) -> int:
    ids = db.session.scalars(select(Notification.id).where(
        visible(user), Notification.read_at.is_(None))).all()
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids))
                           .values(read_at=utcnow()))
    record("notifications.read_all", Action.UPDATE, object_type="notification",
           detail={"count": len(ids)})
    db.session.commit()
    return len(ids)


def preference(user) -> NotificationPreference:
    return (db.session.get(NotificationPreference, user.id)
            or NotificationPreference(user_id=user.id, daily_digest=False))


@service
def set_digest(user, on: bool) -> None:
    row = preference(user)
    row.daily_digest = on
    db.session.add(row)
    record("notifications.digest_set", Action.UPDATE, object_type="notification_preference",
           object_id=user.id, detail={"daily_digest": on})
    db.session.commit()
