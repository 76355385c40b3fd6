"""A client's assessments over time: side by side, difference scores between two of them,
a chart per domain, and when a reassessment falls due (`assessments_due`, for start pages)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from portal.access.plans import can_read_zrm
from portal.clients.lifecycle import ClientStatus
from portal.clients.models import Client, client_casemanagers
from portal.clock import local_today
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


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last of the month where that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(latest_on: date | None) -> date | None:
    if latest_on is None:
        return None
    return add_months(latest_on, current_app.config["ZRM_REASSESSMENT_MONTHS"])


@dataclass(frozen=True)
class Due:
    """A client whose (re)assessment is due: never assessed (last_on None) or last assessed
    more than the interval ago."""

    client: Client
    last_on: date | None
    due_on: date | None


def assessments_due(user, today: date | None = None) -> list[Due]:
    """The caseload clients of this casemanager (assigned to her, status actief) whose ZRM
    (re)assessment is due today or earlier: never assessed first, then longest overdue.
    Two queries whatever the caseload's size; empty for anyone who may not read the ZRM."""
    today = today or local_today()
    if not getattr(user, "is_authenticated", False):
        return []
    latest = (select(Assessment.client_id, func.max(Assessment.assessed_on).label("last_on"))
              .group_by(Assessment.client_id).subquery())
    rows = db.session.execute(
        select(Client, latest.c.last_on)
        .join(client_casemanagers, client_casemanagers.c.client_id == Client.id)
        .outerjoin(latest, latest.c.client_id == Client.id)
        .where(client_casemanagers.c.user_id == user.id, Client.status.in_(DUE_STATUSES))
        .order_by(latest.c.last_on.is_not(None), latest.c.last_on, Client.werknaam)).all()
    due = []
    for client, last_on in rows:
        due_on = next_due(last_on)
        if (due_on is None or due_on <= today) and can_read_zrm(user, client):
            due.append(Due(client, last_on, due_on))
    return due
