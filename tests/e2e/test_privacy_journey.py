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
