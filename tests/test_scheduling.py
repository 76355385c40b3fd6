"""Scheduled jobs run once per moment, however many workers enqueue them; queued work
follows its transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from huey import crontab
from sqlalchemy import func, select

from portal import jobs, scheduling
from portal.extensions import db

NIGHTLY = crontab(hour="3", minute="30")
AT = datetime(2026, 12, 3, 3, 42, 17, tzinfo=UTC)


def test_the_moment_is_the_latest_scheduled_minute():
    assert scheduling.due_moment(NIGHTLY, AT) == datetime(2026, 12, 3, 3, 30, tzinfo=UTC)
    every_minute = crontab(minute="*")
    assert scheduling.due_moment(every_minute, AT) == datetime(2026, 12, 3, 3, 42, tzinfo=UTC)
    # Started more than an hour late: its own minute, so it still runs once.
    late = AT + timedelta(hours=2)
    assert scheduling.due_moment(NIGHTLY, late) == late.replace(second=0, microsecond=0)


def test_one_claim_wins_per_moment_and_old_claims_go(app):
    moment = datetime(2026, 12, 3, 3, 30, tzinfo=UTC)
    with app.app_context():
        assert scheduling.claim("nachtwerk", moment)
        assert not scheduling.claim("nachtwerk", moment)
        assert scheduling.claim("ander werk", moment)
        assert scheduling.claim("nachtwerk", moment + timedelta(days=8))
        kept = db.session.scalars(select(scheduling.ScheduledRun.due_at)
                                  .where(scheduling.ScheduledRun.job == "nachtwerk")).all()
    assert kept == [moment + timedelta(days=8)]


def test_two_hosts_run_a_scheduled_job_once(make_app, monkeypatch):
    ran = []

    def clean_up():
        ran.append(1)

    host_a, host_b = make_app(), make_app()
    monkeypatch.setattr(jobs.huey, "_immediate", False)  # as in a worker: a real queue
    for host in (host_a, host_b, host_a):
        with host.app_context():
            jobs.run_once(clean_up, NIGHTLY, now=AT)
    assert ran == [1]
    with host_b.app_context():
        jobs.run_once(clean_up, NIGHTLY, now=AT + timedelta(days=1))
        claims = db.session.scalar(select(func.count()).select_from(scheduling.ScheduledRun))
    assert ran == [1, 1] and claims == 2


def test_an_in_process_queue_always_runs_it(app):
    ran = []
    with app.app_context():
        for _ in range(2):
            jobs.run_once(lambda: ran.append(1), NIGHTLY, now=AT)
    assert ran == [1, 1]


def test_work_queued_in_a_transaction_runs_at_its_commit_and_never_after_a_rollback(app):
    from sqlalchemy import text

    ran = []
    with app.app_context():
        jobs.after_commit(ran.append, "teruggedraaid")
        db.session.rollback()  # before any SQL was sent
        jobs.after_commit(ran.append, "bewaard")
        db.session.execute(text("SELECT 1"))
        db.session.commit()
        db.session.commit()  # a later commit has nothing left to run
    assert ran == ["bewaard"]


def test_schedules_are_in_nijmegen_time_summer_and_winter():
    digest = jobs.local_schedule(crontab(hour="7", minute="0"))
    assert digest(datetime(2026, 12, 3, 6, 0))  # CET: 07:00 is 06:00 UTC
    assert not digest(datetime(2026, 12, 3, 7, 0))
    assert digest(datetime(2026, 7, 1, 5, 0))  # CEST: 07:00 is 05:00 UTC
    moment = scheduling.due_moment(digest, datetime(2026, 12, 3, 6, 20, tzinfo=UTC))
    assert moment == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
