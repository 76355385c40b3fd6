"""The inzage pack (art. 15 AVG): a job gathers all her data as passages in plain Dutch
(basics, statuses, trajecten, journaal, registrations, letters, documents, who saw her
dossier) and marks the passages that name someone else (another client, a partner's staff
member) for redaction. The privacyfunctionaris reviews the marks and which documents go in
(a diagnostics report only once its author agreed, on her own page); a second job then
writes the redacted summary as PDF and the documents into a ZIP, encrypted in the file
store, until it expires after INZAGE_PACK_DAYS."""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal import jobs
from portal.audit.access_report import build_report, client_events
from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.models import Client, JournalEntry, StatusChange, Traject
from portal.clock import local_today
from portal.database import utcnow
from portal.documents import storage
from portal.documents.models import Document
from portal.extensions import db
from portal.letters import pdf
from portal.letters.models import Letter
from portal.partners.models import PartnerContact
from portal.privacy.models import (
    AvgRequest,
    InzageDocument,
    InzagePack,
    InzagePassage,
    RequestKind,
    RequestStatus,
)
from portal.refusal import DomainError
from portal.registrations.models import Registration
from portal.templating import local_date
from portal.transactions import service

REDACTED = "[Weggelaten: dit gaat over iemand anders.]"


@service
def start(avg_request: AvgRequest, client: Client, actor) -> InzagePack:
    if avg_request.kind != RequestKind.INZAGE.value or avg_request.status == \
            RequestStatus.AFGEHANDELD.value:
        raise DomainError("Een inzagepakket hoort bij een openstaand verzoek om inzage.")
    if db.session.scalar(select(InzagePack.id).where(
            InzagePack.avg_request_id == avg_request.id, InzagePack.status != "verlopen")):
        raise DomainError("Voor dit verzoek is al een inzagepakket.")
    pack = InzagePack(avg_request_id=avg_request.id, client_id=client.id,
                      created_by_id=actor.id)
    db.session.add(pack)
    db.session.flush()
    record("privacy.inzage_started", Action.CREATE, object_type="inzage_pack",
           object_id=pack.id, client_id=client.id)
    from portal.privacy.tasks import gather_inzage_pack

    jobs.after_commit(gather_inzage_pack, pack.id)
    db.session.commit()
    return pack


# --- the first job: gather and mark ---------------------------------------------------------


def gather(pack_id: int) -> None:
    pack = db.session.get(InzagePack, pack_id)
    if pack is None or pack.status != "samenstellen":
        return
    client = db.session.get(Client, pack.client_id)
    pack.passages.clear()  # a retried job starts over
    pack.documents.clear()
    others = _names_of_others(client)
    steps = [("Basisgegevens", _basics), ("Statussen", _statuses), ("Trajecten", _trajecten),
             ("Journaal", _journal), ("Registraties", _registrations), ("Brieven", _letters),
             ("Documenten", _document_list), ("Wie heeft uw dossier ingezien", _accesses)]
    position = 0
    for number, (section, lines) in enumerate(steps, start=1):
        for text in lines(client):
            position += 1
            named = sorted({m.group(0) for m in others.finditer(text)}) if others else []
            pack.passages.append(InzagePassage(
                position=position, section=section, text=text, redact=bool(named),
                concerns=("Noemt: " + ", ".join(named))[:400] if named else None))
        pack.progress = int(90 * number / len(steps))
        db.session.commit()  # the page shows the progress while the job works
    _documents_for(pack, client)
    pack.status, pack.progress = "te_beoordelen", 100
    db.session.commit()


def _names_of_others(client: Client) -> re.Pattern | None:
    """Werknamen and names of the other clients, and names of partners' staff."""
    names = set(db.session.scalars(select(Client.werknaam).where(Client.id != client.id)))
    names |= set(db.session.scalars(select(Client.legal_name).where(
        Client.id != client.id, Client.legal_name.is_not(None))))
    names |= set(db.session.scalars(select(PartnerContact.name)))
    own = {client.werknaam.lower(), (client.legal_name or "").lower()}
    names = sorted((n for n in names if n and len(n) > 1 and n.lower() not in own),
                   key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)


def _basics(client: Client) -> list[str]:
    facts = [("Werknaam", client.werknaam), ("Naam", client.legal_name),
             ("Geboortedatum", client.date_of_birth and local_date(client.date_of_birth)),
             ("Voorkeurstaal", client.preferred_language), ("Telefoon", client.phone),
             ("Postadres", client.postal_address), ("Woonsituatie", client.woonsituatie),
             ("Status", client.status_enum.label), ("Cliëntnummer", client.number)]
    return [f"{label}: {value}" for label, value in facts if value]


def _statuses(client: Client) -> list[str]:
    rows = db.session.scalars(select(StatusChange).where(StatusChange.client_id == client.id)
                              .order_by(StatusChange.changed_on, StatusChange.id))
    return [f"{local_date(row.changed_on)}: {row.to_status.replace('_', ' ')}. {row.reason}"
            for row in rows]


def _trajecten(client: Client) -> list[str]:
    rows = db.session.scalars(select(Traject).where(Traject.client_id == client.id)
                              .order_by(Traject.id))
    return [" ".join(filter(None, (
        f"{row.kind_label}: {row.status}.",
        row.start_date and f"Van {local_date(row.start_date)}",
        row.end_date and f"tot {local_date(row.end_date)}.",
        row.provider and f"Aanbieder: {row.provider}."))) for row in rows]


def _journal(client: Client) -> list[str]:
    rows = db.session.scalars(select(JournalEntry).where(JournalEntry.client_id == client.id)
                              .order_by(JournalEntry.entry_date, JournalEntry.id))
    return [f"{local_date(row.entry_date)} ({row.author.name}): {row.text}" for row in rows]


def _registrations(client: Client) -> list[str]:
    rows = db.session.scalars(select(Registration).where(Registration.client_id == client.id)
                              .order_by(Registration.id))
    return [" ".join(filter(None, (
        f"Registratie {row.number}: {row.status_enum.label.lower()}.",
        row.valid_from and f"Geldig van {local_date(row.valid_from)}",
        row.valid_until and f"tot en met {local_date(row.valid_until)}."))) for row in rows]


def _letters(client: Client) -> list[str]:
    rows = db.session.scalars(select(Letter).where(Letter.client_id == client.id)
                              .order_by(Letter.letter_date, Letter.id))
    return [f"{local_date(row.letter_date)}, kenmerk {row.kenmerk}: {row.subject}"
            for row in rows]


def _document_list(client: Client) -> list[str]:
    return [f"{row.kind_label}: {row.title}" + (
        f" ({local_date(row.document_date)})" if row.document_date else "")
        for row in _live_documents(client)]


def _live_documents(client: Client) -> list[Document]:
    return db.session.scalars(select(Document).where(
        Document.client_id == client.id, Document.deleted_at.is_(None))
        .order_by(Document.id)).all()


def _accesses(client: Client) -> list[str]:
    today = local_today()
    start = client.created_at.date()
    events = db.session.execute(client_events(client.id, start, today)).scalars().all()
    report = build_report(client, start, today, today, events)
    return [f"{report.moment(row.when)}: {row.organisation}, {row.role}: {row.what}"
            for row in report.rows]


def _documents_for(pack: InzagePack, client: Client) -> None:
    for document in _live_documents(client):
        report = document.kind == "diagnostiekrapport"
        pack.documents.append(InzageDocument(
            document_id=document.id, include=not report, needs_author=report,
            author_id=document.author_id if report else None))


# --- review ----------------------------------------------------------------------------------


@service
def answer_as_author(item: InzageDocument, actor, agree: bool, note: str) -> None:
    """The author of a diagnostics report agrees or not to hand it over, on her own page."""
    if item.author_id != actor.id:
        raise DomainError("Alleen de auteur van het rapport beslist hierover.")
    if not agree and not note.strip():
        raise DomainError("Schrijf waarom het rapport niet wordt verstrekt; de cliënt hoort "
                          "die reden.", field="note")
    item.author_answer = "akkoord" if agree else "niet_akkoord"
    item.author_note, item.author_answered_at = note.strip() or None, utcnow()
    item.include = agree
    pack = db.session.get(InzagePack, item.pack_id)
    record("privacy.inzage_author_answered", Action.UPDATE, object_type="inzage_pack",
           object_id=item.pack_id, client_id=pack.client_id,
           detail={"document": item.document_id, "akkoord": agree})
    db.session.commit()


@service
def release(pack: InzagePack, actor, redacted: set[int], included: set[int]) -> None:
    """Her review: the passages left out and the documents that go in; then the job writes
    the ZIP."""
    if pack.status != "te_beoordelen":
        raise DomainError("Dit inzagepakket wacht niet op een beoordeling.")
    waiting = [d for d in pack.documents if d.id in included and not d.may_include]
    if waiting:
        raise DomainError("Een diagnostiekrapport gaat alleen mee als de auteur akkoord gaf; "
                          f"dat ontbreekt nog voor {len(waiting)} rapport(en).")
    for passage in pack.passages:
        passage.redact = passage.id in redacted
    for item in pack.documents:
        item.include = item.id in included
    pack.status, pack.progress = "vrijgeven", 0
    pack.released_by_id, pack.released_at = actor.id, utcnow()
    record("privacy.inzage_released", Action.EXECUTE, object_type="inzage_pack",
           object_id=pack.id, client_id=pack.client_id,
           detail={"weggelaten": len(redacted), "documenten": len(included)})
    from portal.privacy.tasks import write_inzage_pack

    jobs.after_commit(write_inzage_pack, pack.id)
    db.session.commit()


# --- the second job: the ZIP ------------------------------------------------------------------


def write(pack_id: int) -> None:
    pack = db.session.get(InzagePack, pack_id)
    if pack is None or pack.status != "vrijgeven":
        return
    client = db.session.get(Client, pack.client_id)
    with _unnamed_temporary_file() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            _write_summary(archive, pack, client)
            pack.progress = 40
            db.session.commit()
            for item in pack.documents:
                if item.include and item.may_include:
                    _write_document(archive, item)
        buffer.seek(0)
        stored = storage.store(buffer)
    pack.storage_key, pack.sha256, pack.size = stored.key, stored.sha256, stored.size
    days = current_app.config["INZAGE_PACK_DAYS"]
    pack.status, pack.progress = "vrijgegeven", 100
    pack.expires_on = local_today() + timedelta(days=days)
    db.session.commit()


def _unnamed_temporary_file():
    """Plaintext never gets a name on disk: O_TMPFILE in instance/tmp."""
    directory = Path(current_app.instance_path) / "tmp"
    directory.mkdir(mode=0o700, exist_ok=True)
    return tempfile.TemporaryFile(dir=directory)


def _write_summary(archive: zipfile.ZipFile, pack: InzagePack, client: Client) -> None:
    from portal.privacy.inzage_document import summary_docx

    docx = summary_docx(pack, client, REDACTED)
    try:
        archive.writestr("overzicht-van-uw-gegevens.pdf", pdf.to_pdf(docx))
    except pdf.ConversionError:
        archive.writestr("overzicht-van-uw-gegevens.docx", docx)


def _write_document(archive: zipfile.ZipFile, item: InzageDocument) -> None:
    version = item.document.versions[-1]
    safe = re.sub(r"[^\w.\- ]", "_", version.filename)[:120]
    with archive.open(f"documenten/{item.document_id}-{safe}", "w") as target:
        for chunk in storage.stream(version.storage_key, version.sha256):
            target.write(chunk)


# --- after release ----------------------------------------------------------------------------


def download(pack: InzagePack):
    if pack.status != "vrijgegeven" or pack.storage_key is None:
        raise DomainError("Dit inzagepakket is er niet (meer) om te downloaden.")
    record("privacy.inzage_downloaded", Action.READ, object_type="inzage_pack",
           object_id=pack.id, client_id=pack.client_id)
    db.session.commit()
    return storage.stream(pack.storage_key, pack.sha256)


def expire_due(today=None) -> int:
    """Packs past their date: the file and the passages go (they hold her data)."""
    today = today or local_today()
    packs = db.session.scalars(select(InzagePack).where(
        InzagePack.expires_on < today, InzagePack.status == "vrijgegeven")).all()
    keys = [pack.storage_key for pack in packs if pack.storage_key]
    for pack in packs:
        pack.passages.clear()
        pack.status, pack.storage_key, pack.sha256 = "verlopen", None, None
        record("privacy.inzage_expired", Action.DELETE, object_type="inzage_pack",
               object_id=pack.id, client_id=pack.client_id, user=None)
    db.session.commit()
    for key in keys:
        storage.delete(key)
    return len(packs)
