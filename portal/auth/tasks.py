"""Queued work of the accounts: clearing login attempts that can no longer be used."""

from __future__ import annotations

from portal import jobs
from portal.auth import attempts


@jobs.periodic(hour="3", minute="45")
def purge_login_attempts_daily():
    return attempts.purge_old()
