"""Queued work of the privacy officer's workspace: the monthly destruction list."""

from __future__ import annotations

from portal import jobs
from portal.privacy import retention


@jobs.periodic(day="1", hour="4", minute="0")
def propose_destruction_list_monthly():
    """On the first of the month: what is past its retention, for her decision."""
    proposal = retention.propose()
    return None if proposal is None else proposal.id


@jobs.task(retries=2, retry_delay=30)
def gather_inzage_pack(pack_id: int):
    from portal.privacy import inzage

    return inzage.gather(pack_id)


@jobs.task(retries=2, retry_delay=30)
def write_inzage_pack(pack_id: int):
    from portal.privacy import inzage

    return inzage.write(pack_id)


@jobs.periodic(hour="4", minute="20")
def expire_inzage_packs_daily():
    from portal.privacy import inzage

    return inzage.expire_due()
