"""The procesregisseur fills in the Informatiebrief, previews it, sends it to a partner list
and sees every recipient as verzonden."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.letters.templates import ensure_builtin_templates
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_partner_list

pytestmark = pytest.mark.e2e


def test_informatiebrief_to_the_partner_list(app, live_server, account, browser_page,
                                             console_errors):
    regisseur = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
    with app.app_context():
        ensure_builtin_templates()
        make_partner_list(4, name="Netwerkpartners")
    page = browser_page
    log_in(page, live_server, regisseur)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Brief aan partners").click()
    expect(page.get_by_role("link", name="Informatiebrief Stapteam 2.0")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Informatiebrief Stapteam 2.0").click()
    expect(page.get_by_label("Onderwerp van de e-mail", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label("Onderwerp van de e-mail", exact=True).fill("Stapteam 2.0")
    page.get_by_label("Onderwerp", exact=True).fill("Informatie over Stapteam 2.0")
    page.get_by_label("Contactpersoon registraties").fill("Renate Bos")
    page.get_by_label("Telefoon contactpersoon").fill("024 329 9999")
    page.get_by_label("Team en bereikbaarheid").fill("Het Stapteam is er op dinsdagavond.")
    page.get_by_label("Verzendlijst").select_option(label="Netwerkpartners (4)")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.locator(".letter-preview")
    expect(preview).to_contain_text("Renate Bos")
    expect(preview).to_contain_text("Het Stapteam is er op dinsdagavond.")
    check_page(page)
    page.get_by_role("button", name="Versturen naar de verzendlijst").click()
    expect(page.get_by_text("4 brieven staan klaar om te verzenden.")).to_be_visible()
    expect(page.get_by_text("4 van 4 verzonden")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    for index in range(4):
        expect(rows.nth(index)).to_contain_text("verzonden")
    check_page(page)
    assert console_errors == []
