"""Queued work of the aanmeldingen: the daily destruction of withdrawn ones past retention."""

from __future__ import annotations

from portal import jobs
from portal.referrals import services


@jobs.periodic(hour="3", minute="30")
def purge_withdrawn_referrals_daily():
    return services.purge_withdrawn()
