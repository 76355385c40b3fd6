"""Login, second factor, password changes and logout; each function owns its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.audit.models import Action, Outcome
from portal.audit.services import record
from portal.auth import attempts, passwords, sessions, totp
from portal.auth.models import LoginAttempt, User, UserSession
from portal.database import utcnow
from portal.extensions import db


@dataclass(frozen=True)
class LoginResult:
    user: User
    token: str


def find_user_by_email(email: str) -> User | None:
    """The account, row-locked for this transaction (PostgreSQL): parallel attempts queue up,
    so failure counts and used TOTP steps cannot be raced past."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower())
                             .with_for_update(of=User))


def check_password(email: str, password: str) -> User | None:
    """First step: the user whose password matches, if she may log in now; else None."""
    user = find_user_by_email(email)
    password_ok = passwords.verify_password(user.password_hash if user else None, password)
    reason = _refusal_reason(user, password_ok)
    if reason:
        if user is not None and reason == "wachtwoord":
            _count_failure(user)
        record("auth.login_failed", Action.EXECUTE, outcome=Outcome.FAILURE, user=user,
               object_type="user", object_id=user.id if user else None,
               detail={"step": "wachtwoord", "reason": reason,
                       "email": _loggable_login_name(email)})
        db.session.commit()
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db.session.commit()
    return user


def _loggable_login_name(typed: str) -> str:
    """The typed login name, unless it does not look like one (a password in the wrong field
    must not end up in the append-only log)."""
    typed = typed.strip()
    looks_like_email = "@" in typed and " " not in typed and len(typed) <= 254
    return typed if looks_like_email else "(geen e-mailadres ingevuld)"


def _refusal_reason(user: User | None, password_ok: bool) -> str | None:
    if user is None:
        return "onbekend account"
    if is_locked(user):
        return "geblokkeerd"
    if not password_ok:
        return "wachtwoord"
    if not user.active:
        return "gedeactiveerd"
    return None


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def _count_failure(user: User) -> None:
    cfg = current_app.config
    user.failed_logins += 1
    if user.failed_logins >= cfg["LOCKOUT_THRESHOLD"]:
        user.locked_until = utcnow() + timedelta(minutes=cfg["LOCKOUT_MINUTES"])
        user.failed_logins = 0
        record("auth.account_locked", Action.EXECUTE, outcome=Outcome.DENIED, user=user,
               object_type="user", object_id=user.id)


def begin_login(user: User) -> str:
    """After a right password: a login attempt for this browser (and, for a user without a
    second factor yet, the secret to enrol). Returns the attempt's token for the cookie."""
    token = attempts.start(user)
    if not user.totp_enrolled and user.totp_pending_secret is None:
        user.totp_pending_secret = totp.seal(totp.new_secret())
    db.session.commit()
    return token


def _lock_attempt(attempt: LoginAttempt) -> User | None:
    """Lock the user row (parallel codes queue up), then check the attempt is still open:
    a second request with the same cookie finds it spent."""
    user = attempt.user
    db.session.refresh(user, with_for_update={"of": User})
    db.session.refresh(attempt)
    return user if attempts.is_usable(attempt) else None


def check_code(attempt: LoginAttempt, code: str) -> LoginResult | None:
    """Second step for an enrolled user: a fresh TOTP code opens a session."""
    user = _lock_attempt(attempt)
    if user is None:
        return None
    if is_locked(user) or not user.active:
        return _second_factor_failed(user, "geblokkeerd" if user.active else "gedeactiveerd")
    step = totp.matching_step(totp.unseal(user.totp_secret), code, user.totp_last_step)
    if step is None:
        return _second_factor_failed(user, "ongeldige of hergebruikte code", wrong_code=True)
    user.totp_last_step = step
    return _open_login(attempt, "auth.login")


def pending_secret(user: User) -> str:
    return totp.unseal(user.totp_pending_secret)


def confirm_enrolment(attempt: LoginAttempt, code: str) -> LoginResult | None:
    user = _lock_attempt(attempt)
    if user is None:
        return None
    if is_locked(user) or not user.active:
        return _second_factor_failed(user, "geblokkeerd")
    secret = pending_secret(user)
    step = totp.matching_step(secret, code, 0)
    if step is None:
        return _second_factor_failed(user, "ongeldige code bij koppelen", wrong_code=True)
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_last_step = step
    record("auth.totp_enrolled", Action.UPDATE, user=user, object_type="user", object_id=user.id)
    return _open_login(attempt, "auth.login")


def _second_factor_failed(user: User, reason: str, *, wrong_code: bool = False) -> None:
    if wrong_code:
        _count_failure(user)
    record("auth.login_failed", Action.EXECUTE, outcome=Outcome.FAILURE, user=user,
           object_type="user", object_id=user.id,
           detail={"step": "tweede factor", "reason": reason})
    db.session.commit()
    return None


def _open_login(attempt: LoginAttempt, event: str) -> LoginResult:
    user = attempt.user
    attempts.finish(attempt)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    token, row = sessions.open_session(user)
    db.session.flush()
    record(event, Action.EXECUTE, user=user, object_type="session", object_id=row.id)
    db.session.commit()
    return LoginResult(user, token)


def logout(user: User, row: UserSession | None) -> None:
    if row is not None:
        sessions.end_session(row, "uitgelogd")
    record("auth.logout", Action.EXECUTE, user=user, object_type="session",
           object_id=row.id if row else None)
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str,
                    current_session: UserSession | None) -> int | None:
    """Set a new password and end every other session; returns how many were ended.

    Returns None, changing nothing, when the current password is wrong.
    """
    if not passwords.verify_password(user.password_hash, current_password):
        return None
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    ended = sessions.end_all_sessions(user, "wachtwoord gewijzigd", keep=current_session)
    record("auth.password_changed", Action.UPDATE, user=user, object_type="user",
           object_id=user.id, detail={"sessions_ended": ended})
    db.session.commit()
    return ended


def expire_session(row: UserSession, reason: str) -> None:
    sessions.end_session(row, reason)
    record("auth.session_expired", Action.EXECUTE, user=row.user, object_type="session",
           object_id=row.id, detail={"reason": reason})
    db.session.commit()


def end_own_session(user: User, row: UserSession) -> None:
    sessions.end_session(row, "beëindigd door gebruiker")
    record("auth.session_ended", Action.UPDATE, user=user, object_type="session", object_id=row.id)
    db.session.commit()
