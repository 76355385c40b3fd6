"""Letter templates and their versions, generated letters, mailings and the durable outbox."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.documents.models import Document
from portal.extensions import db
from portal.partners.models import DistributionList, PartnerContact


class Purpose(StrEnum):
    PARTNERBRIEF = "partnerbrief"
    CLIENTBRIEF = "clientbrief"
    REGISTRATIEBRIEF = "registratiebrief"

    @property
    def label(self) -> str:
        return {"partnerbrief": "Brief aan partners", "clientbrief": "Brief aan een cliënt",
                "registratiebrief": "Registratiebrief"}[self.value]

    @property
    def uses_client(self) -> bool:
        return self != Purpose.PARTNERBRIEF


class OutboxStatus(StrEnum):
    WACHTRIJ = "wachtrij"
    VERZENDEN = "verzenden"
    VERZONDEN = "verzonden"
    MISLUKT = "mislukt"


class LetterTemplate(db.Model):
    __tablename__ = "letter_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="nl")
    builtin_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The release of the built-in wording and layout its current version holds (None: made
    # before built-ins were numbered); `ensure_builtin_templates` adds a newer one.
    builtin_version: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[TemplateVersion]] = relationship(
        back_populates="template", order_by="TemplateVersion.number",
        cascade="all, delete-orphan")

    @property
    def current(self) -> TemplateVersion:
        return self.versions[-1]

    @property
    def purpose_enum(self) -> Purpose:
        return Purpose(self.purpose)


class TemplateVersion(db.Model):
    __tablename__ = "letter_template_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("letter_templates.id",
                                                        ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list] = mapped_column(JSON)  # [{"name", "label", "type", "required"}]
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    template: Mapped[LetterTemplate] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()


class Mailing(db.Model):
    """One send action: a template version, its form values and a distribution list."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("letter_template_versions.id"))
    list_id: Mapped[int | None] = mapped_column(ForeignKey("distribution_lists.id"))
    subject: Mapped[str] = mapped_column(String(200))
    values: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    template_version: Mapped[TemplateVersion] = relationship()
    distribution_list: Mapped[DistributionList | None] = relationship()
    created_by: Mapped[User] = relationship()
    letters: Mapped[list[Letter]] = relationship(back_populates="mailing",
                                                 order_by="Letter.id")


letter_attachment_links = Table(
    "letter_attachment_links", db.metadata,
    Column("letter_id", ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("letter_attachments.id"), primary_key=True, index=True),
)


class LetterAttachment(db.Model):
    """A PDF in the beheerder's attachment library (a leaflet) that can go with letters.

    The file passed the document intake and lies encrypted in the file store; a deactivated
    attachment is no longer offered but stays with the letters it went with."""

    __tablename__ = "letter_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(160))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


class TemplateUpload(db.Model):
    """A template file between the two upload steps: encrypted in the file store under a
    random token that only the login session that uploaded it can redeem."""

    __tablename__ = "letter_template_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    session_hash: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Letter(db.Model):
    """One generated letter for one recipient (a partner contact or a client)."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    kenmerk: Mapped[str] = mapped_column(String(40), unique=True)
    mailing_id: Mapped[int | None] = mapped_column(ForeignKey("mailings.id"), index=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("letter_template_versions.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("partner_contacts.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"),
                                                        index=True)
    subject: Mapped[str] = mapped_column(String(200))
    letter_date: Mapped[date] = mapped_column(Date)
    values: Mapped[dict] = mapped_column(JSON)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    mailing: Mapped[Mailing | None] = relationship(back_populates="letters")
    template_version: Mapped[TemplateVersion] = relationship()
    contact: Mapped[PartnerContact | None] = relationship()
    document: Mapped[Document | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    outbox: Mapped[list[OutboxMessage]] = relationship(back_populates="letter",
                                                       order_by="OutboxMessage.id")
    attachments: Mapped[list[LetterAttachment]] = relationship(
        secondary=letter_attachment_links, order_by=LetterAttachment.id)


class OutboxMessage(db.Model):
    """A mail waiting to go out; rows survive restarts and mail-server outages."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for notices without a letter (the registration reminders).
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.WACHTRIJ.value,
                                        index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_as: Mapped[str | None] = mapped_column(String(20))  # smtp | eml
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    letter: Mapped[Letter | None] = relationship(back_populates="outbox")


class HouseStyle(db.Model):
    """The municipality's house style, set once by the beheerder and used by every letter."""

    __tablename__ = "letter_house_style"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(120))
    letterhead: Mapped[str] = mapped_column(Text)  # lines under the organisation's name
    team: Mapped[str] = mapped_column(String(120))  # who writes: "Stapteam Nijmegen"
    team_address: Mapped[str] = mapped_column(Text)  # postal address for "p/a" client letters
    postal_address: Mapped[str] = mapped_column(Text)
    visiting_address: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254))
    website: Mapped[str] = mapped_column(String(120))
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_function: Mapped[str] = mapped_column(String(120))
    objection_address: Mapped[str] = mapped_column(Text)  # where a bezwaarschrift goes
    font: Mapped[str] = mapped_column(String(40))
    # A logo is public and small: kept in the row, not in the encrypted file store.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
