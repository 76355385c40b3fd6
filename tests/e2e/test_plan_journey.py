"""A casemanager scores two ZRM assessments of a client three months apart in the browser,
sees the differences and the chart per domain, and makes, fixes and changes a plan van
aanpak (the fixed version stays readable). Every page is checked with check_page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.clock import local_today
from portal.extensions import db
from portal.roles import OrganisationKind, Role
from portal.templating import local_date
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client, make_organisation
from tests.test_zrm import DOMAINS, ensure_zrm_seed

pytestmark = pytest.mark.e2e


def score_all(page, day, scores, note: str) -> None:
    """Fill the new-assessment form: dates, and per domain fieldset a score."""
    page.get_by_label("Datum van de meting", exact=True).fill(day.isoformat())
    page.get_by_label("Datum van de informatie", exact=True).fill(day.isoformat())
    page.get_by_label("De cliënt was bij de meting en deed mee", exact=True).check()
    for position, (name, score) in enumerate(zip(DOMAINS, scores, strict=True), 1):
        group = page.get_by_role("group", name=f"{position}. {name}", exact=True)
        if score is None:
            group.get_by_label("Score", exact=True).select_option(label="Niet gescoord")
            group.get_by_label("Reden niet gescoord", exact=True).fill("Niet besproken")
        else:
            group.get_by_label("Score", exact=True).select_option(value=str(score))
    page.get_by_role("group", name="1. Financiën", exact=True).get_by_label(
        "Toelichting", exact=True).fill(note)
    page.get_by_role("button", name="Meting opslaan", exact=True).click()
    expect(page.get_by_text("De ZRM-meting is opgeslagen.")).to_be_visible()
    check_page(page)


def test_casemanager_scores_twice_and_makes_a_plan(app, live_server, account, browser_page):
    cm = account(Role.CASEMANAGER, name="Carla Casemanager")
    with app.app_context():
        ensure_zrm_seed()
        make_organisation("GGD Gelderland-Zuid", kind=OrganisationKind.PARTNER)
        ref = make_client("Roos", casemanagers=[cm]).ref
        db.session.remove()
    today = local_today()
    first_day = today - timedelta(days=91)
    page = browser_page
    log_in(page, live_server, cm)
    page.goto(f"{live_server}/clienten/{ref}")
    check_page(page)
    page.get_by_role("link", name="ZRM", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ZRM over de tijd")
    check_page(page)

    # The first assessment, dated three months ago, and a reassessment today.
    page.get_by_role("link", name="Nieuwe meting", exact=True).click()
    expect(page.get_by_role("group")).to_have_count(13)
    check_page(page)
    score_all(page, first_day, [1, 2, 2, 1, 3, 2, 3, 2, 4, 2, 1, 2, None], "Schulden")
    page.get_by_role("link", name="Nieuwe meting", exact=True).click()
    check_page(page)
    # Information more than 30 days before the assessment: the form warns first.
    page.get_by_label("Datum van de informatie", exact=True).fill(
        (today - timedelta(days=31)).isoformat())
    for position, name in enumerate(DOMAINS, 1):
        page.get_by_role("group", name=f"{position}. {name}", exact=True).get_by_label(
            "Score", exact=True).select_option(value="3")
    page.get_by_role("button", name="Meting opslaan", exact=True).click()
    expect(page.get_by_text("meer dan 30 dagen na de datum van de informatie")).to_be_visible()
    check_page(page)
    score_all(page, today, [3, 2, 3, 2, 3, 2, 3, 2, 4, 2, 2, 2, 3], "Afbetalingsregeling")

    # Side by side, the difference from first to latest, and a chart per domain.
    table = page.get_by_role("table", name="Verschil van")
    expect(table).to_contain_text(f"Verschil van {local_date(first_day)} naar "
                                  f"{local_date(today)}")
    expect(table.get_by_role("row", name="Financiën")).to_contain_text("hoger (+2)")
    expect(table.get_by_role("row", name="Werk & Opleiding")).to_contain_text("gelijk (0)")
    expect(table.get_by_role("row", name="Justitie")).to_contain_text("niet te vergelijken")
    expect(page.get_by_role("img", name="Financiën")).to_have_count(1)
    expect(page.get_by_role("list", name="Grafieken per domein").locator("svg")).to_have_count(13)
    page.get_by_role("link", name=local_date(first_day), exact=True).click()
    expect(page.get_by_role("table", name="Scores per domein")).to_contain_text("Schulden")
    check_page(page)

    # A plan: a goal on Financiën with an action for a partner, vastgesteld today.
    page.get_by_role("link", name="Plan van aanpak", exact=True).click()
    check_page(page)
    page.get_by_role("link", name="Doel toevoegen", exact=True).click()
    check_page(page)
    page.get_by_label("ZRM-domein", exact=True).select_option(label="Financiën")
    page.get_by_label("Wat zij wil bereiken, in haar eigen woorden", exact=True).fill(
        "Ik wil geen post meer van deurwaarders")
    page.get_by_label("Formulering van het team", exact=True).fill(
        "Schulden in beeld en een regeling met alle schuldeisers")
    page.get_by_role("button", name="Doel opslaan", exact=True).click()
    expect(page.get_by_text("Het doel is opgeslagen.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Actie bij doel 1 toevoegen", exact=True).click()
    check_page(page)
    page.get_by_label("Wat", exact=True).fill("Samen naar het schuldhulpspreekuur")
    page.get_by_label("Wie", exact=True).select_option(label="GGD Gelderland-Zuid (partner)")
    page.get_by_label("Uiterlijk op", exact=True).fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Actie opslaan", exact=True).click()
    expect(page.get_by_role("table", name="Acties bij doel 1")).to_contain_text(
        "GGD Gelderland-Zuid")
    check_page(page)
    page.get_by_role("link", name="Versie 1 vaststellen", exact=True).click()
    check_page(page)
    page.get_by_label("De cliënt is het eens met deze versie van het plan", exact=True).check()
    page.get_by_role("button", name="Vaststellen", exact=True).click()
    expect(page.get_by_text("Versie 1 van het plan is vastgesteld.")).to_be_visible()
    check_page(page)

    # Fixing the goal's wording afterwards makes version 2; version 1 stays readable.
    page.get_by_role("link", name="Doel 1 wijzigen", exact=True).click()
    check_page(page)
    page.get_by_label("Formulering van het team", exact=True).fill(
        "Schulden in beeld, een regeling en budgetbeheer")
    page.get_by_role("button", name="Doel opslaan", exact=True).click()
    expect(page.get_by_text("budgetbeheer")).to_be_visible()
    expect(page.get_by_role("table", name="Versies van het plan")).to_contain_text("Concept")
    check_page(page)
    page.get_by_role("link", name="Versie 1", exact=True).click()
    expect(page.get_by_text("dit is versie 1")).to_be_visible()
    expect(page.get_by_text("budgetbeheer")).to_have_count(0)
    check_page(page)
    page.get_by_role("link", name="Versie 2 vaststellen", exact=True).click()
    check_page(page)
    page.get_by_label("De cliënt is het eens met deze versie van het plan", exact=True).check()
    page.get_by_role("button", name="Vaststellen", exact=True).click()
    expect(page.get_by_text("Versie 2 van het plan is vastgesteld.")).to_be_visible()
    check_page(page)
    # The plan as a letter for her, in the house style, stored in her dossier.
    page.get_by_role("link", name="Plan als brief", exact=True).click()
    expect(page.get_by_text("Versie 2, vastgesteld op")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Brief maken", exact=True).click()
    expect(page.get_by_text("met het plan van aanpak staat in het dossier")).to_be_visible()
    expect(page.get_by_role("table", name="Brieven met het plan van aanpak")).to_contain_text(
        "Word (")
    check_page(page)
