"""Time the registration workspace queries, the figures and the daily job at scale; print
milliseconds per call and peak memory.

    .venv/bin/python bench/registrations.py [count]      (default: 5000)

Rows are inserted in bulk (registrations with their history as the services would write it);
then the workspace's first page with counts and summary, a filtered search, the figures for a
year, and the daily run (expiring a tenth of them and one reminder) are measured.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from contextlib import redirect_stderr
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.clients.models import Client  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.pagination import paginate_rows  # noqa: E402
from portal.registrations import figures, queries, reminders  # noqa: E402
from portal.registrations.models import Registration, RegistrationEvent  # noqa: E402
from portal.roles import Role  # noqa: E402
from tests.conftest import base_config  # noqa: E402
from tests.factories import make_user  # noqa: E402

TODAY = date(2026, 11, 22)


def fill(count: int, user_id: int) -> None:
    clients = [Client(werknaam=f"Cliënt {n}", number=f"C-2026-{n:05d}") for n in range(count)]
    db.session.add_all(clients)
    db.session.flush()
    for n, client in enumerate(clients):
        requested = TODAY - timedelta(days=400 - n % 365)
        until = TODAY + timedelta(days=n % 200 - 20)
        registration = Registration(
            number=f"TZ-2026-{n:05d}", client_id=client.id, status="verleend",
            valid_client_id=client.id, requested_on=requested, decided_on=requested,
            valid_from=requested, valid_until=until, created_by_id=user_id,
            criterion="Meerderjarig", id_check_document="Paspoort", id_check_date=requested)
        registration.events = [
            RegistrationEvent(event="aanvraag", to_status="aangevraagd", on_date=requested,
                              description="Nieuw aangevraagd", by_id=user_id),
            RegistrationEvent(event="status", from_status="in_behandeling",
                              to_status="verleend", on_date=requested,
                              description="Verleend", by_id=user_id)]
        db.session.add(registration)
    db.session.commit()


def measure(label: str, work, repeat: int = 5) -> None:
    if repeat > 1:  # warm up: statement compilation and caches are not what we measure
        work()
        db.session.rollback()
    tracemalloc.start()
    started = time.perf_counter()
    for _ in range(repeat):
        work()
        db.session.rollback()
    elapsed = (time.perf_counter() - started) / repeat * 1000
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"  {label:<46} {elapsed:8.1f} ms   peak {peak:6.2f} MB")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        app = create_app(base_config(root, f"sqlite:///{root / 'bench.db'}"))
        with app.test_request_context("/registraties/"):  # paginate_rows reads ?page=
            with open(os.devnull, "w") as quiet, redirect_stderr(quiet):
                upgrade(directory=app.extensions["migrate"].directory)
            contact = make_user(Role.REGISTRATIECONTACTPERSOON)
            fill(count, contact.id)
            everything = queries.WorkspaceFilters()
            search = queries.WorkspaceFilters(zoek="tz-2026-004", verloopt_binnen="60")
            print(f"{count} registrations (SQLite)")
            measure("workspace: first page + counts + summary", lambda: (
                paginate_rows(queries.workspace_query(everything, TODAY), 25,
                              rows=queries.workspace_rows(everything)),
                queries.status_counts(), queries.summary(TODAY, 30)))
            measure("workspace: search + expiring within 60 days",
                    lambda: paginate_rows(queries.workspace_query(search, TODAY), 25,
                                          rows=queries.workspace_rows(search)))
            measure("figures for one year",
                    lambda: figures.figures_for(date(2026, 1, 1), date(2026, 12, 31), TODAY))
            measure("daily run (expire + remind, mail as .eml)",
                    lambda: reminders.run_daily(TODAY), repeat=1)


if __name__ == "__main__":
    main()
