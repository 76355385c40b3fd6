"""Dossier changes: clients, status lifecycle, trajecten and journaal; one audited commit each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import User
from portal.clients.lifecycle import (
    STATUS_TRANSITIONS,
    TRAJECT_TRANSITIONS,
    ClientStatus,
    TrajectKind,
    TrajectStatus,
)
from portal.clients.models import Client, JournalEntry, StatusChange, Traject
from portal.clock import local_today
from portal.database import utcnow
from portal.documents import services as document_services
from portal.extensions import db
from portal.refusal import DomainError
from portal.roles import Role
from portal.sequences import next_value
from portal.transactions import service

CLIENT_FIELDS = ("werknaam", "legal_name", "date_of_birth", "preferred_language", "phone",
                 "woonsituatie", "id_check_document", "id_check_date", "letters_to",
                 "postal_address", "salutation")


def next_client_number(year: int) -> str:
    """C-<year>-<nnnn>, gap-free per year."""
    return f"C-{year}-{next_value('client', year):04d}"


def _staff(user_ids, role: Role) -> list[User]:
    if not user_ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(user_ids))).all()
    if len(users) != len(set(user_ids)) or not all(u.active and u.has_role(role) for u in users):
        raise DomainError(f"Kies alleen actieve medewerkers met de rol {role.label.lower()}.")
    return list(users)


def apply_assignment(client: Client, casemanager_ids, ervaringsdeskundige_id) -> None:
    client.casemanagers = _staff(casemanager_ids, Role.CASEMANAGER)
    ed = _staff([ervaringsdeskundige_id] if ervaringsdeskundige_id else [],
                Role.ERVARINGSDESKUNDIGE)
    client.ervaringsdeskundige_id = ed[0].id if ed else None


@service
def create_client(actor: User, *, casemanager_ids=(), ervaringsdeskundige_id=None,
                  **fields) -> Client:
    client = add_client(actor, casemanager_ids=casemanager_ids,
                        ervaringsdeskundige_id=ervaringsdeskundige_id, **fields)
    db.session.commit()
    return client


@service
def add_client(actor: User, *, casemanager_ids=(), ervaringsdeskundige_id=None,
               **fields) -> Client:
    """Create a client inside the caller's transaction (the caller commits)."""
    client = Client(number=next_client_number(local_today().year),
                    status=ClientStatus.AANGEMELD.value)
    _set_fields(client, fields, actor)
    apply_assignment(client, casemanager_ids, ervaringsdeskundige_id)
    db.session.add(client)
    db.session.flush()
    db.session.add(StatusChange(client_id=client.id, from_status=None,
                                to_status=ClientStatus.AANGEMELD.value, changed_on=local_today(),
                                reason="Dossier aangemaakt", by_id=actor.id))
    record("clients.created", Action.CREATE, object_type="client", object_id=client.id,
           client_id=client.id)
    return client


def _set_fields(client: Client, fields: dict, actor: User) -> list[str]:
    changed = []
    for name in CLIENT_FIELDS:
        if name in fields and getattr(client, name) != fields[name]:
            setattr(client, name, fields[name])
            changed.append(name)
    if bool(client.id_check_document) != bool(client.id_check_date):
        raise DomainError("Vul bij een ID-controle zowel het soort document als de datum in.",
                          field="id_check_date")
    if "id_check_document" in changed or "id_check_date" in changed:
        client.id_check_by_id = actor.id if client.id_check_document else None
    return changed


@service
def update_client(client: Client, actor: User, *, casemanager_ids=None,
                  ervaringsdeskundige_id=None, **fields) -> None:
    """Change client data; the assignment only when the caller passes it (access decides)."""
    changed = _set_fields(client, fields, actor)
    before = ({u.id for u in client.casemanagers}, client.ervaringsdeskundige_id)
    if casemanager_ids is not None:
        apply_assignment(client, casemanager_ids, ervaringsdeskundige_id)
    if before != ({u.id for u in client.casemanagers}, client.ervaringsdeskundige_id):
        changed.append("toewijzing")
    record("clients.updated", Action.UPDATE, object_type="client", object_id=client.id,
           client_id=client.id, detail={"fields": changed})  # names only, never values
    db.session.commit()


@dataclass(frozen=True)
class StatusRequest:
    to_status: ClientStatus
    changed_on: date
    reason: str
    receiving_party: str | None = None
    warm_handover: bool | None = None


@service
def change_status(client: Client, actor: User, request: StatusRequest) -> StatusChange:
    current = client.status_enum
    _check_status_request(current, request)
    _check_not_before_last_change(client, request.changed_on)
    change = StatusChange(
        client_id=client.id, from_status=current.value, to_status=request.to_status.value,
        changed_on=request.changed_on, reason=request.reason.strip(), by_id=actor.id,
        receiving_party=(request.receiving_party or "").strip() or None,
        warm_handover=request.warm_handover if request.to_status.is_handover else None)
    client.status = request.to_status.value
    client.closed_at = request.changed_on if request.to_status == ClientStatus.AFGESLOTEN else None
    document_services.update_retention_for(client)
    db.session.add(change)
    record("clients.status_changed", Action.UPDATE, object_type="client", object_id=client.id,
           client_id=client.id, detail={"from": current.value, "to": request.to_status.value})
    db.session.commit()
    return change


def _check_not_before_last_change(client: Client, changed_on: date) -> None:
    """The history is read by date (the stand van zaken): a change dated before the one it
    follows would make the dossier's status on that day say something else than happened."""
    last = db.session.scalar(select(func.max(StatusChange.changed_on))
                             .where(StatusChange.client_id == client.id))
    if last is not None and changed_on < last:
        raise DomainError(f"De datum ligt vóór de vorige statuswijziging ({last:%d-%m-%Y}). "
                          "Kies die datum of later.", field="changed_on")


def _check_status_request(current: ClientStatus, request: StatusRequest) -> None:
    if request.to_status not in STATUS_TRANSITIONS[current]:
        raise DomainError(f"Van '{current.label}' kan de status niet naar "
                          f"'{request.to_status.label}'.", field="to_status")
    if not request.reason.strip():
        raise DomainError("Geef een reden voor de statuswijziging.", field="reason")
    if request.changed_on > local_today():
        raise DomainError("De datum van een statuswijziging ligt niet in de toekomst.",
                          field="changed_on")
    if request.to_status.is_handover:
        if not (request.receiving_party or "").strip():
            raise DomainError("Vul de ontvangende organisatie of gemeente in.",
                              field="receiving_party")
        if request.warm_handover is None:
            raise DomainError("Geef aan of er een warme overdracht was.", field="warm_handover")


@dataclass(frozen=True)
class TrajectRequest:
    kind: TrajectKind
    provider: str | None = None
    responsible_id: int | None = None
    diagnosticus_id: int | None = None
    start_date: date | None = None
    amount: Decimal | None = None
    purpose: str | None = None
    approved_by: str | None = None
    note: str | None = None


@service
def add_traject(client: Client, actor: User, request: TrajectRequest) -> Traject:
    _check_traject_request(request)
    traject = Traject(client_id=client.id, kind=request.kind.value,
                      status=TrajectStatus.VOORGESTELD.value, provider=request.provider,
                      responsible_id=request.responsible_id or actor.id,
                      diagnosticus_id=request.diagnosticus_id
                      if request.kind == TrajectKind.DIAGNOSTIEK else None,
                      start_date=request.start_date, note=request.note)
    if request.kind == TrajectKind.FLEXBUDGET:
        traject.amount, traject.purpose = request.amount, request.purpose
        traject.approved_by = request.approved_by
    db.session.add(traject)
    db.session.flush()
    record("clients.traject_created", Action.CREATE, object_type="traject", object_id=traject.id,
           client_id=client.id, detail={"kind": request.kind.value})
    db.session.commit()
    return traject


def _check_traject_request(request: TrajectRequest) -> None:
    if request.kind == TrajectKind.DIAGNOSTIEK:
        if not request.diagnosticus_id:
            raise DomainError("Kies de diagnosticus die de diagnostiek uitvoert.",
                              field="diagnosticus_id")
        _staff([request.diagnosticus_id], Role.DIAGNOSTICUS)
    if request.kind == TrajectKind.FLEXBUDGET:
        if request.amount is None or request.amount <= 0:
            raise DomainError("Vul een bedrag groter dan nul in.", field="amount")
        if not (request.purpose or "").strip():
            raise DomainError("Vul het doel van het flexbudget in.", field="purpose")
        if not (request.approved_by or "").strip():
            raise DomainError("Vul in wie het flexbudget heeft goedgekeurd.", field="approved_by")


@service
def change_traject_status(traject: Traject, to: TrajectStatus, on: date) -> None:
    current = TrajectStatus(traject.status)
    if to not in TRAJECT_TRANSITIONS[current]:
        raise DomainError(f"Een traject dat {current.label.lower()} is, kan niet naar "
                          f"'{to.label.lower()}'.")
    if on > local_today():
        raise DomainError("De datum van een statuswijziging ligt niet in de toekomst.")
    if to != TrajectStatus.LOPEND and traject.start_date and on < traject.start_date:
        raise DomainError("Een traject kan niet eindigen vóór de startdatum.")
    traject.status = to.value
    if to == TrajectStatus.LOPEND:
        traject.start_date = traject.start_date or on
    else:
        traject.end_date = on
    record("clients.traject_status_changed", Action.UPDATE, object_type="traject",
           object_id=traject.id, client_id=traject.client_id,
           detail={"from": current.value, "to": to.value})
    db.session.commit()


@service
def add_journal_entry(client: Client, author: User, *, entry_date: date, text: str,
                      confidential: bool) -> JournalEntry:
    if not text.strip():
        raise DomainError("Schrijf een notitie.", field="text")
    if entry_date > local_today():
        raise DomainError("De datum van een contact ligt niet in de toekomst.",
                          field="entry_date")
    entry = JournalEntry(client_id=client.id, author_id=author.id, entry_date=entry_date,
                         text=text.strip(), confidential=confidential)
    db.session.add(entry)
    db.session.flush()
    record("clients.journal_created", Action.CREATE, object_type="journal_entry",
           object_id=entry.id, client_id=client.id, detail={"confidential": confidential})
    db.session.commit()
    return entry


@service
def record_dossier_view(client: Client, sections, event: str = "clients.viewed") -> None:
    record(event, Action.READ, object_type="client", object_id=client.id,
           client_id=client.id, detail={"sections": sorted(sections)})
    db.session.commit()


def quiet_since(days: int = 30) -> date:
    return (utcnow() - timedelta(days=days)).date()
