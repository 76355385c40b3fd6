"""The budget pages of procesregie: the subsidies, one subsidy's begroting against its
realisation, its form, and the manual entries with their history. Views are thin: the
services validate, save and audit; portal/budget/figures.py computes."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.access.loaders import load_budget_entry, load_subsidy
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.budget import bp, figures, services
from portal.budget.forms import EntryChangeForm, EntryForm, RemoveForm, subsidy_form
from portal.budget.models import BudgetEntry, BudgetEntryRevision, BudgetPost
from portal.clients.models import Client
from portal.extensions import db
from portal.forms import acting_user, form_page, show_domain_error
from portal.refusal import DomainError


@bp.route("/")
def index():
    subsidies = figures.all_subsidies()
    record_and_commit("budget.subsidies_listed", Action.READ, object_type="subsidy")
    return render_template("budget/index.html", subsidies=subsidies,
                           totals=figures.subsidy_totals(subsidies))


@bp.route("/<int:subsidy_id>")
def subsidy(subsidy_id: int):
    """Begroot, realised and remaining per post, the entries and the counted trajecten."""
    item = load_subsidy(subsidy_id)
    rows = figures.subsidy_overview(item)
    every = figures.all_subsidies()
    trajecten = [(traject, day) for traject, day in figures.counted_trajecten()
                 if (owner := figures.owning_subsidy(every, day)) and owner.id == item.id]
    numbers = dict(db.session.execute(select(Client.id, Client.number).where(
        Client.id.in_([t.client_id for t, _ in trajecten]))).all())
    entries = db.session.scalars(select(BudgetEntry).where(BudgetEntry.subsidy_id == item.id)
                                 .options(selectinload(BudgetEntry.recorded_by))
                                 .order_by(BudgetEntry.invoice_date, BudgetEntry.id)).all()
    record_and_commit("budget.subsidy_viewed", Action.READ, object_type="subsidy",
                      object_id=item.id, detail={"trajecten": len(trajecten)})
    return render_template("budget/subsidy.html", subsidy=item, rows=rows,
                           total=figures.budget_total(rows), entries=entries,
                           trajecten=trajecten, numbers=numbers,
                           posts={p.id: p.label for p in figures.posts()})


def _form_posts(item) -> list[BudgetPost]:
    """Active posts, plus any inactive post this subsidy already has an amount for."""
    used = {line.post_id for line in item.lines} if item else set()
    return [p for p in figures.posts() if p.active or p.id in used]


@bp.route("/nieuw", methods=["GET", "POST"], defaults={"subsidy_id": None})
@bp.route("/<int:subsidy_id>/bewerken", methods=["GET", "POST"])
def subsidy_edit(subsidy_id: int | None):
    item = load_subsidy(subsidy_id) if subsidy_id is not None else None
    form = subsidy_form(_form_posts(item), obj=item)
    if item is not None and not form.is_submitted():
        amounts = {line.post_id: line.amount for line in item.lines}
        for post_id, name in form.post_fields:
            form[name].data = amounts.get(post_id)
    if form.validate_on_submit():
        try:
            saved = services.save_subsidy(item, acting_user(), services.SubsidyData(
                name=form.name.data, funder=form.funder.data, start_date=form.start_date.data,
                end_date=form.end_date.data, note=form.note.data, amounts=form.amounts()))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De subsidie en haar begroting zijn opgeslagen.", "success")
            return redirect(url_for(".subsidy", subsidy_id=saved.id))
    return form_page("budget/subsidy_form.html", form, subsidy=item)


def _entry_posts(current: int | None = None) -> list[BudgetPost]:
    return [p for p in figures.posts() if p.active or p.id == current]


@bp.route("/<int:subsidy_id>/boeking", methods=["GET", "POST"])
def entry_new(subsidy_id: int):
    item = load_subsidy(subsidy_id)
    form = EntryForm()
    form.set_posts(_entry_posts())
    if form.validate_on_submit():
        try:
            services.add_entry(item, acting_user(), _entry_data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De boeking is opgeslagen.", "success")
            return redirect(url_for(".subsidy", subsidy_id=item.id, _anchor="boekingen"))
    return form_page("budget/entry_form.html", form, subsidy=item, entry=None)


def _entry_data(form) -> services.EntryData:
    return services.EntryData(post_id=form.post_id.data, invoice_date=form.invoice_date.data,
                              amount=form.amount.data, description=form.description.data)


def _history(entry: BudgetEntry) -> list[BudgetEntryRevision]:
    """The entry's revisions with their posts and authors in one go (no query per row)."""
    return db.session.scalars(select(BudgetEntryRevision).where(
        BudgetEntryRevision.entry_id == entry.id).options(
        selectinload(BudgetEntryRevision.post), selectinload(BudgetEntryRevision.changed_by))
        .order_by(BudgetEntryRevision.version)).all()


@bp.route("/boekingen/<int:entry_id>", methods=["GET", "POST"])
def entry_edit(entry_id: int):
    """A correction of an entry (its earlier versions stay in the history shown below)."""
    entry, item = load_budget_entry(entry_id)
    form = EntryChangeForm(obj=entry)
    form.set_posts(_entry_posts(entry.post_id))
    if not entry.removed and form.validate_on_submit():
        try:
            services.change_entry(entry, item, acting_user(), _entry_data(form),
                                  form.reason.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De boeking is gewijzigd; de vorige versie staat in de geschiedenis.",
                  "success")
            return redirect(url_for(".entry_edit", entry_id=entry.id))
    elif entry.removed and form.is_submitted():
        show_domain_error(form, DomainError("Deze boeking is verwijderd en kan niet meer "
                                            "worden gewijzigd."))
    record_and_commit("budget.entry_viewed", Action.READ, object_type="budget_entry",
                      object_id=entry.id)
    return form_page("budget/entry_form.html", form, subsidy=item, entry=entry,
                     history=_history(entry), remove_form=RemoveForm())


@bp.route("/boekingen/<int:entry_id>/verwijderen", methods=["POST"])
def entry_remove(entry_id: int):
    entry, item = load_budget_entry(entry_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for(".entry_edit", entry_id=entry.id))
    try:
        services.remove_entry(entry, acting_user(), form.reason.data)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".entry_edit", entry_id=entry.id))
    flash("De boeking is verwijderd. Zij telt niet meer mee; haar geschiedenis blijft "
          "bewaard.", "success")
    return redirect(url_for(".subsidy", subsidy_id=item.id, _anchor="boekingen"))
