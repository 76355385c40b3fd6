"""Queued work of the registrations: the daily expiry, renewal start and reminder run."""

from __future__ import annotations

from portal import jobs
from portal.registrations import reminders


@jobs.periodic(hour="0", minute="5")
def registrations_daily():
    """Just after midnight in Nijmegen (00:05 UTC is 01:05 or 02:05 there): expire ended
    registrations, start renewals, remind the contact person of those ending soon."""
    return reminders.run_daily()
