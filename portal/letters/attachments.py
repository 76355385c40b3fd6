"""The attachment library: PDFs (a leaflet, a privacy statement) that go with letters.

An attachment passes the same document intake as an upload to a dossier (portal.documents
validation: a PDF, judged by what its actions do) and lies encrypted in the same file store;
the beheerder adds and deactivates them, writers pick them for a mailing or a client letter.
"""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select

from portal.audit.models import Action, Outcome
from portal.audit.services import record, record_and_commit
from portal.documents import storage, validation
from portal.documents.services import display_name, files_kept_only_on_commit
from portal.extensions import db
from portal.letters.models import LetterAttachment
from portal.refusal import DomainError
from portal.transactions import service

PDF_MIME = "application/pdf"


def active() -> list[LetterAttachment]:
    return list(db.session.scalars(select(LetterAttachment).where(
        LetterAttachment.active.is_(True)).order_by(LetterAttachment.title)))


def library() -> list[LetterAttachment]:
    return list(db.session.scalars(select(LetterAttachment).order_by(
        LetterAttachment.active.desc(), LetterAttachment.title)))


def chosen(ids) -> list[LetterAttachment]:
    """The active attachments with these ids; one that is gone or deactivated is refused."""
    wanted = sorted(set(ids or ()))
    if not wanted:
        return []
    found = list(db.session.scalars(select(LetterAttachment).where(
        LetterAttachment.id.in_(wanted), LetterAttachment.active.is_(True))
        .order_by(LetterAttachment.id)))
    if len(found) != len(wanted):
        raise DomainError("Een gekozen bijlage is niet meer beschikbaar; kies opnieuw.",
                          field="attachment_ids")
    return found


@service
def add(actor, *, title: str, stream: BinaryIO, filename: str | None) -> LetterAttachment:
    """Check the PDF like a dossier upload, store it encrypted, audit; nothing on refusal."""
    try:
        accepted = validation.check(stream, {validation.PDF})
    except validation.Refused as refusal:
        record_and_commit("letters.attachment_refused", Action.CREATE, outcome=Outcome.FAILURE,
                          object_type="letter_attachment", detail={"reason": refusal.reason})
        raise
    stored = storage.store(stream)
    with files_kept_only_on_commit([stored.key]):
        item = LetterAttachment(title=title.strip(),
                                filename=display_name(filename, accepted.extension),
                                storage_key=stored.key, sha256=stored.sha256, size=stored.size,
                                uploaded_by_id=actor.id)
        db.session.add(item)
        db.session.flush()
        record("letters.attachment_added", Action.CREATE, object_type="letter_attachment",
               object_id=item.id, detail={"size": stored.size})
    return item


@service
def deactivate(actor, item: LetterAttachment) -> None:
    """No longer offered; kept with the letters it went with (and their mail)."""
    if not item.active:
        raise DomainError("Deze bijlage staat al uit.")
    item.active = False
    record("letters.attachment_deactivated", Action.UPDATE, object_type="letter_attachment",
           object_id=item.id)
    db.session.commit()
