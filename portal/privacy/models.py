"""The AVG requests register: every request of a woman about her own data, with its
statutory deadline (one month, extendable by two months with a reason) and decision."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, String, Text
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


class LegalHold(db.Model):
    """A legal hold on one client's data: nothing of hers is erased or destroyed while it
    stands (a complaint, a court case, a report to the inspectorate). Lifted, it stays."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lift_reason: Mapped[str | None] = mapped_column(Text)

    client = relationship("Client")
    placed_by: Mapped[User] = relationship(foreign_keys=[placed_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])


class DestructionRecord(db.Model):
    """What was destroyed, without its content: per kind how many rows and files, the
    SHA-256 of every file, who approved it and why (a request or the retention run)."""

    __tablename__ = "destruction_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    ground: Mapped[str] = mapped_column(String(20))  # verzoek | bewaartermijn
    client_number: Mapped[str | None] = mapped_column(String(20), index=True)
    avg_request_id: Mapped[int | None] = mapped_column(ForeignKey("avg_requests.id"))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # kind label: rows
    file_hashes: Mapped[list] = mapped_column(JSON, default=list)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    destroyed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    approved_by: Mapped[User] = relationship(foreign_keys=[approved_by_id])

    @property
    def ground_label(self) -> str:
        return {"verzoek": "Op verzoek van de cliënt (art. 17 AVG)",
                "bewaartermijn": "Bewaartermijn verstreken"}.get(self.ground, self.ground)


class DestructionList(db.Model):
    """The month's proposal of everything past its retention, for the privacyfunctionaris
    to approve or hold item by item; executing it destroys the approved items only."""

    __tablename__ = "destruction_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    executed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    executed_by: Mapped[User | None] = relationship()

    @property
    def month_label(self) -> str:
        from portal.templating import MONTHS

        return f"{MONTHS[self.month.month - 1]} {self.month.year}"

    items: Mapped[list[DestructionItem]] = relationship(
        order_by="DestructionItem.id", back_populates="destruction_list")


class DestructionItem(db.Model):
    __tablename__ = "destruction_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("destruction_lists.id", ondelete="CASCADE"),
                                         index=True)
    category: Mapped[str] = mapped_column(String(20))  # dossier, diagnostiek, registratie, audit
    root_table: Mapped[str] = mapped_column(String(40))
    root_id: Mapped[int] = mapped_column()  # the row destroyed with all that hangs off it
    client_number: Mapped[str | None] = mapped_column(String(20))
    due_since: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200))  # kind and dates, never content
    state: Mapped[str] = mapped_column(String(20), default="voorgesteld")
    reason: Mapped[str | None] = mapped_column(Text)  # why held or skipped
    destruction_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("destruction_records.id"))

    destruction_list: Mapped[DestructionList] = relationship(back_populates="items")


class InzagePack(db.Model):
    """Her data for an inzage request (art. 15 AVG): made by a job, reviewed by the
    privacyfunctionaris (passages about others left out), released as an encrypted ZIP and
    destroyed when it expires."""

    __tablename__ = "inzage_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    avg_request_id: Mapped[int] = mapped_column(ForeignKey("avg_requests.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    status: Mapped[str] = mapped_column(String(20), default="samenstellen")
    progress: Mapped[int] = mapped_column(default=0)  # percent, while a job works on it
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_on: Mapped[date | None] = mapped_column(Date)
    storage_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column()

    passages: Mapped[list[InzagePassage]] = relationship(
        order_by="InzagePassage.position", cascade="all, delete-orphan")
    documents: Mapped[list[InzageDocument]] = relationship(
        order_by="InzageDocument.id", cascade="all, delete-orphan")
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])

    client = relationship("Client")

    @property
    def pending(self) -> bool:
        return self.status in ("samenstellen", "vrijgeven")

    @property
    def client_number(self) -> str:
        return self.client.number


class InzagePassage(db.Model):
    __tablename__ = "inzage_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("inzage_packs.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column()
    section: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    redact: Mapped[bool] = mapped_column(default=False)
    concerns: Mapped[str | None] = mapped_column(String(400))  # why it was pre-marked


class InzageDocument(db.Model):
    """A document of hers in the pack; a diagnostics report only with its author's agreement."""

    __tablename__ = "inzage_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("inzage_packs.id", ondelete="CASCADE"),
                                         index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    include: Mapped[bool] = mapped_column(default=True)
    needs_author: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_answer: Mapped[str | None] = mapped_column(String(20))  # akkoord | niet_akkoord
    author_note: Mapped[str | None] = mapped_column(Text)
    author_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    document = relationship("Document")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def may_include(self) -> bool:
        return not self.needs_author or self.author_answer == "akkoord"
