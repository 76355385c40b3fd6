"""Enrolment links: how a person gets a credential without the beheerder ever holding one.

When a new account or a reset is approved, the person receives a one-time link at her own
e-mail address, through the durable outbox. Only the SHA-256 of the token is stored. The link
lives ENROLMENT_LINK_HOURS (default 72) and dies when used, when a newer link replaces it, after
MAX_WRONG_CODES wrong codes, or when it expires. On it she chooses her password and enrols her
authenticator (or, when her second factor still works, confirms with a code from it).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from portal import jobs
from portal.audit.models import Action, Outcome
from portal.audit.services import record
from portal.auth import passwords, sessions, totp
from portal.auth.models import EnrolmentLink, User
from portal.clock import local_now
from portal.extensions import db

SUBJECT = "Stapportaal: stel uw wachtwoord en tweede factor in"
MAX_WRONG_CODES = 5


def now() -> datetime:
    """The portal clock in UTC (tests freeze it through portal.clock)."""
    return local_now().astimezone(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unusable_password_hash() -> str:
    """A hash of a random secret that nobody ever sees: the account has no usable password."""
    return passwords.hash_password(secrets.token_urlsafe(32))


def issue(user: User, purpose: str) -> EnrolmentLink:
    """A new link for this user, queued to her own address; older open links end. The caller
    commits (the mail goes out after the commit). `link.token` holds the plain token until the
    object is gone; only its hash is stored."""
    from portal.letters import tasks
    from portal.letters.models import OutboxMessage
    from portal.letters.outbox import new_message_id

    moment = now()
    older = db.session.scalars(select(EnrolmentLink).where(
        EnrolmentLink.user_id == user.id, EnrolmentLink.ended_at.is_(None))).all()
    for previous in older:
        end(previous, "vervangen door een nieuwe link")
    if not user.totp_enrolled and user.totp_pending_secret is None:
        user.totp_pending_secret = totp.seal(totp.new_secret())
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config["ENROLMENT_LINK_HOURS"])
    link = EnrolmentLink(token_hash=_digest(token), user_id=user.id, purpose=purpose,
                         created_at=moment, expires_at=moment + timedelta(hours=hours))
    link.token = token  # in memory only, for the caller's mail; never stored
    message = OutboxMessage(recipient=user.email, subject=SUBJECT,
                            body=_body(user, token, link.expires_at), message_id=new_message_id())
    db.session.add(message)
    db.session.flush()
    link.outbox_message_id = message.id
    db.session.add(link)
    db.session.flush()
    record("auth.enrolment_link_queued", Action.EXECUTE, object_type="user", object_id=user.id,
           detail={"purpose": purpose, "link": link.id, "hours": hours})
    jobs.after_commit(tasks.deliver_outbox)
    return link


def link_url(token: str) -> str:
    return f"{current_app.config['PORTAL_BASE_URL'].rstrip('/')}/account/activeren/{token}"


def _body(user: User, token: str, expires_at: datetime) -> str:
    from portal.clock import AMSTERDAM

    until = expires_at.astimezone(AMSTERDAM)
    return "\n".join([
        f"Beste {user.name},", "",
        "Via deze link kiest u uw wachtwoord voor het Stapportaal en koppelt u uw "
        "authenticator-app:", link_url(token), "",
        f"De link werkt één keer en is geldig tot {until:%d-%m-%Y %H:%M}.",
        "Deel de link met niemand, ook niet met de functioneel beheerder. Heeft u hier niet om "
        "gevraagd? Neem dan contact op met het Stapteam.", "", "Stapportaal"])


def end(link: EnrolmentLink, reason: str) -> None:
    """The link dies, and the stored mail loses it (the outbox keeps the body of sent mail)."""
    from portal.letters.models import OutboxMessage

    link.ended_at, link.end_reason = now(), reason
    if link.outbox_message_id is not None:
        db.session.execute(update(OutboxMessage).where(
            OutboxMessage.id == link.outbox_message_id).values(body=ENDED_BODY))


ENDED_BODY = "Deze e-mail bevatte een eenmalige link voor het Stapportaal. De link werkt niet meer."


def _usable(link: EnrolmentLink | None) -> bool:
    return (link is not None and link.ended_at is None and link.expires_at > now()
            and link.user.active)


def find(token: str | None) -> EnrolmentLink | None:
    """The open, unexpired link behind this token, or None."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    link = db.session.scalar(select(EnrolmentLink).where(
        EnrolmentLink.token_hash == _digest(token)))
    return link if _usable(link) else None


def setup_secret(link: EnrolmentLink) -> str | None:
    """The secret to scan when she enrols a new authenticator; None when hers still works."""
    user = link.user
    return None if user.totp_enrolled else totp.unseal(user.totp_pending_secret)


def complete(token: str, new_password: str, code: str) -> User | None:
    """Set her password and second factor; the link dies. None, changing nothing but the count
    of wrong codes, when the link is no longer usable or the code is wrong."""
    link = db.session.scalar(select(EnrolmentLink).where(
        EnrolmentLink.token_hash == _digest(token)).with_for_update())
    if link is None:
        return None
    user = link.user
    db.session.refresh(user, with_for_update={"of": User})
    if not _usable(link):
        db.session.commit()
        return None
    step = _matching_step(user, code)
    if step is None:
        return _wrong_code(link)
    if not user.totp_enrolled:
        user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_last_step = step
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = now()
    user.must_change_password = False
    user.failed_logins, user.locked_until = 0, None
    end(link, "gebruikt")
    ended = sessions.end_all_sessions(user, "wachtwoord ingesteld via link")
    record("auth.enrolment_completed", Action.UPDATE, user=user, object_type="user",
           object_id=user.id, detail={"purpose": link.purpose, "link": link.id,
                                      "sessions_ended": ended})
    db.session.commit()
    return user


def _matching_step(user: User, code: str) -> int | None:
    if user.totp_enrolled:
        return totp.matching_step(totp.unseal(user.totp_secret), code, user.totp_last_step)
    return totp.matching_step(totp.unseal(user.totp_pending_secret), code, 0)


def _wrong_code(link: EnrolmentLink) -> None:
    link.failed_attempts += 1
    final = link.failed_attempts >= MAX_WRONG_CODES
    if final:
        end(link, "te vaak een verkeerde code")
    record("auth.enrolment_failed", Action.UPDATE, outcome=Outcome.FAILURE, user=link.user,
           object_type="user", object_id=link.user_id,
           detail={"link": link.id, "reason": "verkeerde code", "link_ended": final})
    db.session.commit()
    return None
