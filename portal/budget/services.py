"""The budget's changes: subsidies with their begroting, manual entries (never lost: a change
or a removal adds a revision) and the posts list. One transaction and one audit event each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.budget.models import BudgetEntry, BudgetEntryRevision, BudgetPost, Subsidy, SubsidyLine
from portal.clock import local_today
from portal.database import utcnow
from portal.extensions import db
from portal.fields import euro
from portal.refusal import DomainError
from portal.transactions import service

LINE_MAXIMUM = Decimal("10000000")  # € 10 mln for one post of one subsidy: more is a typo
ENTRY_MAXIMUM = Decimal("1000000")  # € 1 mln for one invoice
CENT = Decimal("0.01")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a subsidy period outside these years is a typing error


@dataclass(frozen=True)
class SubsidyData:
    name: str
    funder: str
    start_date: date
    end_date: date
    note: str | None
    amounts: dict[int, Decimal | None]  # post id -> begroot (None: no line)


@dataclass(frozen=True)
class EntryData:
    post_id: int
    invoice_date: date
    amount: Decimal
    description: str


def _check_amount(amount: Decimal | None, field: str, maximum: Decimal, *,
                  negative: bool = False) -> None:
    """The services' own guard; the form refuses the same with the same kind of message."""
    if amount is None:
        return
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise DomainError("Vul een bedrag in, bijvoorbeeld 1.250,50.", field=field)
    if amount != amount.quantize(CENT):
        raise DomainError("Gebruik hoogstens twee cijfers achter de komma.", field=field)
    if amount < 0 and not negative:
        raise DomainError("Een begroot bedrag kan niet negatief zijn.", field=field)
    if abs(amount) > maximum:
        raise DomainError(f"Dat is meer dan {euro(maximum)}, het hoogste dat hier kan. "
                          "Controleer het bedrag.", field=field)


def _check_subsidy(subsidy: Subsidy | None, data: SubsidyData) -> None:
    if not data.name.strip():
        raise DomainError("Vul de naam van de subsidie of het project in.", field="name")
    if not data.funder.strip():
        raise DomainError("Vul de subsidiegever in.", field="funder")
    for field, day in (("start_date", data.start_date), ("end_date", data.end_date)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise DomainError(f"Vul een datum tussen {FIRST_YEAR} en {LAST_YEAR} in.",
                              field=field)
    if data.end_date < data.start_date:
        raise DomainError("De einddatum ligt vóór de begindatum.", field="end_date")
    for post_id, amount in data.amounts.items():
        _check_amount(amount, f"post_{post_id}", LINE_MAXIMUM)
    if subsidy is None:
        return
    first, last = db.session.execute(
        select(func.min(BudgetEntry.invoice_date), func.max(BudgetEntry.invoice_date))
        .where(BudgetEntry.subsidy_id == subsidy.id, BudgetEntry.removed_at.is_(None))).one()
    if first is not None and (first < data.start_date or last > data.end_date):
        raise DomainError("Er zijn boekingen van vóór of na deze looptijd. Pas eerst die "
                          "boekingen aan.", field="start_date")


def _lines_detail(subsidy: Subsidy) -> dict[str, str]:
    return {str(line.post_id): str(line.amount) for line in subsidy.lines}


@service
def save_subsidy(subsidy: Subsidy | None, actor, data: SubsidyData) -> Subsidy:
    """Create or change a subsidy and its begroting; the audit event keeps before and after."""
    _check_subsidy(subsidy, data)
    created = subsidy is None
    if created:
        subsidy = Subsidy(created_by_id=actor.id)
        db.session.add(subsidy)
    before = {} if created else {"periode": f"{subsidy.start_date}..{subsidy.end_date}",
                                 "begroot": _lines_detail(subsidy)}
    subsidy.name, subsidy.funder = data.name.strip(), data.funder.strip()
    subsidy.start_date, subsidy.end_date = data.start_date, data.end_date
    subsidy.note = (data.note or "").strip() or None
    _set_lines(subsidy, data.amounts)
    db.session.flush()
    after = {"periode": f"{subsidy.start_date}..{subsidy.end_date}",
             "begroot": _lines_detail(subsidy)}
    record("budget.subsidy_created" if created else "budget.subsidy_changed",
           Action.CREATE if created else Action.UPDATE, object_type="subsidy",
           object_id=subsidy.id, detail={"voor": before, "na": after})
    db.session.commit()
    return subsidy


def _set_lines(subsidy: Subsidy, amounts: dict[int, Decimal | None]) -> None:
    existing = {line.post_id: line for line in subsidy.lines}
    for post_id, amount in amounts.items():
        line = existing.get(post_id)
        if amount is None:
            if line is not None:
                subsidy.lines.remove(line)
        elif line is None:
            subsidy.lines.append(SubsidyLine(post_id=post_id, amount=amount))
        else:
            line.amount = amount


def _check_entry(subsidy: Subsidy, data: EntryData, *, current_post: int | None = None) -> None:
    post = db.session.get(BudgetPost, data.post_id)
    if post is None or not (post.active or post.id == current_post):
        raise DomainError("Kies een post van de begroting.", field="post_id")
    if data.amount is None or data.amount == 0:
        raise DomainError("Vul een bedrag in dat niet nul is.", field="amount")
    _check_amount(data.amount, "amount", ENTRY_MAXIMUM, negative=True)
    if not subsidy.contains(data.invoice_date):
        raise DomainError("De factuurdatum valt buiten de looptijd van de subsidie.",
                          field="invoice_date")
    if data.invoice_date > local_today():
        raise DomainError("De factuurdatum ligt niet in de toekomst.", field="invoice_date")
    if not data.description.strip():
        raise DomainError("Vul een omschrijving in.", field="description")


def _revision(entry: BudgetEntry, change: str, actor, reason: str | None) -> None:
    entry.revisions.append(BudgetEntryRevision(
        version=entry.version, change=change, post_id=entry.post_id,
        invoice_date=entry.invoice_date, amount=entry.amount, description=entry.description,
        reason=reason, changed_by_id=actor.id, changed_at=utcnow()))


def _entry_detail(entry: BudgetEntry) -> dict:
    return {"post": entry.post_id, "factuurdatum": str(entry.invoice_date),
            "bedrag": str(entry.amount), "versie": entry.version}


@service
def add_entry(subsidy: Subsidy, actor, data: EntryData) -> BudgetEntry:
    _check_entry(subsidy, data)
    entry = BudgetEntry(subsidy_id=subsidy.id, post_id=data.post_id,
                        invoice_date=data.invoice_date, amount=data.amount,
                        description=data.description.strip(), recorded_by_id=actor.id,
                        version=1)
    db.session.add(entry)
    _revision(entry, "aangemaakt", actor, None)
    db.session.flush()
    record("budget.entry_created", Action.CREATE, object_type="budget_entry",
           object_id=entry.id, detail={"subsidie": subsidy.id, **_entry_detail(entry)})
    db.session.commit()
    return entry


def _reason(reason: str | None, what: str) -> str:
    if not (reason or "").strip():
        raise DomainError(f"Vul de reden van {what} in.", field="reason")
    return reason.strip()


@service
def change_entry(entry: BudgetEntry, subsidy: Subsidy, actor, data: EntryData,
                 reason: str | None) -> BudgetEntry:
    """A correction: the entry takes the new values, the old ones stay in its revisions."""
    if entry.removed:
        raise DomainError("Deze boeking is verwijderd en kan niet meer worden gewijzigd.")
    _check_entry(subsidy, data, current_post=entry.post_id)
    reason = _reason(reason, "de wijziging")
    if (entry.post_id, entry.invoice_date, entry.amount, entry.description) == (
            data.post_id, data.invoice_date, data.amount, data.description.strip()):
        raise DomainError("Er is niets gewijzigd.")
    before = _entry_detail(entry)
    entry.post_id, entry.invoice_date = data.post_id, data.invoice_date
    entry.amount, entry.description = data.amount, data.description.strip()
    entry.version += 1
    _revision(entry, "gewijzigd", actor, reason)
    db.session.flush()
    record("budget.entry_changed", Action.UPDATE, object_type="budget_entry",
           object_id=entry.id, detail={"voor": before, "na": _entry_detail(entry),
                                       "reden": reason})
    db.session.commit()
    return entry


@service
def remove_entry(entry: BudgetEntry, actor, reason: str | None) -> None:
    """The entry stops counting; the row and all its versions stay, with who and why."""
    if entry.removed:
        raise DomainError("Deze boeking is al verwijderd.")
    reason = _reason(reason, "het verwijderen")
    entry.version += 1
    entry.removed_at, entry.removed_by_id, entry.removal_reason = utcnow(), actor.id, reason
    _revision(entry, "verwijderd", actor, reason)
    db.session.flush()
    record("budget.entry_removed", Action.DELETE, object_type="budget_entry",
           object_id=entry.id, detail={**_entry_detail(entry), "reden": reason})
    db.session.commit()


@service
def save_post(post: BudgetPost | None, *, label: str, active: bool) -> BudgetPost:
    """Add a post to the begroting's list or rename / (de)activate one. A post is never
    removed: subsidies and entries keep pointing at it."""
    label = " ".join((label or "").split())
    if not label:
        raise DomainError("Vul de naam van de post in.", field="label")
    clash = db.session.scalar(select(BudgetPost).where(func.lower(BudgetPost.label)
                                                       == label.lower()))
    if clash is not None and clash is not post:
        raise DomainError("Er is al een post met deze naam.", field="label")
    created = post is None
    if created:
        last = db.session.scalar(select(func.max(BudgetPost.position))) or 0
        post = BudgetPost(position=last + 10)
        db.session.add(post)
    before = None if created else {"naam": post.label, "actief": post.active}
    post.label, post.active = label, active
    db.session.flush()
    record("budget.post_created" if created else "budget.post_changed",
           Action.CREATE if created else Action.UPDATE, object_type="budget_post",
           object_id=post.id, detail={"voor": before, "na": {"naam": label, "actief": active}})
    db.session.commit()
    return post
