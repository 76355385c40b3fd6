"""The privacyfunctionaris filters the audit log by a client number she types, exports the
selection as CSV, starts the chain check and opens the client's access report, downloading it
as Word. Every page passes check_page (axe at both widths, no sideways scroll)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client, make_organisation

pytestmark = pytest.mark.e2e


def test_privacy_officer_filters_exports_and_opens_the_access_report(
        app, live_server, account, browser_page, open_page):
    with app.app_context():
        iris = make_organisation("Iriszorg")
        carla = account(Role.CASEMANAGER, name="Carla de Vries", organisation=iris)
        auditor = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
        roos = make_client("Roos", casemanagers=[carla], legal_name="Rosalie Geheim")
        lina = make_client("Lina", casemanagers=[carla])
        roos_ref, roos_number, lina_ref, lina_number = roos.ref, roos.number, lina.ref, \
            lina.number
        db.session.remove()
    casemanager = open_page()
    log_in(casemanager, live_server, carla)
    for ref in (roos_ref, lina_ref):
        casemanager.goto(f"{live_server}/clienten/{ref}")
        check_page(casemanager)

    page = browser_page
    log_in(page, live_server, auditor)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Auditlog", exact=True).click()
    check_page(page)
    page.get_by_label("Cliëntnummer", exact=True).fill(roos_number)
    page.get_by_role("button", name="Filteren", exact=True).click()
    table = page.get_by_role("table", name="Auditgebeurtenissen, nieuwste eerst")
    expect(table).to_contain_text("Dossier ingezien")
    expect(table).to_contain_text(f"Dossier {roos_number}")
    expect(table).not_to_contain_text(lina_number)
    check_page(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren als CSV", exact=True).click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:]), delimiter=";"))
    assert rows[0][:3] == ["Volgnummer", "Tijd", "Persoon"]
    assert {row[8] for row in rows[1:]} == {roos_number}

    page.get_by_role("link", name="Afdrukversie", exact=True).click()
    expect(page.get_by_text("Afgedrukt op")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Terug naar het auditlog", exact=True).click()
    check_page(page)

    page.get_by_role("link", name="Controle van de auditketen", exact=True).click()
    check_page(page)
    page.get_by_role("button", name="Controle starten", exact=True).click()
    expect(page.get_by_text("gebeurtenissen gecontroleerd.")).to_be_visible()
    expect(page.get_by_text("Eindpunt om elders te bewaren")).to_be_visible()
    check_page(page)
    page.get_by_label("Eerder bewaard eindpunt (niet verplicht)", exact=True).fill("onzin")
    page.get_by_role("button", name="Controle starten", exact=True).click()
    expect(page.get_by_text("Plak het eindpunt zoals de controle het gaf")).to_be_visible()
    check_page(page)

    page.goto(f"{live_server}/audit/?client={roos_number}")
    page.get_by_role("link", name="Wie heeft mijn dossier ingezien (overzicht voor een cliënt)",
                     exact=True).click()
    report = page.get_by_role("table", name="Wie heeft mijn dossier ingezien")
    expect(report).to_contain_text("Dossier ingezien")
    expect(report).to_contain_text("Iriszorg")
    expect(report).not_to_contain_text("Carla")
    expect(page.get_by_text("Rosalie")).to_have_count(0)
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als Word", exact=True).click()
    assert download_info.value.suggested_filename.startswith(f"inzageverslag-{roos_number}")

    page.get_by_label("Cliëntnummer", exact=True).fill("C-1999-0000")
    page.get_by_role("button", name="Overzicht maken", exact=True).click()
    expect(page.get_by_text("Er is geen cliënt met nummer “C-1999-0000”")).to_be_visible()
    check_page(page)
