"""The figures of the stand van zaken for a period, each from dated events only (status
history, registration history, traject dates, handovers, assessments), so a report over a
past period reads the same tomorrow. Every figure is a fixed number of queries.

Definitions (a day counts from its start; `end` is inclusive):
- active women: her status was `actief` at some moment in the period: the last status change
  on or before `start` made her actief, or a change to actief is dated in the period;
- trajecten: a traject counts when its start date lies on or before `end` and it has no end
  date before `start` (overlapping); started and ended count the dates inside the period;
- overdrachten: per woman the last change in the period to one of the outflow statuses,
  unless she came back to actief later in the same period (then it counts as reversed);
- caseload: women actief at the period end, per organisation of the casemanager(s) assigned
  to them at that moment (a woman with casemanagers of two organisations counts for both).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select, union

from portal.auth.models import Organisation, User
from portal.clients.lifecycle import ClientStatus, TrajectKind
from portal.clients.models import AssignmentChange, StatusChange, Traject, client_casemanagers
from portal.clock import AMSTERDAM
from portal.extensions import db
from portal.registrations import figures as registration_figures
from portal.registrations.lifecycle import RevocationReason

S = ClientStatus
OUTFLOW = (S.AFGESLOTEN, S.OVERGEDRAGEN_REGULIER, S.OVERGEDRAGEN_GEMEENTE, S.MONITORING)
OUTFLOW_LABELS = {S.AFGESLOTEN: "Afgesloten", S.OVERGEDRAGEN_REGULIER: "Overdracht regulier",
                  S.OVERGEDRAGEN_GEMEENTE: "Naar een andere gemeente",
                  S.MONITORING: "Monitoring (procesregie)"}
TRAJECT_KINDS = (TrajectKind.INSTROOMWONING, TrajectKind.TIME_OUT, TrajectKind.DIAGNOSTIEK)
NO_CASEMANAGER = "Zonder casemanager"
UNKNOWN_ORGANISATION = "Organisatie niet te bepalen"


@dataclass(frozen=True)
class TrajectFigure:
    kind: TrajectKind
    overlapping: int
    started: int
    ended: int

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class Registrations:
    requested: int
    issued: int
    refused: int
    revoked: dict[RevocationReason, int]

    @property
    def revoked_total(self) -> int:
        return sum(self.revoked.values())

    @property
    def revoked_on_request(self) -> int:
        return self.revoked.get(RevocationReason.EIGEN_VERZOEK, 0)


@dataclass
class StandVanZaken:
    start: date
    end: date
    registrations: Registrations
    active_women: int
    trajecten: list[TrajectFigure]
    overdrachten: dict[ClientStatus, int]
    overdrachten_reversed: int
    caseload: dict[str, int]  # organisation name -> women; NO_CASEMANAGER when none
    caseload_total: int
    zrm: list = field(default_factory=list)  # portal.plans.outcomes.DomainOutcome
    hours: list | None = None  # portal.hours.figures.WeekHours, when that module exists
    budget: list | None = None  # portal.budget.figures.PostFigure, when that module exists

    @property
    def overdrachten_total(self) -> int:
        return sum(self.overdrachten.values())


def stand_van_zaken(start: date, end: date) -> StandVanZaken:
    from portal.plans.outcomes import outcomes_for_period

    return StandVanZaken(
        start=start, end=end, registrations=registrations(start, end),
        active_women=active_women(start, end), trajecten=trajecten(start, end),
        **_outflow(start, end), **_caseload(end), zrm=outcomes_for_period(start, end),
        hours=_optional("portal.hours.figures", "hours_against_target", start, end),
        budget=_optional("portal.budget.figures", "budget_overview", start, end))


def for_reference_date(day: date) -> StandVanZaken:
    """The stand van zaken per a date: from the first of January of its year up to it."""
    return stand_van_zaken(day.replace(month=1, day=1), day)


def _optional(module: str, function: str, start: date, end: date):
    """Hours and budget come from their own features; None while those do not exist."""
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package is not there either
        found = False
    if not found:
        return None
    return getattr(importlib.import_module(module), function)(start, end)


def registrations(start: date, end: date) -> Registrations:
    """Issued, refused and revoked (per reason) by the date they took effect (reused from
    the registration figures; their `valid_now` is current state and is not reported)."""
    result = registration_figures.figures_for(start, end, end)
    return Registrations(result.requested, result.issued, result.refused, dict(result.revoked))


def status_at(day: date):
    """Subquery (client_id, status): each client's status at the end of `day`, from the
    last status change dated on or before it (ties: the later recorded)."""
    ranked = select(
        StatusChange.client_id, StatusChange.to_status,
        func.row_number().over(partition_by=StatusChange.client_id,
                               order_by=(StatusChange.changed_on.desc(),
                                         StatusChange.id.desc())).label("position")
    ).where(StatusChange.changed_on <= day).subquery()
    return (select(ranked.c.client_id, ranked.c.to_status.label("status"))
            .where(ranked.c.position == 1).subquery())


def active_women(start: date, end: date) -> int:
    at_start = status_at(start)
    already = select(at_start.c.client_id).where(at_start.c.status == S.ACTIEF.value)
    became = select(StatusChange.client_id).where(
        StatusChange.to_status == S.ACTIEF.value, StatusChange.changed_on > start,
        StatusChange.changed_on <= end)
    return db.session.scalar(select(func.count()).select_from(union(already, became)
                                                              .subquery()))


def trajecten(start: date, end: date) -> list[TrajectFigure]:
    overlapping = (Traject.start_date.is_not(None), Traject.start_date <= end,
                   or_(Traject.end_date.is_(None), Traject.end_date >= start))
    rows = db.session.execute(
        select(Traject.kind,
               func.count().filter(*overlapping),
               func.count().filter(Traject.start_date >= start, Traject.start_date <= end),
               func.count().filter(Traject.end_date >= start, Traject.end_date <= end))
        .where(Traject.kind.in_([k.value for k in TRAJECT_KINDS]))
        .group_by(Traject.kind)).all()
    found = {kind: counts for kind, *counts in rows}
    return [TrajectFigure(kind, *found.get(kind.value, (0, 0, 0))) for kind in TRAJECT_KINDS]


def _outflow(start: date, end: date) -> dict:
    rows = db.session.execute(
        select(StatusChange.client_id, StatusChange.to_status).where(
            StatusChange.changed_on >= start, StatusChange.changed_on <= end)
        .order_by(StatusChange.client_id, StatusChange.changed_on, StatusChange.id)).all()
    outflow_values = {s.value for s in OUTFLOW}
    last: dict[int, str | None] = {}
    reversed_count = 0
    for client_id, status in rows:
        if status in outflow_values:
            last[client_id] = status
        elif status == S.ACTIEF.value and last.get(client_id):
            reversed_count += 1
            last[client_id] = None
    counts = {kind: 0 for kind in OUTFLOW}
    for status in last.values():
        if status:
            counts[ClientStatus(status)] += 1
    return {"overdrachten": counts, "overdrachten_reversed": reversed_count}


def end_of(day: date) -> datetime:
    """The UTC moment the local day `day` ends (handovers are stored as timestamps)."""
    return datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM).astimezone(UTC)


def _caseload(end: date) -> dict:
    at_end = status_at(end)
    active = select(at_end.c.client_id).where(at_end.c.status == S.ACTIEF.value)
    active_ids = set(db.session.scalars(active))
    moment = end_of(end)
    later = db.session.execute(
        select(AssignmentChange.client_id, AssignmentChange.from_casemanagers)
        .where(AssignmentChange.changed_at >= moment,
               AssignmentChange.client_id.in_(active))
        .order_by(AssignmentChange.client_id, AssignmentChange.changed_at.desc(),
                  AssignmentChange.id.desc())).all()
    before_change = {client_id: names for client_id, names in later}  # the earliest wins
    current = db.session.execute(
        select(client_casemanagers.c.client_id, Organisation.name)
        .join(User, User.id == client_casemanagers.c.user_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(client_casemanagers.c.client_id.in_(active),
               or_(client_casemanagers.c.assigned_at.is_(None),
                   client_casemanagers.c.assigned_at < moment))).all()
    organisations: dict[int, set[str]] = {client_id: set() for client_id in active_ids}
    for client_id, organisation in current:
        if client_id not in before_change:
            organisations[client_id].add(organisation)
    by_name = _organisation_by_name() if before_change else {}
    for client_id, names in before_change.items():
        organisations[client_id] = {by_name.get(name, UNKNOWN_ORGANISATION)
                                    for name in _split_names(names)}
    counts: dict[str, int] = {}
    for found in organisations.values():
        for organisation in found or {NO_CASEMANAGER}:
            counts[organisation] = counts.get(organisation, 0) + 1
    return {"caseload": dict(sorted(counts.items())), "caseload_total": len(active_ids)}


def _split_names(names: str) -> list[str]:
    return [name.strip() for name in (names or "").split(", ") if name.strip()]


def _organisation_by_name() -> dict[str, str]:
    """A handover keeps names as given at the time; a name two people share cannot be
    placed with one organisation and counts as unknown."""
    rows = db.session.execute(select(User.name, Organisation.name)
                              .join(Organisation, Organisation.id == User.organisation_id)
                              .distinct()).all()
    found: dict[str, str] = {}
    for name, organisation in rows:
        found[name] = organisation if name not in found else UNKNOWN_ORGANISATION
    return found
