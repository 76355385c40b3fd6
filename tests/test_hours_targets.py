"""Targets and activity kinds over HTTP, and the realisation page with known answers: the
procesregisseur sets targets (no overlaps, audited before and after), the beheerder keeps
the kinds, and realisation and caseload show what the fixture makes them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.auth.models import Organisation
from portal.extensions import db
from portal.hours.models import ActivityKind, HourTarget
from portal.hours.queries import caseload
from portal.roles import OrganisationKind
from tests.conftest import csrf_token
from tests.factories import make_organisation
from tests.test_hours import TODAY, body, book, entries, events, signed_in, team_world, text


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def team(app):
    return team_world(app)


def _organisation_id(app, name) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def _post_target(http, url="/uren/normen", **fields):
    data = {"csrf_token": csrf_token(http, "/uren/normen"), "valid_from": "2026-01-01",
            "valid_until": "", "weekly_hours": "20", "hours_per_client": "1,5", "note": "",
            **fields}
    return http.post(url, data=data)


def _targets(app):
    with app.app_context():
        return [(t.organisation.name, t.valid_from, t.valid_until, t.weekly_hours,
                 t.hours_per_client) for t in db.session.scalars(
                     select(HourTarget).order_by(HourTarget.id)).unique()]


def test_procesregie_sets_targets_and_changes_are_audited(app, team):
    people, _, _, _ = team
    ldh = _organisation_id(app, "Leger des Heils")
    pieter = signed_in(app, people["pieter"])
    assert _post_target(pieter, organisation_id=str(ldh)).status_code == 302
    assert _targets(app) == [("Leger des Heils", date(2026, 1, 1), None, Decimal("20.00"),
                              Decimal("1.50"))]
    [added] = events(app, "hours.target_added")
    assert added.detail["after"]["weekly_hours"] == "20.00" and added.detail["before"] is None
    with app.app_context():
        target_id = db.session.scalar(select(HourTarget.id))
    url = f"/uren/normen/{target_id}"
    assert "Norm wijzigen" in body(pieter.get(url))
    assert _post_target(pieter, url=url, organisation_id=str(ldh), weekly_hours="22,5",
                        valid_until="2026-12-31").status_code == 302
    [changed] = events(app, "hours.target_changed")
    assert (changed.detail["before"]["weekly_hours"], changed.detail["after"]["weekly_hours"]) \
        == ("20.00", "22.50")
    page = text(pieter.get("/uren/normen"))
    assert "Leger des Heils" in page and "22,50" in page and "31 december 2026" in page


def test_refused_targets_store_nothing(app, team):
    people, _, _, _ = team
    ldh = _organisation_id(app, "Leger des Heils")
    with app.app_context():
        gemeente = make_organisation("Gemeente Testdorp", OrganisationKind.GEMEENTE).id
    pieter = signed_in(app, people["pieter"])
    assert _post_target(pieter, organisation_id=str(ldh), valid_until="2026-06-30") \
        .status_code == 302
    for fields, message in (
            ({"valid_from": "2026-06-01"}, "overlapt met de norm van 01-01-2026 tot 30-06-2026"),
            ({"valid_from": "2026-08-01", "valid_until": "2026-07-01"}, "voor de begindatum"),
            ({"organisation_id": str(gemeente), "valid_from": "2026-08-01"},
             "Kies een zorgaanbieder"),
            ({"weekly_hours": "NaN", "valid_from": "2026-08-01"}, "Vul een getal in"),
            ({"weekly_hours": "-5", "valid_from": "2026-08-01"}, "negatief"),
            ({"hours_per_client": "41", "valid_from": "2026-08-01"}, "hoogste"),
            ({"valid_from": "9999-12-31"}, "tussen 2000 en 2199"),
            ({"valid_from": "2026-08-01", "valid_until": "1999-12-31"}, "tussen 2000 en 2199"),
    ):
        response = _post_target(pieter, **{"organisation_id": str(ldh), **fields})
        assert response.status_code == 422, fields
        assert message in body(response), (fields, message)
    assert len(_targets(app)) == 1 and len(events(app, "hours.target_added")) == 1
    assert _post_target(pieter, organisation_id=str(ldh), valid_from="2026-07-01").status_code \
        == 302  # the next period, open-ended


def test_targets_are_procesregie_and_kinds_the_beheerder(app, team):
    people, _, _, _ = team
    bea, pieter = signed_in(app, people["bea"]), signed_in(app, people["pieter"])
    assert bea.get("/uren/normen").status_code == 403
    assert bea.get("/uren/realisatie").status_code == 403
    assert pieter.get("/uren/soorten").status_code == 403
    assert bea.get("/uren/soorten").status_code == 200
    assert pieter.get("/uren/normen/999999").status_code == 404


def test_the_beheerder_adds_and_deactivates_kinds(app, team):
    people, roos_ref, _, kinds = team
    bea = signed_in(app, people["bea"])
    token = csrf_token(bea, "/uren/soorten")
    assert bea.post("/uren/soorten", data={"csrf_token": token, "name": "Huisbezoek",
                                           "scope": "client"}).status_code == 302
    duplicate = bea.post("/uren/soorten", data={"csrf_token": token, "name": "huisbezoek",
                                                "scope": "client"})
    assert duplicate.status_code == 422 and "bestaat al" in body(duplicate)
    with app.app_context():
        kind_id = db.session.scalar(select(ActivityKind.id).where(
            ActivityKind.name == "Huisbezoek"))
    lotte = signed_in(app, people["lotte"])
    assert ">Huisbezoek<" in body(lotte.get("/uren/nieuw"))
    assert book(lotte, client=roos_ref, kind_id=str(kind_id)).status_code == 302
    assert bea.post(f"/uren/soorten/{kind_id}/actief", data={
        "csrf_token": token, "actief": "nee"}).status_code == 302
    assert ">Huisbezoek<" not in body(lotte.get("/uren/nieuw"))
    [entry] = entries(app)
    page = body(lotte.get(f"/uren/boeking/{entry.ref}/wijzigen"))
    assert "Huisbezoek (niet meer in gebruik)" in page  # her entry keeps its kind
    assert [e.event for e in events(app, "hours.kind_deactivated")] == ["hours.kind_deactivated"]


def test_realisation_and_caseload_have_the_known_answers(app, team):
    people, roos_ref, _, kinds = team
    ldh = _organisation_id(app, "Leger des Heils")
    pieter = signed_in(app, people["pieter"])
    _post_target(pieter, organisation_id=str(ldh), weekly_hours="20", hours_per_client="2")
    lotte, esra = signed_in(app, people["lotte"]), signed_in(app, people["esra"])
    monday = TODAY - timedelta(days=TODAY.weekday())
    for offset in range(3):  # 3 × 2:30 with Roos, and 2:30 team time: 10 hours
        book(lotte, client=roos_ref, work_date=(monday + timedelta(days=offset)).isoformat(),
             duration="2:30", kind_id=str(kinds["Face-to-face contact"]))
    book(lotte, duration="2:30", kind_id=str(kinds["Teamoverleg"]))
    book(esra, duration="4u", kind_id=str(kinds["Outreach op de zone"]))  # not in the target
    week = f"van={monday.isoformat()}&tot={(monday + timedelta(days=6)).isoformat()}"
    page = text(pieter.get(f"/uren/realisatie?{week}&per=week"))
    row = page.split("Leger des Heils")[1]
    assert row.split("Week 25")[1].startswith(" (15 juni 2026) 10,00 20,00 50 %"), row[:200]
    with app.app_context():
        [lotte_load] = [c for c in caseload(monday, monday + timedelta(days=6))
                        if c.name == "Lotte Verbeek"]
    assert (lotte_load.active_clients, lotte_load.clients_with_time,
            lotte_load.client_minutes) == (1, 1, 450)
    assert lotte_load.hours_per_client_per_week(Decimal(1)) == Decimal("7.50")
    caseload_rows = page.split("Per casemanager")[1]
    assert "Lotte Verbeek Leger des Heils 1 1 7,50 7,50 2,00" in caseload_rows
    assert "Leger des Heils 1 20,00 2,00" in page.split("Per organisatie (norm op")[1]
    quarter = text(pieter.get("/uren/realisatie?van=2026-04-01&tot=2026-06-30&per=kwartaal"))
    assert "Kwartaal 2 2026 10,00" in quarter
    assert events(app, "hours.realisation_viewed")[0].detail["per"] == "week"


def test_an_unusable_period_falls_back_to_this_year(app, team):
    people, _, _, _ = team
    pieter = signed_in(app, people["pieter"])
    for query in ("van=2026-06-01&tot=2026-01-01", "van=1900-01-01", "van=kapot&per=eeuw",
                  "van=2010-01-01&tot=2026-01-01"):
        page = text(pieter.get(f"/uren/realisatie?{query}"))
        assert "1 januari 2026 – 17 juni 2026" in page, query
