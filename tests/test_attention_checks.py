"""Vandaag, the remaining lists of issue 13 and 16: the beheerder's last storage and
audit-chain checks, documents past retention for the privacyfunctionaris, ZRM reassessments
for the casemanager, and registrations in the caseload's Aandacht column."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text, update

from portal.audit.models import AuditEvent
from portal.checks import CheckKind, CheckRun, nightly_checks
from portal.clients.models import Client
from portal.clock import local_today
from portal.documents.models import Document
from portal.extensions import db
from portal.registrations.models import Registration
from portal.roles import Role
from tests.conftest import log_in
from tests.factories import make_client, make_document, make_registration, make_user
from tests.test_attention import count_of, page, section
from tests.test_audit import tampering_allowed, write_events
from tests.test_cli import run


def runs(app) -> list[tuple]:
    with app.app_context():
        return [(r.kind, r.ok, r.checked, r.problems) for r in
                db.session.scalars(select(CheckRun).order_by(CheckRun.id))]


def test_the_checks_keep_their_results_for_the_beheerder(app, client):
    write_events(app, 3)
    assert run(app, "audit-verify").exit_code == 0
    assert run(app, "check-storage").exit_code == 0
    assert runs(app) == [("auditketen", True, 3, 0), ("opslag", True, 0, 0)]
    with app.app_context(), tampering_allowed():
        db.session.execute(text("UPDATE audit_events SET event = 'verborgen' WHERE seq = 2"))
        db.session.commit()
    assert run(app, "audit-verify").exit_code == 1
    assert runs(app)[-1][:2] == ("auditketen", False)

    with app.app_context():
        admin = make_user(Role.BEHEERDER)
    log_in(client, admin)
    html = page(client)
    checks = section(html, "bh_controles")
    # The newest of each kind, failures first; information, not counted in the menu.
    assert checks.index("Controle van de auditketen: NIET in orde") < \
        checks.index("Controle van de bestandsopslag: in orde")
    assert "1 probleem in" in checks and 'href="/beheer/controles"' in checks
    detail = client.get("/beheer/controles")
    assert detail.status_code == 200
    body = detail.get_data(as_text=True)
    assert "gebeurtenis 2 is gewijzigd (volgnummer 2)" in body
    assert body.count("Niet in orde") == 1 and body.count("In orde") == 2
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "admin.checks_viewed")) is not None


def test_the_nightly_task_runs_both_checks(app):
    with app.app_context():
        nightly_checks.call_local()
    assert [kind for kind, *_ in runs(app)] == [CheckKind.OPSLAG.value,
                                                CheckKind.AUDITKETEN.value]


def test_without_a_run_the_list_says_how_to_start_one(app, client):
    with app.app_context():
        admin = make_user(Role.BEHEERDER)
    log_in(client, admin)
    assert "Nog geen controle uitgevoerd." in section(page(client), "bh_controles")


def test_documents_past_retention_wait_for_the_privacyfunctionaris(app, client):
    today = local_today()
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        old, fresh = make_client("Oud"), make_client("Nieuw")
        for client_row, days in ((old, -400), (old, -3), (fresh, 30)):
            document = make_document(client_row, cm.id)
            db.session.execute(update(Document).where(Document.id == document.id).values(
                retention_until=today + timedelta(days=days)))
        removed = make_document(fresh, cm.id)
        db.session.execute(update(Document).where(Document.id == removed.id).values(
            retention_until=today - timedelta(days=1), deleted_at=db.func.now()))
        db.session.commit()
        old_number = old.number
        privacy = make_user(Role.PRIVACYFUNCTIONARIS)
    log_in(client, privacy)
    html = page(client)
    assert count_of(html, "pf_bewaartermijn") == 1
    listed = section(html, "pf_bewaartermijn")
    assert f"{old_number}: 2 documenten voorbij de bewaartermijn" in listed
    assert "Oud" not in listed  # a number, never a name
    overview = client.get("/audit/bewaartermijnen")
    assert overview.status_code == 200
    body = overview.get_data(as_text=True)
    assert old_number in body and (today - timedelta(days=400)).strftime("%Y") in body
    assert "Oud" not in body and "Nieuw" not in body


def test_reassessments_due_appear_for_her_caseload(app, client):
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        other = make_user(Role.CASEMANAGER)
        make_client("Roos", casemanagers=[cm], status="actief")
        make_client("Lisa", casemanagers=[other], status="actief")
        make_client("Jet", casemanagers=[cm], status="monitoring")
    log_in(client, cm)
    listed = section(page(client), "cm_zrm")
    assert "Roos" in listed and "nog geen ZRM-meting" in listed
    assert "Lisa" not in listed and "Jet" not in listed
    assert "/zrm" in listed


def test_the_caseload_names_registrations_ending_or_ended(app, client):
    today = local_today()
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        roos = make_client("Roos", casemanagers=[cm], status="actief")
        jet = make_client("Jet", casemanagers=[cm], status="actief")
        lisa = make_client("Lisa", casemanagers=[cm], status="actief")
        make_registration(roos, desk.id, status="verleend",
                          valid_until=today + timedelta(days=10))
        make_registration(jet, desk.id, status="ingetrokken")
        make_registration(lisa, desk.id, status="verleend",
                          valid_until=today + timedelta(days=200))
        roos_until = db.session.scalar(select(Registration.valid_until).where(
            Registration.client_id == roos.id))
        ids = {c.werknaam: c.id for c in db.session.scalars(select(Client))}
    log_in(client, cm)
    html = client.get("/clienten/caseload").get_data(as_text=True)
    rows = {name: html[html.index(f">{name}</a>"):].split("</tr>")[0] for name in ids}
    assert f"Registratie loopt af op {roos_until:%-d}" in rows["Roos"]
    assert f"Registratie beëindigd op {today:%-d}" in rows["Jet"]
    assert "Registratie" not in rows["Lisa"]


def test_a_casemanager_sees_no_registration_signal_of_other_clients(app, client):
    today = local_today()
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        roos = make_client("Roos", status="actief")  # not assigned to her
        make_registration(roos, desk.id, status="verleend",
                          valid_until=today + timedelta(days=10))
    log_in(client, cm)
    html = client.get("/clienten/").get_data(as_text=True)
    assert "Roos" in html and "Registratie loopt af" not in html
