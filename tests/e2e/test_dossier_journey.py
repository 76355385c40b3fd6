"""A casemanager builds a dossier in the browser; the procesregisseur sees it in the overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_login_journey import submit_password

pytestmark = pytest.mark.e2e


def log_in(page, base: str, account) -> None:
    """Log in with password and code, checking each page on the way (check_page)."""
    page.goto(base + "/login")
    check_page(page)
    submit_password(page, account.email, account.password)
    code = page.get_by_label("Code uit uw authenticator-app", exact=True)
    expect(code).to_be_visible()
    check_page(page)
    code.fill(account.next_code())
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    check_page(page)


def change_status(page, status: str, reason: str) -> None:
    page.get_by_label("Nieuwe status", exact=True).select_option(label=status)
    page.get_by_label("Reden", exact=True).fill(reason)
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_text(f"De status is gewijzigd naar {status}.")).to_be_visible()
    check_page(page)


def test_casemanager_builds_dossier_and_procesregie_sees_it(live_server, account, browser_page,
                                                            open_page, console_errors):
    casemanager = account(Role.CASEMANAGER, name="Carla de Wit")
    regisseur = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
    page = browser_page
    log_in(page, live_server, casemanager)

    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Mijn caseload").click()
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Nieuwe cliënt").click()
    expect(page.get_by_label("Werknaam of roepnaam")).to_be_visible()
    check_page(page)
    page.get_by_label("Werknaam of roepnaam").fill("Sterre")
    page.get_by_label("Officiële naam").fill("Stella Verzonnen")
    page.get_by_role("button", name="Dossier aanmaken").click()
    expect(page.get_by_role("heading", name="Sterre")).to_be_visible()
    assert "Sterre" not in page.url and "C-" not in page.url  # opaque ids only
    check_page(page)

    page.locator("summary", has_text="Traject toevoegen").click()
    page.get_by_label("Soort traject").select_option(label="Time-out")
    page.get_by_label("Aanbieder").fill("Leger des Heils")
    page.get_by_role("button", name="Traject toevoegen").click()
    expect(page.get_by_text("Het traject is toegevoegd.")).to_be_visible()
    trajecten = page.locator("#trajecten")
    expect(trajecten.get_by_role("cell", name="Time-out", exact=True)).to_be_visible()
    check_page(page)

    page.get_by_label("Notitie", exact=True).fill("Ontmoet bij de huiskamer; zij wil rust.")
    page.get_by_role("button", name="Notitie opslaan").click()
    expect(page.get_by_text("Ontmoet bij de huiskamer; zij wil rust.")).to_be_visible()
    check_page(page)

    change_status(page, "Actief (caseload Stapteam)", "Intake gedaan")
    change_status(page, "Monitoring (procesregie)", "Stabiel, procesregie volgt")

    second = open_page()
    log_in(second, live_server, regisseur)
    second.get_by_role("navigation", name="Hoofdmenu").get_by_role("link",
                                                                   name="Cliënten").click()
    row = second.get_by_role("row").filter(has_text="Sterre")
    expect(row).to_contain_text("Monitoring (procesregie)")
    expect(row).to_contain_text("Carla de Wit")
    check_page(second)
    second.get_by_role("link", name="Sterre").click()
    expect(second.locator("#status")).to_contain_text("Stabiel, procesregie volgt")
    check_page(second)
    expect(second.get_by_text("Stella Verzonnen")).to_have_count(0)  # no legal name
    expect(second.locator("#journaal")).to_have_count(0)  # no journaal text
    assert console_errors == []
