"""Argon2id password hashing and the password policy."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_STRENGTH = 3  # zxcvbn score 0-4: 3 means "safely unguessable" against online attacks
STRENGTH_PREFIX = 72  # zxcvbn slows down sharply on long input; a long prefix decides anyway


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return _cached_hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"],
                          cfg["ARGON2_PARALLELISM"])


@lru_cache(maxsize=4)
def _cached_hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Same work whether or not the account exists: a missing hash is checked against a dummy."""
    hasher = _hasher()
    try:
        matches = hasher.verify(stored_hash or _dummy_hash(hasher), password)
        return matches and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("geen-account-met-dit-adres")


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Dutch explanations of why a password is refused; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Gebruik minstens {MIN_LENGTH} tekens.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Gebruik hoogstens {MAX_LENGTH} tekens.")
    lowered = password.lower()
    personal = [part for part in [email.split("@")[0].lower(), *name.lower().split()]
                if len(part) >= 4]
    if any(part in lowered for part in personal):
        problems.append("Gebruik uw naam of e-mailadres niet in uw wachtwoord.")
    elif password and zxcvbn(password[:STRENGTH_PREFIX], user_inputs=personal)["score"] < \
            MIN_STRENGTH:
        problems.append("Dit wachtwoord is te bekend of te eenvoudig te raden; kies een ander, "
                        "bijvoorbeeld een zin van een paar woorden.")
    return problems
