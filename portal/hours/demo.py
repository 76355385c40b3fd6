"""Fictional hours for 2026 (up to today) and the targets per organisation, for the demo
(portal/demo.py). Deterministic: the same week plan every week with fixed variations from a
seeded generator, fixed holidays and holiday weeks, one late correction with its reason and
one deleted entry, so every run of `seed-demo` gives the same figures."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.access.hours import capacity_of
from portal.auth.models import Organisation
from portal.clock import local_today
from portal.database import utcnow
from portal.extensions import db
from portal.hours.durations import format_duration
from portal.hours.kinds import ensure_default_kinds
from portal.hours.models import ActivityKind, HourTarget, TimeEntry, TimeEntryChange

YEAR = 2026
HOLIDAYS = {date(2026, 1, 1), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5),
            date(2026, 5, 14), date(2026, 5, 25)}
# (weekday, kind, client werknaam or None for team time, minutes); Monday is 0.
CASEMANAGER_WEEK = (
    (0, "Teamoverleg", None, 90), (0, "Face-to-face contact", 0, 120),
    (0, "Administratie", None, 60), (1, "Face-to-face contact", 1, 120),
    (1, "Reistijd", 1, 30), (1, "Telefonisch / digitaal contact", 0, 30),
    (1, "Face-to-face contact", 0, 90), (2, "Overleg over de cliënt", 1, 60),
    (2, "Face-to-face contact", 0, 90), (2, "Administratie", None, 45),
    (3, "Outreach op de zone", None, 180), (3, "Face-to-face contact", 1, 60),
    (3, "Administratie", None, 60), (4, "Telefonisch / digitaal contact", 1, 30),
    (4, "Administratie", None, 60),
)
ERVARING_WEEK = (
    (0, "Teamoverleg", None, 90), (1, "Outreach op de zone", None, 120),
    (2, "Face-to-face contact", 0, 60), (3, "Outreach op de zone", None, 180),
)
PEOPLE = {  # e-mail: (week plan, her clients by werknaam, ISO weeks of leave)
    "casemanager@demo.stapportaal.nl": (CASEMANAGER_WEEK, ("Roos", "Mira"), {29, 30, 31}),
    "casemanager.ldh@demo.stapportaal.nl": (CASEMANAGER_WEEK, ("Lina", "Jet"), {32, 33, 34}),
    "ervaring@demo.stapportaal.nl": (ERVARING_WEEK, ("Roos", "Lina"), {30, 31}),
}
TARGETS = (  # organisation, from, until, hours per week, hours per client per week
    ("Leger des Heils", date(2026, 1, 1), None, "20", "1.5"),
    ("Iriszorg", date(2026, 1, 1), date(2026, 6, 30), "18", "1.5"),
    ("Iriszorg", date(2026, 7, 1), None, "20", "1.5"),
)


def seed_demo_hours(staff: dict, clients: dict) -> int:
    """Targets and a year of hours; nothing when hours exist already. Returns the count."""
    if db.session.scalar(select(func.count(TimeEntry.id))):
        return 0
    ensure_default_kinds()
    kinds = {kind.name: kind.id for kind in db.session.scalars(select(ActivityKind))}
    procesregie = staff["procesregie@demo.stapportaal.nl"]
    _seed_targets(procesregie)
    last = min(local_today(), date(YEAR, 12, 31))
    made = []
    for email, (plan, names, leave) in PEOPLE.items():
        person = staff[email]
        generator = random.Random(f"{YEAR}-{email}")  # noqa: S311 - demo variation only
        for day in _working_days(date(YEAR, 1, 1), last, leave):
            for weekday, kind, client_index, minutes in plan:
                if weekday != day.weekday():
                    continue
                client = clients[names[client_index]] if client_index is not None else None
                made.append(_entry(person, day, kinds[kind], client,
                                   minutes + generator.choice((-15, 0, 0, 15, 30))))
            if day.weekday() == 4 and day.day <= 7 and email != "ervaring@demo.stapportaal.nl":
                made.append(_entry(person, day, kinds["Scholing"], None, 120))
    db.session.add_all(made)
    db.session.flush()
    _history(made)
    db.session.commit()
    return len(made)


def _seed_targets(procesregie) -> None:
    names = {o.name: o.id for o in db.session.scalars(select(Organisation))}
    for organisation, start, until, weekly, per_client in TARGETS:
        db.session.add(HourTarget(organisation_id=names[organisation], valid_from=start,
                                  valid_until=until, weekly_hours=Decimal(weekly),
                                  hours_per_client=Decimal(per_client),
                                  note="Subsidiebeschikking Stapteam 2026 (demo)",
                                  created_by_id=procesregie.id))


def _working_days(first: date, last: date, leave: set[int]):
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in HOLIDAYS and day.isocalendar()[1] not in leave:
            yield day
        day += timedelta(days=1)


def _entry(person, day: date, kind_id: int, client, minutes: int) -> TimeEntry:
    return TimeEntry(user=person, organisation_id=person.organisation_id,
                     capacity=capacity_of(person),
                     work_date=day, kind_id=kind_id, client=client, minutes=minutes)


def _history(made: list[TimeEntry]) -> None:
    """'Aangemaakt' for every entry; the first February entry corrected in March with a
    reason, and the first March entry deleted within the window."""
    db.session.add_all(TimeEntryChange(entry_id=e.id, action="aangemaakt", by_id=e.user_id,
                                       changes={"duur": [None, format_duration(e.minutes)]})
                       for e in made)
    corrected = next((e for e in made if e.work_date.month == 2), None)
    if corrected is not None:
        before = format_duration(corrected.minutes)
        corrected.minutes += 30
        db.session.add(TimeEntryChange(
            entry_id=corrected.id, action="gewijzigd", by_id=corrected.user_id, late=True,
            reason="Reistijd naar de opvang was niet meegeteld",
            changes={"duur": [before, format_duration(corrected.minutes)]}))
    deleted = next((e for e in made if e.work_date.month == 3), None)
    if deleted is not None:
        deleted.deleted_at, deleted.deleted_by_id = utcnow(), deleted.user_id
        db.session.add(TimeEntryChange(entry_id=deleted.id, action="verwijderd",
                                       by_id=deleted.user_id, changes={}))
