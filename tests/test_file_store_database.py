"""The database file store (FILE_STORE=database, PostgreSQL): the same encrypted chunk format
in rows, streamed, checked on read, and `portal move-files` between the two stores."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from portal.config import ConfigError
from portal.documents import storage
from portal.documents.models import Document, DocumentVersion, FileBlob, FileChunk
from portal.extensions import db
from portal.roles import Role
from tests import database
from tests.conftest import log_in
from tests.factories import make_client, make_document, minimal_pdf
from tests.test_storage import read_back, stored

on_postgres = pytest.mark.skipif(not database.using_postgres(),
                                 reason="de database-opslag vraagt PostgreSQL")


@pytest.fixture
def db_app(make_app):
    return make_app(FILE_STORE="database")


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def uploaded_files(app) -> list:
    return [path for path in storage_root(app).rglob("*") if path.is_file()]


def storage_root(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"])


@on_postgres
@pytest.mark.parametrize("size", [0, 1, storage.CHUNK_SIZE, storage.CHUNK_SIZE * 2 + 17])
def test_round_trip_in_rows_with_nothing_on_disk(db_app, size):
    data = os.urandom(size)
    item = stored(db_app, data)
    assert item.size == size and item.sha256 == hashlib.sha256(data).hexdigest()
    assert read_back(db_app, item) == data
    assert rows(db_app, FileBlob) == 1
    assert rows(db_app, FileChunk) == max(1, -(-size // storage.CHUNK_SIZE))
    assert uploaded_files(db_app) == []


@on_postgres
def test_the_rows_hold_ciphertext_only(db_app):
    item = stored(db_app, b"Vertrouwelijk diagnostiekrapport " * 1000)
    with db_app.app_context():
        header = db.session.scalar(select(FileBlob.header).where(FileBlob.key == item.key))
        sealed = db.session.scalar(select(FileChunk.sealed).where(FileChunk.key == item.key))
    assert header.startswith(storage.MAGIC) and b"Vertrouwelijk" not in sealed


def damage(app, key: str, how: str) -> None:
    with app.app_context():
        chunk = (FileChunk.key == key)
        if how == "flip":
            sealed = bytearray(db.session.scalar(select(FileChunk.sealed).where(
                chunk, FileChunk.index == 1)))
            sealed[100] ^= 0x01
            db.session.execute(update(FileChunk).where(chunk, FileChunk.index == 1)
                               .values(sealed=bytes(sealed)))
        elif how == "drop_last_chunk":  # and the count with it: the final flag gives it away
            db.session.execute(delete(FileChunk).where(chunk, FileChunk.index == 2))
            db.session.execute(update(FileBlob).where(FileBlob.key == key)
                               .values(chunk_count=2))
        elif how == "missing_chunk":
            db.session.execute(delete(FileChunk).where(chunk, FileChunk.index == 1))
        elif how == "swap_chunks":
            db.session.execute(update(FileChunk).where(chunk, FileChunk.index == 0)
                               .values(index=-1))
            db.session.execute(update(FileChunk).where(chunk, FileChunk.index == 1)
                               .values(index=0))
            db.session.execute(update(FileChunk).where(chunk, FileChunk.index == -1)
                               .values(index=1))
        db.session.commit()


@on_postgres
@pytest.mark.parametrize("how", ["flip", "drop_last_chunk", "missing_chunk", "swap_chunks"])
def test_damaged_rows_are_detected_never_served(db_app, account, how):
    author = account(Role.CASEMANAGER)
    with db_app.app_context():
        version = make_document(make_client(), author.id,
                                content=os.urandom(storage.CHUNK_SIZE * 2 + 5)).versions[0]
        key, sha256 = version.storage_key, version.sha256
    damage(db_app, key, how)
    with db_app.app_context(), pytest.raises(storage.StorageError):
        storage.stream(key, sha256)
    result = db_app.test_cli_runner().invoke(args=["portal", "check-storage"])
    assert result.exit_code == 1
    assert "Niet te ontsleutelen: documentversie" in result.output + result.stderr


@on_postgres
def test_upload_download_and_check_storage_through_the_portal(db_app, account):
    manager = account(Role.CASEMANAGER)
    pdf = minimal_pdf("Opgeslagen in de database") + b"%" + b"x" * (3 * storage.CHUNK_SIZE)
    with db_app.app_context():
        client = make_client("Roos", casemanagers=[manager])
        document = make_document(client, manager.id, content=pdf)
        ref = document.ref
    browser = db_app.test_client()
    assert log_in(browser, manager).status_code == 302
    response = browser.get(f"/documenten/{ref}/download/1")
    assert response.status_code == 200 and response.data == pdf
    assert uploaded_files(db_app) == []
    result = db_app.test_cli_runner().invoke(args=["portal", "check-storage"])
    assert result.exit_code == 0, result.output
    assert "1 bestanden gecontroleerd" in result.output


@on_postgres
def test_deleting_removes_the_rows(db_app):
    item = stored(db_app, os.urandom(storage.CHUNK_SIZE + 1))
    with db_app.app_context():
        storage.delete(item.key)
        assert storage.stored_keys() == set()
    assert rows(db_app, FileChunk) == 0


@on_postgres
def test_a_writer_killed_mid_write_leaves_no_row_and_no_chunk(make_app, account, tmp_path):
    from tests.test_storage import kill_writer_at

    db_app = make_app(FILE_STORE="database")
    kill_writer_at(db_app, account, tmp_path, "mid-write", FILE_STORE="database")
    assert rows(db_app, FileBlob) == 0 and rows(db_app, FileChunk) == 0
    result = db_app.test_cli_runner().invoke(args=["portal", "check-storage"])
    assert result.exit_code == 0, result.output + result.stderr


@on_postgres
def test_a_writer_killed_before_its_commit_leaves_an_orphan_check_storage_names(
        make_app, account, tmp_path):
    from tests.test_storage import kill_writer_at

    db_app = make_app(FILE_STORE="database")
    kill_writer_at(db_app, account, tmp_path, "before-commit", FILE_STORE="database")
    result = db_app.test_cli_runner().invoke(args=["portal", "check-storage"])
    assert result.exit_code == 1
    assert "Bestanden zonder databaserij" in result.output + result.stderr


def make_documents(app, count: int) -> dict[str, bytes]:
    from portal.auth.models import User

    contents = {}
    with app.app_context():
        author = db.session.scalar(select(User).limit(1))
        client = make_client()
        for number in range(count):
            content = minimal_pdf(f"Document {number}") + os.urandom(number * 700_000)
            contents[make_document(client, author.id, content=content).ref] = content
    return contents


def contents_in(app) -> dict[str, bytes]:
    with app.app_context():
        return {document.ref: b"".join(storage.stream(version.storage_key, version.sha256))
                for document, version in db.session.execute(
                    select(Document, DocumentVersion).join(DocumentVersion))}


def move(app, target: str):
    return app.test_cli_runner().invoke(args=["portal", "move-files", "--to", target])


@on_postgres
def test_move_files_into_the_database_and_back(make_app, account):
    disk_app = make_app()
    account(Role.BEHEERDER)
    contents = make_documents(disk_app, 4)
    orphan = stored(disk_app, b"zonder rij")
    result = move(disk_app, "database")
    assert result.exit_code == 0, result.output
    assert "4 bestand(en) verplaatst naar database" in result.output
    assert "1 bestand(en) zonder databaserij" in result.output
    with disk_app.app_context():
        assert storage.FileSystemStore(storage_root(disk_app)).keys() == {orphan.key}
    db_app = make_app(FILE_STORE="database")
    assert contents_in(db_app) == contents
    assert rows(db_app, FileBlob) == 4

    again = move(disk_app, "database")  # nothing left to move: the run can be repeated
    assert again.exit_code == 0 and "0 bestand(en) verplaatst" in again.output

    back = move(db_app, "filesystem")
    assert back.exit_code == 0, back.output
    assert "4 bestand(en) verplaatst naar filesystem" in back.output
    assert rows(db_app, FileBlob) == 0 and rows(db_app, FileChunk) == 0
    assert contents_in(disk_app) == contents


@on_postgres
def test_a_damaged_file_is_not_moved_and_its_original_is_kept(make_app, account):
    disk_app = make_app()
    account(Role.BEHEERDER)
    contents = make_documents(disk_app, 2)
    with disk_app.app_context():
        version = db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.id)).first()
        path = storage.path_for(version.storage_key)
    raw = bytearray(path.read_bytes())
    raw[-40] ^= 0x01
    path.write_bytes(bytes(raw))
    result = move(disk_app, "database")
    assert result.exit_code == 1
    assert "1 bestand(en) verplaatst" in result.output
    assert f"documentversie {version.id}" in result.stderr
    assert "het origineel is bewaard" in result.stderr
    assert path.read_bytes() == bytes(raw)
    assert rows(disk_app, FileBlob) == 1  # only the intact one went
    db_app = make_app(FILE_STORE="database")
    moved = contents_in_where_readable(db_app)
    assert list(moved.values()) == [c for ref, c in contents.items() if ref in moved]


def contents_in_where_readable(app) -> dict[str, bytes]:
    found = {}
    with app.app_context():
        for document, version in db.session.execute(select(Document, DocumentVersion)
                                                    .join(DocumentVersion)):
            try:
                found[document.ref] = b"".join(storage.stream(version.storage_key,
                                                              version.sha256))
            except storage.MissingFile:
                continue
    return found


def test_move_files_into_the_database_needs_postgresql(tmp_path):
    from portal import create_app
    from tests.conftest import base_config

    on_sqlite = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'portal.db'}"))
    result = move(on_sqlite, "database")
    assert result.exit_code != 0 and "vraagt PostgreSQL" in result.output


def test_the_database_store_is_refused_on_sqlite_and_unknown_stores_too(make_app, tmp_path):
    from portal import create_app
    from tests.conftest import base_config

    sqlite = base_config(tmp_path, f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigError, match="alleen met PostgreSQL"):
        create_app({**sqlite, "FILE_STORE": "database"})
    with pytest.raises(ConfigError, match="bestaat niet"):
        create_app({**sqlite, "FILE_STORE": "s3"})


MULTI_HOST = {"PORTAL_MULTI_HOST": True, "FILE_STORE": "database",
              "REDIS_URL": "redis://127.0.0.1:6379/13",
              "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1/nergens"}


@pytest.mark.parametrize("missing, named", [
    ({"SECRET_KEY": ""}, "SECRET_KEY"),
    ({"PORTAL_FILE_KEY": ""}, "PORTAL_FILE_KEY"),
    ({"REDIS_URL": ""}, "REDIS_URL"),
    ({"FILE_STORE": "filesystem"}, "FILE_STORE=database"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "FILE_STORE": "filesystem"}, "DATABASE_URL"),
])
def test_multi_host_mode_refuses_to_start_without_shared_settings(tmp_path, missing, named):
    from portal.config import load_config
    from tests.conftest import base_config

    settings = {**base_config(tmp_path, ""), **MULTI_HOST, **missing}
    with pytest.raises(ConfigError, match="PORTAL_MULTI_HOST") as refused:
        load_config(settings)
    assert named in str(refused.value)
    assert not (tmp_path / "instance" / "secret_key").exists()
    assert not (tmp_path / "instance" / "file_key").exists()


def test_multi_host_mode_starts_with_everything_from_the_environment(tmp_path):
    from portal.config import load_config
    from tests.conftest import base_config

    config = load_config({**base_config(tmp_path, ""), **MULTI_HOST})
    assert config["FILE_STORE"] == "database" and config["PORTAL_MULTI_HOST"]
