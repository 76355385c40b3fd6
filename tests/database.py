"""Test databases: a migrated SQLite template copied per test, or a PostgreSQL database
migrated once per run and emptied between tests."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from portal.extensions import db

POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")


def using_postgres() -> bool:
    return bool(POSTGRES_URL)


def recreate_postgres_database(url: str) -> None:
    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username,
                         password=parsed.password, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def migrate(app) -> None:
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()


def copy_sqlite_template(template: Path, target: Path) -> None:
    shutil.copyfile(template, target)


def empty_postgres_tables(app) -> None:
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.session.commit()


@contextmanager
def counted_statements(app):
    """The SQL statements the app's engine runs inside the block, in order."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)
