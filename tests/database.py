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
from portal.main.attention import counting_the_menu

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
    """The SQL statements the app's engine runs inside the block, in order, leaving out the
    menu count's own (portal.main.attention.counting_menu): only a page without a kept
    count runs them, and no statement count should depend on whether one was kept. On
    SQLite that includes the BEGIN reopening the transaction the count's commit ended."""
    statements: list[str] = []
    reopening = False  # the menu count committed; the next statement may be its BEGIN
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args):
        nonlocal reopening
        after_menu_commit, reopening = reopening, False
        if counting_the_menu() or (after_menu_commit and statement.startswith("BEGIN")):
            return
        statements.append(statement)

    def committed(conn):
        nonlocal reopening
        if counting_the_menu():
            reopening = True

    event.listen(engine, "before_cursor_execute", note)
    event.listen(engine, "commit", committed)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)
        event.remove(engine, "commit", committed)
