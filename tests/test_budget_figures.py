"""Budget figures (portal/budget/figures.py): exact Decimal sums, the flexbudget date rule
with its boundaries, removed entries, overlapping subsidies and a fixed number of queries."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from portal.budget import services
from portal.budget.figures import (
    PostFigure,
    budget_overview,
    budget_total,
    counted_trajecten,
    subsidy_overview,
    subsidy_totals,
)
from portal.budget.models import BudgetPost, Subsidy
from portal.clients.models import Traject
from portal.extensions import db
from portal.roles import Role
from tests.database import counted_statements
from tests.factories import make_client, make_user

MIGRATION = Path(__file__).parents[1] / "migrations" / "versions" / "c0e3b2a40019_budget.py"
D = Decimal


def ensure_budget_posts() -> None:
    """The migration seeds the posts; the PostgreSQL leg empties every table between tests,
    so put the migration's own seed back when it is gone."""
    if db.session.scalar(select(func.count()).select_from(BudgetPost)):
        return
    spec = importlib.util.spec_from_file_location("budget_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.seed_budget_posts(db.session.connection())
    db.session.commit()


def post_id(code: str) -> int:
    return db.session.scalar(select(BudgetPost.id).where(BudgetPost.code == code))


def make_subsidy(actor_id: int, *, name="Stapteam", start=date(2025, 1, 1),
                 end=date(2026, 12, 31), **amounts: str) -> Subsidy:
    """A subsidy through the service; amounts by post code (time_out for time-out)."""
    ensure_budget_posts()
    actor = _user(actor_id)
    lines = {post_id(code.replace("_", "-")): D(value) for code, value in amounts.items()}
    return services.save_subsidy(None, actor, services.SubsidyData(
        name=name, funder="Gemeente Nijmegen", start_date=start, end_date=end, note=None,
        amounts=lines))


def make_entry(subsidy: Subsidy, actor_id: int, amount: str, *, code="activiteiten",
               on=date(2026, 3, 1), description="Factuur"):
    return services.add_entry(subsidy, _user(actor_id), services.EntryData(
        post_id=post_id(code), invoice_date=on, amount=D(amount), description=description))


def make_flex_traject(amount: str, start: date | None, *, recorded: datetime | None = None,
                      status="lopend", approved_by="Pieter Janssen") -> Traject:
    client = make_client()
    traject = Traject(client_id=client.id, kind="flexbudget", status=status, start_date=start,
                      amount=D(amount), purpose="Schuld afgelost", approved_by=approved_by)
    if recorded is not None:
        traject.created_at = recorded
    db.session.add(traject)
    db.session.commit()
    return traject


def _user(user_id: int):
    from portal.auth.models import User

    return db.session.get(User, user_id)


def _row(rows, label):
    return next(r for r in rows if r.post == label)


def test_cents_add_up_exactly(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        subsidy = make_subsidy(regie, activiteiten="0.30")
        make_entry(subsidy, regie, "0.10")
        make_entry(subsidy, regie, "0.20")
        row = _row(budget_overview(date(2026, 1, 1), date(2026, 12, 31)), "Activiteiten")
        assert row == PostFigure("Activiteiten", D("0.30"), D("0.30"), D("0.00"))
        assert all(isinstance(v, Decimal) for v in (row.begroot, row.realised, row.remaining))


def test_many_small_amounts_stay_exact(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        subsidy = make_subsidy(regie, overig="1000000.00")
        for _ in range(30):
            make_entry(subsidy, regie, "0.10", code="overig")
        make_entry(subsidy, regie, "999996.99", code="overig")
        row = _row(subsidy_overview(subsidy), "Overig")
        assert (row.realised, row.remaining) == (D("999999.99"), D("0.01"))


def test_the_closing_report_figures(app):
    """€ 653.503 begroot, € 97.074 resterend: as the closing report states it."""
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        subsidy = make_subsidy(regie, casemanagement="520000", flexbudget="40000",
                               time_out="45000", instroomwoning="30000", activiteiten="12000",
                               overig="6503")
        make_entry(subsidy, regie, "450000.00", code="casemanagement")
        make_entry(subsidy, regie, "50000.00", code="time-out")  # overspent by 5.000
        make_entry(subsidy, regie, "25429.00", code="instroomwoning")
        make_entry(subsidy, regie, "11000.00", code="activiteiten")
        make_flex_traject("20000.00", date(2026, 2, 1))
        rows = budget_overview(date(2026, 1, 1), date(2026, 12, 31))
        total = budget_total(rows)
        assert total == PostFigure("Totaal", D("653503"), D("556429.00"), D("97074.00"))
        assert _row(rows, "Time-out voorziening").remaining == D("-5000.00")
        assert _row(rows, "Time-out voorziening").overspent
        assert _row(rows, "Flexbudget/doorbraakbudget").realised == D("20000.00")
        assert [r.post for r in rows] == [
            "Casemanagement", "Flexbudget/doorbraakbudget", "Time-out voorziening",
            "Instroomwoning", "Activiteiten", "Overig"]


def test_flexbudget_counts_by_its_start_date_with_the_boundaries_inclusive(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        old = make_subsidy(regie, name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                           flexbudget="1000")
        new = make_subsidy(regie, name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31),
                           flexbudget="1000")
        make_flex_traject("100.00", date(2025, 12, 31))  # last day of the old one
        make_flex_traject("200.00", date(2026, 1, 1))  # first day of the new one
        make_flex_traject("400.00", date(2026, 12, 31), status="afgebroken")  # last day
        make_flex_traject("800.00", date(2027, 1, 1))  # after both: counts nowhere
        make_flex_traject("1600.00", date(2024, 12, 31))  # before both
        make_flex_traject("3200.00", None, recorded=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
        flex = "Flexbudget/doorbraakbudget"
        # 23:30 UTC on 31 December is 1 January in Nijmegen: the recorded day counts.
        assert _row(subsidy_overview(old), flex).realised == D("100.00")
        assert _row(subsidy_overview(new), flex).realised == D("3800.00")
        assert _row(budget_overview(date(2026, 1, 1), date(2026, 1, 1)), flex).realised == \
            D("3400.00")
        assert _row(budget_overview(date(2025, 6, 1), date(2025, 12, 31)), flex).realised == \
            D("100.00")
        # A period across both subsidies adds both begrotingen and both realisations.
        both = budget_overview(date(2025, 12, 1), date(2026, 1, 31))
        assert _row(both, flex) == PostFigure(flex, D("2000"), D("3500.00"), D("-1500.00"))


def test_a_traject_without_approver_or_amount_or_of_another_kind_does_not_count(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        make_subsidy(regie, flexbudget="1000")
        make_flex_traject("10.00", date(2026, 2, 1), approved_by="")
        client = make_client()
        db.session.add(Traject(client_id=client.id, kind="time-out", status="lopend",
                               start_date=date(2026, 2, 1), amount=D("99.00"), approved_by="x"))
        db.session.commit()
        counted = make_flex_traject("5.00", date(2026, 2, 1))
        assert [t.id for t, _ in counted_trajecten()] == [counted.id]
        flex = _row(budget_overview(date(2026, 1, 1), date(2026, 12, 31)),
                    "Flexbudget/doorbraakbudget")
        assert flex.realised == D("5.00")


def test_overlapping_subsidies_never_count_a_traject_twice(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        first = make_subsidy(regie, name="Eerst", start=date(2025, 1, 1),
                             end=date(2026, 6, 30), flexbudget="100")
        second = make_subsidy(regie, name="Later", start=date(2026, 1, 1),
                              end=date(2026, 12, 31), flexbudget="100")
        make_flex_traject("70.00", date(2026, 3, 1))
        flex = "Flexbudget/doorbraakbudget"
        assert _row(subsidy_overview(first), flex).realised == D("70.00")
        assert _row(subsidy_overview(second), flex).realised == D("0.00")
        # The report of the second half of 2026 sees only the later subsidy.
        later = budget_overview(date(2026, 7, 1), date(2026, 12, 31))
        assert _row(later, flex) == PostFigure(flex, D("100"), D("0.00"), D("100.00"))


def test_realisation_counts_up_to_the_end_of_the_period(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        subsidy = make_subsidy(regie, activiteiten="1000")
        make_entry(subsidy, regie, "10.00", on=date(2025, 6, 30))
        make_entry(subsidy, regie, "20.00", on=date(2025, 7, 1))
        assert _row(budget_overview(date(2025, 1, 1), date(2025, 6, 30)),
                    "Activiteiten").realised == D("10.00")
        assert _row(budget_overview(date(2025, 1, 1), date(2025, 7, 1)),
                    "Activiteiten").realised == D("30.00")


def test_removed_entries_stop_counting_and_corrections_count_as_changed(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        subsidy = make_subsidy(regie, activiteiten="1000")
        kept = make_entry(subsidy, regie, "100.00")
        gone = make_entry(subsidy, regie, "50.00")
        services.remove_entry(gone, _user(regie), "Dubbel geboekt")
        services.change_entry(kept, subsidy, _user(regie), services.EntryData(
            post_id=post_id("activiteiten"), invoice_date=date(2026, 3, 1),
            amount=D("90.00"), description="Factuur"), "Creditnota verwerkt")
        make_entry(subsidy, regie, "-15.00", description="Terugbetaling")
        assert _row(subsidy_overview(subsidy), "Activiteiten").realised == D("75.00")


def test_no_subsidy_in_the_period_gives_no_rows_and_a_zero_total(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        make_subsidy(regie, start=date(2025, 1, 1), end=date(2025, 12, 31), overig="5")
        assert budget_overview(date(2027, 1, 1), date(2027, 12, 31)) == []
        assert budget_total([]) == PostFigure("Totaal", D("0"), D("0"), D("0"))


def test_an_inactive_post_shows_only_when_it_has_amounts(app):
    with app.app_context():
        regie = make_user(Role.PROCESREGISSEUR).id
        ensure_budget_posts()
        extra = services.save_post(None, label="Scholing", active=True)
        subsidy = make_subsidy(regie, overig="5")
        services.save_post(extra, label="Scholing", active=False)
        assert "Scholing" not in [r.post for r in subsidy_overview(subsidy)]
        services.save_subsidy(subsidy, _user(regie), services.SubsidyData(
            name="Stapteam", funder="Gemeente", start_date=subsidy.start_date,
            end_date=subsidy.end_date, note=None, amounts={extra.id: D("12.00")}))
        assert _row(subsidy_overview(subsidy), "Scholing").begroot == D("12.00")


def test_the_overview_runs_a_fixed_number_of_queries(app):
    def count(extra: int) -> int:
        with app.app_context():
            regie = make_user(Role.PROCESREGISSEUR).id
            for number in range(extra):
                subsidy = make_subsidy(regie, name=f"S{number}", flexbudget="100",
                                       activiteiten="50")
                make_entry(subsidy, regie, "1.00")
                make_flex_traject("2.00", date(2026, 1, 2))
            db.session.expire_all()
        with counted_statements(app) as statements, app.app_context():
            rows = budget_overview(date(2026, 1, 1), date(2026, 12, 31))
            subsidy_totals(list(db.session.scalars(select(Subsidy))))
        assert rows
        return len(statements)

    assert count(1) == count(4)
