"""The demo's budget reads as the closing report would: € 653.503 begroot, € 97.074 resterend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal.budget.figures import budget_overview, budget_total
from portal.budget.models import BudgetEntry, Subsidy
from portal.extensions import db
from tests.test_budget_figures import ensure_budget_posts
from tests.test_zrm import ensure_zrm_seed


def test_the_demo_subsidy_with_invoices_and_flexbudget_trajecten(app, freeze_today):
    from portal.demo import seed_demo

    freeze_today(date(2026, 12, 1))
    with app.app_context():
        ensure_zrm_seed()
        ensure_budget_posts()
        seed_demo()
        rows = budget_overview(date(2026, 1, 1), date(2026, 12, 31))
        total = budget_total(rows)
        assert (total.begroot, total.remaining) == (Decimal("653503"), Decimal("97074.00"))
        flex = next(r for r in rows if r.post == "Flexbudget/doorbraakbudget")
        assert flex.realised == Decimal("2000.00")  # the two demo trajecten, no invoice
        time_out = next(r for r in rows if r.post == "Time-out voorziening")
        assert time_out.remaining == Decimal("-1500.00")  # overspent, shown as such
        seed_demo()  # a second run adds nothing
        assert db.session.scalar(select(func.count()).select_from(Subsidy)) == 1
        assert db.session.scalar(select(func.count()).select_from(BudgetEntry)) == 13


def test_before_the_later_invoices_the_demo_books_only_what_is_past(app, freeze_today):
    from portal.demo import seed_demo

    freeze_today(date(2026, 1, 10))
    with app.app_context():
        ensure_budget_posts()
        seed_demo()
        assert db.session.scalar(select(func.count()).select_from(BudgetEntry)) == 6
        rows = budget_overview(date(2025, 1, 1), date(2025, 12, 31))
        assert budget_total(rows).realised == Decimal("300250.00")


def test_the_budget_demo_adds_nothing_twice_nor_without_posts(app):
    from portal.auth.models import User
    from portal.budget.demo import seed_demo_budget
    from portal.budget.models import BudgetPost
    from portal.roles import Role
    from tests.factories import make_user

    with app.app_context():
        regie = db.session.get(User, make_user(Role.PROCESREGISSEUR).id)
        ensure_budget_posts()
        seed_demo_budget(regie, regie, {})
        seed_demo_budget(regie, regie, {})
        assert db.session.scalar(select(func.count()).select_from(Subsidy)) == 1
        db.session.execute(BudgetPost.__table__.update().values(code=None))
        db.session.execute(Subsidy.__table__.update().values(name="Anders"))
        seed_demo_budget(regie, regie, {})
        assert db.session.scalar(select(func.count()).select_from(Subsidy)) == 1
