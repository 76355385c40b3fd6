"""Server-side sessions: the cookie holds a random token, the database holds the truth."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, request
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from portal.auth.models import User, UserSession
from portal.database import reading_a_page, utcnow
from portal.extensions import db

ACTIVITY_RESOLUTION_SECONDS = 60  # write last_seen at most once a minute per session


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User) -> tuple[str, UserSession]:
    """Create a session row (the caller commits) and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=_digest(token), user_id=user.id,
        ip_address=request.remote_addr,
        user_agent=(request.user_agent.string or "")[:255],
    )
    db.session.add(row)
    return token, row


def find_open(token: str | None) -> UserSession | None:
    if not token:
        return None
    # One statement: the session with its user, her organisation and her roles (every page).
    row = db.session.execute(
        select(UserSession).where(UserSession.token_hash == _digest(token))
        .options(joinedload(UserSession.user).joinedload(User.role_rows))
    ).unique().scalar_one_or_none()
    return row if row is not None and row.is_open else None


def expiry_reason(row: UserSession) -> str | None:
    """Why an open session may no longer be used, or None when it may."""
    now = utcnow()
    cfg = current_app.config
    if not row.user.active:
        return "gedeactiveerd"
    if now - row.created_at > cfg["SESSION_ABSOLUTE_TIMEOUT"]:
        return "maximale duur"
    if now - row.last_seen_at > cfg["SESSION_IDLE_TIMEOUT"]:
        return "inactiviteit"
    return None


def touch(row: UserSession) -> bool:
    """Record activity; returns True when something was written that needs a commit."""
    now = utcnow()
    if (now - row.last_seen_at).total_seconds() < ACTIVITY_RESOLUTION_SECONDS:
        return False
    row.last_seen_at = now
    return True


def keep_menu_counts(row: UserSession, waiting: int | None, unread: int) -> bool:
    """Keep the menu's counts (Vandaag's, her unread notifications) on the session; returns
    True when they were written and need a commit. Kept only by a page that changes nothing
    else, so that commit cannot carry along what a refused form left in the session."""
    if not _only_reading(row):
        return False
    row.attention_count, row.unread_count = waiting, unread
    row.attention_counted_at = utcnow()
    return True


def forget_menu_counts(row: UserSession) -> None:
    """Make the next page count the menu again (a form may change what waits for her); the
    caller commits, with the form's own change if any."""
    row.attention_counted_at = None


def _only_reading(row: UserSession) -> bool:
    session = db.session
    return (reading_a_page() and not session.new and not session.deleted
            and set(session.dirty) <= {row})


def end_session(row: UserSession, reason: str) -> None:
    if row.is_open:
        row.ended_at = utcnow()
        row.end_reason = reason


def end_all_sessions(user: User, reason: str, keep: UserSession | None = None) -> int:
    """End every open session of a user (optionally except one); the caller commits."""
    query = (update(UserSession)
             .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
             .values(ended_at=utcnow(), end_reason=reason))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    return db.session.execute(query).rowcount


def live_sessions_of(user: User) -> list[UserSession]:
    """Open sessions that have not timed out, most recently used first."""
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    return [row for row in rows if expiry_reason(row) is None]
