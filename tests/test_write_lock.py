"""Who holds the database's write lock, and for how long (issue 17).

SQLite: a page (GET, HEAD) reads without the write lock and takes it only at its first write;
forms, jobs and commands take it up front. Both databases: the audit chain's lock (SQLite's
write lock, PostgreSQL's advisory lock) is taken at the commit, not when an event is recorded,
and the chain stays one unbroken line whoever writes at the same moment.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select, text

from portal.audit.models import Action, AuditEvent
from portal.audit.services import PG_CHAIN_LOCK, record, verify_chain
from portal.database import WRITE_LOCKED
from portal.extensions import db
from tests.database import using_postgres

sqlite_only = pytest.mark.skipif(using_postgres(), reason="SQLite's locking")
postgres_only = pytest.mark.skipif(not using_postgres(), reason="PostgreSQL's advisory lock")


def _sqlite_path(app) -> str:
    return db.engine.url.database


def other_writer_can_start(path: str) -> bool:
    """Whether a second connection gets the write lock right now (it does not wait)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def _events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


@sqlite_only
def test_a_page_reads_without_the_write_lock_and_takes_it_at_its_first_write(app):
    with app.test_request_context("/", method="GET"):
        path = _sqlite_path(app)
        before = _events()
        assert db.session.connection().info[WRITE_LOCKED] is False
        assert other_writer_can_start(path)
        record("test.page_read", Action.READ)
        assert other_writer_can_start(path)  # recorded, not yet chained
        db.session.commit()
        assert _events() == before + 1
    with app.app_context():
        assert verify_chain() == (before + 1, [])


@sqlite_only
def test_a_form_takes_the_write_lock_with_its_first_statement(app):
    with app.test_request_context("/", method="POST"):
        path = _sqlite_path(app)
        _events()
        assert db.session.connection().info[WRITE_LOCKED] is True
        assert not other_writer_can_start(path)
        db.session.rollback()
        assert other_writer_can_start(path)


@sqlite_only
def test_a_page_whose_snapshot_went_stale_still_writes_its_event(app):
    """Another writer commits between the page's read and its write: without giving up its
    snapshot first, SQLite would refuse the page's write (SQLITE_BUSY_SNAPSHOT)."""
    with app.test_request_context("/", method="GET"):
        before = _events()
        with app.app_context():  # another request, with a session of its own
            record("test.other_writer", Action.CREATE)
            db.session.commit()
        record("test.page_read", Action.READ)
        db.session.commit()
        assert _events() == before + 2
    with app.app_context():
        assert verify_chain() == (before + 2, [])


@sqlite_only
def test_a_page_that_changes_a_row_takes_the_lock_for_that_change(app, account):
    from portal.auth.models import User
    from portal.roles import Role

    user_id = account(Role.CASEMANAGER).id
    with app.test_request_context("/", method="GET"):
        user = db.session.get(User, user_id)
        user.name = "Anders genoemd"
        db.session.flush()
        assert db.session.connection().info[WRITE_LOCKED] is True
        assert not other_writer_can_start(_sqlite_path(app))
        db.session.commit()


def _holds_chain_lock() -> bool:
    return bool(db.session.scalar(text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :key "
        "AND pid = pg_backend_pid() AND granted"), {"key": PG_CHAIN_LOCK}))


@postgres_only
def test_the_chain_lock_is_taken_at_the_commit_not_at_the_record(app):
    seen = []

    def during_commit(session):
        seen.append(_holds_chain_lock())

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    with app.app_context():
        record("test.recorded", Action.READ)
        assert not _holds_chain_lock()
        event.listen(Session, "before_commit", during_commit)
        try:
            db.session.commit()
        finally:
            event.remove(Session, "before_commit", during_commit)
        assert not _holds_chain_lock()  # the commit released it
        assert verify_chain()[1] == []


def test_a_rolled_back_event_leaves_no_gap_in_the_chain(app):
    with app.app_context():
        record("test.kept", Action.READ)
        db.session.commit()
        record("test.dropped", Action.READ)
        db.session.rollback()
        record("test.kept", Action.READ)
        db.session.commit()
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [e.event for e in events][-2:] == ["test.kept", "test.kept"]
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert verify_chain()[1] == []


def test_pages_and_forms_writing_at_once_keep_one_unbroken_chain(app):
    """Readers that write their event at the end and writers that lock up front, four
    threads at once: every event is chained once, in one line."""
    errors = []

    def writer(method: str):
        try:
            for number in range(8):
                with app.test_request_context("/", method=method):
                    _events()  # read first, as a page does
                    record("test.concurrent", Action.READ, object_id=number)
                    db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(method,))
               for method in ("GET", "GET", "POST", "GET")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        checked, problems = verify_chain()
        assert problems == []
        concurrent = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.event == "test.concurrent"))
    assert concurrent == 32
