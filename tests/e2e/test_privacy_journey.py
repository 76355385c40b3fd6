"""The privacyfunctionaris answers an erasure request end to end in the browser: she registers
it, sees what would go, is refused by a legal hold, lifts the hold, confirms with the client
number and reads the destruction record; then she proposes the month's destruction list.
Every page passes check_page (axe at both widths, no sideways scroll). With
PRIVACY_PNG_DIR set, screenshots of the key pages at 1280 and 375 px are written there."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.clients.models import Client
from portal.extensions import db
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client, make_document, make_legal_hold

pytestmark = pytest.mark.e2e


def snapshot(page, name: str) -> None:
    folder = os.environ.get("PRIVACY_PNG_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_privacy_officer_erases_a_dossier_on_request(app, live_server, account, browser_page):
    carla = account(Role.CASEMANAGER, name="Carla de Vries")
    officer = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
    with app.app_context():
        zwaluw = make_client("Zwaluw", casemanagers=[carla], legal_name="Zwaantje Markeer")
        make_document(zwaluw, carla.id, title="Verslag van het gesprek")
        make_legal_hold(zwaluw, officer.id, reason="Klacht bij de geschillencommissie")
        make_client("Archief", status="afgesloten",
                    closed_at=date.today() - timedelta(days=16 * 366))
        zwaluw_id, number = zwaluw.id, zwaluw.number
        db.session.remove()

    page = browser_page
    log_in(page, live_server, officer)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="AVG-verzoeken", exact=True).click()
    check_page(page)
    page.get_by_role("link", name="Nieuw verzoek registreren", exact=True).click()
    page.get_by_label("Cliëntnummer", exact=True).fill(number)
    page.get_by_label("Soort verzoek", exact=True).select_option("verwijdering")
    page.get_by_label("Ontvangen via", exact=True).select_option("schriftelijk")
    page.get_by_label("Wat vraagt zij?", exact=True).fill("Zij wil dat alles over haar weg is.")
    page.get_by_role("button", name="Verzoek registreren").click()
    expect(page.get_by_text("Het verzoek is geregistreerd")).to_be_visible()
    expect(page.get_by_text("Er geldt een bewaarplicht: Klacht bij de geschillencommissie",
                            exact=True)).to_be_visible()
    check_page(page)
    snapshot(page, "verzoek-geweigerd")
    request_url = page.url

    page.goto(f"{live_server}/privacy/bewaarplicht")
    check_page(page)
    page.get_by_label("Reden van opheffen").fill("Klacht afgehandeld")
    page.get_by_role("button", name="Opheffen").click()
    expect(page.get_by_text("De bewaarplicht is opgeheven.")).to_be_visible()
    check_page(page)

    page.goto(request_url)
    expect(page.get_by_role("table", name="Wat wordt gewist")).to_contain_text("documenten")
    snapshot(page, "verzoek-wissen")
    page.get_by_label("Typ ter bevestiging het cliëntnummer").fill("C-1999-0001")
    page.get_by_role("button", name=f"Alles van {number} wissen").click()
    expect(page.get_by_text(f"Typ het cliëntnummer {number} om te bevestigen.")).to_be_visible()
    check_page(page)
    page.get_by_label("Typ ter bevestiging het cliëntnummer").fill(number)
    page.get_by_role("button", name=f"Alles van {number} wissen").click()
    expect(page.get_by_text(f"Alle gegevens van {number} zijn gewist")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="vernietigingsverklaring nr. 1").click()
    expect(page.get_by_role("table", name="Wat is vernietigd")).to_contain_text("dossier")
    check_page(page)
    snapshot(page, "vernietigingsverklaring")
    with app.app_context():
        assert db.session.get(Client, zwaluw_id) is None

    page.goto(f"{live_server}/privacy/vernietigingslijst")
    check_page(page)
    page.get_by_role("button", name="Nu een lijst voorstellen").click()
    expect(page.get_by_role("table", name="Onderdelen van de lijst")).to_contain_text(
        "Dossier gesloten op")
    check_page(page)
    snapshot(page, "vernietigingslijst")


def test_privacy_officer_answers_an_inzage_request(app, live_server, account, browser_page,
                                                   open_page):
    carla = account(Role.CASEMANAGER, name="Carla de Vries")
    marieke = account(Role.DIAGNOSTICUS, name="Marieke Psychiater")
    officer = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
    with app.app_context():
        from portal.auth.models import User
        from portal.clients.services import add_journal_entry

        roos = make_client("Roos", casemanagers=[carla], legal_name="Rosalie Verzonnen")
        make_client("Lina", casemanagers=[carla])
        add_journal_entry(roos, db.session.get(User, carla.id), entry_date=date.today(),
                          text="Zij kwam samen met Lina langs.", confidential=False)
        make_document(roos, marieke.id, kind="diagnostiekrapport",
                      title="Psychiatrisch onderzoek")
        number = roos.number
        db.session.remove()

    page = browser_page
    log_in(page, live_server, officer)
    page.goto(f"{live_server}/privacy/verzoeken/nieuw")
    page.get_by_label("Cliëntnummer", exact=True).fill(number)
    page.get_by_label("Soort verzoek", exact=True).select_option("inzage")
    page.get_by_label("Ontvangen via", exact=True).select_option("mondeling")
    page.get_by_role("button", name="Verzoek registreren").click()
    page.get_by_role("button", name="Inzagepakket samenstellen").click()
    expect(page.get_by_text("Klaar om te beoordelen.")).to_be_visible()
    expect(page.get_by_text("Noemt: Lina")).to_be_visible()
    expect(page.get_by_text("Gevraagd aan Marieke Psychiater")).to_be_visible()
    check_page(page)
    snapshot(page, "inzage-beoordelen")
    pack_url = page.url

    author = open_page()
    log_in(author, live_server, marieke)
    author.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Inzage in rapporten", exact=True).click()
    check_page(author)
    author.get_by_label("Uw antwoord").select_option("akkoord")
    author.get_by_role("button", name="Antwoord vastleggen").click()
    expect(author.get_by_text("Uw antwoord is vastgelegd.")).to_be_visible()
    check_page(author)

    page.goto(pack_url)
    page.get_by_label("Meegeven").check()
    page.get_by_role("button", name="Beoordeling vastleggen en pakket maken").click()
    expect(page.get_by_text("Vrijgegeven", exact=True)).to_be_visible()
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Inzagepakket downloaden").click()
    assert Path(download_info.value.path()).read_bytes()[:2] == b"PK"
