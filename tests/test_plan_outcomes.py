"""Outcomes for the stand van zaken against a fixture with known answers (run on SQLite and
on PostgreSQL): per domain, rose/stayed/fell between first and latest assessment, and the
mean difference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.plans.models import Assessment, AssessmentScore, ZrmDomain, ZrmVersion
from portal.plans.outcomes import domain_outcomes, outcomes_for_period
from portal.roles import Role
from tests.factories import make_client, make_user
from tests.test_zrm import ensure_zrm_seed

START, END = date(2026, 1, 1), date(2026, 6, 30)


def _assess(client, author, day, scores: dict[str, int | None]):
    version = db.session.scalar(select(ZrmVersion).where(ZrmVersion.current.is_(True)))
    by_name = {d.name: d.id for d in version.domains}
    db.session.add(Assessment(
        client_id=client.id, version_id=version.id, assessed_on=day, information_on=day,
        assessed_by_id=author, client_took_part=True,
        scores=[AssessmentScore(domain_id=by_name[name], score=score,
                                not_scored_reason=None if score else "Niet besproken")
                for name, score in scores.items()]))


def _fixture():
    ensure_zrm_seed()
    author = make_user(Role.CASEMANAGER).id
    a, b, c, d = (make_client(name) for name in ("Anna", "Bea", "Cor", "Dina"))
    _assess(a, author, date(2026, 1, 10), {"Financiën": 2, "Huisvesting": 1})
    _assess(a, author, date(2026, 4, 10), {"Financiën": 4, "Huisvesting": 1})
    _assess(a, author, date(2026, 8, 1), {"Financiën": 5})  # after the period: ignored
    _assess(b, author, date(2025, 11, 1), {"Financiën": 3})  # her first, before the period
    _assess(b, author, date(2026, 3, 1), {"Financiën": 2, "Huisvesting": None})
    _assess(c, author, date(2026, 2, 1), {"Financiën": 1})  # one assessment: no change
    _assess(d, author, date(2025, 10, 1), {"Financiën": 2})  # latest before the period
    _assess(d, author, date(2025, 12, 1), {"Financiën": 3})
    db.session.commit()


def _row(rows, name):
    return next(r for r in rows if r.domain == name)


def test_outcomes_for_period_count_first_ever_against_latest_in_the_period(app):
    with app.app_context():
        _fixture()
        rows = outcomes_for_period(START, END)
        names = [r.domain for r in rows]
        assert names[:4] == ["Financiën", "Werk & Opleiding", "Tijdsbesteding", "Huisvesting"]
        assert len(rows) == db.session.query(ZrmDomain).count() == 13
        finance = _row(rows, "Financiën")
        assert (finance.clients, finance.rose, finance.stayed, finance.fell) == (2, 1, 0, 1)
        assert finance.mean_difference == Decimal("0.50")
        assert finance.share(finance.rose) == Decimal("50.0")
        housing = _row(rows, "Huisvesting")
        assert (housing.clients, housing.rose, housing.stayed, housing.fell) == (1, 0, 1, 0)
        assert housing.mean_difference == Decimal("0.00")
        justice = _row(rows, "Justitie")
        assert (justice.clients, justice.mean_difference, justice.share(0)) == (0, None, None)


def test_domain_outcomes_use_only_assessments_inside_the_period(app):
    with app.app_context():
        _fixture()
        finance = _row(domain_outcomes(START, END), "Financiën")
        assert (finance.clients, finance.rose, finance.fell) == (1, 1, 0)
        assert finance.mean_difference == Decimal("2.00")
        # The whole history: Anna 2 -> 5, Bea 3 -> 2, Dina 2 -> 3.
        everything = _row(outcomes_for_period(date(2025, 1, 1), date(2026, 12, 31)),
                          "Financiën")
        assert (everything.clients, everything.rose, everything.fell) == (3, 2, 1)
        assert everything.mean_difference == Decimal("1.00")  # (3 - 1 + 1) / 3
