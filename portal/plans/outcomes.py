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


def domain_outcomes(start: date, end: date) -> list[DomainOutcome]:
    """One outcome per domain (in the instrument's order) over assessments dated from
    `start` to `end` inclusive. A domain not scored in an assessment does not count there."""
    rows = db.session.execute(
        select(Assessment.client_id, AssessmentScore.domain_id, AssessmentScore.score)
        .join(AssessmentScore, AssessmentScore.assessment_id == Assessment.id)
        .where(Assessment.assessed_on.between(start, end), AssessmentScore.score.is_not(None))
        .order_by(Assessment.client_id, Assessment.assessed_on, Assessment.id)).all()
    series: dict[tuple[int, int], list[int]] = {}
    for client_id, domain_id, score in rows:
        series.setdefault((domain_id, client_id), []).append(score)
    domains = db.session.scalars(select(ZrmDomain).order_by(ZrmDomain.version_id,
                                                            ZrmDomain.position)).all()
    outcomes = []
    for domain in domains:
        changes = [scores[-1] - scores[0] for (domain_id, _), scores in series.items()
                   if domain_id == domain.id and len(scores) >= 2]
        mean = (Decimal(sum(changes)) / len(changes)).quantize(
            Decimal("0.01"), ROUND_HALF_UP) if changes else None
        outcomes.append(DomainOutcome(
            domain.name, len(changes), sum(1 for c in changes if c > 0),
            sum(1 for c in changes if c == 0), sum(1 for c in changes if c < 0), mean))
    return outcomes
