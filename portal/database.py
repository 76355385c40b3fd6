"""Declarative base, UTC timestamps and per-dialect connection settings."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every dialect (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.database.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# On SQLite a transaction that has read cannot safely become a writer later (WAL: another
# writer may have committed since its snapshot), so a transaction either takes the write lock
# up front (BEGIN IMMEDIATE) or, for a page that is only read, starts as a reader and trades
# its snapshot for the write lock at its first write (take_write_lock).
WRITE_LOCKED = "sqlite_write_locked"  # connection.info key
READ_METHODS = frozenset({"GET", "HEAD"})
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def configure_engine(engine: Engine) -> None:
    """SQLite: WAL, foreign keys, busy timeout; write lock up front only for writers."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        reads_first = reading_a_page()
        connection.exec_driver_sql("BEGIN" if reads_first else "BEGIN IMMEDIATE")
        connection.info[WRITE_LOCKED] = not reads_first

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(connection, _cursor, statement, _parameters, context, _many):
        if not connection.info.get(WRITE_LOCKED, True) and WRITES.match(statement):
            take_write_lock(connection)


def reading_a_page() -> bool:
    """A GET or HEAD request reads its page from one snapshot; what it writes (its audit
    events, the session's last activity) depends on nothing it read, so it may be written
    in a write transaction of its own. Forms, jobs and commands are writers from the start."""
    return has_request_context() and request.method in READ_METHODS


def take_write_lock(connection) -> None:
    """SQLite: end the read snapshot and continue the transaction as a writer (waiting for
    the lock like any writer). No-op when it holds the lock already, and on PostgreSQL."""
    if connection.dialect.name != "sqlite" or connection.info.get(WRITE_LOCKED, True):
        return
    connection.info[WRITE_LOCKED] = True
    raw = connection.connection.dbapi_connection
    raw.execute("COMMIT")
    raw.execute("BEGIN IMMEDIATE")


def render_migration_type(kind, obj, autogen_context):
    """Alembic autogenerate: write UTCDateTime as a plain timezone-aware DateTime."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
