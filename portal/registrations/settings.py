"""The registration settings: modes, day-pass cap, default validity and reminder window.

The row is created on the beheerder's first save; until then the values come from config.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.audit.models import Action
from portal.audit.services import record
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations.lifecycle import RegistrationMode
from portal.registrations.models import RegistrationSettings
from portal.transactions import service

SETTINGS_ID = 1  # one row: two first saves at once collide on the key instead of doubling


def current() -> RegistrationSettings:
    row = db.session.get(RegistrationSettings, SETTINGS_ID)
    if row is not None:
        return row
    cfg = current_app.config
    modes = set(cfg["REGISTRATION_MODES"])
    return RegistrationSettings(
        id=SETTINGS_ID, personal_mode=RegistrationMode.PERSOONLIJK.value in modes,
        day_pass_mode=RegistrationMode.DAGPAS.value in modes,
        day_pass_max=cfg["DAY_PASS_MAX"], validity_months=cfg["REGISTRATION_VALIDITY_MONTHS"],
        reminder_days=cfg["REGISTRATION_REMINDER_DAYS"])


@dataclass(frozen=True)
class SettingsChange:
    personal_mode: bool
    day_pass_mode: bool
    day_pass_max: int
    validity_months: int
    reminder_days: int


@service
def update(actor, change: SettingsChange) -> RegistrationSettings:
    _check(change)
    row = db.session.get(RegistrationSettings, SETTINGS_ID, with_for_update=True) or current()
    before = _as_dict(row)
    for name, value in change.__dict__.items():
        setattr(row, name, value)
    row.updated_by_id = actor.id
    db.session.add(row)
    db.session.flush()
    record("registrations.settings_changed", Action.UPDATE, object_type="registration_settings",
           object_id=row.id, detail={"before": before, "after": _as_dict(row)})
    db.session.commit()
    return row


def _check(change: SettingsChange) -> None:
    if not (change.personal_mode or change.day_pass_mode):
        raise DomainError("Kies minstens één werkwijze: persoonlijke registraties, anonieme "
                          "dagpassen of beide.", field="personal_mode")
    if not 1 <= change.day_pass_max <= 500:
        raise DomainError("Het maximum aantal dagpassen per avond ligt tussen 1 en 500.",
                          field="day_pass_max")
    if not 1 <= change.validity_months <= 60:
        raise DomainError("De geldigheid ligt tussen 1 en 60 maanden.", field="validity_months")
    if not 1 <= change.reminder_days <= 365:
        raise DomainError("De herinneringstermijn ligt tussen 1 en 365 dagen.",
                          field="reminder_days")


def _as_dict(row: RegistrationSettings) -> dict:
    return {"personal_mode": row.personal_mode, "day_pass_mode": row.day_pass_mode,
            "day_pass_max": row.day_pass_max, "validity_months": row.validity_months,
            "reminder_days": row.reminder_days}
