"""Reading hours: one person's week, the totals procesregie sees (never a note), the clients
she books time on, and the caseload per casemanager. Each is a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from portal.auth.models import Organisation, User, UserRole
from portal.clients.lifecycle import ClientStatus
from portal.clients.models import Client, client_casemanagers
from portal.extensions import db
from portal.hours.models import ActivityKind, TimeEntry, minutes_to_hours
from portal.roles import Role

OPEN_STATUSES = (ClientStatus.AANGEMELD.value, ClientStatus.ACTIEF.value,
                 ClientStatus.MONITORING.value)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    """One person's entries of one week with totals per day and per kind (deleted entries
    are listed, not counted)."""

    monday: date
    entries: list[TimeEntry]
    per_day: dict[date, int] = field(default_factory=dict)
    per_kind: dict[str, int] = field(default_factory=dict)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=offset) for offset in range(7)]

    @property
    def total(self) -> int:
        return sum(self.per_day.values())

    def entries_on(self, day: date) -> list[TimeEntry]:
        return [entry for entry in self.entries if entry.work_date == day]


def week_of(user, monday: date) -> Week:
    entries = list(db.session.scalars(
        select(TimeEntry).where(TimeEntry.user_id == user.id, TimeEntry.work_date >= monday,
                                TimeEntry.work_date <= monday + timedelta(days=6))
        .options(selectinload(TimeEntry.client))
        .order_by(TimeEntry.work_date, TimeEntry.created_at, TimeEntry.id)).unique())
    week = Week(monday, entries)
    per_day, per_kind = defaultdict(int), defaultdict(int)
    for entry in entries:
        if not entry.is_deleted:
            per_day[entry.work_date] += entry.minutes
            per_kind[entry.kind.name] += entry.minutes
    week.per_day = {day: per_day.get(day, 0) for day in week.days}
    week.per_kind = dict(sorted(per_kind.items()))
    return week


def bookable_clients(user, extra: Client | None = None) -> list[Client]:
    """Her own open dossiers (assigned casemanager or ervaringsdeskundige), plus `extra`
    (the dossier she came from)."""
    assigned = select(client_casemanagers.c.client_id).where(
        client_casemanagers.c.user_id == user.id)
    clients = list(db.session.scalars(select(Client).where(
        Client.status.in_(OPEN_STATUSES),
        or_(Client.id.in_(assigned), Client.ervaringsdeskundige_id == user.id))
        .order_by(Client.werknaam, Client.number)))
    if extra is not None and all(client.id != extra.id for client in clients):
        clients.insert(0, extra)
    return clients


@dataclass(frozen=True)
class Totals:
    """Procesregie's totals for a period, in minutes: no notes, no dates of single entries."""

    per_person: list[tuple]      # (name, organisation, capacity, client, team)
    per_organisation: list[tuple]  # (organisation, casemanagement, ervaringsdeskundige)
    per_client: list[tuple]      # (client number, minutes, entries)
    per_kind: list[tuple]        # (kind, minutes)

    @property
    def total(self) -> int:
        return sum(row[1] + row[2] for row in self.per_organisation)


def _counted(start: date, end: date):
    return (TimeEntry.deleted_at.is_(None), TimeEntry.work_date >= start,
            TimeEntry.work_date <= end)


def totals(start: date, end: date) -> Totals:
    client_minutes = func.sum(case((TimeEntry.client_id.is_not(None), TimeEntry.minutes),
                                   else_=0))
    team_minutes = func.sum(case((TimeEntry.client_id.is_(None), TimeEntry.minutes), else_=0))
    per_person = db.session.execute(
        select(User.name, Organisation.name, TimeEntry.capacity, client_minutes, team_minutes)
        .join(User, User.id == TimeEntry.user_id)
        .join(Organisation, Organisation.id == TimeEntry.organisation_id)
        .where(*_counted(start, end))
        .group_by(User.id, User.name, Organisation.name, TimeEntry.capacity)
        .order_by(Organisation.name, User.name)).all()
    cm = func.sum(case((TimeEntry.capacity == "casemanagement", TimeEntry.minutes), else_=0))
    ed = func.sum(case((TimeEntry.capacity != "casemanagement", TimeEntry.minutes), else_=0))
    per_organisation = db.session.execute(
        select(Organisation.name, cm, ed)
        .join(Organisation, Organisation.id == TimeEntry.organisation_id)
        .where(*_counted(start, end)).group_by(Organisation.name)
        .order_by(Organisation.name)).all()
    per_client = db.session.execute(
        select(Client.number, func.sum(TimeEntry.minutes), func.count(TimeEntry.id))
        .join(Client, Client.id == TimeEntry.client_id)
        .where(*_counted(start, end)).group_by(Client.number).order_by(Client.number)).all()
    per_kind = db.session.execute(
        select(ActivityKind.name, func.sum(TimeEntry.minutes))
        .join(ActivityKind, ActivityKind.id == TimeEntry.kind_id)
        .where(*_counted(start, end)).group_by(ActivityKind.id, ActivityKind.name)
        .order_by(ActivityKind.name)).all()
    return Totals(*([tuple(_ints(row)) for row in rows]
                    for rows in (per_person, per_organisation, per_client, per_kind)))


def _ints(row):
    """Sums come back as int or Decimal depending on the database: whole minutes as int."""
    return [int(value) if isinstance(value, Decimal) else value for value in row]


@dataclass(frozen=True)
class Caseload:
    name: str
    organisation: str
    active_clients: int       # assigned to her now with status actief
    clients_with_time: int    # clients she booked casemanagement time on in the period
    client_minutes: int       # her casemanagement minutes with clients in the period

    def hours_per_client_per_week(self, weeks: Decimal) -> Decimal | None:
        if not self.clients_with_time or not weeks:
            return None
        return (minutes_to_hours(self.client_minutes) / self.clients_with_time / weeks
                ).quantize(Decimal("0.01"))


def caseload(start: date, end: date) -> list[Caseload]:
    """Every active casemanager: her caseload now and what she booked on clients in the
    period (three queries)."""
    people = db.session.execute(
        select(User.id, User.name, Organisation.name)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True), User.id.in_(
            select(UserRole.user_id).where(UserRole.role == Role.CASEMANAGER.value)))
        .order_by(Organisation.name, User.name)).all()
    active = dict(db.session.execute(
        select(client_casemanagers.c.user_id, func.count(Client.id))
        .join(Client, Client.id == client_casemanagers.c.client_id)
        .where(Client.status == ClientStatus.ACTIEF.value)
        .group_by(client_casemanagers.c.user_id)).all())
    booked = {user_id: (int(clients), int(minutes)) for user_id, clients, minutes in
              db.session.execute(
                  select(TimeEntry.user_id, func.count(func.distinct(TimeEntry.client_id)),
                         func.sum(TimeEntry.minutes))
                  .where(*_counted(start, end), TimeEntry.client_id.is_not(None),
                         TimeEntry.capacity == "casemanagement")
                  .group_by(TimeEntry.user_id)).all()}
    return [Caseload(name, organisation, int(active.get(user_id, 0)),
                     *booked.get(user_id, (0, 0))) for user_id, name, organisation in people]
