"""The audit log as the privacyfunctionaris uses it (issue 14 item 3): Dutch labels for every
recorded event, objects named by client number / document kind / registration number,
filters that work or say why not, the CSV export and print view (audited), and the chain
check started from the page as a job."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text

from portal.audit.labels import AREA_LABELS, EVENT_LABELS, event_label, role_label
from portal.audit.models import Action, AuditEvent
from portal.audit.services import chain_head, record
from portal.checks import CheckRun
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_client, make_document, make_organisation, make_registration
from tests.test_audit import tampering_allowed

PORTAL = Path(__file__).resolve().parent.parent / "portal"
RECORDED = re.compile(r'record(?:_and_commit)?\("([a-z_.]+)"\s*[,)]')
NAMED = re.compile(r'"((?:{})\.[a-z_]*[a-z])"'.format("|".join(AREA_LABELS)))


def sources() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in PORTAL.rglob("*.py"))


def test_every_event_recorded_in_the_code_has_a_dutch_label():
    recorded = set(RECORDED.findall(sources()))
    assert len(recorded) > 100  # the scan found the code
    assert sorted(recorded - set(EVENT_LABELS)) == []


def test_every_event_name_written_anywhere_is_an_endpoint_a_table_or_labelled(app):
    """Events made in helpers (`_list_page(..., "clients.caseload")`) and registrations'
    `audit("requested", ...)` are found as well; a new one without a label fails here."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    columns = {f"{table.name}.{column.name}" for table in db.metadata.tables.values()
               for column in table.columns}
    names = set(NAMED.findall(sources()))
    names |= {f"registrations.{name}" for name in
              re.findall(r'\baudit\("([a-z_]+)"', sources())}
    names |= {"hours.kind_activated", "hours.kind_deactivated", "hours.target_added",
              "hours.target_changed"}  # built as "hours.kind_" + ... in portal/hours
    unlabelled = sorted(name for name in names - endpoints - columns
                        if name not in EVENT_LABELS)
    assert unlabelled == []


def test_labels_for_unknown_events_and_combined_roles():
    assert event_label("clients.viewed") == "Dossier ingezien"
    assert event_label("clients.iets_nieuws") == "Cliëntdossier: clients.iets_nieuws"
    assert event_label("test.event") == "test.event"
    assert role_label("casemanager,procesregisseur") == "Casemanager, Procesregisseur"
    assert role_label("onbekend") == "onbekend" and role_label(None) == ""


@pytest.fixture
def world(app, account):
    """A casemanager who opened Roos' dossier and a document; Lina seen by nobody; the
    privacyfunctionaris."""
    iris = None
    with app.app_context():
        iris = make_organisation("Iriszorg")
    casemanager = account(Role.CASEMANAGER, name="Carla de Vries", organisation=iris)
    auditor = account(Role.PRIVACYFUNCTIONARIS)
    with app.app_context():
        roos = make_client("Roos", casemanagers=[casemanager], legal_name="Rosalie Geheim")
        lina = make_client("Lina", casemanagers=[casemanager])
        document = make_document(roos, casemanager.id, kind="diagnostiekrapport",
                                 title="Zeer vertrouwelijk verslag")
        registration = make_registration(roos, casemanager.id)
        data = {"roos": roos.number, "roos_ref": roos.ref, "roos_id": roos.id,
                "lina": lina.number, "document": document.ref,
                "registration": registration.number}
    web = app.test_client()
    log_in(web, casemanager)
    assert web.get(f"/clienten/{data['roos_ref']}").status_code == 200
    web.get(f"/documenten/{data['document']}")
    return {**data, "casemanager": casemanager, "auditor": auditor}


def events_named(app, name):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                  .order_by(AuditEvent.seq)).all()


def test_the_log_shows_labels_and_objects_she_may_see(client, world, login):
    page = login(world["auditor"]).get("/audit/").get_data(as_text=True)
    assert "Dossier ingezien" in page and "clients.viewed" not in page.split("<tbody>")[1]
    assert f"Dossier {world['roos']}" in page
    assert "Casemanager" in page and "Iriszorg" in page
    assert "Rosalie" not in page and "Roos" not in page and "Zeer vertrouwelijk" not in page


def test_document_and_registration_are_named_by_kind_and_number(app, world, login):
    page = login(world["auditor"]).get("/audit/", query_string={"client": world["roos"]})
    body = page.get_data(as_text=True)
    assert "Document: diagnostiekrapport" in body
    assert f"Registratie {world['registration']}" in body


def test_an_account_is_named_by_its_e_mail_address(app, world, login):
    with app.app_context():
        from portal.auth.models import User
        record("admin.user_viewed", Action.READ, object_type="user",
               object_id=world["casemanager"].id,
               user=db.session.get(User, world["auditor"].id))
        db.session.commit()
    page = login(world["auditor"]).get("/audit/", query_string={
        "gebeurtenis": "admin.user_viewed"}).get_data(as_text=True)
    assert f"Account {world['casemanager'].email}" in page


def test_typing_a_client_number_filters(app, world, login):
    web = login(world["auditor"])
    page = web.get("/audit/", query_string={"client": world["roos"].lower()}).get_data(
        as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") >= 2
    assert rows.count(f'<td data-label="Cliëntnummer">{world["roos"]}</td>') == rows.count(
        "<tr>")
    assert world["lina"] not in rows
    viewed = events_named(app, "audit.log_viewed")[-1]
    assert viewed.client_id == world["roos_id"]
    assert viewed.detail["filters"] == {"client": world["roos"].lower()}


@pytest.mark.parametrize("value", ["C-2099-9999", "12345678901234567890", "6", "²", "'; --"])
def test_an_unknown_client_number_says_so_and_shows_nothing(world, login, value):
    response = login(world["auditor"]).get("/audit/", query_string={"client": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Er is geen cliënt met nummer" in page and "Geen gebeurtenissen gevonden." in page


def test_person_role_organisation_event_action_and_outcome_filters(app, world, login):
    web = login(world["auditor"])
    email = world["casemanager"].email

    def rows(**query):
        page = web.get("/audit/", query_string=query).get_data(as_text=True)
        return page.split("<tbody>")[1].split("</tbody>")[0]

    mine = rows(persoon=email.split("@")[0])
    assert email in mine and world["auditor"].email not in mine
    by_name = rows(persoon="carla de")
    assert email in by_name and world["auditor"].email not in by_name
    assert world["auditor"].email not in rows(rol="casemanager")
    assert email not in rows(rol="privacyfunctionaris")
    assert email in rows(organisatie="Iriszorg") and "Geen gebeurtenissen" not in rows(
        organisatie="Iriszorg")
    assert "Dossier ingezien" in rows(gebeurtenis="clients.viewed")
    assert "Ingelogd" not in rows(gebeurtenis="clients.viewed")
    assert "Ingelogd" in rows(gebeurtenis="auth") and "Dossier ingezien" not in rows(
        gebeurtenis="auth")
    assert "Ingelogd" not in rows(actie="R") and "Dossier ingezien" in rows(actie="R")
    assert "Geen gebeurtenissen" in rows(uitkomst="geweigerd")
    assert "Geen gebeurtenissen" in rows(persoon="%")  # a wildcard is a plain character


@pytest.mark.parametrize("query, message", [
    ({"rol": "koning"}, "Kies een rol uit de lijst"),
    ({"gebeurtenis": "x.y"}, "Kies een soort gebeurtenis"),
    ({"actie": "Z"}, "Kies een actie uit de lijst"),
    ({"uitkomst": "misschien"}, "Kies een uitkomst uit de lijst"),
    ({"organisatie": "Onbekend BV"}, "Er is geen organisatie"),
    ({"van": "31-12-2026"}, "“Van” is geen datum"),
    ({"tot": "9999-12-31"}, "“Tot en met” is geen datum"),
    ({"van": "2026-05-01", "tot": "2026-04-01"}, "“Van” ligt na “Tot en met”"),
])
def test_a_filter_that_cannot_work_says_why(world, login, query, message):
    response = login(world["auditor"]).get("/audit/", query_string=query)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_a_period_filters_on_local_days(app, world, login):
    from portal.clock import local_today

    web = login(world["auditor"])
    today = local_today().isoformat()
    page = web.get("/audit/", query_string={"van": today, "tot": today}).get_data(as_text=True)
    assert "Dossier ingezien" in page
    page = web.get("/audit/", query_string={"tot": "2000-01-01"}).get_data(as_text=True)
    assert "Geen gebeurtenissen gevonden." in page


def parse_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8")[1:]), delimiter=";"))


def test_csv_export_is_semicolon_bom_dutch_and_audited(app, world, login):
    response = login(world["auditor"]).get("/audit/export.csv",
                                           query_string={"client": world["roos"]})
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    rows = parse_csv(response)
    assert rows[0] == ["Volgnummer", "Tijd", "Persoon", "Rol", "Organisatie", "Actie",
                       "Gebeurtenis", "Object", "Cliëntnummer", "Uitkomst", "Adres"]
    assert all(row[8] == world["roos"] for row in rows[1:])
    assert ["Dossier ingezien", f"Dossier {world['roos']}"] in [row[6:8] for row in rows]
    assert [int(row[0]) for row in rows[1:]] == sorted(int(row[0]) for row in rows[1:])
    assert "Rosalie" not in response.get_data(as_text=True)
    exported = events_named(app, "audit.log_exported")[-1]
    assert exported.detail == {"filters": {"client": world["roos"]}, "rows": len(rows) - 1}


def test_csv_cells_cannot_become_formulas(app, world, login):
    with app.app_context():
        record("test.event", Action.READ, object_type="test",
               user=None)  # no person: an empty cell
        db.session.commit()
    web = login(world["auditor"])
    with app.app_context():
        from portal.auth.models import User
        user = db.session.get(User, world["casemanager"].id)
        user.email = "=HYPERLINK(1)@test.nl"
        record("test.event", Action.READ, user=user)
        db.session.commit()
    rows = parse_csv(web.get("/audit/export.csv"))
    assert "'=HYPERLINK(1)@test.nl" in [row[2] for row in rows]


def test_a_too_large_export_is_refused_with_a_reason(app, world, login, monkeypatch):
    monkeypatch.setattr("portal.audit.views.EXPORT_LIMIT", 2)
    response = login(world["auditor"]).get("/audit/export.csv", follow_redirects=True)
    assert "een export kan er ten hoogste 2" in response.get_data(as_text=True)
    assert events_named(app, "audit.log_exported") == []


def test_print_view_is_audited_and_keeps_the_selection(app, world, login):
    web = login(world["auditor"])
    page = web.get("/audit/afdrukken", query_string={"client": world["roos"]}).get_data(
        as_text=True)
    assert "Afgedrukt op" in page and f"client: {world['roos']}" in page
    assert "Dossier ingezien" in page and world["lina"] not in page
    assert 'href="/audit/afdrukken.css"' in page
    css = web.get("/audit/afdrukken.css")
    assert css.mimetype == "text/css" and b"@media print" in css.get_data()
    printed = events_named(app, "audit.log_printed")[-1]
    assert printed.detail["filters"] == {"client": world["roos"]} and printed.detail["rows"] > 0


def test_chain_check_runs_as_a_job_and_stores_result_and_head(app, world, login):
    web = login(world["auditor"])
    page = web.get("/audit/keten").get_data(as_text=True)
    assert "Er is nog geen controle uitgevoerd." in page
    response = web.post("/audit/keten", data={"csrf_token": csrf_token(web, "/audit/keten")})
    assert response.status_code == 302
    [started] = events_named(app, "audit.chain_check_started")
    [checked] = events_named(app, "audit.chain_checked")
    with app.app_context():
        run = db.session.scalars(select(CheckRun)).one()
        assert run.ok and run.checked == started.seq
        stored = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == started.seq))
    assert checked.detail["head"] == f"{started.seq}:{stored}"
    assert checked.user_id == world["auditor"].id and checked.outcome == "gelukt"
    page = web.get("/audit/keten").get_data(as_text=True)
    assert f"Intact: {run.checked} gebeurtenissen gecontroleerd." in page
    assert checked.detail["head"][:16] in page and "<wbr>" in page


def test_chain_check_against_a_stored_head_finds_deleted_newest_events(app, world, login):
    web = login(world["auditor"])
    with app.app_context():
        seq, digest = chain_head()
    with app.app_context(), tampering_allowed():
        db.session.execute(text("DELETE FROM audit_events WHERE seq >= :seq"), {"seq": seq})
        db.session.commit()
    web.post("/audit/keten", data={"csrf_token": csrf_token(web, "/audit/keten"),
                                   "expected_head": f"{seq}:{digest}"})
    with app.app_context():
        run = db.session.scalars(select(CheckRun)).one()
    assert not run.ok and f"bewaard eindpunt {seq} ontbreekt" in run.summary
    assert events_named(app, "audit.chain_checked")[-1].outcome == "mislukt"
    assert "Niet intact" in web.get("/audit/keten").get_data(as_text=True)


@pytest.mark.parametrize("head", ["12", "x:y", "1:" + "g" * 64, "9" * 30 + ":" + "a" * 64])
def test_a_malformed_stored_head_is_refused_in_dutch(app, world, login, head):
    web = login(world["auditor"])
    response = web.post("/audit/keten", data={"csrf_token": csrf_token(web, "/audit/keten"),
                                              "expected_head": head})
    assert response.status_code == 422
    assert "Plak het eindpunt zoals de controle het gaf" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(CheckRun)).all() == []


@pytest.mark.parametrize("path", ["/audit/export.csv", "/audit/afdrukken", "/audit/keten",
                                  "/audit/inzageverslag", "/audit/inzageverslag.docx"])
def test_only_the_privacyfunctionaris_opens_the_audit_pages(account, login, path):
    web = login(account(Role.BEHEERDER, Role.PROCESREGISSEUR))
    assert web.get(path).status_code == 403


def test_the_chain_check_waits_in_the_queue_until_a_worker_runs_it(app, world, login):
    """Without JOBS_IMMEDIATE the page only enqueues the job; the worker's run stores it."""
    from huey.storage import MemoryStorage

    from portal.jobs import huey

    web = login(world["auditor"])
    token = csrf_token(web, "/audit/keten")
    saved = huey.immediate, huey.storage
    huey.immediate = False
    huey.storage = MemoryStorage(huey.name)
    try:
        assert web.post("/audit/keten", data={"csrf_token": token}).status_code == 302
        assert huey.pending_count() == 1
        with app.app_context():
            assert db.session.scalars(select(CheckRun)).all() == []
        task = huey.dequeue()
        with app.app_context():
            huey.execute(task)
    finally:
        huey.storage = saved[1]
        huey.immediate = saved[0]
    [checked] = events_named(app, "audit.chain_checked")
    assert checked.detail["head"] and checked.user_id == world["auditor"].id
