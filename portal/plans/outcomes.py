"""Outcomes for the verantwoording (stand van zaken): per ZRM domain, of the clients with at
least two assessments in a period, how many rose, stayed or fell between their first and
latest score there, and the mean difference. Computed from dated assessments only, so a
report over a past period does not change. Small counts are suppressed by the publication
step of the report (issue 12), not here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.plans.models import Assessment, AssessmentScore, ZrmDomain


@dataclass(frozen=True)
class DomainOutcome:
    domain: str
    clients: int  # clients with a score on this domain in at least two assessments
    rose: int
    stayed: int
    fell: int
    mean_difference: Decimal | None  # latest minus first, two decimals

    def share(self, count: int) -> Decimal | None:
        """A count as a percentage of `clients` (one decimal), None without clients."""
        if not self.clients:
            return None
        return (Decimal(100 * count) / self.clients).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _domains() -> list[ZrmDomain]:
    return list(db.session.scalars(select(ZrmDomain).order_by(ZrmDomain.version_id,
                                                              ZrmDomain.position)))


def _scores(until: date, since: date | None = None):
    """(client, domain, day, score) of every scored domain, oldest first."""
    query = (select(Assessment.client_id, AssessmentScore.domain_id, Assessment.assessed_on,
                    AssessmentScore.score)
             .join(AssessmentScore, AssessmentScore.assessment_id == Assessment.id)
             .where(Assessment.assessed_on <= until, AssessmentScore.score.is_not(None))
             .order_by(Assessment.client_id, Assessment.assessed_on, Assessment.id))
    if since is not None:
        query = query.where(Assessment.assessed_on >= since)
    return db.session.execute(query).all()


def _outcome(domain: ZrmDomain, changes: list[int]) -> DomainOutcome:
    mean = (Decimal(sum(changes)) / len(changes)).quantize(
        Decimal("0.01"), ROUND_HALF_UP) if changes else None
    return DomainOutcome(domain.name, len(changes), sum(1 for c in changes if c > 0),
                         sum(1 for c in changes if c == 0), sum(1 for c in changes if c < 0),
                         mean)


def _series(rows) -> dict[tuple[int, int], list[tuple[date, int]]]:
    series: dict[tuple[int, int], list[tuple[date, int]]] = {}
    for client_id, domain_id, day, score in rows:
        series.setdefault((domain_id, client_id), []).append((day, score))
    return series


def domain_outcomes(start: date, end: date) -> list[DomainOutcome]:
    """One outcome per domain (in the instrument's order) over assessments dated from
    `start` to `end` inclusive only. A domain not scored in an assessment does not count."""
    series = _series(_scores(end, since=start))
    return [_outcome(domain, [scores[-1][1] - scores[0][1]
                              for (domain_id, _), scores in series.items()
                              if domain_id == domain.id and len(scores) >= 2])
            for domain in _domains()]


def outcomes_for_period(start: date, end: date) -> list[DomainOutcome]:
    """What the stand van zaken reports for the period `start`..`end` (inclusive), per
    domain in the instrument's order, as plain counts (the report applies the Woo
    suppression).

    A client counts on a domain when she has at least two assessments scoring it dated on
    or before `end`, the latest of them within the period: her first ever assessment (it may
    lie before `start`, when her trajectory began earlier) against her latest up to `end`.
    `clients` = rose + stayed + fell; `mean_difference` is latest minus first (two
    decimals), None without clients."""
    series = _series(_scores(end))
    return [_outcome(domain, [scores[-1][1] - scores[0][1]
                              for (domain_id, _), scores in series.items()
                              if domain_id == domain.id and len(scores) >= 2
                              and scores[-1][0] >= start])
            for domain in _domains()]
