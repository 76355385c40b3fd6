"""A casemanager uploads a report she exported from LibreOffice Writer, through the browser.

The PDF is made at test time by LibreOffice (tests/real_producers.py), with the OpenAction to
page 1 that every Writer PDF carries: it is accepted, found by full-text search by a word in
it, and downloaded byte for byte. A PDF with a script is refused on the same form, with the
Dutch reason that says what to do instead. Every page is checked with `check_page`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.documents.validation import REASONS
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client
from tests.hostile_files import hostile_corpus
from tests.real_producers import Missing, produce

pytestmark = pytest.mark.e2e


def _writer_pdf(workdir: Path) -> Path:
    try:
        made = {real.name: real for real in produce("libreoffice", workdir)}
    except Missing as missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (in CI verplicht)")
        pytest.skip(str(missing))
    target = workdir / "verslag-huisbezoek.pdf"
    target.write_bytes(made["writer.pdf"].data)
    return target


def _upload(page, title: str, path: Path) -> None:
    page.get_by_role("link", name="Document toevoegen").click()
    check_page(page)
    page.get_by_label("Soort document").select_option(label="Overig")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Bestand").set_input_files(str(path))
    page.get_by_role("button", name="Opslaan").click()


def test_libreoffice_pdf_is_accepted_found_and_downloaded(app, live_server, account, open_page,
                                                          tmp_path):
    report = _writer_pdf(tmp_path / "lo")
    casemanager = account(Role.CASEMANAGER, name="Carla de Wit")
    with app.app_context():
        client_ref = make_client("Roos", casemanagers=[casemanager]).ref
    page = open_page(accept_downloads=True)
    log_in(page, live_server, casemanager)

    page.goto(live_server + f"/clienten/{client_ref}")
    check_page(page)
    _upload(page, "Verslag huisbezoek", report)
    expect(page.get_by_text("'Verslag huisbezoek' is opgeslagen.")).to_be_visible()
    check_page(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Documenten zoeken").click()
    check_page(page)
    page.get_by_label("Zoek in documenten").fill("kievitsbloem")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("1 document(en) gevonden.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Verslag huisbezoek").click()
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="verslag-huisbezoek.pdf").click()
    assert Path(download_info.value.path()).read_bytes() == report.read_bytes()


def test_pdf_with_a_script_is_refused_with_what_to_do(app, live_server, account, open_page,
                                                      tmp_path):
    script = next(s for s in hostile_corpus() if s.name == "openactie-js.pdf")
    hostile = tmp_path / "brief.pdf"
    hostile.write_bytes(script.data)
    casemanager = account(Role.CASEMANAGER, name="Carla de Wit")
    with app.app_context():
        client_ref = make_client("Lina", casemanagers=[casemanager]).ref
    page = open_page()
    log_in(page, live_server, casemanager)

    page.goto(live_server + f"/clienten/{client_ref}")
    check_page(page)
    _upload(page, "Brief", hostile)
    error = page.locator("#file-error")
    expect(error).to_have_text(REASONS["pdf_javascript"])
    expect(error).to_contain_text("Afdrukken → Opslaan als PDF")
    check_page(page)
