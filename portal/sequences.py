"""Gap-free yearly numbers (client numbers, letter kenmerken) from one locked counter row."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class Sequence(db.Model):
    __tablename__ = "sequences"
    __table_args__ = (UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    last_value: Mapped[int] = mapped_column(default=0)


def next_value(name: str, year: int) -> int:
    """The next number for (name, year); the row stays locked until the caller commits."""
    row = db.session.scalar(select(Sequence).where(Sequence.name == name, Sequence.year == year)
                            .with_for_update())
    if row is None:
        row = Sequence(name=name, year=year, last_value=0)
        db.session.add(row)
    row.last_value += 1
    return row.last_value
