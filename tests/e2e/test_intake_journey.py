"""A woman without a dossier applies at the registration desk: the contact person searches,
finds nothing, records the intake with the ID check (a minimal new dossier) and the request;
procesregie finds the new dossier without casemanager on her start page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in

pytestmark = pytest.mark.e2e


def test_contact_person_registers_a_woman_who_has_no_dossier_yet(
        app, live_server, account, browser_page, open_page, console_errors):
    contact = account(Role.REGISTRATIECONTACTPERSOON, name="Renate Bos")
    regie = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
    page = browser_page
    log_in(page, live_server, contact)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Registraties", exact=True).click()
    page.get_by_role("link", name="Nieuwe aanvraag", exact=True).click()
    expect(page.get_by_role("heading", name="Intake: een vrouw meldt zich")).to_be_visible()
    page.get_by_label("Werknaam", exact=True).fill("Nadia")
    page.get_by_label("Geboortedatum", exact=True).fill("1998-02-11")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Niet gevonden:")
    check_page(page)
    page.get_by_label("Officiële naam", exact=True).fill("Nadia Verzonnen")
    page.get_by_label("ID-controle: soort document", exact=True).fill("Identiteitskaart")
    page.get_by_role("button", name="Intake vastleggen", exact=True).click()
    expect(page.get_by_text("Intake van Nadia vastgelegd; nieuw dossier")).to_be_visible()
    check_page(page)
    page.get_by_label("Criterium", exact=True).fill("Meerderjarig")
    page.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aangevraagd")
    check_page(page)

    other = open_page()
    log_in(other, live_server, regie)
    waiting = other.locator("section", has=other.get_by_role(
        "heading", name="Dossiers zonder casemanager"))
    expect(waiting).to_contain_text("Nadia")
    waiting.get_by_role("link", name="Nadia", exact=False).click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("Nadia")
    expect(other.get_by_text("Nadia Verzonnen")).to_have_count(0)  # procesregie: no legal name
    check_page(other)
    assert console_errors == []
