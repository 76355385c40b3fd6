"""TOTP second factor: enrolment secrets, QR codes and replay-safe verification."""

from __future__ import annotations

import hmac
import io
import time

import pyotp
import segno
from flask import current_app

from portal.crypto import decrypt_field, encrypt_field

PURPOSE = "totp-secret"
ALLOWED_DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def seal(secret: str) -> str:
    return encrypt_field(secret, PURPOSE)


def unseal(sealed: str) -> str:
    return decrypt_field(sealed, PURPOSE)


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email,
                                               issuer_name=current_app.config["TOTP_ISSUER"])


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no script, no external image)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False,
                                   scale=5, border=2, title="QR-code voor uw authenticator-app")
    return buffer.getvalue().decode()


def matching_step(secret: str, code: str, last_step: int, now: float | None = None) -> int | None:
    """The time step the code belongs to, or None; steps at or before last_step are replays."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((now if now is not None else time.time()) // totp.interval)
    for step in range(current - ALLOWED_DRIFT_STEPS, current + ALLOWED_DRIFT_STEPS + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None
