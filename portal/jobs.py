"""The job queue (Huey), configured from the app: SQLite in instance/ by default, Redis when
REDIS_URL is set, in-process when JOBS_IMMEDIATE is on (the tests).

Importing this module builds nothing on disk: `huey` starts in memory and `init_app` points it
at the app's queue. Each feature declares its tasks beside it (`documents/tasks.py`, ...) with
`task` and `periodic`; services hand work to the queue with `after_commit`, which enqueues
only once their transaction has committed (and drops the work on a rollback).

Run a worker with:  .venv/bin/huey_consumer wsgi.huey
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

PENDING = "portal.jobs.pending"
TASK_MODULES = ("portal.auth.tasks", "portal.documents.tasks", "portal.letters.tasks",
                "portal.referrals.tasks", "portal.registrations.tasks",
                "portal.notifications.tasks", "portal.checks", "portal.privacy.tasks")


class PortalHuey(Huey):
    """A Huey whose storage is chosen by the Flask app, and whose tasks run in its context."""

    storage_class = MemoryStorage
    flask_app: Flask | None = None

    def configure(self, app: Flask) -> None:
        self.flask_app = app
        if app.config["JOBS_IMMEDIATE"]:
            self.immediate = True
            return
        if app.config["REDIS_URL"]:
            self.storage_class, self.storage_kwargs = RedisStorage, {"url": app.config["REDIS_URL"]}
        else:
            filename = Path(app.instance_path) / "jobs.db"
            self.storage_class, self.storage_kwargs = SqliteStorage, {"filename": str(filename)}
        self._immediate = False
        self.storage = self.create_storage()


huey = PortalHuey("stapportaal")


def init_app(app: Flask) -> None:
    """Point the queue at this app's storage and load every feature's tasks."""
    import importlib

    huey.configure(app)
    importlib.import_module("portal.scheduling")
    for module in TASK_MODULES:
        importlib.import_module(module)
    if not event.contains(Session, "after_commit", _enqueue_pending):
        event.listen(Session, "after_commit", _enqueue_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)


def after_commit(task, *args) -> None:
    """Enqueue `task(*args)` once the current transaction commits; a rollback drops it."""
    from portal.extensions import db

    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any SQL still drops the work
    session.info.setdefault(PENDING, []).append((task, args))


def _enqueue_pending(session: Session) -> None:
    pending = session.info.pop(PENDING, [])
    if not pending:
        return
    if not huey.immediate:
        for task, args in pending:
            task(*args)
        return
    # In-process: the tasks run now, in a fresh app context with a session of their own
    # (the committing session cannot run SQL inside its after_commit event).
    with _app().app_context():
        for task, args in pending:
            task(*args)


def _drop_pending(session: Session, previous) -> None:
    """Every rollback of the whole transaction, also one that had sent no SQL yet."""
    if not previous.nested:
        session.info.pop(PENDING, None)


def _app() -> Flask:
    if current_app:
        return current_app._get_current_object()
    if huey.flask_app is None:
        raise RuntimeError("de takenwachtrij is niet gekoppeld aan een app (init_app)")
    return huey.flask_app


def _in_app(work):
    """Run inside an app context: the current one (a direct call, or in-process after a
    commit), else the configured app's (the worker)."""
    if current_app:
        return work()
    with _app().app_context():
        return work()


def task(**options):
    """Declare a queued task; it runs inside the app's context."""
    def decorate(function):
        @functools.wraps(function)
        def in_app(*args, **kwargs):
            return _in_app(lambda: function(*args, **kwargs))
        return huey.task(**options)(in_app)
    return decorate


def periodic(**schedule):
    """Declare a periodic task on a crontab schedule (minute=, hour=, ...) in Nijmegen's time,
    summer and winter alike; a worker runs it only when it wins the claim on its moment, so
    several workers run it once."""
    def decorate(function):
        validate = local_schedule(crontab(**schedule))

        @functools.wraps(function)
        def in_app():
            return _in_app(lambda: run_once(function, validate))
        return huey.periodic_task(validate)(in_app)
    return decorate


def local_schedule(validate):
    """Huey tests a schedule against naive UTC times; this one reads them in Amsterdam time,
    whatever time zone the host is in."""
    from portal.clock import AMSTERDAM

    def in_amsterdam(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).replace(tzinfo=None)
        return validate(local)
    return in_amsterdam


def run_once(function, schedule, now: datetime | None = None):
    """Run a scheduled job unless another worker already claimed this moment (in-process
    queues, the tests, have one worker and always run it)."""
    from portal import scheduling

    if not huey.immediate:
        moment = scheduling.due_moment(schedule, now or datetime.now(UTC))
        if not scheduling.claim(f"{function.__module__}.{function.__name__}", moment):
            return None
    return function()
