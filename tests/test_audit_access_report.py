""""Wie heeft mijn dossier ingezien" (issue 14 item 4, NEN 7513): exactly the events of that
client in the period, oldest first, with organisation, role and what in Dutch (English when
that is her language); staff names only with ACCESS_REPORT_SHOW_NAMES; Word and PDF; only
the privacyfunctionaris opens it, and every report is audited."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from portal.audit.models import Action, AuditEvent, Outcome
from portal.audit.services import record
from portal.auth.models import User
from portal.clock import local_today
from portal.extensions import db
from portal.letters import pdf
from portal.roles import Role
from tests.conftest import log_in
from tests.factories import make_client, make_document, make_organisation


@pytest.fixture
def dossier(app, account):
    """Roos' dossier opened by Carla (Iriszorg); a denial about Roos; Lina's dossier opened
    too (must not show in Roos' report)."""
    with app.app_context():
        iris = make_organisation("Iriszorg")
    carla = account(Role.CASEMANAGER, name="Carla de Vries", organisation=iris)
    auditor = account(Role.PRIVACYFUNCTIONARIS)
    with app.app_context():
        roos = make_client("Roos", casemanagers=[carla], legal_name="Rosalie Geheim",
                           preferred_language="Nederlands")
        lina = make_client("Lina", casemanagers=[carla])
        document = make_document(roos, carla.id, kind="diagnostiekrapport")
        refs = {"roos": roos.ref, "lina": lina.ref, "document": document.ref,
                "roos_number": roos.number, "lina_number": lina.number, "roos_id": roos.id}
        record("access.denied", Action.READ, outcome=Outcome.DENIED, object_type="client",
               object_id=roos.ref, client_id=roos.id, user=db.session.get(User, carla.id))
        db.session.commit()
    web = app.test_client()
    log_in(web, carla)
    for path in (f"/clienten/{refs['roos']}", f"/documenten/{refs['document']}",
                 f"/clienten/{refs['lina']}"):
        assert web.get(path).status_code == 200
    return {**refs, "carla": carla, "auditor": auditor}


def report_rows(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


def expected_events(app, client_id):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(
            AuditEvent.client_id == client_id, AuditEvent.outcome == "gelukt")
            .order_by(AuditEvent.seq)).all()


def test_the_report_lists_exactly_the_events_of_that_client(app, dossier, login):
    expected = expected_events(app, dossier["roos_id"])
    web = login(dossier["auditor"])
    response = web.get("/audit/inzageverslag", query_string={"client": dossier["roos_number"]})
    assert response.status_code == 200
    rows = report_rows(response.get_data(as_text=True))
    assert rows.count("<tr>") == len(expected) >= 2
    assert "Dossier ingezien" in rows and "Document ingezien (diagnostiekrapport)" in rows
    assert "Toegang geweigerd" not in rows  # a refusal is no access
    assert rows.count("Iriszorg") == len(expected) and "Casemanager" in rows
    assert "Carla" not in rows and dossier["carla"].email not in rows  # names left out
    page = response.get_data(as_text=True)
    assert "Rosalie" not in page and "Namen van medewerkers staan niet" in page
    [viewed] = [e for e in expected_events(app, dossier["roos_id"])
                if e.event == "audit.access_report_viewed"]
    assert viewed.user_id == dossier["auditor"].id
    assert viewed.detail["regels"] == len(expected) and viewed.detail["namen"] is False


def test_the_report_is_chronological_and_its_own_making_is_in_the_next(app, dossier, login):
    web = login(dossier["auditor"])
    query = {"client": dossier["roos_number"]}
    first = report_rows(web.get("/audit/inzageverslag", query_string=query).get_data(
        as_text=True))
    assert first.index("Dossier ingezien") < first.index("Document ingezien")
    second = report_rows(web.get("/audit/inzageverslag", query_string=query).get_data(
        as_text=True))
    assert second.count("<tr>") == first.count("<tr>") + 1
    assert "Inzageverslag voor cliënt bekeken" in second and "Privacyfunctionaris" in second


def test_staff_names_are_shown_when_configured(app, dossier, login):
    app.config["ACCESS_REPORT_SHOW_NAMES"] = True
    page = login(dossier["auditor"]).get(
        "/audit/inzageverslag", query_string={"client": dossier["roos_number"]}).get_data(
        as_text=True)
    assert "Carla de Vries" in report_rows(page) and "<th scope=\"col\">Naam</th>" in page
    assert "Namen van medewerkers staan niet" not in page


def test_the_period_limits_the_report(app, dossier, login):
    page = login(dossier["auditor"]).get("/audit/inzageverslag", query_string={
        "client": dossier["roos_number"], "van": "2000-01-01", "tot": "2000-12-31"}).get_data(
        as_text=True)
    assert "In deze periode heeft niemand uw gegevens ingezien of gewijzigd." in page


@pytest.mark.parametrize("query, message", [
    ({"client": "C-2099-0001"}, "Er is geen cliënt met nummer"),
    ({"client": "1" * 20}, "Er is geen cliënt met nummer"),
    ({"client": "x" * 5000}, "Er is geen cliënt met nummer"),
    ({"client": "C-2026-0001", "van": "2026-13-01"}, "“Van” is geen datum"),
    ({"client": "C-2026-0001", "tot": "9999-12-31"}, "“Tot en met” is geen datum"),
    ({"client": "C-2026-0001", "van": "2026-05-01", "tot": "2026-04-01"}, "“Van” ligt na"),
])
def test_a_report_that_cannot_be_made_says_why(app, dossier, login, query, message):
    query = {**query, "client": query["client"].replace("C-2026-0001", dossier["roos_number"])}
    web = login(dossier["auditor"])
    for path in ("/audit/inzageverslag", "/audit/inzageverslag.docx"):
        response = web.get(path, query_string=query, follow_redirects=True)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "access_report")).all() == []


def test_the_empty_form_opens(dossier, login):
    page = login(dossier["auditor"]).get("/audit/inzageverslag").get_data(as_text=True)
    assert "Overzicht maken" in page and "<tbody>" not in page


def docx_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_word_report_in_dutch_is_audited(app, dossier, login):
    response = login(dossier["auditor"]).get(
        "/audit/inzageverslag.docx", query_string={"client": dossier["roos_number"]})
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    assert dossier["roos_number"] in response.headers["Content-Disposition"]
    content = docx_text(response.get_data())
    assert "Wie heeft mijn dossier ingezien" in content and "Dossier ingezien" in content
    assert "Iriszorg" in content and "Rosalie" not in content and "Carla" not in content
    downloaded = [e for e in expected_events(app, dossier["roos_id"])
                  if e.event == "audit.access_report_downloaded"]
    assert [e.detail["formaat"] for e in downloaded] == ["docx"]


def test_an_english_client_gets_the_report_in_english(app, dossier, login):
    with app.app_context():
        from portal.clients.models import Client
        db.session.get(Client, dossier["roos_id"]).preferred_language = "Engels"
        db.session.commit()
    web = login(dossier["auditor"])
    page = web.get("/audit/inzageverslag",
                   query_string={"client": dossier["roos_number"]}).get_data(as_text=True)
    assert "Who has seen my file" in page and "Your file viewed" in page
    assert "A document viewed" in page and "Case manager" in page
    assert "Engels, omdat de voorkeurstaal van de cliënt Engels is." in page
    content = docx_text(web.get("/audit/inzageverslag.docx",
                                query_string={"client": dossier["roos_number"]}).get_data())
    assert "Who has seen my file" in content and "Client number" in content


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is niet geïnstalleerd")
def test_the_pdf_report(app, dossier, login):
    response = login(dossier["auditor"]).get(
        "/audit/inzageverslag.pdf", query_string={"client": dossier["roos_number"]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF")
    downloaded = [e for e in expected_events(app, dossier["roos_id"])
                  if e.event == "audit.access_report_downloaded"]
    assert [e.detail["formaat"] for e in downloaded] == ["pdf"]


def test_without_libreoffice_the_pdf_link_says_so_and_word_remains(app, dossier, login,
                                                                   monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    web = login(dossier["auditor"])
    page = web.get("/audit/inzageverslag",
                   query_string={"client": dossier["roos_number"]}).get_data(as_text=True)
    assert "PDF niet beschikbaar" in page
    response = web.get("/audit/inzageverslag.pdf",
                       query_string={"client": dossier["roos_number"]}, follow_redirects=True)
    assert response.status_code == 200
    assert "LibreOffice is niet geïnstalleerd" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.CASEMANAGER, Role.PROCESREGISSEUR, Role.BEHEERDER])
def test_only_the_privacyfunctionaris_opens_the_report(dossier, account, login, role):
    web = login(account(role))
    for suffix in ("", ".docx", ".pdf"):
        response = web.get(f"/audit/inzageverslag{suffix}",
                           query_string={"client": dossier["roos_number"]})
        assert response.status_code == 403


def test_the_audit_page_links_to_the_report_for_the_filtered_client(dossier, login):
    page = login(dossier["auditor"]).get(
        "/audit/", query_string={"client": dossier["roos_number"]}).get_data(as_text=True)
    assert f'/audit/inzageverslag?client={dossier["roos_number"]}' in page
    assert local_today().year > 2000
