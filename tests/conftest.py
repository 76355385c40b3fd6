"""Fixtures: a real database per test (SQLite file or PostgreSQL), clients and logins."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import quote

import pytest

from portal import create_app
from portal.extensions import db
from portal.roles import Role
from tests import database
from tests.factories import Account, make_organisation, make_user

TEST_FILE_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def base_config(root: Path, database_url: str) -> dict:
    return {
        "INSTANCE_PATH": str(root / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(root / "uploads"),
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-the-suite",
        "PORTAL_FILE_KEY": TEST_FILE_KEY,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8192,
        "ARGON2_PARALLELISM": 1,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "TESTING": False,  # errors take the real error handlers, as in production
        "MAIL_SERVER": "",  # mail goes to instance/outbox/*.eml unless a test sets a server
        "MAIL_USE_STARTTLS": False,
        "PORTAL_BASE_URL": "https://stapportaal.test",
        "JOBS_IMMEDIATE": True,  # queued tasks run in-process right after their commit
    }


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("template")
    if database.using_postgres():
        database.recreate_postgres_database(database.POSTGRES_URL)
        database.migrate(create_app(base_config(root, database.POSTGRES_URL)))
        return None
    path = root / "template.db"
    database.migrate(create_app(base_config(root, f"sqlite:///{path}")))
    return path


@pytest.fixture
def make_app(tmp_path, database_template):
    """Build an app on this test's database; extra settings override the defaults."""
    apps = []

    def _make(**overrides):
        if database.using_postgres():
            url = database.POSTGRES_URL
        else:
            url_path = tmp_path / "portal.db"
            if not url_path.exists():
                database.copy_sqlite_template(database_template, url_path)
            url = f"sqlite:///{url_path}"
        app = create_app({**base_config(tmp_path, url), **overrides})
        if database.using_postgres() and not apps:
            database.empty_postgres_tables(app)
        apps.append(app)
        return app

    yield _make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def account(app):
    """account(Role.X, ...) creates a user in the app's database and returns her Account."""

    def _make(*roles: Role, **kwargs) -> Account:
        with app.app_context():
            return make_user(*roles, **kwargs)

    return _make


@pytest.fixture
def organisation(app):
    def _make(name=None, **kwargs):
        with app.app_context():
            org = make_organisation(name, **kwargs)
            return org.id

    return _make


def csrf_from(response) -> str:
    match = CSRF_PATTERN.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def csrf_token(client, path: str = "/login") -> str:
    return csrf_from(client.get(path))


def submit_password(client, account: Account, password: str | None = None, next_url=None):
    token = csrf_token(client, "/login")
    url = "/login" + (f"?next={quote(next_url, safe='')}" if next_url else "")
    return client.post(url, data={"csrf_token": token, "email": account.email,
                                  "password": account.password if password is None else password})


def submit_code(client, code: str, path: str = "/login/code"):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "code": code})


def log_in(client, account: Account, next_url=None):
    """Password step and TOTP step; returns the response of the second step."""
    first = submit_password(client, account, next_url=next_url)
    assert first.status_code == 302 and first.location.endswith("/login/code"), first.location
    return submit_code(client, account.next_code())


@pytest.fixture
def login(client):
    """login(account) logs the fixture client in and returns it."""

    def _login(account: Account, next_url=None):
        response = log_in(client, account, next_url)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


@pytest.fixture
def freeze_today(monkeypatch):
    """freeze_today(day): from then on `portal.clock.local_today()` answers `day` (noon in
    Amsterdam) everywhere in the portal; stored timestamps keep the real clock."""
    import portal.clock as clock

    def _freeze(day: date) -> None:
        noon = datetime.combine(day, time(12), tzinfo=clock.AMSTERDAM)

        class FrozenDateTime(datetime):
            @classmethod
            def now(cls, tz=None):
                return noon.astimezone(tz) if tz else noon.replace(tzinfo=None)

        monkeypatch.setattr(clock, "datetime", FrozenDateTime)

    return _freeze


@pytest.fixture
def smtp():
    """A running loopback SMTP server (tests/smtp_server.py); always stopped afterwards."""
    from tests.smtp_server import LoopbackSMTP

    server = LoopbackSMTP()
    try:
        yield server.start()
    finally:
        server.stop()
