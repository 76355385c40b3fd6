"""Writing time entries: record, change and delete one's own, inside or after the edit window.

Within `HOURS_EDIT_WINDOW_DAYS` days after the day worked she changes and deletes her entries
freely; after it (or when she books a day that long ago) she gives a reason. Every step is
kept in the entry's history (before and after per field) and in the audit trail; a deleted
entry stays with who, when and why. Nobody changes another person's entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app

from portal.access.hours import can_book_client, can_see_entry, capacity_of
from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.models import Client
from portal.clock import local_today
from portal.database import utcnow
from portal.extensions import db
from portal.hours.durations import format_duration
from portal.hours.kinds import active_kind
from portal.hours.models import MAX_MINUTES, TimeEntry, TimeEntryChange
from portal.refusal import DomainError
from portal.transactions import service

MAX_DAYS_BACK = 400  # a new day further back than this is a typing error, not a late entry
REASON_NEEDED = ("Deze boeking valt buiten de termijn van {days} dagen om zelf te wijzigen: "
                 "geef een reden. Die blijft bij de boeking staan.")


@dataclass(frozen=True)
class EntryData:
    work_date: date
    minutes: int
    kind_id: int | None
    client_id: int | None  # None: team time
    note: str | None
    reason: str | None = None


def edit_window_days() -> int:
    return int(current_app.config.get("HOURS_EDIT_WINDOW_DAYS", 14))


def is_late(work_date: date, today: date | None = None) -> bool:
    """Is this day worked outside the window in which entries change without a reason?"""
    return ((today or local_today()) - work_date).days > edit_window_days()


@service
def record_entry(actor, data: EntryData) -> TimeEntry:
    capacity = capacity_of(actor)
    if capacity is None:
        raise DomainError("Alleen casemanagers en de ervaringsdeskundige schrijven uren.")
    _check(actor, data, None)
    late = is_late(data.work_date)
    reason = _reason(data.reason, late)
    entry = TimeEntry(user_id=actor.id, organisation_id=actor.organisation_id,
                      capacity=capacity, **_fields(data))
    db.session.add(entry)
    db.session.flush()
    snapshot = {name: [None, value] for name, value in _described(entry).items()}
    _history(entry, actor, "aangemaakt", late, reason, snapshot)
    record("hours.entry_created", Action.CREATE, object_type="time_entry", object_id=entry.id,
           client_id=entry.client_id, user=actor,
           detail={"minutes": entry.minutes, "work_date": entry.work_date.isoformat(),
                   "late": late})
    db.session.commit()
    return entry


@service
def change_entry(actor, entry: TimeEntry, data: EntryData) -> TimeEntry:
    _own_and_present(actor, entry)
    _check(actor, data, entry)
    late = is_late(entry.work_date) or is_late(data.work_date)
    reason = _reason(data.reason, late)
    before = _described(entry)
    for name, value in _fields(data).items():
        setattr(entry, name, value)
    db.session.flush()
    after = _described(entry)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changes:
        raise DomainError("Er is niets gewijzigd.")
    _history(entry, actor, "gewijzigd", late, reason, changes)
    record("hours.entry_changed", Action.UPDATE, object_type="time_entry", object_id=entry.id,
           client_id=entry.client_id, user=actor,
           detail={"fields": sorted(changes), "late": late})
    db.session.commit()
    return entry


@service
def delete_entry(actor, entry: TimeEntry, reason: str | None) -> TimeEntry:
    _own_and_present(actor, entry)
    late = is_late(entry.work_date)
    reason = _reason(reason, late)
    entry.deleted_at, entry.deleted_by_id, entry.delete_reason = utcnow(), actor.id, reason
    _history(entry, actor, "verwijderd", late, reason, {})
    record("hours.entry_deleted", Action.DELETE, object_type="time_entry", object_id=entry.id,
           client_id=entry.client_id, user=actor, detail={"late": late})
    db.session.commit()
    return entry


def _own_and_present(actor, entry) -> None:
    if not can_see_entry(actor, entry):
        raise DomainError("U kunt alleen uw eigen boekingen wijzigen.")
    if entry.is_deleted:
        raise DomainError("Deze boeking is verwijderd en kan niet meer worden gewijzigd.")


def _check(actor, data: EntryData, entry: TimeEntry | None) -> None:
    today = local_today()
    if data.work_date > today:
        raise DomainError("Boek geen tijd op een dag die nog moet komen.", field="work_date")
    if data.work_date < today - timedelta(days=MAX_DAYS_BACK):
        raise DomainError(f"Die datum ligt meer dan {MAX_DAYS_BACK} dagen terug; controleer "
                          "de datum.", field="work_date")
    if not 0 < data.minutes <= MAX_MINUTES:
        raise DomainError("Een boeking duurt minstens 1 minuut en hoogstens 24 uur.",
                          field="duration")
    keep = entry.kind_id if entry is not None else None
    kind = active_kind(data.kind_id, keep=keep)
    if kind is None:
        raise DomainError("Kies een soort activiteit uit de lijst.", field="kind_id")
    if not kind.fits(team_time=data.client_id is None):
        raise DomainError(f"'{kind.name}' is {kind.scope_label.lower()}: kies een andere soort "
                          "of " + ("een cliënt." if kind.scope == "client" else "teamtijd."),
                          field="kind_id")
    if data.client_id is not None:
        client = db.session.get(Client, data.client_id)
        unchanged = entry is not None and entry.client_id == data.client_id
        if not unchanged and not can_book_client(actor, client):
            raise DomainError("Kies een cliënt uit de lijst, of teamtijd.", field="client")


def _reason(reason: str | None, late: bool) -> str | None:
    reason = (reason or "").strip() or None
    if late and reason is None:
        raise DomainError(REASON_NEEDED.format(days=edit_window_days()), field="reason")
    return reason


def _fields(data: EntryData) -> dict:
    note = (data.note or "").strip() or None
    return {"work_date": data.work_date, "minutes": data.minutes, "kind_id": data.kind_id,
            "client_id": data.client_id, "note": note}


def _described(entry: TimeEntry) -> dict:
    """What the history shows of an entry, in the words of the page."""
    db.session.refresh(entry, ["kind", "client"])
    return {"datum": entry.work_date.strftime("%d-%m-%Y"),
            "duur": format_duration(entry.minutes), "soort": entry.kind.name,
            "cliënt": entry.client.number if entry.client else "teamtijd",
            "notitie": entry.note or ""}


def _history(entry, actor, action: str, late: bool, reason, changes: dict) -> None:
    db.session.add(TimeEntryChange(entry_id=entry.id, action=action, by_id=actor.id,
                                   late=late, reason=reason, changes=changes))
