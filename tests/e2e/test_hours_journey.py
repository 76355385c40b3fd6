"""A casemanager books time from the dossier's quick form and with the full form, corrects an
entry in the week view, and procesregie reads the totals and the realisation against a target
she sets. Every page is checked with check_page (axe at both widths, no sideways scroll)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.hours.kinds import ensure_default_kinds
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client, make_organisation

pytestmark = pytest.mark.e2e


def test_booking_correcting_and_reading_hours(app, live_server, account, browser_page,
                                              open_page):
    with app.app_context():
        ensure_default_kinds()
        ldh = make_organisation("Leger des Heils")
        cm = account(Role.CASEMANAGER, name="Lotte Verbeek", organisation=ldh)
        regisseur = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
        ref = make_client("Roos", casemanagers=[cm]).ref
        db.session.remove()
    page = browser_page
    log_in(page, live_server, cm)
    page.goto(f"{live_server}/clienten/{ref}")
    quick = page.get_by_role("region", name="Tijd boeken")
    quick.get_by_label("Duur", exact=True).fill("1,5 uur")
    quick.get_by_label("Soort activiteit", exact=True).select_option(label="Face-to-face contact")
    quick.get_by_role("button", name="Boeken", exact=True).click()
    expect(page.get_by_text("Geboekt: 1:30")).to_be_visible()
    check_page(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn uren", exact=True).click()
    page.get_by_role("link", name="Tijd boeken", exact=True).click()
    check_page(page)
    page.get_by_label("Duur", exact=True).fill("twee uur")
    page.get_by_label("Soort activiteit", exact=True).select_option(label="Teamoverleg")
    page.get_by_role("button", name="Boeken", exact=True).click()
    expect(page.get_by_text("Vul een duur in zoals 90 (minuten), 1:30 of 1,5 uur.")).to_be_visible()
    check_page(page)
    page.get_by_label("Duur", exact=True).fill("2u")
    page.get_by_role("button", name="Boeken", exact=True).click()
    expect(page.get_by_text("Totaal deze week: 3:30 uur")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="Wijzigen", exact=False).first.click()
    check_page(page)
    page.get_by_label("Duur", exact=True).fill("45")
    page.get_by_role("button", name="Wijziging opslaan", exact=True).click()
    expect(page.get_by_text("De boeking is gewijzigd.")).to_be_visible()
    page.get_by_role("link", name="Bekijken", exact=False).first.click()
    expect(page.get_by_role("table", name="Geschiedenis van de boeking")).to_contain_text(
        "duur: 1:30 → 0:45")
    check_page(page)
    page.context.close()

    page = open_page()
    log_in(page, live_server, regisseur)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Uren en normen", exact=True).click()
    check_page(page)
    page.get_by_role("link", name="Normen", exact=True).click()
    page.get_by_label("Organisatie", exact=True).select_option(label="Leger des Heils")
    page.get_by_label("Geldt vanaf", exact=True).fill("2020-01-01")
    page.get_by_label("Gesubsidieerde uren casemanagement per week", exact=True).fill("20")
    page.get_by_label("Verwachte uren per cliënt per week", exact=True).fill("1,5")
    page.get_by_role("button", name="Norm opslaan", exact=True).click()
    expect(page.get_by_text("De norm is opgeslagen.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Totalen", exact=True).click()
    expect(page.get_by_text("Alle geboekte uren in de periode: 2,75 uur")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Realisatie en caseload", exact=True).click()
    expect(page.get_by_role("table", name="Leger des Heils")).to_contain_text("20,00")
    check_page(page)
