"""Client dossiers through the real test client and database.

Creating and editing a client, the status lifecycle, trajecten, the journaal, what each role
sees on the dossier page, the audit trail of reads and searches, the caseload with its
attention signals and the filters of the team overview. Every test checks what the database
and the audit trail hold afterwards, not only the status code of the response.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent, Outcome
from portal.auth.models import User
from portal.clients.lifecycle import STATUS_TRANSITIONS, ClientStatus
from portal.clients.models import Client, JournalEntry, StatusChange, Traject
from portal.clock import local_today
from portal.extensions import db
from portal.roles import OrganisationKind, Role
from portal.templating import local_date
from tests.conftest import csrf_token, log_in
from tests.factories import (
    Person,
    make_client,
    make_registration,
    make_team,
)

S = ClientStatus

# --- helpers ---------------------------------------------------------------------------


def today() -> date:
    """Today in Nijmegen: the date the services compare against."""
    return local_today()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str | None:
    """The error text shown next to one form field, or None."""
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else None


def section(response, anchor: str) -> str | None:
    """The HTML of one dossier section (by its id), or None when the page lacks it."""
    html = page_text(response)
    start = html.find(f'<section id="{anchor}"')
    if start < 0:
        return None
    return html[start:html.index("</section>", start)]


def listed_refs(response) -> list[str]:
    """The dossier refs linked from the rows of a client table, in display order."""
    return re.findall(r'<td><a href="/clienten/([^"]+)">', response.get_data(as_text=True))


def table_row(response, ref: str) -> str:
    """The table row that links to this dossier."""
    rows = page_text(response).split("<tr>")
    matches = [row for row in rows if f'href="/clienten/{ref}"' in row]
    assert len(matches) == 1, f"expected one row for {ref}"
    return matches[0].split("</tr>")[0]


def browser(app, account):
    """A separate test client with this account logged in (one browser per person)."""
    other = app.test_client()
    response = log_in(other, account)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return other


def post(client, action: str, data: dict, page: str = "/"):
    """POST with the CSRF token of a page the user may open."""
    return client.post(action, data={"csrf_token": csrf_token(client, page), **data})


def events(app, name: str) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == name).order_by(AuditEvent.seq))
        return [{"client_id": row.client_id, "object_type": row.object_type,
                 "object_id": row.object_id, "user_id": row.user_id, "action": row.action,
                 "outcome": row.outcome, "detail": row.detail} for row in rows]


def last_seq(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0)))


def reads_since(app, seq: int, client_id: int) -> list[str]:
    """Names of read events about this client written after audit sequence number seq."""
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.event).where(
            AuditEvent.seq > seq, AuditEvent.client_id == client_id, AuditEvent.action == "R")))


def client_row(app, client_id: int) -> dict:
    with app.app_context():
        row = db.session.get(Client, client_id)
        return {"werknaam": row.werknaam, "legal_name": row.legal_name,
                "date_of_birth": row.date_of_birth, "preferred_language": row.preferred_language,
                "phone": row.phone, "woonsituatie": row.woonsituatie, "status": row.status,
                "closed_at": row.closed_at, "id_check_document": row.id_check_document,
                "id_check_date": row.id_check_date, "id_check_by_id": row.id_check_by_id,
                "number": row.number, "ref": row.ref,
                "casemanager_ids": {u.id for u in row.casemanagers},
                "ervaringsdeskundige_id": row.ervaringsdeskundige_id}


def client_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Client.id)))


def status_changes(app, client_id: int) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(StatusChange).where(
            StatusChange.client_id == client_id).order_by(StatusChange.id))
        return [{"from": row.from_status, "to": row.to_status, "on": row.changed_on,
                 "reason": row.reason, "by": row.by_id, "receiving_party": row.receiving_party,
                 "warm_handover": row.warm_handover} for row in rows]


def trajecten(app, client_id: int) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(Traject).where(
            Traject.client_id == client_id).order_by(Traject.id))
        return [{"id": row.id, "kind": row.kind, "status": row.status,
                 "diagnosticus_id": row.diagnosticus_id, "responsible_id": row.responsible_id,
                 "amount": row.amount, "purpose": row.purpose, "approved_by": row.approved_by,
                 "start_date": row.start_date, "end_date": row.end_date} for row in rows]


def journal(app, client_id: int) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(JournalEntry).where(
            JournalEntry.client_id == client_id).order_by(JournalEntry.id))
        return [{"author_id": row.author_id, "text": row.text, "entry_date": row.entry_date,
                 "confidential": row.confidential} for row in rows]


def seed_client(app, werknaam: str, **fields) -> SimpleNamespace:
    """A client straight in the database (make_client); returns her id, ref and number."""
    with app.app_context():
        row = make_client(werknaam, **fields)
        return SimpleNamespace(id=row.id, ref=row.ref, number=row.number)


def seed_registration(app, found: SimpleNamespace, contact_person) -> str:
    """A registration request for this client (make_registration); returns its number."""
    with app.app_context():
        return make_registration(db.session.get(Client, found.id), contact_person.id).number


def seed(app, *rows) -> None:
    """Add trajecten, journaal entries or status changes straight to the database."""
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()


STAPTEAM = {
    "anna": Person((Role.CASEMANAGER,), "Anna de Vries", "Iriszorg"),
    "bea": Person((Role.CASEMANAGER,), "Bea Bakker", "Leger des Heils"),
    "carla": Person((Role.CASEMANAGER,), "Carla Smit", "Iriszorg"),
    "eva": Person((Role.ERVARINGSDESKUNDIGE,), "Eva Peters", "Iriszorg"),
    "petra": Person((Role.PROCESREGISSEUR,), "Petra Hendriks", "ZVH Gelderland-Zuid"),
    "rita": Person((Role.REGISTRATIECONTACTPERSOON,), "Rita Visser", "Gemeente Nijmegen"),
    "dana": Person((Role.DIAGNOSTICUS,), "Dana Mulder", "Pro Persona"),
}


@pytest.fixture
def staff(app):
    """The Stapteam: three casemanagers, an ervaringsdeskundige, procesregie, registratie
    and a diagnosticus, each in her own organisation."""
    with app.app_context():
        people = make_team(STAPTEAM, {"ZVH Gelderland-Zuid": OrganisationKind.GEMEENTE,
                                      "Gemeente Nijmegen": OrganisationKind.GEMEENTE})
        iriszorg = db.session.get(User, people["anna"].id).organisation_id
        leger = db.session.get(User, people["bea"].id).organisation_id
        return SimpleNamespace(iriszorg_id=iriszorg, leger_id=leger, **people)


# --- 1. creating a client ----------------------------------------------------------------


ID_CHECK_MESSAGE = "Vul bij een ID-controle zowel het soort document als de datum in."


def new_client_form(staff, **overrides) -> dict:
    data = {"werknaam": "Roos", "legal_name": "Maria Verhoeven", "date_of_birth": "1990-03-14",
            "preferred_language": "Roemeens", "phone": "06 1234 5678",
            "woonsituatie": "dakloos", "id_check_document": "Paspoort",
            "id_check_date": days_ago(3).isoformat(),
            "casemanager_ids": [str(staff.anna.id), str(staff.bea.id)],
            "ervaringsdeskundige_id": str(staff.eva.id)}
    data.update(overrides)
    return data


def create(client, staff, **overrides):
    return post(client, "/clienten/nieuw", new_client_form(staff, **overrides),
                page="/clienten/nieuw")


def created_client_id(app, response) -> int:
    ref = urlsplit(response.location).path.removeprefix("/clienten/")
    with app.app_context():
        return db.session.scalar(select(Client.id).where(Client.ref == ref))


def test_casemanager_creates_client_with_all_fields(app, client, login, staff):
    login(staff.anna)
    response = create(client, staff)
    assert response.status_code == 302
    row = client_row(app, created_client_id(app, response))
    assert row == {**row, "werknaam": "Roos", "legal_name": "Maria Verhoeven",
                   "date_of_birth": date(1990, 3, 14), "preferred_language": "Roemeens",
                   "phone": "06 1234 5678", "woonsituatie": "dakloos",
                   "id_check_document": "Paspoort", "id_check_date": days_ago(3),
                   "id_check_by_id": staff.anna.id, "status": "aangemeld", "closed_at": None,
                   "casemanager_ids": {staff.anna.id, staff.bea.id},
                   "ervaringsdeskundige_id": staff.eva.id}


def test_client_numbers_are_generated_per_year_in_sequence(app, client, login, staff):
    login(staff.anna)
    first = created_client_id(app, create(client, staff, werknaam="Roos"))
    second = created_client_id(app, create(client, staff, werknaam="Lila"))
    year = today().year
    assert client_row(app, first)["number"] == f"C-{year}-0001"
    assert client_row(app, second)["number"] == f"C-{year}-0002"


def test_new_client_starts_aangemeld_with_first_status_change_and_audit(app, client, login,
                                                                        staff):
    login(staff.anna)
    client_id = created_client_id(app, create(client, staff))
    assert status_changes(app, client_id) == [
        {"from": None, "to": "aangemeld", "on": today(), "reason": "Dossier aangemaakt",
         "by": staff.anna.id, "receiving_party": None, "warm_handover": None}]
    created = events(app, "clients.created")
    assert len(created) == 1
    assert created[0]["client_id"] == client_id
    assert created[0]["user_id"] == staff.anna.id
    assert created[0]["action"] == "C"


def test_dossier_url_uses_the_opaque_ref_never_name_or_number(app, client, login, staff):
    login(staff.anna)
    response = create(client, staff, werknaam="Roos")
    row = client_row(app, created_client_id(app, response))
    assert response.location == f"/clienten/{row['ref']}"
    for secret in ("Roos", "roos", row["number"], "Verhoeven"):
        assert secret not in response.location
    overview = client.get("/clienten/")
    assert listed_refs(overview) == [row["ref"]]
    assert f"/clienten/{row['number']}" not in overview.get_data(as_text=True)
    assert client.get(f"/clienten/{row['number']}").status_code == 404


def test_missing_werknaam_shows_dutch_message_and_creates_nothing(app, client, login, staff):
    login(staff.anna)
    response = create(client, staff, werknaam="")
    assert response.status_code == 200
    assert field_error(response, "werknaam") == "Vul een werknaam of roepnaam in."
    assert client_count(app) == 0
    assert events(app, "clients.created") == []


def test_id_check_date_without_document_is_refused(app, client, login, staff):
    login(staff.anna)
    response = create(client, staff, id_check_document="")
    assert response.status_code == 200
    assert field_error(response, "id_check_date") == ID_CHECK_MESSAGE
    assert client_count(app) == 0


def test_id_check_document_without_date_is_refused(app, client, login, staff):
    login(staff.anna)
    response = create(client, staff, id_check_date="")
    assert field_error(response, "id_check_date") == ID_CHECK_MESSAGE
    assert client_count(app) == 0


def test_non_casemanager_cannot_be_chosen_as_casemanager(app, client, login, staff):
    login(staff.anna)
    response = create(client, staff, casemanager_ids=[str(staff.anna.id), str(staff.eva.id)])
    assert response.status_code == 200
    assert field_error(response, "casemanager_ids") == (
        f"'{staff.eva.id}' is een ongeldige keuze voor dit veld.")
    assert client_count(app) == 0


def test_non_ervaringsdeskundige_cannot_be_chosen_as_ervaringsdeskundige(app, client, login,
                                                                        staff):
    login(staff.anna)
    response = create(client, staff, ervaringsdeskundige_id=str(staff.bea.id))
    assert field_error(response, "ervaringsdeskundige_id") == "Ongeldige keuze."
    assert client_count(app) == 0


# --- 2. editing ------------------------------------------------------------------------------


def test_edit_changes_fields_and_audits_field_names_only(app, client, login, staff):
    login(staff.anna)
    client_id = created_client_id(app, create(client, staff))
    ref = client_row(app, client_id)["ref"]
    changed = new_client_form(staff, phone="06 9999 0000", woonsituatie="briefadres",
                              legal_name="Maria Verhoeven-Pop",
                              casemanager_ids=[str(staff.anna.id)])
    response = post(client, f"/clienten/{ref}/bewerken", changed, page=f"/clienten/{ref}")
    assert response.status_code == 302
    assert response.location == f"/clienten/{ref}"
    row = client_row(app, client_id)
    assert (row["phone"], row["woonsituatie"], row["legal_name"]) == (
        "06 9999 0000", "briefadres", "Maria Verhoeven-Pop")
    # The assignment is not part of "Gegevens bewerken" (a handover changes it): unchanged.
    assert row["casemanager_ids"] == {staff.anna.id, staff.bea.id}
    updated = events(app, "clients.updated")
    assert len(updated) == 1
    assert updated[0]["client_id"] == client_id
    assert sorted(updated[0]["detail"]["fields"]) == [
        "legal_name", "phone", "woonsituatie"]
    dumped = json.dumps(updated[0])
    for value in ("9999", "briefadres", "Verhoeven", "Maria"):
        assert value not in dumped


def test_edit_is_refused_to_the_ervaringsdeskundige(app, staff):
    roos = seed_client(app, "Roos", casemanagers=[staff.anna])
    eva = browser(app, staff.eva)
    response = post(eva, f"/clienten/{roos.ref}/bewerken", {"werknaam": "Anders"})
    assert response.status_code == 403
    assert client_row(app, roos.id)["werknaam"] == "Roos"


# --- 3. status lifecycle ---------------------------------------------------------------------


ALLOWED = sorted((source, target) for source, targets in STATUS_TRANSITIONS.items()
                 for target in targets)
ILLEGAL = [(S.AANGEMELD, S.MONITORING), (S.AFGESLOTEN, S.MONITORING),
           (S.AANGEMELD, S.OVERGEDRAGEN_REGULIER), (S.AFGESLOTEN, S.OVERGEDRAGEN_GEMEENTE),
           (S.ACTIEF, S.AANGEMELD), (S.ACTIEF, S.ACTIEF)]


def status_form(to: ClientStatus, on: date | None = None, **extra) -> dict:
    data = {"to_status": to.value, "changed_on": (on or days_ago(1)).isoformat(),
            "reason": f"Overleg in het Stapteam over {to.value}"}
    if to.is_handover:
        data.update(receiving_party="Wijkteam Oost", warm_handover="ja")
    data.update(extra)
    return data


def change_status(client, ref: str, data: dict):
    return post(client, f"/clienten/{ref}/status", data)


def seed_with_status(app, staff, status: ClientStatus) -> SimpleNamespace:
    closed = {"closed_at": days_ago(10)} if status == S.AFGESLOTEN else {}
    return seed_client(app, "Roos", casemanagers=[staff.anna], status=status.value, **closed)


@pytest.mark.parametrize(("source", "target"), ALLOWED,
                         ids=[f"{s.value}->{t.value}" for s, t in ALLOWED])
def test_every_allowed_transition_is_recorded(app, client, login, staff, source, target):
    roos = seed_with_status(app, staff, source)
    login(staff.anna)
    response = change_status(client, roos.ref, status_form(target))
    assert response.status_code == 302
    assert response.location == f"/clienten/{roos.ref}#status"
    assert client_row(app, roos.id)["status"] == target.value
    handover = target.is_handover
    assert status_changes(app, roos.id) == [
        {"from": source.value, "to": target.value, "on": days_ago(1),
         "reason": f"Overleg in het Stapteam over {target.value}", "by": staff.anna.id,
         "receiving_party": "Wijkteam Oost" if handover else None,
         "warm_handover": True if handover else None}]
    audited = events(app, "clients.status_changed")
    assert [(e["client_id"], e["detail"]) for e in audited] == [
        (roos.id, {"from": source.value, "to": target.value})]


@pytest.mark.parametrize(("source", "target"), ILLEGAL,
                         ids=[f"{s.value}->{t.value}" for s, t in ILLEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(app, client, login, staff, source,
                                                           target):
    assert target not in STATUS_TRANSITIONS[source]
    roos = seed_with_status(app, staff, source)
    login(staff.anna)
    response = change_status(client, roos.ref, status_form(target))
    assert response.status_code == 422
    assert field_error(response, "to_status") == (
        f"Van '{source.label}' kan de status niet naar '{target.label}'.")
    assert "het formulier is niet verstuurd" in page_text(response)
    assert client_row(app, roos.id)["status"] == source.value
    assert status_changes(app, roos.id) == []
    assert events(app, "clients.status_changed") == []


@pytest.mark.parametrize(("missing", "message"), [
    ("receiving_party", "Vul de ontvangende organisatie of gemeente in."),
    ("warm_handover", "Geef aan of er een warme overdracht was."),
])
def test_handover_needs_receiving_party_and_warm_handover(app, client, login, staff, missing,
                                                          message):
    roos = seed_with_status(app, staff, S.ACTIEF)
    login(staff.anna)
    data = status_form(S.OVERGEDRAGEN_GEMEENTE)
    del data[missing]
    response = change_status(client, roos.ref, data)
    assert response.status_code == 422
    assert field_error(response, missing) == message
    assert client_row(app, roos.id)["status"] == "actief"
    assert status_changes(app, roos.id) == []


def test_cold_handover_is_recorded_as_such(app, client, login, staff):
    roos = seed_with_status(app, staff, S.ACTIEF)
    login(staff.anna)
    response = change_status(client, roos.ref, status_form(
        S.OVERGEDRAGEN_REGULIER, receiving_party="Iriszorg ambulant", warm_handover="nee"))
    assert response.status_code == 302
    change = status_changes(app, roos.id)[-1]
    assert (change["receiving_party"], change["warm_handover"]) == ("Iriszorg ambulant", False)


def test_status_change_in_the_future_is_refused(app, client, login, staff):
    roos = seed_with_status(app, staff, S.AANGEMELD)
    login(staff.anna)
    response = change_status(client, roos.ref,
                             status_form(S.ACTIEF, on=today() + timedelta(days=1)))
    assert response.status_code == 422
    assert field_error(response, "changed_on") == (
        "De datum van een statuswijziging ligt niet in de toekomst.")
    assert client_row(app, roos.id)["status"] == "aangemeld"
    assert status_changes(app, roos.id) == []


def test_status_change_dated_before_the_previous_one_is_refused(app, client, login, staff):
    """Figures are read from the dates of the history: it must stay in date order."""
    roos = seed_with_status(app, staff, S.AANGEMELD)
    login(staff.anna)
    assert change_status(client, roos.ref, status_form(S.ACTIEF, on=days_ago(3))) \
        .status_code == 302
    response = change_status(client, roos.ref, status_form(S.MONITORING, on=days_ago(5)))
    assert response.status_code == 422
    assert field_error(response, "changed_on") == (
        f"De datum ligt vóór de vorige statuswijziging ({days_ago(3):%d-%m-%Y}). Kies die "
        "datum of later.")
    assert [c["to"] for c in status_changes(app, roos.id)] == ["actief"]
    assert change_status(client, roos.ref, status_form(S.MONITORING, on=days_ago(3))) \
        .status_code == 302


def test_status_change_needs_a_reason(app, client, login, staff):
    roos = seed_with_status(app, staff, S.AANGEMELD)
    login(staff.anna)
    response = change_status(client, roos.ref, status_form(S.ACTIEF, reason="  "))
    assert response.status_code == 422
    assert field_error(response, "reason") == "Geef een reden."
    assert status_changes(app, roos.id) == []


def test_closing_sets_closed_at_and_reopening_clears_it(app, client, login, staff):
    roos = seed_with_status(app, staff, S.ACTIEF)
    login(staff.anna)
    assert change_status(client, roos.ref,
                         status_form(S.AFGESLOTEN, on=days_ago(5))).status_code == 302
    assert client_row(app, roos.id)["closed_at"] == days_ago(5)
    assert change_status(client, roos.ref, status_form(S.ACTIEF)).status_code == 302
    row = client_row(app, roos.id)
    assert (row["status"], row["closed_at"]) == ("actief", None)
    assert [(c["from"], c["to"]) for c in status_changes(app, roos.id)] == [
        ("actief", "afgesloten"), ("afgesloten", "actief")]


def test_procesregisseur_may_change_status(app, staff):
    roos = seed_with_status(app, staff, S.ACTIEF)
    petra = browser(app, staff.petra)
    response = change_status(petra, roos.ref, status_form(S.MONITORING))
    assert response.status_code == 302
    assert client_row(app, roos.id)["status"] == "monitoring"
    assert status_changes(app, roos.id)[-1]["by"] == staff.petra.id


def test_ervaringsdeskundige_may_not_change_status(app, staff):
    roos = seed_with_status(app, staff, S.ACTIEF)
    eva = browser(app, staff.eva)
    response = change_status(eva, roos.ref, status_form(S.MONITORING))
    assert response.status_code == 403
    assert client_row(app, roos.id)["status"] == "actief"
    assert status_changes(app, roos.id) == []


# --- 4. trajecten ------------------------------------------------------------------------------


def traject_form(kind: str, **extra) -> dict:
    data = {"kind": kind, "provider": "", "responsible_id": "", "diagnosticus_id": "",
            "start_date": "", "amount": "", "purpose": "", "approved_by": "", "note": ""}
    data.update(extra)
    return data


def add_traject(client, ref: str, data: dict):
    return post(client, f"/clienten/{ref}/trajecten", data)


def set_traject_status(client, ref: str, traject_id: int, status: str, on: date):
    return post(client, f"/clienten/{ref}/trajecten/{traject_id}/status",
                {"status": status, "changed_on": on.isoformat()})


@pytest.fixture
def roos(app, staff):
    """An actief client of Anna and Bea with everything a dossier can hold."""
    found = seed_client(app, "Roos", casemanagers=[staff.anna, staff.bea],
                        legal_name="Maria Verhoeven", date_of_birth=date(1990, 3, 14),
                        phone="06 1234 5678", woonsituatie="dakloos",
                        id_check_document="Paspoort", id_check_date=days_ago(40),
                        ervaringsdeskundige_id=staff.eva.id)
    seed(app,
         StatusChange(client_id=found.id, from_status="aangemeld", to_status="actief",
                      changed_on=days_ago(30), reason="Intake gedaan op de huiskamer",
                      by_id=staff.anna.id),
         Traject(client_id=found.id, kind="time-out", status="lopend",
                 provider="Time-out huis De Linde"),
         JournalEntry(client_id=found.id, author_id=staff.anna.id, entry_date=days_ago(2),
                      text="Samen koffie gedronken bij de huiskamer", confidential=False))
    return found


def test_diagnostiek_without_diagnosticus_is_refused(app, client, login, staff, roos):
    login(staff.anna)
    response = add_traject(client, roos.ref, traject_form("diagnostiek"))
    assert response.status_code == 422
    assert field_error(response, "diagnosticus_id") == (
        "Kies de diagnosticus die de diagnostiek uitvoert.")
    assert [t["kind"] for t in trajecten(app, roos.id)] == ["time-out"]


def test_only_an_assigned_casemanager_proposes_diagnostiek(app, client, login, staff, roos):
    """Issue 14: a diagnostiek traject opens the dossier to the diagnosticus it names, so a
    casemanager who is not assigned to the client cannot propose one (other kinds she can)."""
    login(staff.carla)
    dossier = client.get(f"/clienten/{roos.ref}").get_data(as_text=True)
    assert 'value="time-out"' in dossier and 'value="diagnostiek"' not in dossier
    response = add_traject(client, roos.ref, traject_form(
        "diagnostiek", diagnosticus_id=str(staff.dana.id)))
    assert response.status_code == 422
    assert field_error(response, "kind") is not None
    assert [t["kind"] for t in trajecten(app, roos.id)] == ["time-out"]
    assert add_traject(client, roos.ref, traject_form("flexbudget", amount="25,00",
                                                      purpose="Reiskosten",
                                                      approved_by="Petra")).status_code == 302
    assert browser(app, staff.dana).get(f"/clienten/{roos.ref}").status_code == 404


def test_diagnostiek_traject_opens_a_minimal_dossier_to_its_diagnosticus(app, client, login,
                                                                         staff, roos):
    dana = browser(app, staff.dana)
    assert dana.get(f"/clienten/{roos.ref}").status_code == 404

    login(staff.anna)
    response = add_traject(client, roos.ref, traject_form(
        "diagnostiek", diagnosticus_id=str(staff.dana.id), provider="Pro Persona"))
    assert response.status_code == 302
    created = trajecten(app, roos.id)[-1]
    assert (created["kind"], created["status"], created["diagnosticus_id"]) == (
        "diagnostiek", "voorgesteld", staff.dana.id)
    assert created["responsible_id"] == staff.anna.id

    page = dana.get(f"/clienten/{roos.ref}")
    assert page.status_code == 200
    text = page_text(page)
    for shown in ("Roos", "Maria Verhoeven", "14 maart 1990", "Diagnostiek", "Pro Persona"):
        assert shown in text
    for hidden in ("06 1234 5678", "Samen koffie", "Statusgeschiedenis", "Intake gedaan",
                   "Time-out huis De Linde"):
        assert hidden not in text
    assert section(page, "journaal") is None
    assert section(page, "status") is None


def test_flexbudget_is_stored_with_amount_purpose_and_approval(app, client, login, staff, roos):
    login(staff.anna)
    response = add_traject(client, roos.ref, traject_form(
        "flexbudget", amount="250.00", purpose="Borg voor een kamer",
        approved_by="Teamleider Stapteam"))
    assert response.status_code == 302
    created = trajecten(app, roos.id)[-1]
    assert (created["kind"], created["amount"], created["purpose"], created["approved_by"]) == (
        "flexbudget", Decimal("250.00"), "Borg voor een kamer", "Teamleider Stapteam")
    assert "€ 250,00" in section(client.get(f"/clienten/{roos.ref}"), "trajecten")


@pytest.mark.parametrize(("override", "field", "message"), [
    ({"amount": ""}, "amount", "Vul een bedrag groter dan nul in."),
    ({"amount": "0"}, "amount", "Vul een bedrag groter dan nul in."),
    ({"amount": "-20"}, "amount", "Vul een bedrag of aantal van nul of meer in; een negatief "
                                  "getal kan hier niet."),
    ({"purpose": " "}, "purpose", "Vul het doel van het flexbudget in."),
    ({"approved_by": ""}, "approved_by", "Vul in wie het flexbudget heeft goedgekeurd."),
], ids=["no-amount", "zero", "negative", "no-purpose", "no-approval"])
def test_flexbudget_needs_positive_amount_purpose_and_approval(app, client, login, staff, roos,
                                                               override, field, message):
    login(staff.anna)
    data = traject_form("flexbudget", amount="250", purpose="Borg voor een kamer",
                        approved_by="Teamleider Stapteam")
    data.update(override)
    response = add_traject(client, roos.ref, data)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert [t["kind"] for t in trajecten(app, roos.id)] == ["time-out"]


def test_traject_runs_from_voorgesteld_to_lopend_to_afgerond_and_not_back(app, client, login,
                                                                          staff, roos):
    login(staff.anna)
    assert add_traject(client, roos.ref, traject_form(
        "instroomwoning", provider="Leger des Heils")).status_code == 302
    traject_id = trajecten(app, roos.id)[-1]["id"]

    assert set_traject_status(client, roos.ref, traject_id, "lopend",
                              days_ago(20)).status_code == 302
    assert trajecten(app, roos.id)[-1]["status"] == "lopend"
    assert trajecten(app, roos.id)[-1]["start_date"] == days_ago(20)

    assert set_traject_status(client, roos.ref, traject_id, "afgerond",
                              days_ago(1)).status_code == 302
    assert trajecten(app, roos.id)[-1]["status"] == "afgerond"
    assert trajecten(app, roos.id)[-1]["end_date"] == days_ago(1)

    back = set_traject_status(client, roos.ref, traject_id, "lopend", today())
    assert back.status_code == 302
    assert "Een traject dat afgerond is, kan niet naar 'lopend'." in page_text(
        client.get(back.location))
    assert trajecten(app, roos.id)[-1]["status"] == "afgerond"
    assert [e["detail"] for e in events(app, "clients.traject_status_changed")] == [
        {"from": "voorgesteld", "to": "lopend"}, {"from": "lopend", "to": "afgerond"}]


def test_traject_cannot_skip_from_voorgesteld_to_afgerond(app, client, login, staff, roos):
    login(staff.anna)
    add_traject(client, roos.ref, traject_form("time-out"))
    traject_id = trajecten(app, roos.id)[-1]["id"]
    set_traject_status(client, roos.ref, traject_id, "afgerond", today())
    assert trajecten(app, roos.id)[-1]["status"] == "voorgesteld"


def test_procesregisseur_sees_time_out_but_not_diagnostiek_traject(app, staff, roos):
    seed(app, Traject(client_id=roos.id, kind="diagnostiek", status="lopend",
                      provider="Pro Persona outreach", diagnosticus_id=staff.dana.id))
    petra = browser(app, staff.petra)
    shown = section(petra.get(f"/clienten/{roos.ref}"), "trajecten")
    assert "Time-out huis De Linde" in shown
    assert "Pro Persona outreach" not in shown
    assert "Diagnostiek" not in shown
    assert "Dana Mulder" not in shown


# --- 5. journaal ------------------------------------------------------------------------------


def write_note(client, ref: str, text: str, *, confidential: bool = False, on: date | None = None):
    data = {"entry_date": (on or today()).isoformat(), "text": text}
    if confidential:
        data["confidential"] = "y"
    return post(client, f"/clienten/{ref}/journaal", data)


def journal_text(client, ref: str) -> str:
    page = client.get(f"/clienten/{ref}")
    assert page.status_code == 200
    return section(page, "journaal") or ""


def test_confidential_note_is_for_the_assigned_casemanagers_only(app, client, login, staff, roos):
    login(staff.anna)
    assert write_note(client, roos.ref, "Vertelt over geweld door een klant",
                      confidential=True).status_code == 302
    assert journal(app, roos.id)[-1] == {
        "author_id": staff.anna.id, "text": "Vertelt over geweld door een klant",
        "entry_date": today(), "confidential": True}

    assert "Vertelt over geweld" in journal_text(client, roos.ref)
    assert "Vertelt over geweld" in journal_text(browser(app, staff.bea), roos.ref)
    unassigned = journal_text(browser(app, staff.carla), roos.ref)
    assert "Vertelt over geweld" not in unassigned
    assert "Samen koffie gedronken" in unassigned  # an ordinary note she does see


def test_ervaringsdeskundige_sees_only_her_own_notes(app, staff, roos):
    eva = browser(app, staff.eva)
    assert write_note(eva, roos.ref, "Samen naar de markt geweest").status_code == 302
    assert journal(app, roos.id)[-1]["author_id"] == staff.eva.id
    shown = journal_text(eva, roos.ref)
    assert "Samen naar de markt geweest" in shown
    assert "Samen koffie gedronken" not in shown
    assert "Samen naar de markt geweest" in journal_text(browser(app, staff.anna), roos.ref)


@pytest.mark.parametrize("who", ["petra", "rita"])
def test_procesregie_and_registratie_see_no_journaal(app, staff, roos, who):
    other = browser(app, getattr(staff, who))
    page = other.get(f"/clienten/{roos.ref}")
    assert page.status_code == 200
    assert section(page, "journaal") is None
    assert "Samen koffie gedronken" not in page_text(page)
    assert write_note(other, roos.ref, "Mag niet").status_code == 403
    assert len(journal(app, roos.id)) == 1


def test_journal_entry_in_the_future_is_refused(app, client, login, staff, roos):
    login(staff.anna)
    response = write_note(client, roos.ref, "Afspraak morgen",
                          on=today() + timedelta(days=1))
    assert response.status_code == 422
    assert field_error(response, "entry_date") == (
        "De datum van een contact ligt niet in de toekomst.")
    assert len(journal(app, roos.id)) == 1
    assert events(app, "clients.journal_created") == []


# --- 6. what each role sees on the dossier page ------------------------------------------------


def test_casemanager_sees_the_whole_dossier(app, staff, roos):
    """Every casemanager sees the whole dossier; the registration status only an assigned one
    (Anna), not a colleague who is not assigned to the client (Carla)."""
    number = seed_registration(app, roos, staff.rita)
    for who, assigned in ((staff.anna, True), (staff.carla, False)):
        page = browser(app, who).get(f"/clienten/{roos.ref}")
        text = page_text(page)
        for shown in ("Maria Verhoeven", "14 maart 1990", "06 1234 5678", "Dakloos",
                      "Paspoort", "Anna de Vries, Bea Bakker", "Eva Peters",
                      "Statusgeschiedenis", "Intake gedaan op de huiskamer",
                      "Gegevens bewerken"):
            assert shown in text
        for anchor in ("trajecten", "journaal", "documenten"):
            assert section(page, anchor) is not None
        assert "Time-out huis De Linde" in section(page, "trajecten")
        assert "Samen koffie gedronken" in section(page, "journaal")
        if assigned:
            assert number in section(page, "registratie")
            assert "Aangevraagd" in section(page, "registratie")
        else:
            assert section(page, "registratie") is None
            assert number not in text


def test_ervaringsdeskundige_sees_no_identity_but_does_see_trajecten(app, staff, roos):
    page = browser(app, staff.eva).get(f"/clienten/{roos.ref}")
    text = page_text(page)
    for hidden in ("Maria Verhoeven", "14 maart 1990", "Officiële naam", "Geboortedatum",
                   "Paspoort", "Statusgeschiedenis", "Gegevens bewerken"):
        assert hidden not in text
    assert "Time-out huis De Linde" in section(page, "trajecten")
    assert "06 1234 5678" in text
    assert "Geen documenten die u mag inzien." in section(page, "documenten")


def test_procesregisseur_sees_status_history_but_no_identity_or_journaal(app, staff, roos):
    page = browser(app, staff.petra).get(f"/clienten/{roos.ref}")
    text = page_text(page)
    assert "Intake gedaan op de huiskamer" in section(page, "status")
    assert "Statusgeschiedenis" in text
    for hidden in ("Maria Verhoeven", "14 maart 1990", "Samen koffie gedronken"):
        assert hidden not in text
    assert "Gegevens bewerken" in text  # basics and assignment, no identity fields
    assert section(page, "journaal") is None
    assert "Geen documenten die u mag inzien." in section(page, "documenten")


def test_registratiecontactpersoon_sees_identity_and_nothing_else(app, staff, roos):
    """She sees legal name, date of birth and ID check only once the client has a
    registration; never contact data, trajecten, status history or the journaal."""
    rita = browser(app, staff.rita)
    before = page_text(rita.get(f"/clienten/{roos.ref}"))
    for hidden in ("Maria Verhoeven", "14 maart 1990", "Officiële naam", "Paspoort"):
        assert hidden not in before
    number = seed_registration(app, roos, staff.rita)
    page = rita.get(f"/clienten/{roos.ref}")
    text = page_text(page)
    for shown in ("Maria Verhoeven", "14 maart 1990", "Paspoort"):
        assert shown in text
    assert number in section(page, "registratie")
    for hidden in ("06 1234 5678", "Dakloos", "Time-out huis De Linde", "Samen koffie",
                   "Statusgeschiedenis", "Intake gedaan"):
        assert hidden not in text
    for anchor in ("trajecten", "journaal", "status"):
        assert section(page, anchor) is None
    assert section(page, "registratie") is not None
    assert "Geen documenten die u mag inzien." in section(page, "documenten")


def test_diagnosticus_without_traject_gets_404_and_the_denial_is_audited(app, staff, roos):
    response = browser(app, staff.dana).get(f"/clienten/{roos.ref}")
    assert response.status_code == 404
    assert "Maria Verhoeven" not in page_text(response)
    denied = events(app, "access.denied")
    assert len(denied) == 1
    assert denied[0]["user_id"] == staff.dana.id
    assert denied[0]["outcome"] == Outcome.DENIED.value
    assert (denied[0]["object_type"], denied[0]["object_id"]) == ("client", roos.ref)
    assert denied[0]["detail"]["status"] == 404
    assert events(app, "clients.viewed") == []


def test_unknown_ref_answers_404_like_a_hidden_one(app, staff):
    response = browser(app, staff.anna).get("/clienten/bestaat-niet")
    assert response.status_code == 404
    assert events(app, "access.denied")[0]["detail"]["status"] == 404


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PRIVACYFUNCTIONARIS, Role.NETWERKPARTNER])
def test_roles_without_dossier_access_get_403(app, account, staff, roos, role):
    outsider = browser(app, account(role))
    assert outsider.get("/clienten/").status_code == 403
    response = outsider.get(f"/clienten/{roos.ref}")
    assert response.status_code == 403
    assert "Roos" not in page_text(response)
    assert [e["detail"]["status"] for e in events(app, "access.denied")] == [403, 403]
    assert events(app, "clients.viewed") == []
    assert events(app, "clients.overview") == []


# --- 7. audit of reads and searches -----------------------------------------------------------


def test_every_dossier_view_writes_clients_viewed(app, staff, roos):
    anna = browser(app, staff.anna)
    anna.get(f"/clienten/{roos.ref}")
    anna.get(f"/clienten/{roos.ref}")
    browser(app, staff.eva).get(f"/clienten/{roos.ref}")
    viewed = events(app, "clients.viewed")
    assert [(e["user_id"], e["client_id"], e["object_id"], e["action"]) for e in viewed] == [
        (staff.anna.id, roos.id, str(roos.id), "R"),
        (staff.anna.id, roos.id, str(roos.id), "R"),
        (staff.eva.id, roos.id, str(roos.id), "R")]
    assert "identiteit" in viewed[0]["detail"]["sections"]
    assert "identiteit" not in viewed[2]["detail"]["sections"]


def test_overview_search_audits_filters_and_shown_client_ids(app, staff, roos):
    lila = seed_client(app, "Lila", casemanagers=[staff.bea])
    rosa = seed_client(app, "Rosa", casemanagers=[staff.bea], status="aangemeld")
    anna = browser(app, staff.anna)
    response = anna.get("/clienten/?zoek=ro&status=actief")
    assert listed_refs(response) == [roos.ref]
    anna.get("/clienten/")
    overview = events(app, "clients.overview")
    assert overview[0]["detail"]["filters"] == {"zoek": "ro", "status": "actief"}
    assert overview[0]["detail"]["client_ids"] == [roos.id]
    assert overview[0]["user_id"] == staff.anna.id
    assert overview[1]["detail"]["filters"] == {}
    assert overview[1]["detail"]["client_ids"] == [lila.id, roos.id, rosa.id]


# --- 8. caseload ------------------------------------------------------------------------------


def test_casemanager_caseload_lists_only_her_own_clients(app, staff, roos):
    lila = seed_client(app, "Lila", casemanagers=[staff.bea])
    iris = seed_client(app, "Iris", casemanagers=[staff.carla])
    assert listed_refs(browser(app, staff.bea).get("/clienten/caseload")) == [lila.ref, roos.ref]
    carla = browser(app, staff.carla).get("/clienten/caseload")
    assert listed_refs(carla) == [iris.ref]
    caseload = events(app, "clients.caseload")
    assert caseload[-1]["detail"]["client_ids"] == [iris.id]


def test_ervaringsdeskundige_caseload_lists_her_clients(app, staff, roos):
    seed_client(app, "Lila", casemanagers=[staff.bea])
    page = browser(app, staff.eva).get("/clienten/caseload")
    assert page.status_code == 200
    assert listed_refs(page) == [roos.ref]


def test_caseload_shows_attention_signals(app, staff, roos):
    new = seed_client(app, "Iris", casemanagers=[staff.anna], status="aangemeld")
    quiet = seed_client(app, "Lila", casemanagers=[staff.anna])
    seed(app,
         Traject(client_id=roos.id, kind="instroomwoning", status="voorgesteld"),
         JournalEntry(client_id=quiet.id, author_id=staff.anna.id, entry_date=days_ago(45),
                      text="Laatste contact", confidential=False))
    page = browser(app, staff.anna).get("/clienten/caseload")
    new_row, roos_row, quiet_row = (table_row(page, c.ref) for c in (new, roos, quiet))
    assert "Intake nog doen" in new_row
    assert "Geen contact sinds aanmelding" in new_row
    assert "1 voorgesteld traject" in roos_row
    assert "Intake nog doen" not in roos_row
    assert "Geen contact" not in roos_row  # a note two days ago
    assert f"Geen contact sinds {local_date(days_ago(45))}" in quiet_row
    assert "voorgesteld" not in quiet_row


def test_caseload_is_refused_to_procesregie(app, staff):
    assert browser(app, staff.petra).get("/clienten/caseload").status_code == 403


# --- 9. overview filters ----------------------------------------------------------------------


@pytest.fixture
def clients_of_the_team(app, staff, roos):
    """Roos (actief, Anna+Bea, time-out), Lila (aangemeld, Bea, flexbudget),
    Iris (monitoring, Carla), Rosalie (afgesloten, no casemanager)."""
    lila = seed_client(app, "Lila", casemanagers=[staff.bea], status="aangemeld")
    iris = seed_client(app, "Iris", casemanagers=[staff.carla], status="monitoring")
    rosalie = seed_client(app, "Rosalie", status="afgesloten", closed_at=days_ago(3))
    seed(app, Traject(client_id=lila.id, kind="flexbudget", status="voorgesteld",
                      amount=Decimal("75"), purpose="Telefoon", approved_by="Teamleider"))
    return SimpleNamespace(roos=roos, lila=lila, iris=iris, rosalie=rosalie)


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["iris", "lila", "roos", "rosalie"]),
    ("status=aangemeld", ["lila"]),
    ("status=afgesloten", ["rosalie"]),
    ("status=onzin", ["iris", "lila", "roos", "rosalie"]),
    ("trajectsoort=flexbudget", ["lila"]),
    ("trajectsoort=time-out", ["roos"]),
    ("zoek=RO", ["roos", "rosalie"]),
    ("zoek=lIlA", ["lila"]),
    ("zoek=%25", []),
    ("zoek=Rosalie&status=actief", []),
])
def test_overview_filters(app, staff, clients_of_the_team, query, expected):
    page = browser(app, staff.anna).get(f"/clienten/?{query}")
    assert page.status_code == 200
    assert listed_refs(page) == [getattr(clients_of_the_team, name).ref for name in expected]


def test_overview_filters_by_casemanager_and_organisation(app, staff, clients_of_the_team):
    c = clients_of_the_team
    anna = browser(app, staff.anna)
    assert listed_refs(anna.get(f"/clienten/?casemanager={staff.bea.id}")) == [c.lila.ref,
                                                                              c.roos.ref]
    assert listed_refs(anna.get(f"/clienten/?casemanager={staff.carla.id}")) == [c.iris.ref]
    assert listed_refs(anna.get(f"/clienten/?organisation={staff.leger_id}")) == [c.lila.ref,
                                                                                 c.roos.ref]
    assert listed_refs(anna.get(f"/clienten/?organisation={staff.iriszorg_id}")) == [
        c.iris.ref, c.roos.ref]


def test_overview_search_finds_client_number_case_insensitively(app, staff,
                                                                 clients_of_the_team):
    number = clients_of_the_team.iris.number
    page = browser(app, staff.anna).get(f"/clienten/?zoek={number.lower()}")
    assert listed_refs(page) == [clients_of_the_team.iris.ref]


def status_count(page, label: str) -> int:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(\d+)</dd>", page_text(page))
    assert match, label
    return int(match.group(1))


def test_overview_shows_counts_per_status(app, staff, clients_of_the_team):
    page = browser(app, staff.petra).get("/clienten/")
    assert {label: status_count(page, label) for label in (
        "Aangemeld", "Actief (caseload Stapteam)", "Monitoring (procesregie)",
        "Overgedragen regulier", "Afgesloten")} == {
        "Aangemeld": 1, "Actief (caseload Stapteam)": 1, "Monitoring (procesregie)": 1,
        "Overgedragen regulier": 0, "Afgesloten": 1}
    assert status_count(page, "Iriszorg") == 2
    assert status_count(page, "Leger des Heils") == 2


# --- bugs found while writing these tests ----------------------------------------------------


def test_overview_never_shows_diagnostiek_to_procesregie(app, staff, roos):
    seed(app, Traject(client_id=roos.id, kind="diagnostiek", status="lopend",
                      diagnosticus_id=staff.dana.id),
         Traject(client_id=roos.id, kind="diagnostiek", status="voorgesteld",
                 diagnosticus_id=staff.dana.id))
    petra = browser(app, staff.petra)
    page = petra.get("/clienten/")
    row = table_row(page, roos.ref)
    assert "Time-out" in row and "Anna de Vries" in row
    assert "Diagnostiek" not in row
    assert "voorgesteld" not in row
    assert 'value="diagnostiek"' not in page.get_data(as_text=True)
    filtered = petra.get("/clienten/?trajectsoort=diagnostiek")
    assert listed_refs(filtered) == listed_refs(page)  # the filter tells her nothing


def test_registratie_list_shows_no_trajecten_team_or_attention(app, staff, roos):
    seed_client(app, "Iris", casemanagers=[staff.anna], status="aangemeld")
    page = browser(app, staff.rita).get("/clienten/")
    text = page_text(page)
    for hidden in ("Time-out", "Anna de Vries", "Geen contact", "Intake nog doen",
                   "Lopende trajecten", "Aandacht"):
        assert hidden not in text.split("<table")[1]
    assert len(listed_refs(page)) == 2


def test_casemanager_filter_tells_registratie_nothing(app, staff, roos):
    seed_client(app, "Lila", casemanagers=[staff.bea])
    rita = browser(app, staff.rita)
    everyone = listed_refs(rita.get("/clienten/"))
    assert listed_refs(rita.get(f"/clienten/?casemanager={staff.carla.id}")) == everyone


def test_opening_the_edit_form_is_audited_as_a_read(app, staff, roos):
    anna = browser(app, staff.anna)
    before = last_seq(app)
    assert anna.get(f"/clienten/{roos.ref}/bewerken").status_code == 200
    assert reads_since(app, before, roos.id) != []


def test_dossier_shown_again_after_a_refused_form_is_audited(app, staff, roos):
    anna = browser(app, staff.anna)
    token = csrf_token(anna, "/")
    before = last_seq(app)
    response = anna.post(f"/clienten/{roos.ref}/journaal",
                         data={"csrf_token": token, "entry_date": today().isoformat(),
                               "text": ""})
    assert response.status_code == 422
    assert "Samen koffie gedronken" in page_text(response)
    assert reads_since(app, before, roos.id) == ["clients.viewed"]


@pytest.mark.parametrize("when, message", [
    (1, "De datum van een statuswijziging ligt niet in de toekomst."),
    (-20, "Een traject kan niet eindigen vóór de startdatum."),
])
def test_traject_status_date_is_checked(app, client, login, staff, roos, when, message):
    with app.app_context():
        traject = db.session.scalars(select(Traject).where(Traject.client_id == roos.id)).one()
        traject.start_date = days_ago(10)
        db.session.commit()
        traject_id = traject.id
    login(staff.anna)
    response = set_traject_status(client, roos.ref, traject_id, "afgerond",
                                  local_today() + timedelta(days=when))
    assert message in page_text(client.get(response.location))
    assert trajecten(app, roos.id)[0]["status"] == "lopend"


def test_unknown_status_value_is_refused(app, client, login, staff, roos):
    login(staff.anna)
    response = change_status(client, roos.ref, {**status_form(S.MONITORING),
                                                "to_status": "verdwenen"})
    assert response.status_code == 422
    assert field_error(response, "to_status") == "Kies de nieuwe status."
    assert client_row(app, roos.id)["status"] == "actief"


# --- who may change the assignment and the identity fields --------------------------------


def test_unassigned_casemanager_cannot_assign_herself(app, staff):
    roos = seed_client(app, "Roos", casemanagers=[staff.anna])
    carla = browser(app, staff.carla)
    page = carla.get(f"/clienten/{roos.ref}/bewerken").get_data(as_text=True)
    assert 'name="casemanager_ids"' not in page
    assert carla.get(f"/clienten/{roos.ref}/toewijzing").status_code == 404
    response = post(carla, f"/clienten/{roos.ref}/toewijzing",
                    {"casemanager_ids": [str(staff.carla.id)], "note": "Ik neem haar over"},
                    page=f"/clienten/{roos.ref}")
    assert response.status_code == 404
    with app.app_context():
        assigned = {u.id for u in db.session.get(Client, roos.id).casemanagers}
    assert assigned == {staff.anna.id}


def test_assigned_casemanager_and_procesregie_change_the_assignment(app, staff):
    roos = seed_client(app, "Roos", casemanagers=[staff.anna])
    for who, new in ((staff.anna, [staff.anna.id, staff.bea.id]), (staff.petra, [staff.carla.id])):
        user = browser(app, who)
        post(user, f"/clienten/{roos.ref}/toewijzing",
             {"casemanager_ids": [str(i) for i in new], "note": "Overdracht"}, page="/clienten/")
        with app.app_context():
            assert {u.id for u in db.session.get(Client, roos.id).casemanagers} == set(new)


def test_procesregie_enters_no_identity_or_id_check(app, staff):
    petra = browser(app, staff.petra)
    page = petra.get("/clienten/nieuw").get_data(as_text=True)
    assert 'name="legal_name"' not in page and 'name="id_check_document"' not in page
    response = post(petra, "/clienten/nieuw", new_client_form(staff), page="/clienten/nieuw")
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(Client)).one()
    assert stored.legal_name is None and stored.id_check_document is None
