"""The only code that touches the file store: encrypted, atomic, verified, streamed.

Format (all integers big-endian):
    header  = b"STAP" | version (1 byte) | nonce prefix (8 bytes) | chunk size (4 bytes)
    chunk   = AES-256-GCM ciphertext with its 16-byte tag
Each chunk's nonce is the prefix plus its 4-byte index; its associated data is the header,
the index and a final-chunk flag, so chunks cannot be reordered, dropped or truncated unseen.

Two stores hold that format (`FILE_STORE`):
- `filesystem` (default): one file per key under UPLOAD_FOLDER, the header followed by each
  chunk with its 4-byte length; written to tmp/, fsynced and renamed into place.
- `database` (PostgreSQL): a `file_blobs` row with the header and one `file_chunks` row per
  chunk, written on a connection of its own in one transaction, so app hosts share no disk and
  a writer that dies mid-way leaves nothing behind.
Both are written, read and checked chunk by chunk: memory stays constant whatever the size.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from portal.crypto import derive_key

MAGIC = b"STAP"
VERSION = 1
CHUNK_SIZE = 1024 * 1024
HEADER = struct.Struct(">4sB8sI")
LENGTH = struct.Struct(">I")
TAG_SIZE = 16
TMP_DIR = "tmp"


class StorageError(Exception):
    """The stored file cannot be read back: damaged, truncated or encrypted with another key."""


class MissingFile(StorageError):
    """No file under this key."""


class ChecksumMismatch(StorageError):
    """The file decrypts, but its content is not the content the database recorded."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Sealed:
    """A stored file as it lies in a store: its header and its chunks, still encrypted; each
    chunk comes with the flag that says whether it is the last."""

    header: bytes
    chunks: Iterator[tuple[bytes, bool]]


def check_key(key: str) -> str:
    if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
        raise StorageError("ongeldige opslagsleutel")
    return key


class FileSystemStore:
    """One file per key, two directory levels deep (`ab/cd/abcd…`)."""

    name = "filesystem"

    def __init__(self, root: Path):
        self.root = root

    def path_for(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def write(self, key: str, header: bytes, sealed_chunks: Iterable[bytes]) -> None:
        tmp_dir = self.root / TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp_path = tmp_dir / f"{check_key(key)}.part"
        fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header)
                for sealed in sealed_chunks:
                    out.write(LENGTH.pack(len(sealed)) + sealed)
                out.flush()
                os.fsync(out.fileno())
            final_path = self.path_for(key)
            final_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(tmp_path, final_path)
            _fsync_dir(final_path.parent)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def read(self, key: str) -> Sealed:
        path = self.path_for(key)
        if not path.exists():
            raise MissingFile("bestand ontbreekt")
        with path.open("rb") as handle:
            header = handle.read(HEADER.size)
        return Sealed(header, self._chunks(path))

    @staticmethod
    def _chunks(path: Path) -> Iterator[tuple[bytes, bool]]:
        """Opened when the first chunk is wanted: a stream never read holds no file."""
        with path.open("rb") as handle:
            handle.seek(HEADER.size)
            while True:
                raw_length = handle.read(LENGTH.size)
                if len(raw_length) < LENGTH.size:
                    raise StorageError("bestand is afgekapt")
                (length,) = LENGTH.unpack(raw_length)
                if length > CHUNK_SIZE + TAG_SIZE:
                    raise StorageError("beschadigd blok")
                sealed = handle.read(length)
                final = handle.peek(1)[:1] == b""  # nothing after this chunk
                yield sealed, final
                if final:
                    return

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def keys(self) -> set[str]:
        return {path.name for path in self.root.glob("??/??/*")
                if path.is_file() and len(path.name) == 64}

    def unfinished(self) -> list[str]:
        tmp_dir = self.root / TMP_DIR
        return sorted(path.name for path in tmp_dir.glob("*.part")) if tmp_dir.exists() else []


class DatabaseStore:
    """Blobs in the database, on connections of their own (never the request's session): a
    file is stored, or deleted, at once, as on a disk."""

    name = "database"

    def __init__(self, engine: Engine):
        self.engine = engine

    def write(self, key: str, header: bytes, sealed_chunks: Iterable[bytes]) -> None:
        from portal.documents.models import FileBlob, FileChunk

        with self.engine.begin() as connection:
            connection.execute(insert(FileBlob).values(key=check_key(key), header=header,
                                                       chunk_count=0))
            count = 0
            for count, sealed in enumerate(sealed_chunks, start=1):
                connection.execute(insert(FileChunk).values(key=key, index=count - 1,
                                                            sealed=sealed))
            connection.execute(update(FileBlob).where(FileBlob.key == key)
                               .values(chunk_count=count))

    def read(self, key: str) -> Sealed:
        from portal.documents.models import FileBlob

        with self.engine.connect() as connection:
            row = connection.execute(select(FileBlob.header, FileBlob.chunk_count)
                                     .where(FileBlob.key == check_key(key))).first()
        if row is None:
            raise MissingFile("bestand ontbreekt")
        return Sealed(row.header, self._chunks(key, row.chunk_count))

    def _chunks(self, key: str, count: int) -> Iterator[tuple[bytes, bool]]:
        """One chunk per statement, each on a connection borrowed for that statement only,
        so a download that stalls or is abandoned holds no connection."""
        from portal.documents.models import FileChunk

        if count == 0:
            raise StorageError("bestand is afgekapt")
        for index in range(count):
            with self.engine.connect() as connection:
                sealed = connection.execute(select(FileChunk.sealed).where(
                    FileChunk.key == key, FileChunk.index == index)).scalar()
            if sealed is None:
                raise StorageError("bestand is afgekapt")
            yield sealed, index == count - 1

    def delete(self, key: str) -> None:
        from portal.documents.models import FileBlob, FileChunk

        with self.engine.begin() as connection:
            connection.execute(sql_delete(FileChunk).where(FileChunk.key == check_key(key)))
            connection.execute(sql_delete(FileBlob).where(FileBlob.key == key))

    def keys(self) -> set[str]:
        from portal.documents.models import FileBlob

        with self.engine.connect() as connection:
            return set(connection.execute(select(FileBlob.key)).scalars())

    def unfinished(self) -> list[str]:
        """Nothing: a write that did not finish was never committed."""
        return []


Store = FileSystemStore | DatabaseStore


def configured_store() -> Store:
    return store_named(current_app.config["FILE_STORE"])


def store_named(name: str) -> Store:
    if name == "database":
        from portal.extensions import db

        return DatabaseStore(db.engine)
    return FileSystemStore(root())


def root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def path_for(key: str) -> Path:
    """Where the filesystem store keeps (or would keep) this key's file."""
    return FileSystemStore(root()).path_for(key)


def _cipher() -> AESGCM:
    return AESGCM(derive_key(current_app.config["PORTAL_FILE_KEY"], "file-encryption"))


def _chunk_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">I?", index, final)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_chunks(source: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """Chunks of the source with a flag for the last one (an empty source gives one chunk)."""
    current = source.read(size)
    while True:
        following = source.read(size)
        yield current, not following
        if not following:
            return
        current = following


def store(source: BinaryIO) -> StoredFile:
    """Encrypt a stream into the configured store; returns its key, size and SHA-256."""
    key = secrets.token_hex(32)
    sealing = _Sealing(source)
    configured_store().write(key, sealing.header, sealing.chunks())
    return StoredFile(key=key, size=sealing.size, sha256=sealing.digest.hexdigest())


class _Sealing:
    """Encrypts a source chunk by chunk while the store writes, counting and hashing it."""

    def __init__(self, source: BinaryIO):
        self.source, self.size, self.digest = source, 0, hashlib.sha256()
        self.cipher, self.prefix = _cipher(), os.urandom(8)
        self.header = HEADER.pack(MAGIC, VERSION, self.prefix, CHUNK_SIZE)

    def chunks(self) -> Iterator[bytes]:
        for index, (plain, final) in enumerate(_read_chunks(self.source, CHUNK_SIZE)):
            self.digest.update(plain)
            self.size += len(plain)
            yield self.cipher.encrypt(_chunk_nonce(self.prefix, index), plain,
                                      _aad(self.header, index, final))


def _decrypted_chunks(key: str, where: Store | None = None) -> Iterator[bytes]:
    """Resolve the store and key now (inside the app context); decrypt lazily while
    streaming."""
    sealed = (where or configured_store()).read(key)
    return _decrypt(sealed, _cipher())


def _decrypt(sealed: Sealed, cipher: AESGCM) -> Iterator[bytes]:
    try:
        magic, version, prefix, _ = HEADER.unpack(sealed.header)
    except struct.error as error:
        raise StorageError("kop onleesbaar") from error
    if magic != MAGIC or version != VERSION:
        raise StorageError("onbekend bestandsformaat")
    for index, (chunk, final) in enumerate(sealed.chunks):
        try:
            yield cipher.decrypt(_chunk_nonce(prefix, index), chunk,
                                 _aad(sealed.header, index, final))
        except InvalidTag as error:
            raise StorageError("ontsleutelen mislukt (beschadigd of verkeerde sleutel)") \
                from error


def verify(key: str, sha256: str, where: Store | None = None) -> None:
    """Decrypt the whole file and compare its SHA-256; raises StorageError on any mismatch."""
    digest = hashlib.sha256()
    for chunk in _decrypted_chunks(key, where):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise ChecksumMismatch("controlegetal klopt niet")


def stream(key: str, sha256: str) -> Iterator[bytes]:
    """The verified plaintext in chunks: the whole file is checked before the first byte."""
    verify(key, sha256)
    return _decrypted_chunks(key)


def delete(key: str) -> None:
    configured_store().delete(key)


def stored_keys() -> set[str]:
    """Every stored file's key (unfinished writes excluded)."""
    return configured_store().keys()


def unfinished_writes() -> list[str]:
    """Writes that never finished (a filesystem store's temporary files)."""
    return configured_store().unfinished()


def plaintext_copy(key: str, sha256: str):
    """The verified plaintext in an unnamed temporary file (O_TMPFILE) in instance/tmp, for
    readers that need to seek (text extraction); it vanishes when closed."""
    directory = Path(current_app.instance_path) / "tmp"
    directory.mkdir(mode=0o700, exist_ok=True)
    handle = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - the caller closes it
    for chunk in stream(key, sha256):
        handle.write(chunk)
    handle.seek(0)
    return handle
