"""Erasure of one client's data (art. 17 AVG): every row that hangs off her dossier, found
through the schema's foreign keys so that a new table cannot be forgotten, her files in the
file store, her text in the search index and her letters in the outbox. What stays is a
destruction record without content, the audit trail (art. 17(3)(b) AVG with NEN 7513: who
saw what stays accountable) and the register's line that her request was handled.

The database part is one transaction; files are deleted only after it committed, so a crash
in between leaves orphan files that `check-storage` reports, never a row without its file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import Table, cast, delete, select, text, tuple_, update
from sqlalchemy.types import String

from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.models import Client
from portal.clock import add_months, local_today
from portal.documents import storage
from portal.extensions import db
from portal.letters.models import OutboxMessage
from portal.privacy.models import (
    AvgRequest,
    Decision,
    DestructionRecord,
    LegalHold,
    RequestStatus,
)
from portal.refusal import DomainError
from portal.registrations.lifecycle import RegistrationStatus
from portal.registrations.models import Registration
from portal.transactions import service

log = logging.getLogger(__name__)

ERASED = "(gewist)"
# Tables that point at a client but keep their rows, the link cleared: the hours a
# casemanager worked are hers and the subsidy's, not the woman's (the note goes with the link).
UNLINKED = {"time_entries": {"client_id": None, "note": None}}
# Foreign keys that name a neighbour rather than an owner: destroying the row they point at
# clears them. A renewal keeps existing when the registration it renewed is destroyed.
REFERENCES = {("registrations", "previous_id")}
TABLE_LABELS = {
    "clients": "dossier", "journal_entries": "journaalregels", "trajecten": "trajecten",
    "status_changes": "statuswijzigingen", "documents": "documenten",
    "document_versions": "documentversies", "document_texts": "teksten in de zoekindex",
    "letters": "brieven", "outbox_messages": "e-mails in de verzendwachtrij",
    "registrations": "registraties", "registration_events": "registratiegebeurtenissen",
    "registration_intakes": "registratie-intakes", "referrals": "aanmeldingen",
    "notifications": "meldingen", "plan_versions": "plannen van aanpak",
    "zrm_assessments": "ZRM-metingen", "assignment_changes": "toewijzingswijzigingen",
    "client_casemanagers": "toewijzingen", "time_entries": "urenboekingen (ontkoppeld)",
    "legal_holds": "bewaarplichten",
}
FINISHED = {RegistrationStatus.AFGEWEZEN, RegistrationStatus.VERLOPEN,
            RegistrationStatus.INGETROKKEN, RegistrationStatus.VERVALLEN}


@dataclass
class ErasurePlan:
    """What erasing this client would destroy, per table, and what stands in the way."""

    client: Client | None  # None: a part of a dossier (a report, a registration)
    rows: dict[str, set] = field(default_factory=dict)  # table name: primary keys
    cleared: list[tuple] = field(default_factory=list)  # (column, keys it pointed at)
    files: list[tuple[str, str]] = field(default_factory=list)  # (storage key, sha256)
    refusals: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per kind in Dutch, the dossier first, then alphabetically."""
        counts = {TABLE_LABELS.get(name, name): len(keys)
                  for name, keys in self.rows.items() if keys}
        return dict(sorted(counts.items(), key=lambda item: (item[0] != "dossier", item[0])))


def plan(client: Client) -> ErasurePlan:
    """Everything of hers, and what stands in the way."""
    result = rows_from("clients", {client.id}, client=client)
    result.refusals = refusals(client)
    return result


def rows_from(table_name: str, keys: set, client: Client | None = None) -> ErasurePlan:
    """These rows with every row that hangs off them, and their files."""
    result = ErasurePlan(client=client)
    _collect(result, db.metadata.tables[table_name], set(keys))
    result.files = _files(result.rows)
    return result


def refusals(client: Client) -> list[str]:
    """The legal grounds that keep her data, each as the sentence for the decision."""
    today = local_today()
    grounds = [f"Er geldt een bewaarplicht: {hold.reason}" for hold in db.session.scalars(
        select(LegalHold).where(LegalHold.client_id == client.id,
                                LegalHold.lifted_at.is_(None)).order_by(LegalHold.id))]
    years = current_app.config["REGISTRATION_RETENTION_YEARS"]
    for registration in db.session.scalars(select(Registration).where(
            Registration.client_id == client.id).order_by(Registration.id)):
        grounds += registration_ground(registration, today, years)
    return grounds


def registration_end(registration: Registration) -> date:
    return (registration.ended_on or registration.valid_until or registration.decided_on
            or registration.requested_on)


def registration_ground(registration: Registration, today: date, years: int) -> list[str]:
    """Why this registration must still be kept (empty once its term has passed)."""
    if registration.status_enum not in FINISHED:
        return [f"Registratie {registration.number} loopt nog "
                f"({registration.status_enum.label.lower()}); de gemeente bewaart die gegevens "
                f"zolang de registratie loopt en daarna {years} jaar."]
    ended = registration_end(registration)
    kept_until = add_months(ended, 12 * years)
    if kept_until > today:
        return [f"Registratie {registration.number} is beëindigd op {ended:%d-%m-%Y}; de "
                f"gemeente bewaart die gegevens tot en met {kept_until:%d-%m-%Y}."]
    return []


def _referencing(table: Table):
    """(child table, foreign key) for every foreign key in the schema that points at table."""
    for child in db.metadata.sorted_tables:
        for foreign_key in child.foreign_keys:
            if foreign_key.column.table is table:
                yield child, foreign_key


def _collect(result: ErasurePlan, table: Table, keys: set) -> None:
    """Add these rows and, depth first, every row whose foreign key points at one of them."""
    fresh = keys - result.rows.setdefault(table.name, set())
    if not fresh:
        return
    result.rows[table.name] |= fresh
    for child, foreign_key in _referencing(table):
        if foreign_key.ondelete == "SET NULL":
            continue  # the row stays (the AVG register); the database clears the link
        if foreign_key.column is not _primary_key(table):
            raise RuntimeError(f"erasure cannot follow {foreign_key}: teach it this table")
        if (child.name, foreign_key.parent.name) in REFERENCES:
            result.cleared.append((foreign_key.parent, fresh))
            continue
        found = {tuple(row) for row in db.session.execute(
            select(*child.primary_key.columns).where(foreign_key.parent.in_(fresh)))}
        if child.name in UNLINKED:
            result.rows.setdefault(child.name, set()).update(found)
        elif len(child.primary_key.columns) > 1:
            result.rows.setdefault(child.name, set()).update(found)  # an association: a leaf
        else:
            _collect(result, child, {key for (key,) in found})


def _primary_key(table: Table):
    (column,) = table.primary_key.columns
    return column


def _where_key(table: Table, keys: set):
    columns = list(table.primary_key.columns)
    if len(columns) == 1:
        return columns[0].in_({key[0] if isinstance(key, tuple) else key for key in keys})
    return tuple_(*columns).in_(list(keys))


def _files(rows: dict[str, set]) -> list[tuple[str, str]]:
    found = []
    for name, keys in sorted(rows.items()):
        table = db.metadata.tables[name]
        if "storage_key" in table.c and keys and name not in UNLINKED:
            found += [tuple(row) for row in db.session.execute(select(
                table.c.storage_key, table.c.sha256).where(
                _where_key(table, keys), table.c.storage_key.is_not(None)))]
    return sorted(found)


@service
def erase(client: Client, actor, avg_request: AvgRequest) -> DestructionRecord:
    """Destroy everything of hers, refuse when a legal retention applies. Files go after the
    commit; the request is decided (toegewezen) in the same transaction."""
    if avg_request.status == RequestStatus.AFGEHANDELD.value:
        raise DomainError("Dit verzoek is afgehandeld en verandert niet meer.")
    erasure = plan(client)
    if erasure.refusals:
        raise DomainError("Wissen kan niet: " + " ".join(erasure.refusals))
    number = client.number
    destroy_rows(erasure)
    destruction = DestructionRecord(
        ground="verzoek", client_number=number, avg_request_id=avg_request.id,
        counts=erasure.counts, file_hashes=[sha for _key, sha in erasure.files],
        approved_by_id=actor.id)
    db.session.add(destruction)
    db.session.flush()
    _close_request(avg_request, actor, destruction)
    record("privacy.client_erased", Action.DELETE, object_type="destruction_record",
           object_id=destruction.id, client_id=client.id,
           detail={"counts": erasure.counts, "files": len(erasure.files)})
    db.session.commit()
    _forget_loaded(erasure)
    delete_files(erasure.files)
    return db.session.get(DestructionRecord, destruction.id)


def destroy_rows(erasure: ErasurePlan) -> None:
    """In the caller's transaction: what mentions them, the rows, the search index."""
    _forget_mentions(erasure)
    _delete_rows(erasure)
    _purge_search_index()


def _forget_loaded(erasure: ErasurePlan) -> None:
    """Erased rows must not linger in the session's identity map (expire_on_commit is off)."""
    for instance in list(db.session.identity_map.values()):
        table = instance.__table__
        keys = erasure.rows.get(table.name, set())
        single = len(table.primary_key.columns) == 1 and table.name not in UNLINKED
        if single and getattr(instance, _primary_key(table).key) in keys:
            db.session.expunge(instance)


def _forget_mentions(erasure: ErasurePlan) -> None:
    """Her numbers outside her own rows: in the register's free text, in reminder e-mails
    (they list registration numbers) and in the history of hours that were booked on her."""
    registrations = erasure.rows.get("registrations", set())
    numbers = list(db.session.scalars(select(Registration.number).where(
        Registration.id.in_(registrations)))) if registrations else []
    client = erasure.client
    if client is not None:
        db.session.execute(update(AvgRequest).where(AvgRequest.client_id == client.id)
                           .values(description="", casemanager_note=None))
        numbers.append(client.number)
        _forget_in_hours_history(client.number, erasure)
    for number in numbers:
        for message in db.session.scalars(select(OutboxMessage).where(
                OutboxMessage.body.contains(number))):
            message.body = message.body.replace(number, ERASED)


def _forget_in_hours_history(number: str, erasure: ErasurePlan) -> None:
    """The history of hours booked on her: her number and the notes go (the notes were
    about her); elsewhere in that history only her number."""
    from portal.hours.models import TimeEntryChange

    hers = {key for (key,) in erasure.rows.get("time_entries", set())}
    for change in db.session.scalars(select(TimeEntryChange).where(
            cast(TimeEntryChange.changes, String).contains(number)
            | TimeEntryChange.entry_id.in_(hers))):
        change.changes = {
            key: [ERASED if value == number or (key == "notitie" and value) else value
                  for value in values]
            for key, values in change.changes.items()}


def _purge_search_index() -> None:
    """SQLite's FTS5 keeps deleted words in its segments until they are merged: merge them
    now, so her words leave the file too (PostgreSQL's tsvector goes with the row)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("INSERT INTO document_fts(document_fts) VALUES ('optimize')"))


def _delete_rows(erasure: ErasurePlan) -> None:
    """Clear the references first, then children before parents (the reverse of the
    schema's dependency order)."""
    for column, keys in erasure.cleared:
        db.session.execute(update(column.table).where(column.in_(keys)).values(
            {column.name: None}))
    for table in reversed(db.metadata.sorted_tables):
        keys = erasure.rows.get(table.name)
        if not keys:
            continue
        if table.name in UNLINKED:
            db.session.execute(update(table).where(_where_key(table, keys))
                               .values(**UNLINKED[table.name]))
        else:
            db.session.execute(delete(table).where(_where_key(table, keys)))


def _close_request(avg_request: AvgRequest, actor, destruction: DestructionRecord) -> None:
    avg_request.decision, avg_request.decided_on = Decision.TOEGEWEZEN.value, local_today()
    avg_request.motivation = (f"De gegevens zijn gewist; vernietigingsverklaring "
                              f"nr. {destruction.id}.")
    avg_request.decided_by_id, avg_request.status = actor.id, RequestStatus.AFGEHANDELD.value
    avg_request.description, avg_request.casemanager_note = "", None


def delete_files(files: list[tuple[str, str]]) -> int:
    """Delete the files of committed destructions; what fails stays an orphan for the
    storage check to report (and a later run to remove), never an error for the user."""
    deleted = 0
    for key, _sha in files:
        try:
            storage.delete(key)
            deleted += 1
        except OSError:
            log.exception("could not delete stored file %s after erasure", key)
    return deleted
