"""The optional daily e-mail: how many new notifications of each kind, and a link.
Never a client's name or number: the mail leaves the portal."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from portal import jobs
from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.letters import tasks as letter_tasks
from portal.letters.models import OutboxMessage
from portal.letters.outbox import new_message_id
from portal.notifications.models import Kind, Notification, NotificationPreference
from portal.notifications.present import KIND_LABELS
from portal.notifications.queries import visible

SUBJECT = "Stapportaal: nieuwe meldingen"


def body(counts: dict[Kind, int]) -> str:
    link = current_app.config["PORTAL_BASE_URL"].rstrip("/") + "/meldingen/"
    lines = ["Goedemorgen,", "", "Sinds de vorige samenvatting zijn er nieuwe meldingen "
             "voor u in Stapportaal:", ""]
    lines += [f"- {count} {KIND_LABELS[kind]}" for kind, count in counts.items() if count]
    lines += ["", f"Bekijk ze na het inloggen: {link}", "",
              "U krijgt deze samenvatting omdat u die zelf heeft aangezet; uitzetten kan op "
              "de pagina Meldingen."]
    return "\n".join(lines)


def _counts(user, since) -> dict[Kind, int]:
    query = (select(Notification.kind, func.count(Notification.id))
             .where(visible(user), Notification.read_at.is_(None))
             .group_by(Notification.kind))
    if since is not None:
        query = query.where(Notification.created_at > since)
    return {Kind(kind): count for kind, count in db.session.execute(query)}


def send_digests() -> int:
    """Queue one digest for each user who asked for it and has something new."""
    rows = db.session.execute(
        select(NotificationPreference, User).join(User, User.id == NotificationPreference.user_id)
        .where(NotificationPreference.daily_digest.is_(True), User.active.is_(True))).all()
    queued = 0
    for preference, user in rows:
        counts = _counts(user, preference.last_digest_at)
        preference.last_digest_at = utcnow()
        if not counts:
            continue
        db.session.add(OutboxMessage(recipient=user.email, subject=SUBJECT, body=body(counts),
                                     message_id=new_message_id()))
        queued += 1
    record("notifications.digests_queued", Action.EXECUTE, object_type="notification",
           detail={"queued": queued})
    if queued:
        jobs.after_commit(letter_tasks.deliver_outbox)
    db.session.commit()
    return queued
