"""Client dossiers with their status history, trajecten and journaal."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.clients.lifecycle import ClientStatus, TrajectKind, TrajectStatus, Woonsituatie
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


def new_ref() -> str:
    """Opaque id for URLs: says nothing about the client and cannot be guessed."""
    return secrets.token_urlsafe(9)


client_casemanagers = Table(
    "client_casemanagers", db.metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
    Column("assigned_at", UTCDateTime, default=utcnow),  # for "newly assigned" on Vandaag
)


class Client(db.Model):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True, default=new_ref)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    werknaam: Mapped[str] = mapped_column(String(80), index=True)
    legal_name: Mapped[str | None] = mapped_column(String(160))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    preferred_language: Mapped[str] = mapped_column(String(40), default="Nederlands")
    phone: Mapped[str | None] = mapped_column(String(30))
    # Letters: "team" (p/a the Stapteam, the default) or "eigen" (her postal_address), and
    # the aanhef she prefers ("Beste Roos"); identity data, like the legal name.
    letters_to: Mapped[str] = mapped_column(String(10), default="team", server_default="team")
    postal_address: Mapped[str | None] = mapped_column(Text)
    salutation: Mapped[str | None] = mapped_column(String(120))
    woonsituatie: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(40), default=ClientStatus.AANGEMELD.value,
                                        index=True)
    id_check_document: Mapped[str | None] = mapped_column(String(60))
    id_check_date: Mapped[date | None] = mapped_column(Date)
    id_check_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ervaringsdeskundige_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"),
                                                                index=True)
    closed_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    casemanagers: Mapped[list[User]] = relationship(secondary=client_casemanagers,
                                                    order_by=User.name)
    ervaringsdeskundige: Mapped[User | None] = relationship(foreign_keys=[ervaringsdeskundige_id])
    id_check_by: Mapped[User | None] = relationship(foreign_keys=[id_check_by_id])
    trajecten: Mapped[list[Traject]] = relationship(order_by="Traject.id",
                                                    cascade="all, delete-orphan")

    @property
    def status_enum(self) -> ClientStatus:
        return ClientStatus(self.status)

    @property
    def woonsituatie_label(self) -> str:
        return Woonsituatie(self.woonsituatie).label if self.woonsituatie else "—"

    def is_assigned(self, user) -> bool:
        return any(cm.id == user.id for cm in self.casemanagers)


class AssignmentChange(db.Model):
    """A handover: who changed the assigned casemanager(s) or ervaringsdeskundige, when,
    from whom to whom, and why. Names are kept as given at the time."""

    __tablename__ = "assignment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_casemanagers: Mapped[str] = mapped_column(String(255), default="")
    to_casemanagers: Mapped[str] = mapped_column(String(255), default="")
    from_ervaringsdeskundige: Mapped[str] = mapped_column(String(120), default="")
    to_ervaringsdeskundige: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str | None] = mapped_column(Text)

    by: Mapped[User] = relationship()


class StatusChange(db.Model):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    changed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    receiving_party: Mapped[str | None] = mapped_column(String(160))
    warm_handover: Mapped[bool | None] = mapped_column(Boolean)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User] = relationship()

    @property
    def to_label(self) -> str:
        return ClientStatus(self.to_status).label

    @property
    def from_label(self) -> str:
        return ClientStatus(self.from_status).label if self.from_status else "—"


class Traject(db.Model):
    __tablename__ = "trajecten"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default=TrajectStatus.VOORGESTELD.value)
    provider: Mapped[str | None] = mapped_column(String(120))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    diagnosticus_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    purpose: Mapped[str | None] = mapped_column(String(255))
    approved_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    diagnosticus: Mapped[User | None] = relationship(foreign_keys=[diagnosticus_id])

    @property
    def kind_label(self) -> str:
        return TrajectKind(self.kind).label

    @property
    def status_label(self) -> str:
        return TrajectStatus(self.status).label


class JournalEntry(db.Model):
    __tablename__ = "journal_entries"
    # A client's entries by date: her last contact (overview, Vandaag) is one index probe.
    __table_args__ = (Index("ix_journal_entries_client_id_entry_date", "client_id",
                            "entry_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    entry_date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
