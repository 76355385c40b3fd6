"""Legal holds: the privacyfunctionaris keeps a client's data from erasure and destruction
while a complaint, a court case or an inspection needs it, with the reason, and lifts it."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.database import utcnow
from portal.extensions import db
from portal.privacy.models import LegalHold
from portal.privacy.requests import client_for_number
from portal.refusal import DomainError
from portal.transactions import service


@service
def place(actor, client_number: str, reason: str) -> LegalHold:
    client = client_for_number(client_number)
    if not reason.strip():
        raise DomainError("Schrijf waarom haar gegevens bewaard moeten blijven.", field="reason")
    hold = LegalHold(client_id=client.id, reason=reason.strip(), placed_by_id=actor.id)
    db.session.add(hold)
    db.session.flush()
    record("privacy.hold_placed", Action.CREATE, object_type="legal_hold", object_id=hold.id,
           client_id=client.id)
    db.session.commit()
    return hold


@service
def lift(hold: LegalHold, actor, reason: str) -> None:
    if hold.lifted_at is not None:
        raise DomainError("Deze bewaarplicht is al opgeheven.")
    if not reason.strip():
        raise DomainError("Schrijf waarom de bewaarplicht vervalt.", field="reason")
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = utcnow(), actor.id, reason.strip()
    record("privacy.hold_lifted", Action.UPDATE, object_type="legal_hold", object_id=hold.id,
           client_id=hold.client_id)
    db.session.commit()


def holds_query():
    """Standing holds first, the newest on top."""
    return select(LegalHold).order_by(LegalHold.lifted_at.is_not(None), LegalHold.id.desc())
