"""Anonymous day passes: the number handed out per evening, capped, without personal data."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit.models import Action
from portal.audit.services import record
from portal.clock import local_now, local_today
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations import settings
from portal.registrations.models import DayPassEvening
from portal.transactions import service

EVENING_ENDS_AT = 6  # hour (Amsterdam) until which a night still belongs to the evening before


@service
def record_evening(actor, evening: date, passes: int) -> DayPassEvening:
    """Set the number of passes handed out on an evening (a correction replaces the number)."""
    current = settings.current()
    if not current.day_pass_mode:
        raise DomainError("Anonieme dagpassen staan uit; de beheerder kan ze aanzetten bij de "
                          "registratie-instellingen.")
    if evening is None or evening > local_today():
        raise DomainError("Kies een avond die al is geweest of vandaag.", field="evening")
    if passes is None or passes < 0:
        raise DomainError("Vul een aantal van nul of meer in.", field="passes")
    if passes > current.day_pass_max:
        raise DomainError(f"Per avond mogen hoogstens {current.day_pass_max} dagpassen worden "
                          "uitgereikt.", field="passes")
    row, created = _evening_row(evening, actor)
    before = None if created else row.passes
    row.passes, row.updated_by_id = passes, actor.id
    db.session.flush()
    record("registrations.day_passes_recorded", Action.CREATE if created else Action.UPDATE,
           object_type="day_pass_evening", object_id=row.id,
           detail={"evening": evening.isoformat(), "before": before, "after": passes})
    db.session.commit()
    return row


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
