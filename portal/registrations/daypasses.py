"""Anonymous day passes: the number handed out per evening, capped, without personal data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.clock import local_today
from portal.errors import DomainError
from portal.extensions import db
from portal.registrations import settings
from portal.registrations.models import DayPassEvening


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
    row = db.session.scalar(select(DayPassEvening).where(DayPassEvening.evening == evening)
                            .with_for_update())
    before = row.passes if row else None
    if row is None:
        row = DayPassEvening(evening=evening, passes=passes, updated_by_id=actor.id)
        db.session.add(row)
    row.passes, row.updated_by_id = passes, actor.id
    db.session.flush()
    record("registrations.day_passes_recorded", Action.UPDATE if before is not None
           else Action.CREATE, object_type="day_pass_evening", object_id=row.id,
           detail={"evening": evening.isoformat(), "before": before, "after": passes})
    db.session.commit()
    return row


def evenings_between(start: date, end: date) -> list[DayPassEvening]:
    return db.session.scalars(select(DayPassEvening).where(
        DayPassEvening.evening >= start, DayPassEvening.evening <= end)
        .order_by(DayPassEvening.evening.desc())).all()
