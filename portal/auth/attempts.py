"""Login attempts: the state between the password and the second factor, kept server-side.

The cookie carries a random token; the row holds the user, a digest of the browser that gave
the password (user agent and address), when it started, and when the login it led to
finished. A token is valid once, for PENDING_LOGIN_SECONDS, from that browser only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, select

from portal.auth.models import LoginAttempt, User
from portal.database import utcnow
from portal.extensions import db


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _this_client() -> str:
    return _digest(f"{request.user_agent.string or ''}\n{request.remote_addr or ''}")


def start(user: User) -> str:
    """A new attempt for this browser (the caller commits); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginAttempt(token_hash=_digest(token), user_id=user.id,
                                client_hash=_this_client()))
    return token


def find(token: str | None) -> LoginAttempt | None:
    """The open, unexpired attempt behind this token, if this browser started it."""
    if not token or not isinstance(token, str):
        return None
    attempt = db.session.scalar(select(LoginAttempt).where(
        LoginAttempt.token_hash == _digest(token)))
    return attempt if attempt is not None and is_usable(attempt) else None


def is_usable(attempt: LoginAttempt) -> bool:
    limit = timedelta(seconds=current_app.config["PENDING_LOGIN_SECONDS"])
    return (attempt.finished_at is None and utcnow() - attempt.started_at <= limit
            and secrets.compare_digest(attempt.client_hash, _this_client()))


def finish(attempt: LoginAttempt) -> None:
    """Spend the attempt inside the transaction that opens the session."""
    attempt.finished_at = utcnow()


def purge_old(days: int = 1) -> int:
    """Attempts older than a day are past any use: remove them (the audit log keeps logins)."""
    cutoff = utcnow() - timedelta(days=days)
    removed = db.session.execute(delete(LoginAttempt).where(LoginAttempt.started_at < cutoff))
    db.session.commit()
    return removed.rowcount
