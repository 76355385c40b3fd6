"""The psychiatrist releases a report from her Vandaag list; the casemanager finds it on her
start page and in her notifications, and marks it read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client, make_document

pytestmark = pytest.mark.e2e


def test_released_report_reaches_the_casemanagers_start_page_and_notifications(
        app, live_server, account, browser_page, open_page, console_errors):
    psychiater = account(Role.DIAGNOSTICUS, name="Dr. Marieke Smit")
    casemanager = account(Role.CASEMANAGER, name="Carla de Wit")
    with app.app_context():
        lina = make_client("Lina", casemanagers=[casemanager], diagnosticus_id=psychiater.id)
        make_document(lina, psychiater.id, kind="diagnostiekrapport",
                      title="Psychiatrisch onderzoek")

    page = browser_page
    log_in(page, live_server, psychiater)
    waiting = page.locator("section", has=page.get_by_role(
        "heading", name="Rapporten nog niet vrijgegeven"))
    expect(waiting).to_contain_text("Psychiatrisch onderzoek — Lina")
    waiting.get_by_role("link", name="Psychiatrisch onderzoek — Lina", exact=False).click()
    expect(page.get_by_role("heading", name="Psychiatrisch onderzoek")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Rapport vrijgeven").click()
    expect(page.get_by_text("Het rapport is vrijgegeven")).to_be_visible()
    check_page(page)
    page.goto(live_server + "/")
    expect(page.get_by_text("Al uw rapporten zijn vrijgegeven.")).to_be_visible()
    check_page(page)

    other = open_page()
    log_in(other, live_server, casemanager)
    released = other.locator("section", has=other.get_by_role(
        "heading", name="Vrijgegeven diagnostiekrapporten"))
    expect(released).to_contain_text("Psychiatrisch onderzoek — Lina")
    menu = other.get_by_role("navigation", name="Hoofdmenu")
    unread = menu.get_by_role("link", name=re.compile(r"^Meldingen \(1 ongelezen"))
    expect(unread).to_be_visible()
    unread.click()
    expect(other.get_by_role("heading", name="Meldingen", exact=True)).to_be_visible()
    expect(other.get_by_role("link", name="Diagnostiekrapport vrijgegeven: Psychiatrisch "
                                           "onderzoek over Lina", exact=False)).to_be_visible()
    check_page(other)
    other.get_by_role("button", name="Markeer als gelezen").click()
    expect(other.get_by_text("De melding is als gelezen gemarkeerd.")).to_be_visible()
    expect(menu.get_by_role("link", name="Meldingen", exact=True)).to_be_visible()
    check_page(other)
    other.get_by_role("link", name="Diagnostiekrapport vrijgegeven", exact=False).click()
    expect(other.get_by_role("heading", name="Psychiatrisch onderzoek")).to_be_visible()
    check_page(other)
    assert console_errors == []
