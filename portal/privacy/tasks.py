"""Queued work of the privacy officer's workspace: the monthly destruction list."""

from __future__ import annotations

from portal import jobs
from portal.privacy import retention


@jobs.periodic(day="1", hour="4", minute="0")
def propose_destruction_list_monthly():
    """On the first of the month: what is past its retention, for her decision."""
    proposal = retention.propose()
    return None if proposal is None else proposal.id
