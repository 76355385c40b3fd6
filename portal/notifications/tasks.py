"""Periodic work of the notifications: the daily digest e-mail at 07:00."""

from __future__ import annotations

from portal import jobs
from portal.notifications import digest


@jobs.periodic(minute="0", hour="7")
def daily_digest():
    return digest.send_digests()
