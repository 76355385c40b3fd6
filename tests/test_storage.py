"""The encrypted file store: round trips, tamper detection and crashes mid-write."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import func, select

from portal.documents import storage
from portal.documents.models import Document
from portal.extensions import db


def stored(app, data: bytes) -> storage.StoredFile:
    with app.app_context():
        return storage.store(io.BytesIO(data))


def read_back(app, item: storage.StoredFile) -> bytes:
    with app.app_context():
        return b"".join(storage.stream(item.key, item.sha256))


@pytest.mark.parametrize("size", [0, 1, storage.CHUNK_SIZE - 1, storage.CHUNK_SIZE,
                                  storage.CHUNK_SIZE * 2 + 17])
def test_round_trip_at_chunk_boundaries(app, size):
    data = os.urandom(size)
    item = stored(app, data)
    assert item.size == size and item.sha256 == hashlib.sha256(data).hexdigest()
    assert read_back(app, item) == data


def test_file_is_encrypted_private_and_randomly_named(app):
    data = b"Vertrouwelijk diagnostiekrapport " * 1000
    item = stored(app, data)
    with app.app_context():
        path = storage.path_for(item.key)
    raw = path.read_bytes()
    assert b"Vertrouwelijk" not in raw and raw.startswith(storage.MAGIC)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name == item.key and len(item.key) == 64
    assert path.parents[2].name == "uploads" and not list((path.parents[2] / "tmp").glob("*"))


@pytest.mark.parametrize("damage", ["flip", "truncate_chunk", "drop_last_chunk", "swap_key"])
def test_damage_is_detected_never_served(app, damage):
    data = os.urandom(storage.CHUNK_SIZE * 2 + 5)
    item = stored(app, data)
    with app.app_context():
        path = storage.path_for(item.key)
    raw = bytearray(path.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0x01
    elif damage == "truncate_chunk":
        raw = raw[:-10]
    elif damage == "drop_last_chunk":
        last = storage.HEADER.size + 2 * (storage.LENGTH.size + storage.CHUNK_SIZE
                                          + storage.TAG_SIZE)
        raw = raw[:last]
    path.write_bytes(bytes(raw))
    if damage == "swap_key":
        app.config["PORTAL_FILE_KEY"] = "ff" * 32
    with app.app_context(), pytest.raises(storage.StorageError):
        storage.verify(item.key, item.sha256)


def test_wrong_checksum_is_refused_before_the_first_byte(app):
    item = stored(app, b"inhoud")
    with app.app_context(), pytest.raises(storage.ChecksumMismatch):
        storage.stream(item.key, "0" * 64)


def test_missing_file_and_bad_keys(app):
    with app.app_context():
        with pytest.raises(storage.MissingFile):
            storage.verify("a" * 64, "0" * 64)
        for bad in ("../../etc/passwd", "A" * 64, "a" * 63):
            with pytest.raises(storage.StorageError):
                storage.path_for(bad)


CRASHING_WRITER = textwrap.dedent("""
    import io, os, sys, time
    from portal import create_app
    from portal.documents import services
    from portal.clients.models import Client
    from portal.auth.models import User
    from portal.documents.models import DocumentKind
    from portal.extensions import db
    from tests.conftest import base_config
    from tests.factories import minimal_pdf
    from pathlib import Path

    stage = sys.argv[1]
    app = create_app({**base_config(Path(sys.argv[2]), sys.argv[3])})

    from portal.documents import storage
    real_chunks = storage._read_chunks

    def hang_mid_write(source, size):
        '''Write the first chunk, then signal and hang: the writer is killed here.'''
        for number, item in enumerate(real_chunks(source, size)):
            if number == 1:
                print("WRITING", flush=True)
                time.sleep(60)
            yield item

    def hang_before_commit(*args, **kwargs):
        print("STORED", flush=True)
        time.sleep(60)

    if stage == "before-commit":
        services.record = hang_before_commit
    else:
        storage._read_chunks = hang_mid_write
    # 3 MB, so the write spans several chunks: a trailing comment of plain letters (random
    # bytes could by chance spell a PDF keyword and make the file unreadable for the intake).
    pdf = minimal_pdf("Crash") + b"%" + b"Stapportaal " * (3 * 1024 * 1024 // 12)
    with app.app_context():
        client = db.session.get(Client, int(sys.argv[4]))
        user = db.session.get(User, int(sys.argv[5]))
        services.upload(client, user, kind=DocumentKind.OVERIG, title="Crash",
                        document_date=None, note=None,
                        file=services.Upload(io.BytesIO(pdf), "crash.pdf"))
""")


def kill_writer_at(app, account, tmp_path, stage: str, **env) -> None:
    """Start an upload in its own process and SIGKILL it at this stage of the write."""
    from portal.roles import Role
    from tests.factories import make_client

    user = account(Role.CASEMANAGER)
    with app.app_context():
        client_id = make_client().id
    process = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, stage, str(tmp_path),
         app.config["SQLALCHEMY_DATABASE_URI"], str(client_id), str(user.id)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.getcwd(),
        env={**os.environ, **env})
    try:
        line = process.stdout.readline()
        if line.strip() not in ("WRITING", "STORED"):  # it ended before it got there: why?
            process.wait(timeout=30)
            pytest.fail(f"the writer ended early ({process.returncode}): "
                        f"{process.stderr.read()[-3000:]}")
        time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 0  # no row without file


@pytest.mark.parametrize("stage, finding", [("mid-write", "Onvoltooide tijdelijke bestanden"),
                                            ("before-commit", "Bestanden zonder databaserij")])
def test_killed_writer_leaves_no_row_and_check_storage_reports_the_file(
        app, account, tmp_path, stage, finding):
    kill_writer_at(app, account, tmp_path, stage)
    result = app.test_cli_runner().invoke(args=["portal", "check-storage"])
    assert result.exit_code == 1
    assert finding in result.output
