"""Targets per organisation and period, set by the procesregisseur: subsidised hours of
casemanagement per week and expected hours per client per week. Periods of one organisation
never overlap, so every day has at most one target; every change is audited with before and
after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import Organisation
from portal.extensions import db
from portal.hours.models import HourTarget
from portal.refusal import DomainError
from portal.roles import OrganisationKind
from portal.transactions import service

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)


@dataclass(frozen=True)
class TargetData:
    organisation_id: int | None
    valid_from: date
    valid_until: date | None
    weekly_hours: Decimal
    hours_per_client: Decimal
    note: str | None = None


def all_targets() -> list[HourTarget]:
    return list(db.session.scalars(select(HourTarget).join(HourTarget.organisation).order_by(
        Organisation.name, HourTarget.valid_from)).unique())


def care_providers() -> list[Organisation]:
    """The organisations a target can be for: the zorgaanbieders of the team."""
    return list(db.session.scalars(select(Organisation).where(
        Organisation.kind == OrganisationKind.ZORGAANBIEDER.value).order_by(Organisation.name)))


@service
def save_target(actor, target: HourTarget | None, data: TargetData) -> HourTarget:
    organisation = db.session.get(Organisation, data.organisation_id or 0)
    if organisation is None or organisation.kind != OrganisationKind.ZORGAANBIEDER.value:
        raise DomainError("Kies een zorgaanbieder.", field="organisation_id")
    for name in ("valid_from", "valid_until"):
        day = getattr(data, name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise DomainError("Vul een datum tussen 2000 en 2199 in.", field=name)
    if data.valid_until is not None and data.valid_until < data.valid_from:
        raise DomainError("De einddatum ligt voor de begindatum.", field="valid_until")
    _no_overlap(target, data)
    before = _described(target) if target is not None else None
    if target is None:
        target = HourTarget(created_by_id=actor.id)
        db.session.add(target)
    target.organisation_id = organisation.id
    target.valid_from, target.valid_until = data.valid_from, data.valid_until
    target.weekly_hours, target.hours_per_client = data.weekly_hours, data.hours_per_client
    target.note = (data.note or "").strip() or None
    db.session.flush()
    record("hours.target_" + ("changed" if before else "added"),
           Action.UPDATE if before else Action.CREATE, object_type="hour_target",
           object_id=target.id, user=actor,
           detail={"before": before, "after": _described(target)})
    db.session.commit()
    return target


def _no_overlap(target, data: TargetData) -> None:
    query = select(HourTarget).where(HourTarget.organisation_id == data.organisation_id)
    if target is not None:
        query = query.where(HourTarget.id != target.id)
    for other in db.session.scalars(query).unique():
        other_end = other.valid_until or date.max
        end = data.valid_until or date.max
        if other.valid_from <= end and data.valid_from <= other_end:
            until = other.valid_until.strftime("%d-%m-%Y") if other.valid_until else "open"
            raise DomainError("Deze periode overlapt met de norm van "
                              f"{other.valid_from.strftime('%d-%m-%Y')} tot {until}; laat die "
                              "eerst eindigen.", field="valid_from")


def _described(target: HourTarget) -> dict:
    return {"organisation_id": target.organisation_id,
            "valid_from": target.valid_from.isoformat(),
            "valid_until": target.valid_until.isoformat() if target.valid_until else None,
            "weekly_hours": str(target.weekly_hours),
            "hours_per_client": str(target.hours_per_client)}
