"""What every registration change shares: its history entry, its audit event, the row lock,
the checks on dates, and numbering and default validity."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.clock import add_months, local_today
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations import settings
from portal.registrations.lifecycle import RegistrationStatus as S
from portal.registrations.models import Registration, RegistrationEvent
from portal.sequences import next_value


def default_valid_until(valid_from: date) -> date:
    """The last valid day: the day before the same day `validity_months` later; when that
    month is shorter (31 Jan + 1 month), its last day (28/29 Feb)."""
    same_day_later = add_months(valid_from, settings.current().validity_months)
    if same_day_later.day != valid_from.day:  # clamped to the month's last day
        return same_day_later
    return same_day_later - timedelta(days=1)


def next_registration_number(year: int) -> str:
    number = next_value("registratie", year)
    return current_app.config["REGISTRATION_NUMBER_FORMAT"].format(year=year, number=number)


def check_personal_mode() -> None:
    if not settings.current().personal_mode:
        raise DomainError("Persoonlijke registraties staan uit; de beheerder kan ze aanzetten "
                          "bij de registratie-instellingen.")


def not_future(day: date | None, field: str, what: str) -> None:
    if day is None:
        raise DomainError(f"Vul de {what} in.", field=field)
    if day > local_today():
        raise DomainError(f"De {what} ligt niet in de toekomst.", field=field)


def log_event(registration: Registration, actor, event: str, on: date, description: str, *,
              to_status: S | None = None, from_status: S | None = None,
              reason_code: str | None = None) -> RegistrationEvent:
    entry = RegistrationEvent(
        event=event, on_date=on, description=description, by_id=actor.id if actor else None,
        to_status=to_status.value if to_status else None,
        from_status=from_status.value if from_status else None, reason_code=reason_code)
    registration.events.append(entry)
    return entry


def audit(event: str, action: Action, registration: Registration,
          detail: dict | None = None) -> None:
    db.session.flush()
    record(f"registrations.{event}", action, object_type="registration",
           object_id=registration.id, client_id=registration.client_id,
           detail={"number": registration.number, **(detail or {})})


def locked(registration: Registration) -> Registration:
    """Re-read the row under a lock so two users cannot both move it (PostgreSQL; SQLite
    serialises writers already)."""
    return db.session.scalar(select(Registration).where(Registration.id == registration.id)
                             .with_for_update().execution_options(populate_existing=True))
