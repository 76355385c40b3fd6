"""Vandaag for a user with every dossier role over many clients: statements and time per list.

    .venv/bin/python bench/attention.py [number of clients]     (default: 5000)

Prints, per list, the number of SQL statements (always one) and the median time of five runs,
and the same for the menu count. Figures only; no assertions (tests prove the statement count).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

from portal import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.clients.models import Client, JournalEntry, Traject, client_casemanagers  # noqa: E402
from portal.clock import local_today  # noqa: E402
from portal.database import utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.main import attention  # noqa: E402
from portal.main.items import LIMIT, context_for  # noqa: E402
from portal.roles import Role  # noqa: E402
from tests.conftest import base_config  # noqa: E402
from tests.factories import make_user  # noqa: E402


def fill(count: int, user_id: int) -> None:
    today = local_today()
    db.session.execute(insert(Client), [
        {"werknaam": f"Werknaam {n:05d}", "number": f"C-2026-{n:05d}", "ref": f"b{n:08d}",
         "status": ("actief", "aangemeld", "monitoring")[n % 3], "created_at": utcnow(),
         "updated_at": utcnow(), "preferred_language": "Nederlands",
         "ervaringsdeskundige_id": user_id} for n in range(count)])
    ids = [row[0] for row in db.session.execute(db.select(Client.id))]
    db.session.execute(insert(client_casemanagers), [
        {"client_id": i, "user_id": user_id, "assigned_at": utcnow()} for i in ids[::2]])
    db.session.execute(insert(Traject), [
        {"client_id": i, "kind": "time-out", "status": "lopend", "created_at": utcnow(),
         "end_date": today - timedelta(days=3)} for i in ids])
    db.session.execute(insert(JournalEntry), [
        {"client_id": i, "author_id": user_id, "entry_date": today - timedelta(days=i % 60),
         "text": "Contact", "confidential": False, "created_at": utcnow()} for i in ids])
    db.session.commit()


def timed(work) -> tuple[int, float]:
    statements = []

    def note(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            work()
            runs.append(time.perf_counter() - start)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return len(statements) // 5, statistics.median(runs) * 1000


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        app = create_app(base_config(root, f"sqlite:///{root / 'bench.db'}"))
        with app.test_request_context("/"):
            with open(os.devnull, "w") as quiet, redirect_stderr(quiet):
                upgrade(directory=app.extensions["migrate"].directory)
            account = make_user(*[r for r in Role if r != Role.NETWERKPARTNER])
            fill(count, account.id)
            user = db.session.get(User, account.id)
            ctx = context_for(user)
            print(f"{count} clients (SQLite); every list shows at most {LIMIT} items")
            for spec in attention.lists_for(user):
                query = spec.query(ctx)
                statements, ms = timed(lambda q=query: db.session.execute(q.limit(LIMIT)).all())
                print(f"  {spec.key:16} {statements} statement(s)  {ms:8.1f} ms")
            statements, ms = timed(lambda: attention.menu_count(user))
            print(f"  {'menu count':16} {statements} statement(s)  {ms:8.1f} ms")


if __name__ == "__main__":
    main()
