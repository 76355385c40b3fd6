"""Caseload and team overview run a fixed number of queries, whatever the number of clients."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.models import User
from portal.clients.models import Client, JournalEntry, Traject
from portal.clock import local_today
from portal.extensions import db
from portal.roles import Role
from tests.conftest import log_in
from tests.database import counted_statements


def add_clients(app, count: int, casemanager_ids: list[int], start: int = 0) -> None:
    """Many clients at once, each with two casemanagers, two trajecten and a journaal entry."""
    with app.app_context():
        staff = [db.session.get(User, user_id) for user_id in casemanager_ids]
        for number in range(start, start + count):
            client = Client(werknaam=f"Werknaam {number:04d}", number=f"C-2026-{number + 1:04d}",
                            status=("actief", "aangemeld", "monitoring")[number % 3])
            client.casemanagers = staff[number % 2:] + staff[:number % 2]
            client.trajecten = [Traject(kind="time-out", status="lopend"),
                                Traject(kind="flexbudget", status="voorgesteld")]
            db.session.add(client)
            db.session.flush()
            db.session.add(JournalEntry(client_id=client.id, author_id=staff[0].id,
                                        entry_date=local_today() - timedelta(days=number % 60),
                                        text="Contact op straat."))
        db.session.commit()


@pytest.mark.parametrize("path", ["/clienten/", "/clienten/caseload",
                                  "/clienten/?status=actief&zoek=werknaam",
                                  "/clienten/?trajectsoort=time-out&page=2"])
def test_query_count_does_not_grow_with_the_number_of_clients(app, client, account, path):
    casemanager = account(Role.CASEMANAGER, Role.PROCESREGISSEUR)
    colleague = account(Role.CASEMANAGER)
    log_in(client, casemanager)
    client.get(path)  # warm up: session activity and lazy configuration
    add_clients(app, 10, [casemanager.id, colleague.id])
    with counted_statements(app) as small:
        assert client.get(path).status_code == 200
    add_clients(app, 490, [casemanager.id, colleague.id], start=10)
    with counted_statements(app) as large:
        page = client.get(path)
    assert page.status_code == 200
    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= 21  # 20, and the registration settings for the Aandacht window



@pytest.mark.parametrize("path", ["/clienten/", "/clienten/caseload"])
def test_lists_do_not_read_the_secrets_of_the_people_they_name(app, client, account, path):
    """Casemanager names and the filter's staff list load names only: the one statement that
    reads a password hash or TOTP secret is the reader's own session."""
    casemanager = account(Role.CASEMANAGER, Role.PROCESREGISSEUR)
    colleague = account(Role.CASEMANAGER)
    add_clients(app, 5, [casemanager.id, colleague.id])
    log_in(client, casemanager)
    client.get(path)
    with counted_statements(app) as statements:
        page = client.get(path)
    assert page.status_code == 200 and "Werknaam 0001" in page.get_data(as_text=True)
    secret_reads = [s for s in statements
                    if "password_hash" in s or "totp_secret" in s]
    assert len(secret_reads) == 1 and "FROM user_sessions" in secret_reads[0], secret_reads

def test_overview_shows_counts_and_paginates(app, client, account):
    manager = account(Role.PROCESREGISSEUR)
    cm = account(Role.CASEMANAGER)
    add_clients(app, 60, [cm.id, manager.id])
    log_in(client, manager)
    html = client.get("/clienten/").get_data(as_text=True)
    assert "60 cliënt(en) gevonden." in html
    assert "Pagina 1 van 3" in html
    assert html.count('href="/clienten/') - html.count('href="/clienten/?') >= 25
    second = client.get("/clienten/?page=2").get_data(as_text=True)
    assert "Werknaam 0025" in second and "Werknaam 0024" not in second
