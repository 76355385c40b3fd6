"""A client's assessments over time: side by side, difference scores between two of them,
a chart per domain, and when a reassessment falls due (`due_assessments`, for Vandaag)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import Select, func, or_, select

from portal.access.plans import zrm_client_scope
from portal.clients.lifecycle import ClientStatus
from portal.clients.models import Client, client_casemanagers
from portal.clock import add_months, local_today
from portal.extensions import db
from portal.plans.models import Assessment, ZrmDomain

DUE_STATUSES = (ClientStatus.ACTIEF.value,)  # clients in the team's caseload are reassessed


def client_assessments(client) -> list[Assessment]:
    """All assessments of a client, oldest first (scores come with them: one more query)."""
    return list(db.session.scalars(select(Assessment).where(Assessment.client_id == client.id)
                                   .order_by(Assessment.assessed_on, Assessment.id)))


def domains_of(assessments: list[Assessment]) -> list[ZrmDomain]:
    """The domains the assessments were scored on, in the order of their version(s)."""
    version_ids = sorted({a.version_id for a in assessments})
    if not version_ids:
        return []
    return list(db.session.scalars(select(ZrmDomain).where(ZrmDomain.version_id.in_(
        version_ids)).order_by(ZrmDomain.version_id, ZrmDomain.position)))


@dataclass(frozen=True)
class Difference:
    domain: ZrmDomain
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def label(self) -> str:
        change = self.change
        if change is None:
            return "niet te vergelijken"
        if change == 0:
            return "gelijk (0)"
        return f"{'hoger' if change > 0 else 'lager'} ({change:+d})"


def differences(domains, first: Assessment, latest: Assessment) -> list[Difference]:
    """Per domain: the score in `first`, in `latest`, and the difference (None where one of
    the two was not scored)."""
    rows = []
    for domain in domains:
        before, after = first.score_for(domain.id), latest.score_for(domain.id)
        rows.append(Difference(domain, before.score if before else None,
                               after.score if after else None))
    return rows


def pick_pair(assessments: list[Assessment], first_ref: str | None, latest_ref: str | None):
    """The two assessments to compare: the chosen refs, first and latest by default."""
    if len(assessments) < 2:
        return None, None
    by_ref = {a.ref: a for a in assessments}
    first = by_ref.get(first_ref or "", assessments[0])
    latest = by_ref.get(latest_ref or "", assessments[-1])
    return first, latest


def next_due(latest_on: date | None) -> date | None:
    if latest_on is None:
        return None
    return add_months(latest_on, current_app.config["ZRM_REASSESSMENT_MONTHS"])


def latest_due_cutoff(today: date) -> date:
    """The latest assessment date whose reassessment is due by `today` (next_due is monotone,
    and a clamped month end makes up to three later days due on the same day)."""
    months = current_app.config["ZRM_REASSESSMENT_MONTHS"]
    cutoff = add_months(today, -months)
    while add_months(cutoff + timedelta(days=1), months) <= today:
        cutoff += timedelta(days=1)
    return cutoff


def due_assessments(user, today: date | None = None) -> Select:
    """One statement: (Client, last_on) for the caseload of this casemanager (assigned to her,
    status actief) whose ZRM (re)assessment is due by `today`: never assessed first, then
    longest overdue. Nothing for anyone who may not read the ZRM."""
    latest = (select(Assessment.client_id, func.max(Assessment.assessed_on).label("last_on"))
              .group_by(Assessment.client_id).subquery())
    query = (select(Client, latest.c.last_on)
             .join(client_casemanagers, client_casemanagers.c.client_id == Client.id)
             .outerjoin(latest, latest.c.client_id == Client.id)
             .where(client_casemanagers.c.user_id == user.id, Client.status.in_(DUE_STATUSES),
                    zrm_client_scope(user), or_(latest.c.last_on.is_(None),
                                                latest.c.last_on
                                                <= latest_due_cutoff(today or local_today())))
             .order_by(latest.c.last_on.is_not(None), latest.c.last_on, Client.werknaam,
                       Client.id))
    return query
