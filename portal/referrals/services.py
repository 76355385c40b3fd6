"""Submitting, triaging, withdrawing aanmeldingen and turning one into a client dossier."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import User
from portal.clients import services as client_services
from portal.clients.models import Client
from portal.clock import local_today
from portal.database import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.referrals.models import Referral, ReferralKind, TriageOutcome
from portal.refusal import DomainError
from portal.transactions import service

OPEN, TRIAGED, WITHDRAWN = "open", "getrieerd", "ingetrokken"


def list_query(state: str = ""):
    query = (select(Referral).options(joinedload(Referral.submitted_by),
                                      joinedload(Referral.organisation))
             .order_by(Referral.received_on.desc(), Referral.id.desc()))
    if state == OPEN:
        query = query.where(Referral.triage_outcome.is_(None), Referral.withdrawn_at.is_(None))
    elif state == TRIAGED:
        query = query.where(Referral.triage_outcome.is_not(None))
    elif state == WITHDRAWN:
        query = query.where(Referral.withdrawn_at.is_not(None))
    return query


def own_query(user: User):
    return list_query().where(Referral.submitted_by_id == user.id)


def find_client_by_number(number: str) -> Client | None:
    return db.session.scalar(select(Client).where(Client.number == number.strip().upper()))


@service
def submit(actor: User, *, kind: ReferralKind, aanleiding: str, doel: str,
           partners_involved: str | None, werknaam: str | None,
           client: Client | None = None) -> Referral:
    referral = Referral(kind=kind.value, submitted_by_id=actor.id,
                        organisation_id=actor.organisation_id, received_on=local_today(),
                        aanleiding=aanleiding.strip(), doel=doel.strip(),
                        partners_involved=(partners_involved or "").strip() or None,
                        werknaam=(werknaam or "").strip() or None,
                        client_id=client.id if client else None)
    db.session.add(referral)
    db.session.flush()
    record("referrals.submitted", Action.CREATE, object_type="referral", object_id=referral.id,
           client_id=referral.client_id, detail={"kind": kind.value})
    db.session.commit()
    return referral


def _require_open(referral: Referral) -> None:
    """Lock the row (PostgreSQL) and check it is still open, so two triages cannot both win."""
    db.session.refresh(referral, with_for_update=True)
    if referral.withdrawn_at is not None:
        raise DomainError("Deze aanmelding is ingetrokken.")
    if referral.triage_outcome is not None:
        raise DomainError("Deze aanmelding is al getrieerd.")


@service
def triage(referral: Referral, actor: User, outcome: TriageOutcome, note: str) -> None:
    _require_open(referral)
    _apply_triage(referral, actor, outcome, note)
    db.session.commit()


def _apply_triage(referral: Referral, actor: User, outcome: TriageOutcome, note: str) -> None:
    referral.triage_outcome = outcome.value
    referral.triage_note = note.strip() or None
    referral.triaged_by_id, referral.triaged_at = actor.id, utcnow()
    record("referrals.triaged", Action.UPDATE, object_type="referral", object_id=referral.id,
           client_id=referral.client_id, detail={"outcome": outcome.value})


@service
def to_client(referral: Referral, actor: User, casemanager_ids=()) -> Client:
    """Open a dossier for the woman this aanmelding is about, assigned to the casemanager(s)
    who take her on, and mark it opgepakt. The dossier's intake section shows the
    aanmelding it came from (aanleiding, doel, referrer, partners involved)."""
    _require_open(referral)
    if not casemanager_ids:
        raise DomainError("Kies de casemanager(s) die haar oppakken.", field="casemanager_ids")
    if referral.client_id is not None:
        raise DomainError("Deze aanmelding hoort al bij een bestaand dossier.")
    if not referral.werknaam:
        raise DomainError("De aanmelding noemt geen werknaam of roepnaam; vul die eerst aan "
                          "bij het aanmaken van het dossier.")
    client = client_services.add_client(actor, werknaam=referral.werknaam,
                                        casemanager_ids=list(casemanager_ids))
    referral.client_id = client.id
    _apply_triage(referral, actor, TriageOutcome.OPGEPAKT, "Dossier aangemaakt")
    for user in client.casemanagers:
        notifications.notify(user.id, notifications.Kind.REFERRAL_ASSIGNED, client_id=client.id,
                             actor=actor)
    db.session.commit()  # client, link and triage together, or none of them
    return client


@service
def withdraw(referral: Referral, actor: User) -> None:
    _require_open(referral)
    referral.withdrawn_at = utcnow()
    referral.destroy_after = local_today() + timedelta(
        days=current_app.config["REFERRAL_RETENTION_DAYS"])
    record("referrals.withdrawn", Action.UPDATE, object_type="referral", object_id=referral.id,
           client_id=referral.client_id,
           detail={"destroy_after": referral.destroy_after.isoformat()})
    db.session.commit()


@service
def record_view(referral: Referral) -> None:
    record("referrals.viewed", Action.READ, object_type="referral", object_id=referral.id,
           client_id=referral.client_id)
    db.session.commit()


@service
def purge_withdrawn(today: date | None = None) -> int:
    """Destroy withdrawn aanmeldingen whose destruction date has passed; audited, one commit."""
    today = today or local_today()
    due = db.session.scalars(select(Referral).where(Referral.withdrawn_at.is_not(None),
                                                    Referral.destroy_after < today)).all()
    for referral in due:
        record("referrals.destroyed", Action.DELETE, object_type="referral",
               object_id=referral.id, client_id=referral.client_id, user=None)
        db.session.delete(referral)
    db.session.commit()
    return len(due)
