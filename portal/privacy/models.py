"""The AVG requests register: every request of a woman about her own data, with its
statutory deadline (one month, extendable by two months with a reason) and decision."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class RequestKind(StrEnum):
    INZAGE = "inzage"  # art. 15
    CORRECTIE = "correctie"  # art. 16
    VERWIJDERING = "verwijdering"  # art. 17
    BEPERKING = "beperking"  # art. 18
    BEZWAAR = "bezwaar"  # art. 21

    @property
    def label(self) -> str:
        return REQUEST_KIND_LABELS[self]


REQUEST_KIND_LABELS = {
    RequestKind.INZAGE: "Inzage (art. 15 AVG)",
    RequestKind.CORRECTIE: "Correctie (art. 16 AVG)",
    RequestKind.VERWIJDERING: "Verwijdering (art. 17 AVG)",
    RequestKind.BEPERKING: "Beperking van de verwerking (art. 18 AVG)",
    RequestKind.BEZWAAR: "Bezwaar (art. 21 AVG)",
}


class RequestStatus(StrEnum):
    ONTVANGEN = "ontvangen"
    IN_BEHANDELING = "in_behandeling"
    AFGEHANDELD = "afgehandeld"

    @property
    def label(self) -> str:
        return {"ontvangen": "Ontvangen", "in_behandeling": "In behandeling",
                "afgehandeld": "Afgehandeld"}[self.value]


class Decision(StrEnum):
    TOEGEWEZEN = "toegewezen"
    DEELS_TOEGEWEZEN = "deels_toegewezen"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return {"toegewezen": "Toegewezen", "deels_toegewezen": "Deels toegewezen",
                "afgewezen": "Afgewezen"}[self.value]


class AvgRequest(db.Model):
    __tablename__ = "avg_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The register outlives an erased dossier: the link is cleared, the number stays.
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    client_number: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    received_via: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date] = mapped_column(Date, index=True)  # received_on + 1 month
    extended_until: Mapped[date | None] = mapped_column(Date)  # at most received_on + 3 months
    extension_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.ONTVANGEN.value,
                                        index=True)
    decision: Mapped[str | None] = mapped_column(String(20))
    motivation: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    casemanager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    casemanager_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    casemanager: Mapped[User | None] = relationship(foreign_keys=[casemanager_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def kind_enum(self) -> RequestKind:
        return RequestKind(self.kind)

    @property
    def due_on(self) -> date:
        """The deadline that applies now: the extended one once it is extended."""
        return self.extended_until or self.deadline
