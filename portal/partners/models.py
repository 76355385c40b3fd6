"""Network partners' contact persons and the distribution lists letters go to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Organisation
from portal.database import UTCDateTime, utcnow
from portal.extensions import db

list_members = Table(
    "distribution_list_members", db.metadata,
    Column("list_id", ForeignKey("distribution_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("partner_contacts.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class PartnerContact(db.Model):
    __tablename__ = "partner_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    department: Mapped[str | None] = mapped_column(String(120))
    postal_address: Mapped[str | None] = mapped_column(Text)  # street / Postbus, postcode city
    salutation: Mapped[str | None] = mapped_column(String(120))  # "Geachte mevrouw Jansen,"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def address_lines(self) -> list[str]:
        """The window-envelope block: person, department, organisation, postal address."""
        lines = [self.name, self.department or "", self.organisation.name,
                 *(self.postal_address or "").splitlines()]
        return [line.strip() for line in lines if line and line.strip()]

    @property
    def greeting(self) -> str:
        return (self.salutation or "").strip().rstrip(",") or f"Geachte {self.name}"


class DistributionList(db.Model):
    __tablename__ = "distribution_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[PartnerContact]] = relationship(secondary=list_members,
                                                         order_by=PartnerContact.name)

    @property
    def active_members(self) -> list[PartnerContact]:
        return [m for m in self.members if m.active]
