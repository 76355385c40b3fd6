"""Vandaag: run the attention lists of a user's roles; one statement per list, one for the menu.

Each list runs as one query with a window count, so the page shows the first LIMIT items and
the true total without a second statement, whatever the data size.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.access.policy import roles_of
from portal.extensions import db
from portal.main.care import CARE_LISTS
from portal.main.items import LIMIT, AttentionList, Section, context_for
from portal.main.office import OFFICE_LISTS

LISTS: tuple[AttentionList, ...] = CARE_LISTS + OFFICE_LISTS


def lists_for(user) -> list[AttentionList]:
    roles = roles_of(user)
    return [spec for spec in LISTS if spec.role in roles]


def sections_for(user) -> list[Section]:
    ctx = context_for(user)
    sections = []
    for spec in lists_for(user):
        query = spec.query(ctx).add_columns(func.count().over()).limit(LIMIT)
        rows = db.session.execute(query).all()
        section = Section(spec, count=rows[0][-1] if rows else 0)
        section.items = [spec.item(tuple(row)[:-1], ctx) for row in rows]
        sections.append(section)
    return sections


def menu_count(user) -> int | None:
    """How many items wait for this user across her counted lists (one statement)."""
    if not getattr(user, "is_authenticated", False):
        return None
    specs = [spec for spec in lists_for(user) if spec.counted]
    if not specs:
        return None
    ctx = context_for(user)
    counts = [select(func.count()).select_from(spec.query(ctx).order_by(None).subquery())
              .scalar_subquery() for spec in specs]
    return sum(db.session.execute(select(*counts)).one())
