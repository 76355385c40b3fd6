"""Aanmeldingen and signalen from partners and the team, and their triage."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Organisation, User
from portal.clients.models import Client
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class ReferralKind(StrEnum):
    AANMELDING = "aanmelding"
    SIGNAAL = "signaal"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TriageOutcome(StrEnum):
    OPGEPAKT = "opgepakt"
    DOORVERWEZEN = "doorverwezen"
    ADVIES = "advies"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Referral(db.Model):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    received_on: Mapped[date] = mapped_column(Date)
    aanleiding: Mapped[str] = mapped_column(Text)
    doel: Mapped[str] = mapped_column(Text)
    partners_involved: Mapped[str | None] = mapped_column(String(255))
    werknaam: Mapped[str | None] = mapped_column(String(80))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    triage_outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    triage_note: Mapped[str | None] = mapped_column(Text)
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    destroy_after: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    triaged_by: Mapped[User | None] = relationship(foreign_keys=[triaged_by_id])
    organisation: Mapped[Organisation] = relationship()
    client: Mapped[Client | None] = relationship()

    @property
    def kind_label(self) -> str:
        return ReferralKind(self.kind).label

    @property
    def state_label(self) -> str:
        if self.withdrawn_at:
            return "Ingetrokken"
        if self.triage_outcome:
            return TriageOutcome(self.triage_outcome).label
        return "Wacht op triage"
