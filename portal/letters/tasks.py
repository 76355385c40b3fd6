"""Queued work of the letters: working the outbox, right after a mailing and every minute."""

from __future__ import annotations

from portal import jobs
from portal.letters import outbox


@jobs.task(retries=0)
def deliver_outbox():
    """Send what is due now (queued right after a mailing or reminder is committed)."""
    return outbox.deliver_due()


@jobs.periodic(minute="*")
def deliver_outbox_every_minute():
    """Retries with back-off and messages queued while no worker ran."""
    return outbox.deliver_due()
