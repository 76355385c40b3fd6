"""Documents per client, their versions and their extracted text."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class DocumentKind(StrEnum):
    REGISTRATIEDOCUMENT = "registratiedocument"
    DIAGNOSTIEKRAPPORT = "diagnostiekrapport"
    BRIEF = "brief"
    OVERDRACHTSVERSLAG = "overdrachtsverslag"
    TOESTEMMINGSVERKLARING = "toestemmingsverklaring"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return {"registratiedocument": "Registratiedocument",
                "diagnostiekrapport": "Diagnostiekrapport", "brief": "Brief",
                "overdrachtsverslag": "Overdrachtsverslag",
                "toestemmingsverklaring": "Toestemmingsverklaring",
                "overig": "Overig"}[self.value]


def new_document_ref() -> str:
    return secrets.token_urlsafe(12)


class Document(db.Model):
    __tablename__ = "documents"
    # Reports released lately (Vandaag) are one range of this index, not every report.
    __table_args__ = (Index("ix_documents_kind_released_at", "kind", "released_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True, default=new_document_ref)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_version: Mapped[int | None] = mapped_column(Integer)  # what the release covers
    retention_until: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delete_reason: Mapped[str | None] = mapped_column(Text)
    purge_after: Mapped[date | None] = mapped_column(Date, index=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number",
        cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def current(self) -> DocumentVersion:
        return self.versions[-1]

    def versions_for(self, user) -> list[DocumentVersion]:
        """All versions for the author; of a released report only the released version."""
        if not self.is_diagnostic or self.author_id == user.id:
            return self.versions
        return [v for v in self.versions if v.number == self.released_version]

    @property
    def is_diagnostic(self) -> bool:
        return self.kind == DocumentKind.DIAGNOSTIEKRAPPORT


class DocumentVersion(db.Model):
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(160))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text_status: Mapped[str] = mapped_column(String(20), default="wacht")

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User] = relationship()


class DocumentText(db.Model):
    """Text of a document's current version; indexed by FTS5 (SQLite) or tsvector (PostgreSQL)."""

    __tablename__ = "document_texts"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[str] = mapped_column(Text)


class FileBlob(db.Model):
    """A stored file in the database file store (`FILE_STORE=database`): its header; its
    encrypted chunks are `FileChunk` rows (see `portal.documents.storage`)."""

    __tablename__ = "file_blobs"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    header: Mapped[bytes] = mapped_column(LargeBinary)
    chunk_count: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FileChunk(db.Model):
    __tablename__ = "file_chunks"

    key: Mapped[str] = mapped_column(ForeignKey("file_blobs.key", ondelete="CASCADE"),
                                     primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
