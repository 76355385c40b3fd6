"""Time entries (per client or team time), their change history, the configurable list of
activity kinds, and the targets per organisation and period."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Organisation, User
from portal.clients.models import Client, new_ref
from portal.database import UTCDateTime, utcnow
from portal.extensions import db

MAX_MINUTES = 24 * 60

# Where a kind may be used: for time with a client, for team time, or for both.
SCOPES = {"client": "Cliënttijd", "team": "Teamtijd", "beide": "Cliënt- en teamtijd"}
# In which capacity the time was written, copied from the person's roles at the time.
CAPACITIES = {"casemanagement": "Casemanagement", "ervaringsdeskundige": "Ervaringsdeskundige"}


class ActivityKind(db.Model):
    """One kind of activity; the beheerder adds kinds and deactivates those no longer used
    (entries keep their kind, so a kind is never deleted)."""

    __tablename__ = "hour_activity_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    scope: Mapped[str] = mapped_column(String(10), default="beide")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def scope_label(self) -> str:
        return SCOPES.get(self.scope, self.scope)

    def fits(self, team_time: bool) -> bool:
        return self.scope == "beide" or self.scope == ("team" if team_time else "client")


class TimeEntry(db.Model):
    """Time one person spent on one day: with a client, or team time (client empty).

    The organisation and capacity are copied from the person when the entry is made, so a
    later move of the person to another organisation does not rewrite history. An entry is
    never removed: deleting sets `deleted_at` with who and why."""

    __tablename__ = "time_entries"
    __table_args__ = (
        CheckConstraint(f"minutes > 0 AND minutes <= {MAX_MINUTES}", name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True, default=new_ref)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    capacity: Mapped[str] = mapped_column(String(20), default="casemanagement")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    work_date: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    kind_id: Mapped[int] = mapped_column(ForeignKey("hour_activity_kinds.id"))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delete_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()
    client: Mapped[Client | None] = relationship()
    kind: Mapped[ActivityKind] = relationship(lazy="joined")
    changes: Mapped[list[TimeEntryChange]] = relationship(
        order_by="TimeEntryChange.id", back_populates="entry")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class TimeEntryChange(db.Model):
    """One step in an entry's history: made, changed or deleted, by whom, when, whether it
    fell after the edit window (then with the reason she gave) and what changed."""

    __tablename__ = "time_entry_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("time_entries.id"), index=True)
    action: Mapped[str] = mapped_column(String(12))  # aangemaakt, gewijzigd, verwijderd
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field: [before, after]

    entry: Mapped[TimeEntry] = relationship(back_populates="changes")
    by: Mapped[User] = relationship(lazy="joined")


class HourTarget(db.Model):
    """What the subsidy expects of one organisation in a period: subsidised hours of
    casemanagement per week, and the expected hours per client per week."""

    __tablename__ = "hour_targets"
    __table_args__ = (
        CheckConstraint("weekly_hours >= 0", name="weekly_hours_positive"),
        CheckConstraint("hours_per_client >= 0", name="hours_per_client_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    hours_per_client: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    note: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def minutes_to_hours(minutes: int) -> Decimal:
    """Whole minutes as hours with two decimals (90 → 1.50), exactly, never via float."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))
