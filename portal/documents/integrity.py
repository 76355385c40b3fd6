"""Compare the database with the file store: missing, orphaned, damaged and unfinished files."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.documents import storage
from portal.documents.models import DocumentVersion
from portal.extensions import db
from portal.letters.models import Letter, LetterAttachment, TemplateUpload, TemplateVersion
from portal.privacy.models import InzagePack


@dataclass
class StorageReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    undecryptable: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.orphans or self.mismatched or self.undecryptable
                    or self.unfinished)


def recorded_files() -> list[tuple[str, str, str]]:
    """Every file the database refers to: (what it is, storage key, SHA-256)."""
    rows = [(f"documentversie {row.id}", row.storage_key, row.sha256) for row in
            db.session.execute(select(DocumentVersion.id, DocumentVersion.storage_key,
                                      DocumentVersion.sha256))]
    rows += [(f"brief {row.kenmerk}", row.storage_key, row.sha256) for row in
             db.session.execute(select(Letter.kenmerk, Letter.storage_key, Letter.sha256))]
    rows += [(f"sjabloonversie {row.id}", row.storage_key, row.sha256) for row in
             db.session.execute(select(TemplateVersion.id, TemplateVersion.storage_key,
                                       TemplateVersion.sha256))]
    rows += [(f"briefbijlage {row.id}", row.storage_key, row.sha256) for row in
             db.session.execute(select(LetterAttachment.id, LetterAttachment.storage_key,
                                       LetterAttachment.sha256))]
    rows += [(f"sjabloon in behandeling {row.id}", row.storage_key, row.sha256) for row in
             db.session.execute(select(TemplateUpload.id, TemplateUpload.storage_key,
                                       TemplateUpload.sha256))]
    rows += [(f"inzagepakket {row.id}", row.storage_key, row.sha256) for row in
             db.session.execute(select(InzagePack.id, InzagePack.storage_key, InzagePack.sha256)
                                .where(InzagePack.storage_key.is_not(None)))]
    return rows


def check_storage() -> StorageReport:
    report = StorageReport()
    on_disk = storage.stored_keys()
    known = set()
    for what, key, sha256 in recorded_files():
        report.checked += 1
        known.add(key)
        label = f"{what} ({key[:12]}…)"
        if key not in on_disk:
            report.missing.append(label)
            continue
        try:
            storage.verify(key, sha256)
        except storage.ChecksumMismatch as error:
            report.mismatched.append(f"{label}: {error}")
        except storage.StorageError as error:
            report.undecryptable.append(f"{label}: {error}")
    report.orphans = sorted(f"{key[:12]}… (geen rij in de database)" for key in on_disk - known)
    report.unfinished = storage.unfinished_writes()
    return report
