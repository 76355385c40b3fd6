"""The stand van zaken page, its Woo-safe version, the exports and who may open them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.letters.models import LetterTemplate
from portal.roles import Role
from portal.verantwoording import publication, tables, word
from portal.verantwoording.figures import stand_van_zaken
from portal.verantwoording.models import ReportGrant
from tests.conftest import csrf_token, log_in
from tests.test_verantwoording import H1, build_world
from tests.test_verantwoording_publication import recover

PERIOD = "?start=2026-01-01&eind=2026-06-30"
WOO = PERIOD + "&versie=publicatie"


@pytest.fixture
def world(app, freeze_today):
    freeze_today(date(2026, 7, 20))
    with app.app_context():
        build_world()
    return app


@pytest.fixture
def regie(world, client, account):
    log_in(client, account(Role.PROCESREGISSEUR))
    return client


def _events(app, name: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)))


def test_procesregie_sees_every_figure_of_the_period(regie, world):
    page = regie.get("/verantwoording/stand-van-zaken" + PERIOD)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Stand van zaken", "1 januari 2026 t/m 30 juni 2026",
                 "Actief in de periode (caseload Stapteam)", "Instroomwoning", "Time-out",
                 "Diagnostiek", "Overdracht regulier", "Naar een andere gemeente",
                 "Caseload per organisatie op 30 juni 2026", "Iriszorg", "Leger des Heils",
                 "Op eigen verzoek", "<svg", "role=\"img\"", "Stapteam 2.0"):
        assert text in html, text
    assert "Woo art. 5.1.2e" not in html.split("<main")[1].split("Intern:")[0]
    [event] = _events(world, "verantwoording.report_viewed")
    assert event.detail == {"from": "2026-01-01", "to": "2026-06-30", "version": "volledig"}


def test_the_default_period_is_the_current_calendar_year(regie):
    html = regie.get("/verantwoording/stand-van-zaken").get_data(as_text=True)
    assert "1 januari 2026 t/m 31 december 2026" in html


@pytest.mark.parametrize("query, message", [
    ("?start=31-02-2026", "geen datum"), ("?start=morgen", "geen datum"),
    ("?start=2026-06-30&eind=2026-01-01", "vóór de begindatum"),
    ("?start=01-01-1900&eind=31-12-2026", "hoogstens tien jaar"),
    ("?start=9999-12-31", "geen datum"), ("?eind=31-12-9999", "geen datum"),
    ("?start=0001-01-01", "geen datum"), ("?peildatum=%C2%B2", "geen datum"),
    ("?start=1-1", "geen datum"), ("?eind=2026-13-01", "geen datum")])
def test_a_wrong_date_gives_a_dutch_message_and_the_default_period(regie, query, message):
    page = regie.get("/verantwoording/stand-van-zaken" + query)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and message in html
    assert "1 januari 2026 t/m 31 december 2026" in html


def test_dutch_dates_and_a_reference_date_are_understood(regie):
    html = regie.get("/verantwoording/stand-van-zaken?start=1-1-2026&eind=30-6-2026") \
        .get_data(as_text=True)
    assert "1 januari 2026 t/m 30 juni 2026" in html
    html = regie.get("/verantwoording/stand-van-zaken?peildatum=31-3-2026").get_data(
        as_text=True)
    assert "1 januari 2026 t/m 31 maart 2026" in html
    assert 'name="peildatum"' in html and 'value="2026-03-31"' in html  # the page offers it


def test_the_publication_version_hides_small_counts_with_the_ground(regie):
    html = regie.get("/verantwoording/stand-van-zaken" + WOO).get_data(as_text=True)
    assert "voor publicatie" in html and "niet openbaar (Woo art. 5.1.2e)" in html
    assert "artikel 5.1, tweede lid, onder e" in html
    table = html.split('id="tabel-overdrachten"')[1].split("</table>")[0]
    assert ">2<" not in table and ">1<" not in table  # afgesloten 2, gemeente 1


def test_no_suppressed_overdracht_can_be_recovered_from_the_published_report(world):
    with world.app_context():
        report = tables.report_tables(stand_van_zaken(*H1))
        safe = publication.publish(report, publication.Settings(threshold=2, show_zero=True))
    table = safe.table("overdrachten")
    hidden = {row.label for row in table.rows if row.cells[0].hidden}
    assert "Naar een andere gemeente" in hidden  # 1 < 2: hidden, and one more with it
    for label, options in recover(table, 1).items():
        assert len(options) > 1, (label, options)


def test_csv_and_xlsx_exports_open_and_are_audited(regie, world):
    csv_file = regie.get("/verantwoording/stand-van-zaken.csv" + PERIOD)
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers[
        "Content-Disposition"]
    text = csv_file.get_data().decode("utf-8-sig")
    assert "Uitstroom en overdrachten naar soort" in text and "Afgesloten;2" in text
    xlsx = regie.get("/verantwoording/stand-van-zaken.xlsx" + WOO)
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Stand van zaken Stapteam, 1 januari 2026 t/m 30 juni 2026 (versie voor " \
           "publicatie)" in values
    assert "*" in values and any("Wet open overheid" in str(v) for v in values)
    kinds = [e.detail["format"] for e in _events(world, "verantwoording.report_exported")]
    assert kinds == ["csv", "xlsx"]


def test_the_word_report_has_the_closing_report_layout_in_both_versions(regie, world):
    path = "/verantwoording/stand-van-zaken.docx"
    token = csrf_token(regie, "/verantwoording/stand-van-zaken")
    full = regie.post(path + PERIOD, data={"csrf_token": token})
    assert full.status_code == 200, full.get_data(as_text=True)[:400]
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(full.get_data())).paragraphs)
    for heading in ("1. Inleiding", "2. Stand van zaken", "3. Overdrachten", "4. Budget",
                    "5. Advies", word.FOR_THE_AUTHOR, "Afgesloten: 2"):
        assert heading in text, heading
    woo = regie.post(path + WOO, data={"csrf_token": token})
    woo_text = "\n".join(p.text for p in WordDocument(io.BytesIO(woo.get_data())).paragraphs)
    assert "Afgesloten: *" in woo_text and "Wet open overheid" in woo_text
    assert "Afgesloten: 2" not in woo_text
    with world.app_context():
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == word.KEY))
        assert template is not None and not template.active  # made once, not in letter forms
    assert len(_events(world, "verantwoording.report_exported")) == 2


def test_the_word_report_needs_the_form_token(regie):
    response = regie.post("/verantwoording/stand-van-zaken.docx" + PERIOD)
    assert response.status_code == 400


@pytest.mark.parametrize("role", [Role.CASEMANAGER, Role.BEHEERDER, Role.NETWERKPARTNER,
                                  Role.PRIVACYFUNCTIONARIS])
def test_other_roles_may_not_open_the_report(role, world, client, account):
    log_in(client, account(role))
    assert client.get("/verantwoording/stand-van-zaken").status_code == 403
    assert client.get("/verantwoording/stand-van-zaken.csv").status_code == 403


def _grant(client, user_id: int):
    token = csrf_token(client, "/verantwoording/toegang")
    return client.post("/verantwoording/toegang", data={"csrf_token": token,
                                                        "user_id": str(user_id)})


def test_the_beheerder_grants_and_revokes_read_access(world, client, account, make_app):
    reader = account(Role.CASEMANAGER, name="Tessa Teamleider")
    log_in(client, account(Role.BEHEERDER))
    page = client.get("/verantwoording/toegang").get_data(as_text=True)
    assert "Tessa Teamleider" in page
    assert _grant(client, reader.id).status_code == 302
    assert _grant(client, reader.id).status_code == 422  # already granted
    other = world.test_client()
    log_in(other, reader)
    assert other.get("/verantwoording/stand-van-zaken").status_code == 200
    assert other.get("/verantwoording/stand-van-zaken.xlsx").status_code == 200
    assert other.get("/verantwoording/toegang").status_code == 403  # read-only
    nav = other.get("/").get_data(as_text=True)
    assert ">Stand van zaken</a>" in nav
    with world.app_context():
        grant_id = db.session.scalar(select(ReportGrant.id))
    token = csrf_token(client, "/verantwoording/toegang")
    assert client.post(f"/verantwoording/toegang/{grant_id}/intrekken",
                       data={"csrf_token": token}).status_code == 302
    assert other.get("/verantwoording/stand-van-zaken").status_code == 403
    assert [e.detail["user"] for e in _events(world, "verantwoording.access_granted")] == \
        [reader.id]
    assert len(_events(world, "verantwoording.access_revoked")) == 1
    assert client.post(f"/verantwoording/toegang/{grant_id}/intrekken",
                       data={"csrf_token": token}).status_code == 404


def test_a_netwerkpartner_or_an_inactive_user_is_never_granted(world, client, account):
    partner = account(Role.NETWERKPARTNER, name="Paula Partner")
    gone = account(Role.CASEMANAGER, name="Vera Vertrokken", active=False)
    log_in(client, account(Role.BEHEERDER))
    page = client.get("/verantwoording/toegang").get_data(as_text=True)
    assert "Paula Partner" not in page and "Vera Vertrokken" not in page
    for user_id in (partner.id, gone.id, 0, 999999):
        response = _grant(client, user_id)
        assert response.status_code == 422
        assert "Kies een actieve medewerker" in response.get_data(as_text=True)
    with world.app_context():
        assert db.session.scalar(select(ReportGrant.id)) is None


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anoniem")
def test_route_sweep_of_the_report_routes(role, app, client, account):
    """The shared sweep (tests/test_access.py) restricted to this feature's routes."""
    from flask import url_for

    from tests.test_access import classify, expected_outcome

    if role is not None:
        log_in(client, account(role))
    with app.test_request_context():
        requests = [(rule.endpoint, "GET" if "GET" in rule.methods else "POST",
                     url_for(rule.endpoint, **({"grant_id": 1} if rule.arguments else {})))
                    for rule in app.url_map.iter_rules()
                    if rule.endpoint.startswith("verantwoording.")]
    assert len(requests) == 6
    outcomes = [(endpoint, classify(client.open(url, method=method)))
                for endpoint, method, url in requests]
    assert outcomes == [(endpoint, expected_outcome(endpoint, role))
                        for endpoint, _, _ in requests]


def add_hours_and_budget() -> None:
    """Two weeks of casemanagement hours against a 20-hour target, and a subsidy with a
    begroting on two posts and one invoice."""
    from decimal import Decimal

    from portal.auth.models import Organisation, User
    from portal.budget.models import BudgetEntry, BudgetPost, Subsidy, SubsidyLine
    from portal.hours.models import ActivityKind, HourTarget, TimeEntry

    carla = db.session.scalar(select(User).where(User.name == "Carla Iris"))
    iris = db.session.scalar(select(Organisation).where(Organisation.name == "Iriszorg"))
    kind = db.session.scalar(select(ActivityKind).order_by(ActivityKind.id))
    if kind is None:  # PostgreSQL: the tables (and the seeded lists) are emptied per test
        kind = ActivityKind(name="Contact met cliënt")
        db.session.add_all([kind, BudgetPost(label="Casemanagement", position=1),
                            BudgetPost(label="Flexbudget/doorbraakbudget", position=2)])
        db.session.flush()
    db.session.add(HourTarget(organisation_id=iris.id, valid_from=date(2026, 1, 1),
                              weekly_hours=Decimal("20"), hours_per_client=Decimal("2"),
                              created_by_id=carla.id))
    for day, minutes in ((date(2026, 1, 6), 600), (date(2026, 1, 13), 720),
                         (date(2026, 1, 14), 780)):
        db.session.add(TimeEntry(user_id=carla.id, organisation_id=iris.id, work_date=day,
                                 minutes=minutes, kind_id=kind.id))
    posts = list(db.session.scalars(select(BudgetPost).order_by(BudgetPost.position)))[:2]
    subsidy = Subsidy(name="Stapteam 2026", funder="Gemeente Nijmegen",
                      start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
                      created_by_id=carla.id)
    subsidy.lines = [SubsidyLine(post_id=posts[0].id, amount=Decimal("653503.00")),
                     SubsidyLine(post_id=posts[1].id, amount=Decimal("1250.50"))]
    db.session.add(subsidy)
    db.session.flush()
    db.session.add(BudgetEntry(subsidy_id=subsidy.id, post_id=posts[0].id,
                               invoice_date=date(2026, 1, 10), amount=Decimal("556429.00"),
                               description="Factuur casemanagement", recorded_by_id=carla.id))
    db.session.commit()


def test_hours_and_budget_appear_with_their_charts(regie, world):
    with world.app_context():
        add_hours_and_budget()
    html = regie.get("/verantwoording/stand-van-zaken?start=2026-01-05&eind=2026-01-18") \
        .get_data(as_text=True)
    hours = html.split('id="tabel-uren"')[1].split("</table>")[0]
    assert "5 januari 2026 · Iriszorg" in hours and "10,00" in hours and "25,00" in hours
    assert "20,00" in hours
    assert "Uren tegenover de norm: Iriszorg" in html and "in 1 weken is de norm" in html
    budget = html.split('id="tabel-budget"')[1].split("</table>")[0]
    assert "€ 653.503,00" in budget and "€ 556.429,00" in budget and "€ 97.074,00" in budget
    assert "€ 654.753,50" in budget  # the total row
    woo = regie.get("/verantwoording/stand-van-zaken?start=2026-01-05&eind=2026-01-18"
                    "&versie=publicatie").get_data(as_text=True)
    assert "€ 97.074,00" in woo  # amounts are not counts of people: shown


def test_the_publication_csv_keeps_amounts_and_hours_and_hides_small_counts(regie, world):
    with world.app_context():
        add_hours_and_budget()
    text = regie.get("/verantwoording/stand-van-zaken.csv?start=2026-01-05&eind=2026-01-18"
                     "&versie=publicatie").get_data().decode("utf-8-sig")
    lines = text.splitlines()
    assert "Casemanagement;653503,00;556429,00;97074,00" in lines
    assert "12 januari 2026 · Iriszorg;25,00;20,00" in lines
    assert "Afgesloten;*" in lines  # 0 in these two weeks: hidden unless WOO_SHOW_ZERO
    assert "Wet open overheid" in lines[-1]


def test_a_word_report_that_cannot_be_made_says_why_in_dutch(regie, world):
    with world.app_context():
        word.template_version()  # made under the ordinary limits
    world.config["LETTER_RENDER_MAX_CHARS"] = 50  # the figures do not fit in 50 characters
    token = csrf_token(regie, "/verantwoording/stand-van-zaken")
    response = regie.post("/verantwoording/stand-van-zaken.docx" + PERIOD,
                          data={"csrf_token": token})
    assert response.status_code == 302
    assert response.location.endswith("/verantwoording/stand-van-zaken" + PERIOD)
    assert "De brief kon niet worden gemaakt" in regie.get(response.location).get_data(
        as_text=True)
    assert _events(world, "verantwoording.report_exported") == []


def test_the_word_report_gives_hours_per_quarter_up_to_today(regie, world):
    """On paper the hours read per quarter against the norm; days still to come (the world's
    today is 20 July 2026) have no norm yet."""
    with world.app_context():
        add_hours_and_budget()
    token = csrf_token(regie, "/verantwoording/stand-van-zaken")
    response = regie.post("/verantwoording/stand-van-zaken.docx?start=2026-01-01&eind=2026-12-31",
                          data={"csrf_token": token})
    assert response.status_code == 200
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(response.data)).paragraphs)
    assert "Uren casemanagement tegenover de norm, per kwartaal (t/m 20 juli 2026)" in text
    # 600 + 720 + 780 minutes in January; 20 h a week over the 90 days of Q1.
    assert "K1 2026 · Iriszorg: 35,00 uur, norm 257,14 uur (14 % van de norm)" in text
    assert "K3 2026 · Iriszorg: 0,00 uur, norm 57,14 uur (0 % van de norm)" in text
    assert "12 januari 2026 · Iriszorg" not in text  # the weeks stay on the page and exports
