"""Hours against target, per week, month or quarter and organisation, for the realisation
page and the stand van zaken (portal/verantwoording).

What counts: entries not deleted, written in the capacity of casemanagement (the target is
subsidised casemanagement; the ervaringsdeskundige's hours are reported beside it, not in
it), by the organisation copied onto the entry when it was made. A period's boundaries cut
weeks: a week that starts before `start` or ends after `end` counts only its days inside the
period, and its target is the weekly target times the number of those days divided by seven
(a target that changes mid-week counts per day). A week without any day under a target has
target None. Every function here runs a fixed number of queries whatever the data size:
the database sums minutes per organisation and day, Python folds the days into periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.auth.models import Organisation
from portal.extensions import db
from portal.hours.models import HourTarget, TimeEntry, minutes_to_hours

CENT = Decimal("0.01")
CASEMANAGEMENT = "casemanagement"


@dataclass(frozen=True)
class WeekHours:
    """One ISO week (its Monday) of one organisation: casemanagement hours recorded in the
    week's days inside the period, and the subsidised hours for those days (None: no target)."""

    week_start: date
    organisation: str
    hours: Decimal
    target_hours: Decimal | None


@dataclass(frozen=True)
class PeriodHours:
    """The same for any period (a week, a calendar month or a quarter): `period_start` is the
    period's own first day, `period_end` its last day inside the range."""

    period_start: date
    period_end: date
    organisation: str
    hours: Decimal
    target_hours: Decimal | None

    @property
    def percentage(self) -> int | None:
        """Realisation as a whole percentage of the target (None without a target > 0)."""
        if not self.target_hours:
            return None
        return int((self.hours * 100 / self.target_hours).quantize(Decimal(1)))


def hours_against_target(start: date, end: date) -> list[WeekHours]:
    """One row per ISO week (Monday) overlapping [start, end] and per organisation that has
    hours or a target in the period, ordered by week and organisation name. Two queries."""
    return [WeekHours(row.period_start, row.organisation, row.hours, row.target_hours)
            for row in realisation(start, end, "week")]


def realisation(start: date, end: date, grain: str) -> list[PeriodHours]:
    """Rows per period of the grain ("week", "maand", "kwartaal") and organisation."""
    if end < start:
        return []
    minutes = _daily_minutes(start, end)
    targets = _targets(start, end)
    organisations = sorted({name for name, _ in minutes} | set(targets))
    rows = []
    for period_start, first_day, last_day in _periods(start, end, PERIODS[grain]):
        days = list(_days(first_day, last_day))
        for name in organisations:
            total = sum(minutes.get((name, day), 0) for day in days)
            rows.append(PeriodHours(period_start, last_day, name, minutes_to_hours(total),
                                    _target_for(targets.get(name, []), days)))
    return rows


def _daily_minutes(start: date, end: date) -> dict[tuple[str, date], int]:
    query = (select(Organisation.name, TimeEntry.work_date, func.sum(TimeEntry.minutes))
             .join(Organisation, Organisation.id == TimeEntry.organisation_id)
             .where(TimeEntry.deleted_at.is_(None), TimeEntry.capacity == CASEMANAGEMENT,
                    TimeEntry.work_date >= start, TimeEntry.work_date <= end)
             .group_by(Organisation.name, TimeEntry.work_date))
    return {(name, day): int(total) for name, day, total in db.session.execute(query)}


def _targets(start: date, end: date) -> dict[str, list[HourTarget]]:
    """The targets overlapping the range per organisation name, oldest start first (a later
    start wins on the days where two overlap)."""
    query = (select(HourTarget).join(HourTarget.organisation)
             .where(HourTarget.valid_from <= end,
                    (HourTarget.valid_until.is_(None)) | (HourTarget.valid_until >= start))
             .order_by(HourTarget.valid_from, HourTarget.id))
    found: dict[str, list[HourTarget]] = defaultdict(list)
    for target in db.session.scalars(query).unique():
        found[target.organisation.name].append(target)
    return found


def target_on(targets: list[HourTarget], day: date) -> HourTarget | None:
    return next((t for t in reversed(targets) if t.covers(day)), None)


def _target_for(targets: list[HourTarget], days: list[date]) -> Decimal | None:
    weekly_sum, covered = Decimal(0), False
    for day in days:
        target = target_on(targets, day)
        if target is not None:
            weekly_sum += target.weekly_hours
            covered = True
    return (weekly_sum / 7).quantize(CENT) if covered else None


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = _month_of(date(first.year, first.month + 2, 1))[1]
    return first, last


PERIODS: dict[str, Callable[[date], tuple[date, date]]] = {
    "week": _week_of, "maand": _month_of, "kwartaal": _quarter_of}


def _periods(start: date, end: date, period_of) -> Iterator[tuple[date, date, date]]:
    """(label, first day, last day) of each period overlapping [start, end]: the label is the
    period's own first day (a week's Monday), the days are cut to the range."""
    day = start
    while day <= end:
        first, last = period_of(day)
        yield first, max(first, start), min(last, end)
        day = last + timedelta(days=1)
