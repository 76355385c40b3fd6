"""Encryption of small secrets in the database (AES-256-GCM, key derived from the file key)."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

FIELD_PREFIX = "v1:"


def derive_key(master_hex: str, purpose: str) -> bytes:
    """A 256-bit subkey per purpose, so one configured key never serves two uses directly."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"stapportaal/{purpose}".encode()).derive(bytes.fromhex(master_hex))


def _field_cipher(purpose: str) -> AESGCM:
    return AESGCM(derive_key(current_app.config["PORTAL_FILE_KEY"], purpose))


def encrypt_field(plaintext: str, purpose: str) -> str:
    nonce = os.urandom(12)
    sealed = _field_cipher(purpose).encrypt(nonce, plaintext.encode(), purpose.encode())
    return FIELD_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt_field(token: str, purpose: str) -> str:
    raw = base64.urlsafe_b64decode(token.removeprefix(FIELD_PREFIX))
    return _field_cipher(purpose).decrypt(raw[:12], raw[12:], purpose.encode()).decode()
