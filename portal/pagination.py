"""Pagination of row queries (several columns per row) with one count and one page query."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select

from portal.converters import parse_number
from portal.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


# Far beyond any list the portal shows; a larger ?page= is a typo or an attack.
MAX_PAGE = 100_000


def requested_page() -> int:
    """?page= in ASCII digits within 1..MAX_PAGE; anything else (², 1e25, -1) is page 1."""
    return parse_number(request.args.get("page"), low=1, high=MAX_PAGE) or 1


def paginate_rows(chosen, per_page: int, *, rows) -> Page:
    """One page of a list and its total, in two statements. `chosen` selects the rows' ids
    alone, filtered and in list order: it is counted, and the page is picked from it.
    `rows(ids)` is the statement of the rows shown for the page's ids (a subquery), in the
    same order: only they get its computed columns and loaded relations, and the database
    starts from those ids instead of from the filters again."""
    page = requested_page()
    total = db.session.scalar(select(func.count()).select_from(
        chosen.order_by(None).subquery()))
    page = min(page, max(1, math.ceil(total / per_page)))
    ids = chosen.limit(per_page).offset((page - 1) * per_page).subquery()
    items = db.session.execute(rows(select(ids.c[0]))).all() if total else []
    return Page(items=items, page=page, per_page=per_page, total=total)
