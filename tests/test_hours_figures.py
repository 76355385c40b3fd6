"""Hours against target: a fixture with known answers, week, month and quarter, on SQLite
and PostgreSQL, in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.database import utcnow
from portal.extensions import db
from portal.hours.figures import WeekHours, hours_against_target, realisation
from portal.hours.models import ActivityKind, HourTarget, TimeEntry
from portal.roles import Role
from tests.database import counted_statements
from tests.factories import make_organisation, make_user

D = Decimal


def _entry(user_id, organisation_id, day, minutes, *, kind_id, capacity="casemanagement",
           deleted=False):
    db.session.add(TimeEntry(user_id=user_id, organisation_id=organisation_id, capacity=capacity,
                             work_date=day, minutes=minutes, kind_id=kind_id,
                             deleted_at=utcnow() if deleted else None))


@pytest.fixture
def known_hours(app):
    """Leger des Heils 20 h/week from 1 January; Iriszorg 16 h/week until 11 January, then 24;
    Bindkracht has hours and no target."""
    with app.app_context():
        ldh, iris, bind = (make_organisation(name) for name in
                           ("Leger des Heils", "Iriszorg", "Bindkracht10"))
        lotte = make_user(Role.CASEMANAGER, organisation=ldh).id
        esra = make_user(Role.ERVARINGSDESKUNDIGE, organisation=ldh).id
        carla = make_user(Role.CASEMANAGER, organisation=iris).id
        kind = ActivityKind(name="Testsoort figures", scope="beide")
        db.session.add(kind)
        db.session.flush()
        for organisation, start, until, hours in ((ldh, date(2026, 1, 1), None, "20"),
                                                  (iris, date(2026, 1, 1), date(2026, 1, 11), "16"),
                                                  (iris, date(2026, 1, 12), None, "24")):
            db.session.add(HourTarget(organisation_id=organisation.id, valid_from=start,
                                      valid_until=until, weekly_hours=D(hours),
                                      hours_per_client=D("1.5"), created_by_id=lotte))
        k = kind.id
        _entry(lotte, ldh.id, date(2025, 12, 31), 60, kind_id=k)  # before the period
        _entry(lotte, ldh.id, date(2026, 1, 2), 90, kind_id=k)
        _entry(lotte, ldh.id, date(2026, 1, 3), 30, kind_id=k)
        _entry(lotte, ldh.id, date(2026, 1, 6), 600, kind_id=k)
        _entry(lotte, ldh.id, date(2026, 1, 7), 120, kind_id=k, deleted=True)
        _entry(esra, ldh.id, date(2026, 1, 6), 240, kind_id=k, capacity="ervaringsdeskundige")
        # Carla wrote this while she was still with Leger des Heils: it stays theirs.
        _entry(carla, ldh.id, date(2026, 1, 14), 30, kind_id=k)
        _entry(carla, iris.id, date(2026, 1, 13), 45, kind_id=k)
        _entry(carla, iris.id, date(2026, 1, 18), 15, kind_id=k)
        _entry(carla, iris.id, date(2026, 1, 19), 60, kind_id=k)  # after the period
        _entry(carla, bind.id, date(2026, 1, 8), 30, kind_id=k)
        db.session.commit()
    return app


def test_weeks_against_target_have_the_known_answers(known_hours):
    with known_hours.app_context():
        rows = hours_against_target(date(2026, 1, 1), date(2026, 1, 18))
    w1, w2, w3 = date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12)
    assert rows == [
        WeekHours(w1, "Bindkracht10", D("0.00"), None),
        WeekHours(w1, "Iriszorg", D("0.00"), D("9.14")),  # 16 × 4/7: only 1-4 January count
        WeekHours(w1, "Leger des Heils", D("2.00"), D("11.43")),
        WeekHours(w2, "Bindkracht10", D("0.50"), None),
        WeekHours(w2, "Iriszorg", D("0.00"), D("16.00")),
        WeekHours(w2, "Leger des Heils", D("10.00"), D("20.00")),
        WeekHours(w3, "Bindkracht10", D("0.00"), None),
        WeekHours(w3, "Iriszorg", D("1.00"), D("24.00")),
        WeekHours(w3, "Leger des Heils", D("0.50"), D("20.00")),
    ]
    assert all(isinstance(row.hours, Decimal) for row in rows)


def test_a_target_changing_mid_week_counts_per_day(known_hours):
    with known_hours.app_context():
        rows = hours_against_target(date(2026, 1, 8), date(2026, 1, 14))
    iris = [row for row in rows if row.organisation == "Iriszorg"]
    # 8-11 January at 16 h/week, 12-14 January at 24 h/week: (4 × 16 + 3 × 24) / 7 split by week
    assert [(row.week_start, row.target_hours) for row in iris] == [
        (date(2026, 1, 5), D("9.14")), (date(2026, 1, 12), D("10.29"))]


def test_month_and_quarter_cut_to_the_range(known_hours):
    with known_hours.app_context():
        months = realisation(date(2026, 1, 1), date(2026, 1, 18), "maand")
        quarters = realisation(date(2025, 12, 1), date(2026, 1, 18), "kwartaal")
    ldh = [row for row in months if row.organisation == "Leger des Heils"]
    assert [(r.period_start, r.period_end, r.hours, r.target_hours) for r in ldh] == [
        (date(2026, 1, 1), date(2026, 1, 18), D("12.50"), D("51.43"))]
    assert ldh[0].percentage == 24
    ldh_q = [(r.period_start, r.hours, r.target_hours) for r in quarters
             if r.organisation == "Leger des Heils"]
    assert ldh_q == [(date(2025, 10, 1), D("1.00"), None),
                     (date(2026, 1, 1), D("12.50"), D("51.43"))]


def test_empty_and_reversed_periods(known_hours):
    with known_hours.app_context():
        assert hours_against_target(date(2026, 2, 1), date(2026, 1, 1)) == []
        rows = hours_against_target(date(2027, 1, 4), date(2027, 1, 10))
    assert [(r.organisation, r.hours, r.target_hours) for r in rows] == [
        ("Iriszorg", D("0.00"), D("24.00")), ("Leger des Heils", D("0.00"), D("20.00"))]


def _queries(statements) -> int:
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_a_fixed_number_of_queries_whatever_the_data(known_hours):
    with counted_statements(known_hours) as statements, known_hours.app_context():
        hours_against_target(date(2026, 1, 1), date(2026, 12, 31))
    assert _queries(statements) == 2
    with known_hours.app_context():
        [entry] = db.session.query(TimeEntry).filter_by(minutes=600).all()
        for day in range(1, 29):
            _entry(entry.user_id, entry.organisation_id, date(2026, 2, day), 60,
                   kind_id=entry.kind_id)
        db.session.commit()
    with counted_statements(known_hours) as statements, known_hours.app_context():
        rows = hours_against_target(date(2026, 1, 1), date(2026, 12, 31))
    assert _queries(statements) == 2
    february = [r for r in rows if r.organisation == "Leger des Heils"
                and date(2026, 2, 2) <= r.week_start <= date(2026, 2, 23)]
    assert [r.hours for r in february] == [D("7.00")] * 3 + [D("6.00")]  # 28 Feb: Saturday
