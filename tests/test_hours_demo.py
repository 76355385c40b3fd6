"""The demo's hours: a year of bookings for the two casemanagers and the ervaringsdeskundige,
targets for Leger des Heils and Iriszorg, the same figures on every run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal.extensions import db
from portal.hours.figures import hours_against_target, realisation
from portal.hours.models import HourTarget, TimeEntry, TimeEntryChange
from tests.test_budget_figures import ensure_budget_posts
from tests.test_zrm import ensure_zrm_seed


def _seeded(app, freeze_today, day):
    from portal.demo import seed_demo

    freeze_today(day)
    with app.app_context():
        ensure_zrm_seed()
        ensure_budget_posts()
        seed_demo()


def test_the_demo_books_a_year_against_the_targets(app, freeze_today):
    _seeded(app, freeze_today, date(2026, 12, 1))
    with app.app_context():
        per_capacity = dict(db.session.execute(
            select(TimeEntry.capacity, func.sum(TimeEntry.minutes))
            .where(TimeEntry.deleted_at.is_(None)).group_by(TimeEntry.capacity)).all())
        weeks = hours_against_target(date(2026, 1, 1), date(2026, 11, 30))
        quarters = realisation(date(2026, 1, 1), date(2026, 9, 30), "kwartaal")
        targets = db.session.scalar(select(func.count(HourTarget.id)))
        late = db.session.scalar(select(func.count(TimeEntryChange.id)).where(
            TimeEntryChange.late.is_(True)))
        last = db.session.scalar(select(func.max(TimeEntry.work_date)))
    assert targets == 3 and late == 1 and last == date(2026, 12, 1)
    ldh = [w for w in weeks if w.organisation == "Leger des Heils"]
    assert len(ldh) == 49 and all(w.target_hours == Decimal("20.00") for w in ldh[1:-1])
    assert ldh[-1].target_hours == Decimal("2.86")  # only Monday 30 November is in the range
    assert {w.organisation for w in weeks} == {"Iriszorg", "Leger des Heils"}
    iris_july = next(w for w in weeks if w.organisation == "Iriszorg"
                     and w.week_start == date(2026, 7, 6))
    assert iris_july.target_hours == Decimal("20.00")
    leave = next(w for w in ldh if w.week_start == date(2026, 8, 3))  # ISO week 32: leave
    assert leave.hours == Decimal("0.00")
    normal = [w.hours for w in ldh if w.week_start == date(2026, 3, 9)][0]
    assert Decimal(18) <= normal <= Decimal(23)
    # The demo's figures, pinned: a change to the demo shows up here.
    assert per_capacity == {"casemanagement": 108975, "ervaringsdeskundige": 21150}
    assert [(q.organisation, q.period_start.month, q.hours, q.target_hours)
            for q in quarters] == [
        ("Iriszorg", 1, Decimal("260.25"), Decimal("231.43")),
        ("Leger des Heils", 1, Decimal("261.00"), Decimal("257.14")),
        ("Iriszorg", 4, Decimal("245.00"), Decimal("234.00")),  # 18 h/week until 30 June
        ("Leger des Heils", 4, Decimal("249.00"), Decimal("260.00")),
        ("Iriszorg", 7, Decimal("216.25"), Decimal("262.86")),  # summer leave
        ("Leger des Heils", 7, Decimal("213.00"), Decimal("262.86")),
    ]


def test_the_demo_is_the_same_on_every_run_and_only_once(app, freeze_today):
    _seeded(app, freeze_today, date(2026, 12, 1))
    from portal.demo import seed_demo

    with app.app_context():
        first = db.session.execute(select(TimeEntry.user_id, func.count(TimeEntry.id),
                                          func.sum(TimeEntry.minutes))
                                   .group_by(TimeEntry.user_id).order_by(TimeEntry.user_id)).all()
        seed_demo()
        again = db.session.execute(select(TimeEntry.user_id, func.count(TimeEntry.id),
                                          func.sum(TimeEntry.minutes))
                                   .group_by(TimeEntry.user_id).order_by(TimeEntry.user_id)).all()
    assert first == again and sum(count for _, count, _ in first) > 1500
