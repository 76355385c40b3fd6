"""Budget posts (data), subsidies with a begroting per post, and manual budget entries with
their full history. Realisation from flexbudget trajecten is read from the trajecten
themselves (portal/budget/figures.py), so it can never drift from the dossier."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db

MONEY = Numeric(12, 2)
FLEXBUDGET_CODE = "flexbudget"  # the post on which flexbudget trajecten count


class BudgetPost(db.Model):
    """A post of the begroting (casemanagement, flexbudget, ...). The seeded posts carry a
    code the portal relies on; a post added by the beheerder has none."""

    __tablename__ = "budget_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Subsidy(db.Model):
    """A subsidy or project: who pays it, for which period, and its begroting per post."""

    __tablename__ = "subsidies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    funder: Mapped[str] = mapped_column(String(160))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[SubsidyLine]] = relationship(cascade="all, delete-orphan",
                                                    order_by="SubsidyLine.post_id")

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


class SubsidyLine(db.Model):
    """The begroot amount of one post in one subsidy."""

    __tablename__ = "subsidy_lines"
    __table_args__ = (UniqueConstraint("subsidy_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subsidy_id: Mapped[int] = mapped_column(ForeignKey("subsidies.id", ondelete="CASCADE"),
                                            index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("budget_posts.id"))
    amount: Mapped[Decimal] = mapped_column(MONEY)


class BudgetEntry(db.Model):
    """A manual realisation (an invoice, a payment): its current state. Removal keeps the
    row (removed_at, removed_by, reason); every state is also in its revisions."""

    __tablename__ = "budget_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subsidy_id: Mapped[int] = mapped_column(ForeignKey("subsidies.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("budget_posts.id"))
    invoice_date: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(String(255))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removal_reason: Mapped[str | None] = mapped_column(String(255))

    post: Mapped[BudgetPost] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    revisions: Mapped[list[BudgetEntryRevision]] = relationship(
        order_by="BudgetEntryRevision.version", cascade="all, delete-orphan")

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


class BudgetEntryRevision(db.Model):
    """One state of a budget entry as it was saved: created, changed (with a reason) or
    removed (with a reason). Rows are only ever added."""

    __tablename__ = "budget_entry_revisions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("budget_entries.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(20))  # aangemaakt, gewijzigd, verwijderd
    post_id: Mapped[int] = mapped_column(ForeignKey("budget_posts.id"))
    invoice_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(String(255))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[BudgetPost] = relationship()
    changed_by: Mapped[User] = relationship()
