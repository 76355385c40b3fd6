"""Configuration: safe local defaults, refusal of weak production secrets, database settings."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from portal import create_app
from portal.config import ConfigError, load_config, normalise_database_url
from portal.extensions import db
from tests import database

STRONG_KEY = "k" * 48
FILE_KEY = "ab" * 32


@pytest.mark.parametrize("secret", ["", "dev", "te-kort"])
def test_production_refuses_a_weak_secret_key(secret, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("PORTAL_FILE_KEY", FILE_KEY)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"PORTAL_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_a_missing_file_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.delenv("PORTAL_FILE_KEY", raising=False)
    with pytest.raises(ConfigError, match="PORTAL_FILE_KEY"):
        load_config({"PORTAL_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:5000", "http://portaal.nl"])
def test_production_refuses_a_base_url_users_cannot_follow_safely(base_url, monkeypatch,
                                                                   tmp_path):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("PORTAL_FILE_KEY", FILE_KEY)
    if base_url is None:
        monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("PORTAL_BASE_URL", base_url)
    with pytest.raises(ConfigError, match="PORTAL_BASE_URL"):
        load_config({"PORTAL_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_starts_with_strong_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("PORTAL_FILE_KEY", FILE_KEY)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://stapportaal.nijmegen.nl")
    config = load_config({"PORTAL_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert config["SECRET_KEY"] == STRONG_KEY and config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_local_use_creates_private_secrets_once(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_FILE_KEY", raising=False)
    first = load_config({"INSTANCE_PATH": str(tmp_path)})
    second = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert len(bytes.fromhex(first["PORTAL_FILE_KEY"])) == 32
    for name in ("secret_key", "file_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_default_database_is_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'stapportaal.db'}"


@pytest.mark.parametrize("given, expected", [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_url_uses_psycopg3(given, expected):
    assert normalise_database_url(given) == expected


@pytest.mark.skipif(database.using_postgres(), reason="SQLite-specific settings")
def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    with app.app_context():
        pragma = lambda name: db.session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10000


def test_schema_comes_from_migrations(app):
    with app.app_context():
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version


def test_health_check(client):
    response = client.get("/gezondheid")
    assert response.status_code == 200 and response.json == {"status": "ok"}
