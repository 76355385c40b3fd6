"""Budget figures: begroot, realised and remaining per post, for reports and the budget pages.

The interface for the stand van zaken (portal/verantwoording/):

    budget_overview(start, end) -> list[PostFigure]   # subsidies whose period overlaps
    budget_total(rows) -> PostFigure                   # post "Totaal"

Realisation counts up to `end` and comes from two sources:
- manual entries (not removed) with an invoice date on or before `end`;
- flexbudget trajecten (kind flexbudget, an amount and an approver). The date rule: a
  traject counts on its start date, or, when it has none, on the day it was recorded (the
  approver is recorded with it, so that is the approval date). It counts on the flexbudget
  post of the subsidy whose period (start and end inclusive) contains that date; when two
  subsidies' periods both contain it, the one that started first (then the lower id) takes
  it, so a traject is never counted twice. Its status does not matter: an approved flexbudget
  is money committed, and a report of last year must not change when a traject is later
  afgerond or afgebroken; a refund is booked as a negative manual entry.

Every function runs a fixed number of queries, whatever the number of subsidies, entries
and trajecten. Amounts are Decimal throughout.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select

from portal.budget.models import FLEXBUDGET_CODE, BudgetEntry, BudgetPost, Subsidy, SubsidyLine
from portal.clients.lifecycle import TrajectKind
from portal.clients.models import Traject
from portal.clock import AMSTERDAM
from portal.extensions import db

ZERO = Decimal("0.00")
TOTAL_LABEL = "Totaal"


@dataclass(frozen=True)
class PostFigure:
    """One row of the budget: the post's Dutch label and its three amounts."""

    post: str
    begroot: Decimal
    realised: Decimal
    remaining: Decimal

    @property
    def overspent(self) -> bool:
        return self.remaining < 0


@dataclass
class Amounts:
    """Begroot and realised per (subsidy id, post id), for the subsidies asked about."""

    begroot: dict[tuple[int, int], Decimal]
    realised: dict[tuple[int, int], Decimal]


def budget_overview(start: date, end: date) -> list[PostFigure]:
    """Per post (in the posts' order) the begroting of the subsidies whose period overlaps
    start..end, what was realised on them up to `end`, and what remains. Posts without any
    amount and no longer active are left out; no overlapping subsidy gives no rows."""
    subsidies = all_subsidies()
    chosen = [s for s in subsidies if s.start_date <= end and s.end_date >= start]
    if not chosen:
        return []
    amounts = subsidy_amounts(chosen, subsidies, until=end)
    return post_rows(amounts, posts())


def budget_total(rows: list[PostFigure]) -> PostFigure:
    """The row "Totaal" of a list of post rows."""
    return PostFigure(TOTAL_LABEL, sum((r.begroot for r in rows), ZERO),
                      sum((r.realised for r in rows), ZERO),
                      sum((r.remaining for r in rows), ZERO))


def subsidy_overview(subsidy: Subsidy, until: date | None = None) -> list[PostFigure]:
    """The post rows of one subsidy (everything realised on it, or up to `until`)."""
    return post_rows(subsidy_amounts([subsidy], all_subsidies(), until=until), posts())


def subsidy_totals(subsidies: list[Subsidy]) -> dict[int, PostFigure]:
    """Per subsidy id its "Totaal" row, for the list of subsidies (fixed queries)."""
    amounts = subsidy_amounts(subsidies, subsidies, until=None)
    totals = {}
    for subsidy in subsidies:
        begroot = sum((v for (s, _), v in amounts.begroot.items() if s == subsidy.id), ZERO)
        realised = sum((v for (s, _), v in amounts.realised.items() if s == subsidy.id), ZERO)
        totals[subsidy.id] = PostFigure(TOTAL_LABEL, begroot, realised, begroot - realised)
    return totals


def all_subsidies() -> list[Subsidy]:
    return list(db.session.scalars(select(Subsidy).order_by(Subsidy.start_date, Subsidy.id)))


def posts() -> list[BudgetPost]:
    return list(db.session.scalars(select(BudgetPost).order_by(BudgetPost.position,
                                                               BudgetPost.id)))


def subsidy_amounts(chosen: list[Subsidy], every: list[Subsidy], *,
                    until: date | None) -> Amounts:
    """Begroot and realised per (subsidy, post) for `chosen`; `every` decides which subsidy
    a flexbudget traject belongs to (it may belong to one that is not chosen)."""
    ids = [s.id for s in chosen]
    begroot = {(s, p): amount for s, p, amount in db.session.execute(
        select(SubsidyLine.subsidy_id, SubsidyLine.post_id, SubsidyLine.amount)
        .where(SubsidyLine.subsidy_id.in_(ids)))}
    realised: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    # Summed here, not by the database: SQLite would add the amounts as floating point.
    entries = (select(BudgetEntry.subsidy_id, BudgetEntry.post_id, BudgetEntry.amount)
               .where(BudgetEntry.subsidy_id.in_(ids), BudgetEntry.removed_at.is_(None)))
    if until is not None:
        entries = entries.where(BudgetEntry.invoice_date <= until)
    for subsidy_id, post_id, amount in db.session.execute(entries):
        realised[subsidy_id, post_id] += Decimal(amount)
    flex_post = db.session.scalar(select(BudgetPost.id).where(BudgetPost.code == FLEXBUDGET_CODE))
    for traject, day in counted_trajecten(until):
        owner = owning_subsidy(every, day)
        if owner is not None and owner.id in ids and flex_post is not None:
            realised[owner.id, flex_post] += traject.amount
    return Amounts({k: Decimal(v) for k, v in begroot.items()}, dict(realised))


def counted_trajecten(until: date | None = None) -> list[tuple[Traject, date]]:
    """The flexbudget trajecten that count, each with the date it counts on, up to `until`."""
    query = (select(Traject).where(Traject.kind == TrajectKind.FLEXBUDGET.value,
                                   Traject.amount.is_not(None), Traject.approved_by.is_not(None),
                                   Traject.approved_by != "")
             .order_by(Traject.start_date, Traject.id))
    if until is not None:
        query = query.where(or_(Traject.start_date <= until, Traject.start_date.is_(None)))
    counted = [(traject, counting_date(traject)) for traject in db.session.scalars(query)]
    return [(t, day) for t, day in counted if until is None or day <= until]


def counting_date(traject: Traject) -> date:
    """The start date, or else the day (in Nijmegen) the traject and its approval were recorded."""
    return traject.start_date or traject.created_at.astimezone(AMSTERDAM).date()


def owning_subsidy(subsidies: list[Subsidy], day: date) -> Subsidy | None:
    """The subsidy whose period contains `day`; the earliest started one when several do."""
    holding = [s for s in subsidies if s.contains(day)]
    return min(holding, key=lambda s: (s.start_date, s.id)) if holding else None


def post_rows(amounts: Amounts, all_posts: list[BudgetPost]) -> list[PostFigure]:
    """One row per post that is active or has an amount, in the posts' order."""
    begroot: dict[int, Decimal] = defaultdict(lambda: ZERO)
    realised: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (_, post_id), amount in amounts.begroot.items():
        begroot[post_id] += amount
    for (_, post_id), amount in amounts.realised.items():
        realised[post_id] += amount
    return [PostFigure(post.label, begroot[post.id], realised[post.id],
                       begroot[post.id] - realised[post.id])
            for post in all_posts
            if post.active or post.id in begroot or post.id in realised]
