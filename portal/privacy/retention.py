"""The retention run: every month a destruction list of what is past its retention —
dossiers 15 years after closing, diagnostics reports 20 years after their last change,
finished registrations after their configured term, audit events after the configured
minimum (at least five years). The privacyfunctionaris holds items (with a reason; for a
client that is a legal hold) and approves the rest; executing the list destroys exactly the
approved items that are still due, each the way erasure destroys, with a destruction record.

Withdrawn aanmeldingen are not on the list: the daily purge already destroys them six weeks
after their withdrawal (`portal.referrals.services.purge_withdrawn`), without a decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import delete, exists, func, select

from portal.audit.models import Action, AuditCheckpoint, AuditEvent
from portal.audit.services import CHECKPOINT_EVENT, latest_checkpoint, record
from portal.clients.models import Client
from portal.clock import AMSTERDAM, add_months, local_today
from portal.database import utcnow
from portal.documents.models import Document
from portal.extensions import db
from portal.privacy import erasure
from portal.privacy.models import (
    DestructionItem,
    DestructionList,
    DestructionRecord,
    LegalHold,
)
from portal.refusal import DomainError
from portal.registrations.models import Registration
from portal.transactions import service

MINIMUM_AUDIT_YEARS = 5
CATEGORY_LABELS = {"dossier": "Dossier", "diagnostiek": "Diagnostiekrapport",
                   "registratie": "Registratie", "audit": "Auditgebeurtenissen"}


@dataclass(frozen=True)
class Due:
    category: str
    root_table: str
    root_id: int
    client_number: str | None
    due_since: date
    description: str


def audit_years() -> int:
    return max(MINIMUM_AUDIT_YEARS, current_app.config["AUDIT_RETENTION_YEARS"])


def _years_before(today: date, years: int) -> date:
    return add_months(today, -12 * years)


def _held_clients():
    return select(LegalHold.client_id).where(LegalHold.lifted_at.is_(None))


def due_dossiers(today: date) -> list[Due]:
    """Closed dossiers past their term, with nothing in them that must be kept longer."""
    years = current_app.config["RETENTION_DOSSIER_YEARS"]
    kept_document = exists().where(Document.client_id == Client.id,
                                   Document.deleted_at.is_(None),
                                   Document.retention_until >= today)
    rows = db.session.scalars(select(Client).where(
        Client.closed_at.is_not(None), Client.closed_at < _years_before(today, years),
        Client.id.not_in(_held_clients()), ~kept_document).order_by(Client.closed_at))
    return [Due("dossier", "clients", client.id, client.number,
                add_months(client.closed_at, 12 * years),
                f"Dossier gesloten op {client.closed_at:%d-%m-%Y}")
            for client in rows if not erasure.refusals(client)]


def due_reports(today: date, whole: set[int]) -> list[Due]:
    rows = db.session.execute(select(Document, Client.number).join(Client).where(
        Document.kind == "diagnostiekrapport", Document.deleted_at.is_(None),
        Document.retention_until < today, Document.client_id.not_in(_held_clients()))
        .order_by(Document.retention_until))
    return [Due("diagnostiek", "documents", document.id, number, document.retention_until,
                f"Diagnostiekrapport, laatst gewijzigd {document.changed_at:%d-%m-%Y}")
            for document, number in rows if document.client_id not in whole]


def due_registrations(today: date, whole: set[int]) -> list[Due]:
    years = current_app.config["REGISTRATION_RETENTION_YEARS"]
    found = []
    for registration, number in db.session.execute(
            select(Registration, Client.number).join(Client, Client.id == Registration.client_id)
            .where(Registration.client_id.not_in(_held_clients())).order_by(Registration.id)):
        if registration.client_id in whole or erasure.registration_ground(
                registration, today, years):
            continue
        ended = erasure.registration_end(registration)
        found.append(Due("registratie", "registrations", registration.id, number,
                         add_months(ended, 12 * years),
                         f"Registratie {registration.number}, beëindigd {ended:%d-%m-%Y}"))
    return found


def due_audit(today: date) -> list[Due]:
    """One item: every event older than the audit term that no checkpoint covers yet."""
    cutoff = datetime.combine(_years_before(today, audit_years()), time(), tzinfo=AMSTERDAM)
    newest = db.session.scalar(select(func.max(AuditEvent.seq)).where(
        AuditEvent.occurred_at < cutoff))
    checkpoint = latest_checkpoint()
    if newest is None or (checkpoint is not None and newest <= checkpoint.seq):
        return []
    return [Due("audit", "audit_events", newest, None, cutoff.date(),
                f"Auditgebeurtenissen tot en met nr. {newest} (van vóór {cutoff:%d-%m-%Y})")]


def everything_due(today: date) -> list[Due]:
    dossiers = due_dossiers(today)
    whole = {item.root_id for item in dossiers}
    return (dossiers + due_reports(today, whole) + due_registrations(today, whole)
            + due_audit(today))


@service
def propose(today: date | None = None) -> DestructionList | None:
    """The month's list (once per month); None when it exists or nothing is due."""
    today = today or local_today()
    month = today.replace(day=1)
    if db.session.scalar(select(DestructionList).where(DestructionList.month == month)):
        return None
    due = everything_due(today)
    if not due:
        return None
    proposal = DestructionList(month=month, items=[DestructionItem(
        category=d.category, root_table=d.root_table, root_id=d.root_id,
        client_number=d.client_number, due_since=d.due_since, description=d.description)
        for d in due])
    db.session.add(proposal)
    db.session.flush()
    record("privacy.destruction_proposed", Action.CREATE, object_type="destruction_list",
           object_id=proposal.id, detail={"items": len(due)})
    db.session.commit()
    return proposal


@service
def hold(item: DestructionItem, actor, reason: str) -> None:
    """Keep this item; for a client's data that is a legal hold on her, with the reason."""
    _open(item.destruction_list)
    if not reason.strip():
        raise DomainError("Schrijf waarom dit bewaard moet blijven.", field="reason")
    if item.state != "voorgesteld":
        raise DomainError("Dit onderdeel is al aangehouden.")
    item.state, item.reason = "aangehouden", reason.strip()
    client_id = _client_id(item)
    if client_id is not None:
        db.session.add(LegalHold(client_id=client_id, reason=reason.strip(),
                                 placed_by_id=actor.id))
    record("privacy.destruction_item_held", Action.UPDATE, object_type="destruction_list",
           object_id=item.list_id, client_id=client_id, detail={"item": item.id})
    db.session.commit()


def _open(proposal: DestructionList) -> None:
    if proposal.executed_at is not None:
        raise DomainError("Deze lijst is al uitgevoerd en verandert niet meer.")


def _client_id(item: DestructionItem) -> int | None:
    model = {"clients": Client, "documents": Document, "registrations": Registration}.get(
        item.root_table)
    row = db.session.get(model, item.root_id) if model else None
    return None if row is None else (row.id if model is Client else row.client_id)


@service
def execute(proposal: DestructionList, actor, today: date | None = None) -> list[str]:
    """Destroy the approved items that are still due; the others are skipped with the reason.
    Files go after the commit. Returns the files' keys that were deleted."""
    _open(proposal)
    today = today or local_today()
    due = everything_due(today)
    files: list[tuple[str, str]] = []
    for item in proposal.items:
        if item.state != "voorgesteld":
            continue
        if not _still_due(item, due):
            item.state, item.reason = "overgeslagen", "Niet meer voorbij de bewaartermijn, " \
                "of er geldt nu een bewaarplicht."
            continue
        files += _destroy(item, actor)
    proposal.executed_at, proposal.executed_by_id = utcnow(), actor.id
    record("privacy.destruction_executed", Action.DELETE, object_type="destruction_list",
           object_id=proposal.id, detail={
               "destroyed": sum(i.state == "vernietigd" for i in proposal.items)})
    db.session.commit()
    erasure.delete_files(files)
    return [key for key, _sha in files]


def _still_due(item: DestructionItem, due: list[Due]) -> bool:
    """Due now as when proposed (audit events: the proposed ones are still old enough)."""
    if item.category == "audit":
        return any(d.category == "audit" and d.root_id >= item.root_id for d in due)
    return any((d.root_table, d.root_id) == (item.root_table, item.root_id) for d in due)


def _destroy(item: DestructionItem, actor) -> list[tuple[str, str]]:
    if item.category == "audit":
        _destroy_audit(item, actor)
        return []
    client = db.session.get(Client, item.root_id) if item.root_table == "clients" else None
    plan = erasure.rows_from(item.root_table, {item.root_id}, client=client)
    erasure.destroy_rows(plan)
    destruction = DestructionRecord(ground="bewaartermijn", client_number=item.client_number,
                                    counts=plan.counts,
                                    file_hashes=[sha for _key, sha in plan.files],
                                    approved_by_id=actor.id)
    db.session.add(destruction)
    db.session.flush()
    item.state, item.destruction_record_id = "vernietigd", destruction.id
    return plan.files


def _destroy_audit(item: DestructionItem, actor) -> None:
    """A checkpoint at the newest destroyed event, recorded in the chain itself, then the
    events it covers (the database lets only covered events go)."""
    last = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == item.root_id))
    destroyed = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.seq <= last.seq))
    db.session.add(AuditCheckpoint(seq=last.seq, hash=last.hash, destroyed=destroyed,
                                   approved_by_id=actor.id))
    db.session.flush()
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq <= last.seq))
    destruction = DestructionRecord(ground="bewaartermijn", counts={"auditgebeurtenissen":
                                                                    destroyed},
                                    file_hashes=[], approved_by_id=actor.id)
    db.session.add(destruction)
    db.session.flush()
    record(CHECKPOINT_EVENT, Action.DELETE, object_type="destruction_record",
           object_id=destruction.id, detail={"seq": last.seq, "hash": last.hash,
                                             "destroyed": destroyed})
    item.state, item.destruction_record_id = "vernietigd", destruction.id
