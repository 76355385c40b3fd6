"""Anonymous day passes: the number handed out per evening, capped, without personal data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import User
from portal.clock import local_now, local_today
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations import settings
from portal.registrations.models import DayPassEvening
from portal.transactions import service

EVENING_ENDS_AT = 6  # hour (Amsterdam) until which a night still belongs to the evening before


class EntryMode(StrEnum):
    ADD = "optellen"
    REPLACE = "vervangen"


class DayPassEntry(db.Model):
    """One entry for an evening: what was typed, whether it was added or replaced the count,
    and the evening's total after it. The evening's history keeps every entry."""

    __tablename__ = "day_pass_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    evening_id: Mapped[int] = mapped_column(ForeignKey("day_pass_evenings.id",
                                                       ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(12))
    entered: Mapped[int] = mapped_column(Integer)
    total_after: Mapped[int] = mapped_column(Integer)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User] = relationship()
    evening: Mapped[DayPassEvening] = relationship()

    @property
    def mode_label(self) -> str:
        return {"optellen": "Opgeteld", "vervangen": "Vervangen", "eerste": "Eerste invoer"}[
            self.mode]


FIRST = "eerste"


def _new_total(row: DayPassEvening, created: bool, passes: int, mode: EntryMode | None) -> int:
    if created:
        return passes
    if mode is None:
        raise DomainError(f"Voor deze avond zijn al {row.passes} dagpassen vastgelegd. Kies of "
                          "u dit aantal optelt bij het eerdere aantal of het eerdere aantal "
                          "vervangt.", field="mode")
    return row.passes + passes if mode == EntryMode.ADD else passes


@service
def record_evening(actor, evening: date, passes: int,
                   mode: EntryMode | None = None) -> DayPassEvening:
    """Record the passes handed out on an evening. A second entry for the same evening says
    whether it adds to or replaces the earlier count; both entries stay in its history."""
    current = settings.current()
    if not current.day_pass_mode:
        raise DomainError("Anonieme dagpassen staan uit; de beheerder kan ze aanzetten bij de "
                          "registratie-instellingen.")
    if evening is None or evening > local_today():
        raise DomainError("Kies een avond die al is geweest of vandaag.", field="evening")
    if passes is None or passes < 0:
        raise DomainError("Vul een aantal van nul of meer in.", field="passes")
    row, created = _evening_row(evening, actor)
    total = _new_total(row, created, passes, mode)
    if total > current.day_pass_max:
        raise DomainError(f"Per avond mogen hoogstens {current.day_pass_max} dagpassen worden "
                          "uitgereikt.", field="passes")
    before = None if created else row.passes
    row.passes, row.updated_by_id = total, actor.id
    db.session.flush()
    db.session.add(DayPassEntry(evening_id=row.id, entered=passes, total_after=total,
                                mode=FIRST if created else mode.value, by_id=actor.id))
    record("registrations.day_passes_recorded", Action.CREATE if created else Action.UPDATE,
           object_type="day_pass_evening", object_id=row.id,
           detail={"evening": evening.isoformat(), "before": before, "after": total,
                   "mode": FIRST if created else mode.value})
    db.session.commit()
    return row


def entries_between(start: date, end: date) -> list[DayPassEntry]:
    """Every entry for the evenings in the period, newest evening and entry first."""
    return db.session.scalars(
        select(DayPassEntry).join(DayPassEvening, DayPassEvening.id == DayPassEntry.evening_id)
        .where(DayPassEvening.evening >= start, DayPassEvening.evening <= end)
        .options(selectinload(DayPassEntry.by), selectinload(DayPassEntry.evening))
        .order_by(DayPassEvening.evening.desc(), DayPassEntry.id.desc())).all()


def evenings_between(start: date, end: date) -> list[DayPassEvening]:
    return db.session.scalars(select(DayPassEvening).where(
        DayPassEvening.evening >= start, DayPassEvening.evening <= end)
        .order_by(DayPassEvening.evening.desc())).all()


def _evening_row(evening: date, actor) -> tuple[DayPassEvening, bool]:
    """The evening's row, locked, and whether it is new. Two first entries at the same
    moment: the second one's insert fails on the unique evening, so it locks the first one's
    row instead (a savepoint keeps the rest of the transaction)."""
    locked = select(DayPassEvening).where(DayPassEvening.evening == evening).with_for_update()
    row = db.session.scalar(locked)
    if row is not None:
        return row, False
    try:
        with db.session.begin_nested():
            row = DayPassEvening(evening=evening, passes=0, updated_by_id=actor.id)
            db.session.add(row)
        return row, True
    except IntegrityError:
        return db.session.scalar(locked), False


def default_evening() -> date:
    """Tonight; until 06:00 the night shift is still recording yesterday evening."""
    now = local_now()
    return now.date() - timedelta(days=1) if now.hour < EVENING_ENDS_AT else now.date()
