"""The job queue (Huey): SQLite-backed in instance/ by default, Redis when REDIS_URL is set.

Run a worker with:  .venv/bin/huey_consumer portal.jobs.huey
Tasks build the Flask app once per worker process and run inside its app context.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab

from portal.config import DEFAULT_INSTANCE


def _make_huey():
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("stapportaal", url=redis_url)
    instance = Path(os.environ.get("PORTAL_INSTANCE_PATH") or DEFAULT_INSTANCE)
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("stapportaal", filename=str(instance / "jobs.db"))


huey = _make_huey()


@lru_cache(maxsize=1)
def _app():
    from portal import create_app

    return create_app()


def _in_app(work):
    from flask import current_app

    try:
        current_app._get_current_object()
    except RuntimeError:
        with _app().app_context():
            return work()
    return work()


@huey.task(retries=0)
def deliver_outbox():
    """Send what is due now (called right after a mailing is queued)."""
    from portal.letters.outbox import deliver_due

    return _in_app(deliver_due)


@huey.task(retries=2, retry_delay=60)
def index_document_version(version_id: int, previous_id: int | None):
    """Extract a stored document's text into the full-text index."""
    from portal.documents.services import index_stored_version

    return _in_app(lambda: index_stored_version(version_id, previous_id))


@huey.periodic_task(crontab(minute="*"))
def deliver_outbox_every_minute():
    """Retries with back-off and messages queued while no worker ran."""
    from portal.letters.outbox import deliver_due

    return _in_app(deliver_due)


@huey.periodic_task(crontab(hour="3", minute="15"))
def purge_trash_daily():
    from portal.documents.services import purge_due

    return _in_app(purge_due)


@huey.periodic_task(crontab(hour="3", minute="30"))
def purge_withdrawn_referrals_daily():
    from portal.referrals.services import purge_withdrawn

    return _in_app(purge_withdrawn)


@huey.periodic_task(crontab(hour="0", minute="5"))
def registrations_daily():
    """Just after midnight in Nijmegen (00:05 UTC is 01:05 or 02:05 there): expire ended
    registrations, start renewals, remind the contact person of those ending soon."""
    from portal.registrations.reminders import run_daily

    return _in_app(run_daily)
