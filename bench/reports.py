"""Time the stand van zaken (figures, tables, Woo-safe version) on a large generated dataset;
print milliseconds per build and the number of SQL statements.

    .venv/bin/python bench/reports.py [clients] [hour_entries]     (default: 10000 500000)
    BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<db> .venv/bin/python ...

SQLite always; PostgreSQL as well when BENCH_POSTGRES_URL is set (that database is dropped
and created again). Rows are inserted in bulk as the services would write them: a status
history of two to four changes per client over 2025-2026, one casemanager each and a
handover for every fifth, a traject for every other client, and the hour entries spread
over 2026 across ten casemanagers of two organisations with a weekly target each.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from contextlib import redirect_stderr
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.clients.models import (  # noqa: E402
    AssignmentChange,
    Client,
    StatusChange,
    Traject,
    client_casemanagers,
)
from portal.extensions import db  # noqa: E402
from portal.roles import Role  # noqa: E402
from portal.verantwoording.figures import stand_van_zaken  # noqa: E402
from portal.verantwoording.publication import Settings, publish  # noqa: E402
from portal.verantwoording.tables import report_tables  # noqa: E402
from tests.conftest import base_config  # noqa: E402
from tests.database import counted_statements, recreate_postgres_database  # noqa: E402
from tests.factories import make_organisation, make_user  # noqa: E402

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
HISTORIES = (("aangemeld", "actief"), ("actief", "afgesloten"),
             ("actief", "overgedragen_regulier", "actief"), ("actief", "monitoring"),
             ("aangemeld", "actief", "overgedragen_andere_gemeente"))
KINDS = ("instroomwoning", "time-out", "diagnostiek", "flexbudget")
BATCH = 20_000


def _day(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def _bulk(table, rows: list[dict]) -> None:
    for first in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[first:first + BATCH])


def fill_clients(count: int, staff: list[User], rng: random.Random) -> None:
    _bulk(Client.__table__, [{"werknaam": f"Cliënt {n}", "number": f"B-{n:06d}",
                              "ref": f"bench{n:08d}", "status": "actief"}
                             for n in range(count)])
    ids = list(db.session.scalars(select(Client.id).order_by(Client.id)))
    changes, assigned, handovers, trajecten = [], [], [], []
    for client_id in ids:
        day = _day(rng, date(2025, 1, 1), 500)
        previous = None
        for status in HISTORIES[client_id % len(HISTORIES)]:
            changes.append({"client_id": client_id, "from_status": previous, "to_status": status,
                            "changed_on": day, "reason": "Bench", "by_id": staff[0].id})
            previous, day = status, day + timedelta(days=rng.randrange(10, 120))
        casemanager = staff[client_id % len(staff)]
        assigned.append({"client_id": client_id, "user_id": casemanager.id,
                         "assigned_at": datetime(2025, 1, 1, tzinfo=UTC)})
        if client_id % 5 == 0:
            handovers.append({"client_id": client_id, "by_id": staff[0].id,
                              "changed_at": datetime(2026, rng.randrange(1, 13), 1, tzinfo=UTC),
                              "from_casemanagers": staff[(client_id + 1) % len(staff)].name,
                              "to_casemanagers": casemanager.name})
        if client_id % 2 == 0:
            start = _day(rng, date(2025, 6, 1), 540)
            trajecten.append({"client_id": client_id, "kind": KINDS[client_id % 4],
                              "status": "lopend", "start_date": start,
                              "end_date": start + timedelta(days=90) if client_id % 3 else None})
    _bulk(StatusChange.__table__, changes)
    _bulk(client_casemanagers, assigned)
    _bulk(AssignmentChange.__table__, handovers)
    _bulk(Traject.__table__, trajecten)


def fill_hours(count: int, staff: list[User], rng: random.Random) -> None:
    from portal.hours.models import ActivityKind, HourTarget, TimeEntry

    kind = db.session.scalar(select(ActivityKind.id).order_by(ActivityKind.id))
    for organisation_id in {u.organisation_id for u in staff}:
        db.session.add(HourTarget(organisation_id=organisation_id, valid_from=YEAR[0],
                                  weekly_hours=Decimal("20"), hours_per_client=Decimal("2"),
                                  created_by_id=staff[0].id))
    _bulk(TimeEntry.__table__, [
        {"user_id": (person := staff[n % len(staff)]).id, "ref": f"u{n:010d}",
         "organisation_id": person.organisation_id, "work_date": _day(rng, YEAR[0], 365),
         "minutes": rng.randrange(15, 240, 15), "kind_id": kind} for n in range(count)])


def fill(clients: int, hour_entries: int) -> None:
    rng = random.Random(15)
    organisations = [make_organisation("Iriszorg"), make_organisation("Leger des Heils")]
    staff = [db.session.get(User, make_user(Role.CASEMANAGER, name=f"Casemanager {n}",
                                            organisation=organisations[n % 2]).id)
             for n in range(10)]
    fill_clients(clients, staff, rng)
    fill_hours(hour_entries, staff, rng)
    db.session.commit()


def build():
    return publish(report_tables(stand_van_zaken(*YEAR)), Settings())


def _hours():
    from portal.hours.figures import hours_against_target

    return hours_against_target(*YEAR)


def _budget():
    from portal.budget.figures import budget_overview

    return budget_overview(*YEAR)


PARTS = (("stand van zaken 2026 (figures + Woo-safe)", build),
         ("  of which hours against target (portal.hours)", _hours),
         ("  of which budget overview (portal.budget)", _budget))


def measure(app, label: str, work, repeat: int = 3) -> None:
    with app.app_context():
        work()  # warm up: statement compilation and caches are not what we measure
        db.session.rollback()
        started = time.perf_counter()
        for _ in range(repeat):
            work()
            db.session.rollback()
        elapsed = (time.perf_counter() - started) / repeat * 1000
    with counted_statements(app) as statements, app.app_context():
        work()
    print(f"  {label:<48} {elapsed:9.1f} ms   {len(statements)} statements")


def run(url: str, root: Path, label: str, clients: int, hour_entries: int) -> None:
    app = create_app(base_config(root, url))
    with app.app_context():
        with open(os.devnull, "w") as quiet, redirect_stderr(quiet):
            upgrade(directory=app.extensions["migrate"].directory)
        started = time.perf_counter()
        fill(clients, hour_entries)
        print(f"{clients} clients, {hour_entries} hour entries ({label}; filled in "
              f"{time.perf_counter() - started:.0f} s)")
    for label, work in PARTS:
        measure(app, label, work)
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    hour_entries = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        run(f"sqlite:///{root / 'bench.db'}", root, "SQLite", clients, hour_entries)
        postgres = os.environ.get("BENCH_POSTGRES_URL")
        if postgres:
            recreate_postgres_database(postgres)
            run(postgres, root, "PostgreSQL", clients, hour_entries)


if __name__ == "__main__":
    main()
