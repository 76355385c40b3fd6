"""The AVG requests register: registering a request, extending its term once, the
casemanager's contribution and the decision. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.models import Client
from portal.clock import add_months, local_today
from portal.extensions import db
from portal.privacy.models import AvgRequest, Decision, RequestKind, RequestStatus
from portal.refusal import DomainError
from portal.transactions import service

TERM_MONTHS = 1  # art. 12(3) AVG: within one month of receipt
MAX_EXTENSION_MONTHS = 2  # extendable by two further months, with a reason
CHANNELS = ("mondeling", "schriftelijk", "e-mail", "via de casemanager")


@dataclass(frozen=True)
class NewRequest:
    client_number: str
    kind: RequestKind
    received_on: date
    received_via: str
    description: str


def client_for_number(number: str) -> Client:
    client = db.session.scalar(select(Client).where(Client.number == number.strip().upper()))
    if client is None:
        raise DomainError(f"Er is geen cliënt met nummer “{number.strip()}”.",
                          field="client_number")
    return client


@service
def register(actor, new: NewRequest) -> AvgRequest:
    client = client_for_number(new.client_number)
    if new.received_on > local_today():
        raise DomainError("De datum van ontvangst ligt niet in de toekomst.", field="received_on")
    if new.received_via not in CHANNELS:
        raise DomainError("Kies hoe het verzoek binnenkwam.", field="received_via")
    row = AvgRequest(client_id=client.id, client_number=client.number, kind=new.kind.value,
                     received_on=new.received_on, received_via=new.received_via,
                     description=new.description.strip(),
                     deadline=add_months(new.received_on, TERM_MONTHS),
                     status=RequestStatus.ONTVANGEN.value, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    _audit("privacy.request_registered", Action.CREATE, row, kind=row.kind)
    db.session.commit()
    return row


@service
def extend(row: AvgRequest, until: date, reason: str) -> None:
    _still_open(row)
    if row.extended_until is not None:
        raise DomainError("De termijn is al verlengd; dat kan één keer.", field="until")
    if local_today() > row.deadline:
        raise DomainError("De termijn is al verstreken; verlengen moest daarvoor.", field="until")
    latest = add_months(row.deadline, MAX_EXTENSION_MONTHS)
    if not row.deadline < until <= latest:
        raise DomainError(f"Kies een nieuwe termijn na {row.deadline:%d-%m-%Y} en uiterlijk "
                          f"{latest:%d-%m-%Y} (twee maanden extra).", field="until")
    if not reason.strip():
        raise DomainError("Schrijf waarom de termijn wordt verlengd; de cliënt krijgt die "
                          "reden binnen de eerste maand te horen.", field="reason")
    row.extended_until, row.extension_reason = until, reason.strip()
    _audit("privacy.request_extended", Action.UPDATE, row, until=until.isoformat())
    db.session.commit()


@service
def start(row: AvgRequest) -> None:
    if row.status != RequestStatus.ONTVANGEN.value:
        raise DomainError("Dit verzoek is al in behandeling genomen.")
    row.status = RequestStatus.IN_BEHANDELING.value
    _audit("privacy.request_started", Action.UPDATE, row)
    db.session.commit()


@service
def contribute(row: AvgRequest, actor, note: str) -> None:
    """The casemanager's part: what she knows of the request and of the woman's wishes."""
    _still_open(row)
    if not note.strip():
        raise DomainError("Schrijf uw bijdrage.", field="note")
    row.casemanager_note, row.casemanager_id = note.strip(), actor.id
    _audit("privacy.request_contributed", Action.UPDATE, row)
    db.session.commit()


@service
def decide(row: AvgRequest, actor, decision: Decision, motivation: str, on: date) -> None:
    _still_open(row)
    if not motivation.strip():
        raise DomainError("Motiveer het besluit; de cliënt heeft recht op die motivering.",
                          field="motivation")
    if on > local_today() or on < row.received_on:
        raise DomainError("De datum van het besluit ligt tussen de ontvangst en vandaag.",
                          field="decided_on")
    row.decision, row.motivation, row.decided_on = decision.value, motivation.strip(), on
    row.decided_by_id, row.status = actor.id, RequestStatus.AFGEHANDELD.value
    _audit("privacy.request_decided", Action.UPDATE, row, decision=decision.value,
           late=on > row.due_on)
    db.session.commit()


def _still_open(row: AvgRequest) -> None:
    if row.status == RequestStatus.AFGEHANDELD.value:
        raise DomainError("Dit verzoek is afgehandeld en verandert niet meer.")


def _audit(event: str, action: Action, row: AvgRequest, **detail) -> None:
    record(event, action, object_type="avg_request", object_id=row.id,
           client_id=row.client_id, detail=detail)


def register_query(*, status: str = "", kind: str = "", overdue: bool = False,
                   client_ids: Select | None = None) -> Select:
    """The register, the nearest deadline first; open requests before handled ones."""
    query = select(AvgRequest)
    if status:
        query = query.where(AvgRequest.status == status)
    if kind:
        query = query.where(AvgRequest.kind == kind)
    if overdue:
        query = query.where(AvgRequest.status != RequestStatus.AFGEHANDELD.value,
                            db.func.coalesce(AvgRequest.extended_until, AvgRequest.deadline)
                            < local_today())
    if client_ids is not None:
        query = query.where(AvgRequest.client_id.in_(client_ids))
    done_last = (AvgRequest.status == RequestStatus.AFGEHANDELD.value)
    return query.order_by(done_last, db.func.coalesce(AvgRequest.extended_until,
                                                      AvgRequest.deadline), AvgRequest.id)
