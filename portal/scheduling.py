"""Scheduled jobs run once per scheduled moment, however many job-queue workers there are.

Every worker's scheduler enqueues each periodic job when its moment comes, so with two hosts
a nightly clean-up would run twice. Before a scheduled job runs, it claims its moment (the job's
name and the minute it was due) in the shared database: the primary key lets one claim win;
the others end without running.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import String, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db

# A job runs at most this long after its moment and is still matched to it.
LATEST_START = timedelta(hours=1)
KEEP_CLAIMS = timedelta(days=7)


class ScheduledRun(db.Model):
    __tablename__ = "scheduled_runs"

    job: Mapped[str] = mapped_column(String(120), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def due_moment(schedule, now: datetime) -> datetime:
    """The latest minute at or before `now` (aware UTC) that the schedule names; the
    schedule is Huey's crontab test, which takes naive UTC times."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0, tzinfo=None)
    for back in range(int(LATEST_START.total_seconds() // 60) + 1):
        moment = minute - timedelta(minutes=back)
        if schedule(moment):
            return moment.replace(tzinfo=UTC)
    return minute.replace(tzinfo=UTC)


def claim(job: str, due_at: datetime) -> bool:
    """True for the one worker that may run `job` for `due_at`; old claims are pruned."""
    try:
        db.session.execute(insert(ScheduledRun).values(job=job, due_at=due_at,
                                                       claimed_at=utcnow()))
        db.session.execute(delete(ScheduledRun).where(ScheduledRun.job == job,
                                                      ScheduledRun.due_at < due_at - KEEP_CLAIMS))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
