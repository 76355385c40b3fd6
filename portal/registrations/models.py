"""Tippelzone registrations with their history, anonymous day passes and the settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.clients.models import Client, new_ref
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.registrations.lifecycle import RegistrationKind, RegistrationStatus, RevocationReason


class Registration(db.Model):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True, default=new_ref)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(20), default=RegistrationKind.NIEUW.value)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"))
    status: Mapped[str] = mapped_column(String(20), default=RegistrationStatus.AANGEVRAAGD.value,
                                        index=True)
    # Set to client_id while the registration is verleend: the unique constraint keeps it to
    # one valid registration per client, on every database.
    valid_client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), unique=True)
    criterion: Mapped[str | None] = mapped_column(String(200))
    id_check_document: Mapped[str | None] = mapped_column(String(60))
    id_check_date: Mapped[date | None] = mapped_column(Date)
    id_check_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    decision_kenmerk: Mapped[str | None] = mapped_column(String(60))
    pass_issued_on: Mapped[date | None] = mapped_column(Date)
    pass_returned_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    reminded_for: Mapped[date | None] = mapped_column(Date)  # valid_until a reminder went for
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    client: Mapped[Client] = relationship(foreign_keys=[client_id])
    previous: Mapped[Registration | None] = relationship(remote_side=[id])
    id_check_by: Mapped[User | None] = relationship(foreign_keys=[id_check_by_id])
    events: Mapped[list[RegistrationEvent]] = relationship(
        order_by="RegistrationEvent.id", cascade="all, delete-orphan",
        back_populates="registration")

    @property
    def status_enum(self) -> RegistrationStatus:
        return RegistrationStatus(self.status)

    @property
    def kind_label(self) -> str:
        return RegistrationKind(self.kind).label

    @property
    def end_reason_label(self) -> str:
        return RevocationReason(self.end_reason).label if self.end_reason else ""

    @property
    def pass_outstanding(self) -> bool:
        """A pass was handed out and has not come back."""
        return self.pass_issued_on is not None and self.pass_returned_on is None

    def is_valid_on(self, day: date) -> bool:
        return (self.status == RegistrationStatus.VERLEEND and self.valid_from is not None
                and self.valid_from <= day <= self.valid_until)


class RegistrationEvent(db.Model):
    """One recorded change: a status transition or a change of data, pass or letters."""

    __tablename__ = "registration_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20), index=True)
    reason_code: Mapped[str | None] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the daily job
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()

    @property
    def to_label(self) -> str:
        return RegistrationStatus(self.to_status).label if self.to_status else ""


class DayPassEvening(db.Model):
    """The number of anonymous day passes handed out on one evening; no personal data."""

    __tablename__ = "day_pass_evenings"
    __table_args__ = (CheckConstraint("passes >= 0", name="passes_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evening: Mapped[date] = mapped_column(Date, unique=True)
    passes: Mapped[int] = mapped_column(Integer, default=0)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User] = relationship()


class RegistrationSettings(db.Model):
    """The one row of registration settings the beheerder chooses (defaults from config)."""

    __tablename__ = "registration_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_mode: Mapped[bool] = mapped_column(Boolean, default=True)
    day_pass_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    day_pass_max: Mapped[int] = mapped_column(Integer)
    validity_months: Mapped[int] = mapped_column(Integer)
    reminder_days: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)



class RegistrationIntake(db.Model):
    """A woman applied in person: the contact person found or created her dossier, saw an ID
    document and said why she needs the identity. Only after an intake does the contact person
    see a client's legal name and registration documents, and only an intake starts a request.
    """

    __tablename__ = "registration_intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    id_check_document: Mapped[str] = mapped_column(String(60))
    id_check_date: Mapped[date] = mapped_column(Date)
    created_dossier: Mapped[bool] = mapped_column(Boolean, default=False)
    # The request this intake started; an intake starts at most one.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"),
                                                        unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    recorded_by: Mapped[User | None] = relationship()
