"""A diagnosticus uploads and releases a report; the assigned casemanager opens it; procesregie
gets 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client, minimal_pdf

pytestmark = pytest.mark.e2e


def test_report_released_to_casemanager_only(app, live_server, account, browser_page, open_page,
                                             console_errors, tmp_path):
    psychiater = account(Role.DIAGNOSTICUS, name="Dr. Marieke Smit")
    casemanager = account(Role.CASEMANAGER, name="Carla de Wit")
    regisseur = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
    with app.app_context():
        client_ref = make_client("Lina", casemanagers=[casemanager],
                                 diagnosticus_id=psychiater.id).ref
    report = tmp_path / "rapport-lina.pdf"
    report.write_bytes(minimal_pdf("Bevindingen psychiatrisch onderzoek"))

    page = browser_page
    log_in(page, live_server, psychiater)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link",
                                                                 name="Mijn caseload").click()
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Lina").click()
    expect(page.get_by_role("heading", name="Lina")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Document toevoegen").click()
    expect(page.get_by_label("Soort document")).to_be_visible()
    check_page(page)
    page.get_by_label("Soort document").select_option(label="Diagnostiekrapport")
    page.get_by_label("Titel").fill("Psychiatrisch onderzoek")
    page.get_by_label("Bestand").set_input_files(str(report))
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("'Psychiatrisch onderzoek' is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Nog niet: alleen de auteur ziet dit rapport")).to_be_visible()
    check_page(page)
    document_url = page.url

    other = open_page(accept_downloads=True)
    log_in(other, live_server, casemanager)
    assert other.goto(document_url).status == 404  # not yet released
    check_page(other)

    page.get_by_role("button", name="Rapport vrijgeven").click()
    expect(page.get_by_text("Het rapport is vrijgegeven")).to_be_visible()
    check_page(page)

    other.goto(live_server + f"/clienten/{client_ref}")
    check_page(other)
    other.locator("#documenten").get_by_role("link", name="Psychiatrisch onderzoek").click()
    expect(other.get_by_role("heading", name="Psychiatrisch onderzoek")).to_be_visible()
    check_page(other)
    with other.expect_download() as download_info:
        other.get_by_role("link", name="rapport-lina.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "rapport-lina.pdf"
    assert Path(download.path()).read_bytes() == report.read_bytes()

    third = open_page()
    log_in(third, live_server, regisseur)
    assert third.goto(document_url).status == 404
    check_page(third)
    third.goto(live_server + f"/clienten/{client_ref}")
    expect(third.locator("#documenten")).not_to_contain_text("Psychiatrisch onderzoek")
    check_page(third)
    assert console_errors == []
