"""Vandaag: run the attention lists of a user's roles; one statement per list, one for the menu.

Each list runs as one query with a window count, so the page shows the first LIMIT items and
the true total without a second statement, whatever the data size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import func, select

from portal.access.policy import roles_of
from portal.auth import sessions
from portal.database import utcnow
from portal.extensions import db
from portal.main.care import CARE_LISTS
from portal.main.items import LIMIT, AttentionList, Section, context_for
from portal.main.office import OFFICE_LISTS

LISTS: tuple[AttentionList, ...] = CARE_LISTS + OFFICE_LISTS

_COUNTING_MENU: ContextVar[bool] = ContextVar("counting_menu", default=False)


@contextmanager
def counting_menu() -> Iterator[None]:
    """Marks the statements the menu count runs (counting, keeping it on the session): only
    a page without a kept count runs them, so statement counts leave them out."""
    token = _COUNTING_MENU.set(True)
    try:
        yield
    finally:
        _COUNTING_MENU.reset(token)


def counting_the_menu() -> bool:
    """Whether the statement about to run is one of the menu count's own."""
    return _COUNTING_MENU.get()


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


@dataclass(frozen=True)
class MenuCounts:
    waiting: int | None  # what waits on Vandaag; None when her roles count no list
    unread: int  # her unread notifications that she may still see


def menu_counts(user) -> MenuCounts | None:
    """The menu's counts: what waits for her across her counted lists, and her unread
    notifications. Counted once per page, in one statement, and kept on her session for
    ATTENTION_COUNT_SECONDS, so not every page pays for them; any form she sends makes the
    next page count again (auth.views.load_user_from_session)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if "menu_counts" not in g:
        row = g.get("user_session")
        if row is not None and _fresh(row):
            g.menu_counts = MenuCounts(row.attention_count, row.unread_count)
        else:
            count_menu_afresh(user)
    return g.menu_counts


def count_menu_afresh(user, waiting: int | None = None) -> MenuCounts:
    """Count the menu now and keep the counts. `waiting`: Vandaag's total, when the page has
    just counted its lists itself (the statement then counts only the notifications)."""
    from portal.notifications.queries import unread_count_query

    specs = [spec for spec in lists_for(user) if spec.counted] if waiting is None else []
    with counting_menu():
        ctx = context_for(user) if specs else None
        lists = [select(func.count()).select_from(spec.query(ctx).order_by(None).subquery())
                 .scalar_subquery() for spec in specs]
        values = db.session.execute(
            select(*lists, unread_count_query(user).scalar_subquery())).one()
        if specs:
            waiting = sum(values[:-1])
        g.menu_counts = MenuCounts(waiting, values[-1] or 0)
        row = g.get("user_session")
        if row is not None and sessions.keep_menu_counts(row, waiting, g.menu_counts.unread):
            db.session.commit()
    return g.menu_counts


def counted_total(sections: list[Section]) -> int:
    return sum(section.count for section in sections if section.spec.counted)


def _fresh(row) -> bool:
    if row.attention_counted_at is None or row.unread_count is None:
        return False
    age = (utcnow() - row.attention_counted_at).total_seconds()
    return 0 <= age < current_app.config["ATTENTION_COUNT_SECONDS"]
