"""Writing and verifying the audit trail; record() joins the caller's transaction."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from portal.audit.models import Action, AuditEvent, Outcome
from portal.crypto import derive_key
from portal.database import take_write_lock, utcnow
from portal.extensions import db

GENESIS_HASH = "0" * 64
PG_CHAIN_LOCK = 7513  # advisory lock id that serialises chain appends on PostgreSQL
PENDING = "audit_pending"  # session.info key: events waiting for the commit

HASHED_FIELDS = ("seq", "occurred_at", "user_id", "user_name", "role", "organisation", "action",
                 "event", "object_type", "object_id", "client_id", "outcome", "purpose",
                 "source_ip", "detail")


def record(event: str, action: Action, *, outcome: Outcome = Outcome.SUCCESS,
           object_type: str | None = None, object_id=None, client_id: int | None = None,
           purpose: str | None = None, detail: dict | None = None, user=None) -> AuditEvent:
    """Add one event to the current transaction (the caller commits). It joins the chain
    when the transaction commits, so the chain's lock is held only for that moment."""
    actor = user if user is not None else _current_actor()
    entry = AuditEvent(
        occurred_at=utcnow(), action=action.value, event=event, outcome=outcome.value,
        object_type=object_type, object_id=None if object_id is None else str(object_id),
        client_id=client_id, purpose=purpose, detail=detail or {},
        source_ip=request.remote_addr if has_request_context() else None,
        **_actor_fields(actor),
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so a rollback before any SQL still drops the event
    session.info.setdefault(PENDING, []).append(entry)
    return entry


def init_app() -> None:
    """Chain the events of a transaction as it commits; a rollback drops them with it."""
    if not event.contains(Session, "before_commit", _chain_pending):
        event.listen(Session, "before_commit", _chain_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)


def _chain_pending(session: Session) -> None:
    """Link the transaction's events after the newest one, under the chain's lock, just
    before the commit that releases it: no two transactions extend the same link."""
    pending = session.info.pop(PENDING, [])
    if not pending:
        return
    _lock_chain(session)
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    for entry in pending:
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = previous = event_hash(entry)
    # A plain INSERT: the events are written once and never changed, so they need no place
    # in the session's unit of work (its flush cost more than the rest of the page's audit).
    session.connection().execute(insert(AuditEvent.__table__), [_row(entry) for entry in pending])


def _row(entry: AuditEvent) -> dict:
    return {name: getattr(entry, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")}


def _drop_pending(session: Session, previous) -> None:
    """Every rollback of the whole transaction, also one that had sent no SQL yet."""
    if not previous.nested:
        session.info.pop(PENDING, None)


def record_and_commit(event: str, action: Action, **kwargs) -> AuditEvent:
    """For events that change nothing else (reads, denials, failed logins)."""
    entry = record(event, action, **kwargs)
    db.session.commit()
    return entry


def _current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def _actor_fields(actor) -> dict:
    if actor is None:
        return {"user_id": None, "user_name": None, "role": None, "organisation": None}
    return {
        "user_id": actor.id,
        "user_name": actor.email,
        "role": ",".join(sorted(role.value for role in actor.roles)),
        "organisation": actor.organisation.name if actor.organisation else None,
    }


def _lock_chain(session: Session) -> None:
    """SQLite: the write lock (database.take_write_lock). PostgreSQL: a transaction-scoped
    advisory lock, released by the commit that follows."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_CHAIN_LOCK})
    else:
        take_write_lock(connection)


def _canonical(entry: AuditEvent) -> bytes:
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    when = values["occurred_at"]
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    values["occurred_at"] = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    values["prev_hash"] = entry.prev_hash
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(entry: AuditEvent) -> str:
    """HMAC-SHA256 with a key from configuration: someone who can write the database but
    does not hold the key cannot re-hash an edited chain."""
    key = derive_key(current_app.config["PORTAL_FILE_KEY"], "audit-chain")
    return hmac.new(key, _canonical(entry), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def chain_head() -> tuple[int, str] | None:
    """(seq, hash) of the newest event: store it outside the database to detect truncation."""
    row = db.session.execute(select(AuditEvent.seq, AuditEvent.hash)
                             .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else None


CHECKPOINT_EVENT = "audit.checkpoint_made"


def latest_checkpoint():
    from portal.audit.models import AuditCheckpoint

    return db.session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc())
                             .limit(1))


def verify_chain(batch_size: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Walk the chain from its start, or from the newest checkpoint once old events were
    destroyed; report edited, deleted or re-linked events by sequence number. A checkpoint
    counts only when the chain itself records it (an event keyed with the chain's key)."""
    problems: list[ChainProblem] = []
    checkpoint = latest_checkpoint()
    expected_seq, expected_prev = (checkpoint.seq + 1, checkpoint.hash) if checkpoint else (
        1, GENESIS_HASH)
    checked, attested = 0, checkpoint is None
    query = (select(AuditEvent).where(AuditEvent.seq >= expected_seq).order_by(AuditEvent.seq)
             .execution_options(yield_per=batch_size))
    for entry in db.session.scalars(query):
        checked += 1
        problems += _link_problems(entry, expected_seq, expected_prev)
        attested = attested or _attests(entry, checkpoint)
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    if not attested:
        problems.append(ChainProblem(checkpoint.seq, f"controlepunt bij gebeurtenis "
                                     f"{checkpoint.seq} staat niet in de keten"))
    return checked, problems


def _link_problems(entry, expected_seq: int, expected_prev: str) -> list[ChainProblem]:
    problems = []
    if entry.seq != expected_seq:
        gap = f"{expected_seq}" if entry.seq == expected_seq + 1 else (
            f"{expected_seq} t/m {entry.seq - 1}")
        problems.append(ChainProblem(expected_seq, f"gebeurtenis {gap} ontbreekt (verwijderd)"))
    elif entry.prev_hash != expected_prev:
        problems.append(ChainProblem(entry.seq, "verwijzing naar vorige gebeurtenis klopt niet"))
    if event_hash(entry) != entry.hash:
        problems.append(ChainProblem(entry.seq, f"gebeurtenis {entry.seq} is gewijzigd"))
    return problems


def _attests(entry, checkpoint) -> bool:
    return (entry.event == CHECKPOINT_EVENT and entry.detail.get("seq") == checkpoint.seq
            and entry.detail.get("hash") == checkpoint.hash and event_hash(entry) == entry.hash)
