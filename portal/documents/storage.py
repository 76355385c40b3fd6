"""The only code that touches the file store: encrypted, atomic, verified, streamed.

File format (all integers big-endian):
    header  = b"STAP" | version (1 byte) | nonce prefix (8 bytes) | chunk size (4 bytes)
    chunk   = ciphertext length (4 bytes) | AES-256-GCM ciphertext with its 16-byte tag
Each chunk's nonce is the prefix plus its 4-byte index; its associated data is the header,
the index and a final-chunk flag, so chunks cannot be reordered, dropped or truncated unseen.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

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


def root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _cipher() -> AESGCM:
    return AESGCM(derive_key(current_app.config["PORTAL_FILE_KEY"], "file-encryption"))


def path_for(key: str) -> Path:
    if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
        raise StorageError("ongeldige opslagsleutel")
    return root() / key[:2] / key[2:4] / key


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
    """Encrypt a stream into the store: temp file, fsync, rename; returns key, size, SHA-256."""
    tmp_dir = root() / TMP_DIR
    tmp_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32)
    tmp_path = tmp_dir / f"{key}.part"
    digest, size = hashlib.sha256(), 0
    cipher, prefix = _cipher(), os.urandom(8)
    header = HEADER.pack(MAGIC, VERSION, prefix, CHUNK_SIZE)
    fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header)
            for index, (plain, final) in enumerate(_read_chunks(source, CHUNK_SIZE)):
                digest.update(plain)
                size += len(plain)
                sealed = cipher.encrypt(_chunk_nonce(prefix, index), plain,
                                        _aad(header, index, final))
                out.write(LENGTH.pack(len(sealed)) + sealed)
            out.flush()
            os.fsync(out.fileno())
        final_path = path_for(key)
        final_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(tmp_path, final_path)
        _fsync_dir(final_path.parent)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return StoredFile(key=key, size=size, sha256=digest.hexdigest())


def _decrypted_chunks(key: str) -> Iterator[bytes]:
    """Resolve path and key now (inside the app context); decrypt lazily while streaming."""
    path = path_for(key)
    if not path.exists():
        raise MissingFile("bestand ontbreekt")
    return _decrypt_file(path, _cipher())


def _decrypt_file(path: Path, cipher: AESGCM) -> Iterator[bytes]:
    with path.open("rb") as handle:
        header = handle.read(HEADER.size)
        try:
            magic, version, prefix, _ = HEADER.unpack(header)
        except struct.error as error:
            raise StorageError("kop onleesbaar") from error
        if magic != MAGIC or version != VERSION:
            raise StorageError("onbekend bestandsformaat")
        index = 0
        while True:
            raw_length = handle.read(LENGTH.size)
            if len(raw_length) < LENGTH.size:
                raise StorageError("bestand is afgekapt")
            (length,) = LENGTH.unpack(raw_length)
            if length > CHUNK_SIZE + TAG_SIZE:
                raise StorageError("beschadigd blok")
            sealed = handle.read(length)
            final = handle.peek(1)[:1] == b""  # nothing after this chunk
            try:
                yield cipher.decrypt(_chunk_nonce(prefix, index), sealed,
                                     _aad(header, index, final))
            except InvalidTag as error:
                raise StorageError("ontsleutelen mislukt (beschadigd of verkeerde sleutel)") \
                    from error
            if final:
                return
            index += 1


def verify(key: str, sha256: str) -> None:
    """Decrypt the whole file and compare its SHA-256; raises StorageError on any mismatch."""
    digest = hashlib.sha256()
    for chunk in _decrypted_chunks(key):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise ChecksumMismatch("controlegetal klopt niet")


def stream(key: str, sha256: str) -> Iterator[bytes]:
    """The verified plaintext in chunks: the whole file is checked before the first byte."""
    verify(key, sha256)
    return _decrypted_chunks(key)


def delete(key: str) -> None:
    path_for(key).unlink(missing_ok=True)


def stored_keys() -> set[str]:
    """Every stored file's key (temporary files excluded)."""
    keys = set()
    for path in root().glob("??/??/*"):
        if path.is_file() and len(path.name) == 64:
            keys.add(path.name)
    return keys


def leftover_temporary_files() -> list[Path]:
    tmp_dir = root() / TMP_DIR
    return sorted(tmp_dir.glob("*.part")) if tmp_dir.exists() else []


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
