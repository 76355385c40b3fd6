"""The AVG requests register (issue 14 item 5): the privacyfunctionaris registers a request
with its statutory term (one month, once extendable by at most two, with a reason), takes
it into handling and decides it with a motivation; the casemanager of that woman adds her
contribution; every change is audited and bad input changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.privacy.models import AvgRequest
from portal.roles import Role
from tests.factories import make_client
from tests.test_attention import count_of, page, section
from tests.test_documents import browser
from tests.test_registration_views import field_error, page_text, post, shown_after

TODAY = date(2027, 2, 10)


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def team(app, account):
    officer = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
    carla = account(Role.CASEMANAGER, name="Carla de Vries")
    other = account(Role.CASEMANAGER, name="Olga Anders")
    with app.app_context():
        roos = make_client("Roos", casemanagers=[carla])
        number = roos.number
    return {"officer": officer, "carla": carla, "other": other, "number": number}


def register(web, number, **fields):
    data = {"client_number": number, "kind": "inzage", "received_on": "2027-01-31",
            "received_via": "mondeling", "description": "Zij wil weten wat er over haar staat."}
    return post(web, "/privacy/verzoeken/nieuw", {**data, **fields},
                page="/privacy/verzoeken/nieuw")


def stored(app) -> list[AvgRequest]:
    with app.app_context():
        return db.session.scalars(select(AvgRequest).order_by(AvgRequest.id)).all()


def events(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(AuditEvent.event == name))


def test_a_request_received_on_31_january_is_due_on_the_last_day_of_february(app, team):
    web = browser(app, team["officer"])
    text = shown_after(web, register(web, team["number"].lower()))
    assert "de termijn loopt tot 28-02-2027" in text
    [row] = stored(app)
    assert (row.client_number, row.deadline, row.status) == (team["number"], date(2027, 2, 28),
                                                            "ontvangen")
    assert "nog 18 dagen" in text
    assert events(app, "privacy.request_registered") == 1


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"client_number": "C-1999-0001"}, "client_number", "Er is geen cliënt met nummer"),
    ({"received_on": "2027-02-11"}, "received_on", "ligt niet in de toekomst"),
    ({"kind": "alles"}, "kind", "Ongeldige keuze."),
])
def test_refused_registrations_say_why_and_store_nothing(app, team, fields, field, message):
    web = browser(app, team["officer"])
    response = register(web, team["number"], **fields)
    assert response.status_code == 422
    assert message in (field_error(response, field) or page_text(response))
    assert stored(app) == []


def test_the_term_is_extended_once_by_at_most_two_months_with_a_reason(app, team):
    web = browser(app, team["officer"])
    register(web, team["number"])
    [row] = stored(app)
    url = f"/privacy/verzoeken/{row.id}/verlengen"
    page = f"/privacy/verzoeken/{row.id}"
    too_late = post(web, url, {"until": "2027-05-01", "reason": "Veel stukken"}, page=page)
    assert "uiterlijk 28-04-2027" in field_error(too_late, "until")
    no_reason = post(web, url, {"until": "2027-04-28", "reason": " "}, page=page)
    assert "Schrijf waarom" in field_error(no_reason, "reason")
    assert stored(app)[0].extended_until is None
    text = shown_after(web, post(web, url, {"until": "2027-04-28", "reason": "Veel stukken"},
                                 page=page))
    assert "De termijn is verlengd tot 28-04-2027." in text
    again = post(web, url, {"until": "2027-04-20", "reason": "Nog eens"}, page=page)
    assert "al verlengd" in field_error(again, "until")
    assert (stored(app)[0].extended_until, stored(app)[0].due_on) == (date(2027, 4, 28),
                                                                      date(2027, 4, 28))
    assert events(app, "privacy.request_extended") == 1


def test_a_decision_needs_a_motivation_and_closes_the_request(app, team):
    web = browser(app, team["officer"])
    register(web, team["number"])
    [row] = stored(app)
    page = f"/privacy/verzoeken/{row.id}"
    shown_after(web, post(web, f"{page}/in-behandeling", page=page))
    assert stored(app)[0].status == "in_behandeling"
    bare = post(web, f"{page}/besluit", {"decision": "toegewezen", "motivation": "",
                                         "decided_on": "2027-02-10"}, page=page)
    assert "Motiveer het besluit" in field_error(bare, "motivation")
    assert stored(app)[0].decision is None
    text = shown_after(web, post(web, f"{page}/besluit", {
        "decision": "toegewezen", "motivation": "Inzagepakket overhandigd.",
        "decided_on": "2027-02-10"}, page=page))
    assert "Het besluit is vastgelegd" in text
    row = stored(app)[0]
    assert (row.status, row.decision, row.decided_on) == ("afgehandeld", "toegewezen", TODAY)
    closed = post(web, f"{page}/verlengen", {"until": "2027-03-30", "reason": "x"}, page=page)
    assert closed.status_code == 422 and "verandert niet meer" in page_text(closed)


def test_only_the_casemanager_of_that_woman_sees_the_request_and_adds_her_part(app, team):
    register(browser(app, team["officer"]), team["number"])
    [row] = stored(app)
    page = f"/privacy/verzoeken/{row.id}"
    other = browser(app, team["other"])
    assert other.get(page).status_code == 404
    assert team["number"] not in page_text(other.get("/privacy/verzoeken"))
    assert post(other, f"{page}/bijdrage", {"note": "x"}, page="/").status_code == 404
    carla = browser(app, team["carla"])
    assert team["number"] in page_text(carla.get("/privacy/verzoeken"))
    text = shown_after(carla, post(carla, f"{page}/bijdrage",
                                   {"note": "Zij wil het pakket op papier."}, page=page))
    assert "Zij wil het pakket op papier." in text and "Carla de Vries" in text
    assert post(carla, f"{page}/besluit", {"decision": "afgewezen", "motivation": "x",
                                           "decided_on": "2027-02-10"},
                page=page).status_code == 403
    assert carla.get("/privacy/verzoeken/nieuw").status_code == 403
    assert stored(app)[0].decision is None
    assert events(app, "privacy.request_contributed") == 1


def test_the_overdue_filter_shows_only_requests_past_their_term(app, team):
    web = browser(app, team["officer"])
    register(web, team["number"], received_on="2026-12-01")
    register(web, team["number"], received_on="2027-02-01", kind="correctie")
    overdue = table(web.get("/privacy/verzoeken?overdue=ja"))
    assert "Inzage (art. 15 AVG)" in overdue and "40 dag(en) verstreken" in overdue
    assert "Correctie (art. 16 AVG)" not in overdue
    every = table(web.get("/privacy/verzoeken?overdue=nee"))
    assert "Correctie (art. 16 AVG)" in every and "nog 19 dagen" in every


def table(response) -> str:
    text = page_text(response)
    return text[text.find("<table"):text.find("</table>")]


def test_vandaag_names_the_requests_whose_term_ends_within_a_week(app, team):
    web = browser(app, team["officer"])
    register(web, team["number"], received_on="2027-01-15")  # due 15-02: in 5 days
    register(web, team["number"], received_on="2027-02-01", kind="bezwaar")  # due 01-03
    html = page(web)
    listed = section(html, "pf_avg")
    assert count_of(html, "pf_avg") == 1
    assert f"{team['number']}: inzage (art. 15 avg)" in listed and "nog 5 dag(en)" in listed
    assert "bezwaar" not in listed


def test_the_casemanager_finds_the_requests_of_her_clients_on_vandaag(app, team):
    register(browser(app, team["officer"]), team["number"])
    carla = browser(app, team["carla"])
    listed = section(page(carla), "cm_avg")
    assert "Roos" in listed and "uw bijdrage ontbreekt nog" in listed
    assert count_of(page(browser(app, team["other"])), "cm_avg") == 0
