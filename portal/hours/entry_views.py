"""Her own hours: the week view, a new entry (also from the dossier's quick form), one entry
with its history, changing and deleting it. Views are thin; services decide."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access.hours import can_book_client
from portal.access.loaders import load_time_entry
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clients.models import Client
from portal.clock import local_today
from portal.converters import parse_day
from portal.extensions import db
from portal.fields import format_dutch_number
from portal.forms import acting_user, form_page, show_domain_error
from portal.hours import bp, queries, services
from portal.hours.durations import format_duration
from portal.hours.forms import DeleteForm, EntryForm
from portal.hours.kinds import active_kinds
from portal.hours.models import minutes_to_hours
from portal.refusal import DomainError

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


@bp.app_template_filter("duur")
def duration_filter(minutes) -> str:
    return format_duration(minutes)


@bp.app_template_filter("uren")
def hours_filter(minutes) -> str:
    """Whole minutes as Dutch hours: 90 → "1,50"."""
    return format_dutch_number(minutes_to_hours(int(minutes or 0)), 2)


@bp.app_template_filter("dutch_hours")
def dutch_hours_filter(value) -> str:
    """Decimal hours the Dutch way: 20.5 → "20,50"."""
    return format_dutch_number(value, 2)


@bp.app_context_processor
def quick_entry_helpers():
    """For the dossier's quick form (templates/hours/_quick_entry.html)."""
    return {"hours_quick_kinds": lambda: [k for k in active_kinds() if k.scope != "team"],
            "hours_today": local_today}


def day_from(text: str | None, default: date) -> date:
    """A date from the query string; anything else (or outside 2000-2100) is the default."""
    day = parse_day(text)
    return day if day is not None and EARLIEST <= day <= LATEST else default


@bp.route("/week")
def week():
    monday = queries.monday_of(day_from(request.args.get("datum"), local_today()))
    shown = queries.week_of(current_user, monday)
    record_and_commit("hours.week_viewed", Action.READ, object_type="time_entry",
                      detail={"week": monday.isoformat(), "entries": len(shown.entries)})
    return render_template("hours/week.html", week=shown,
                           this_week=queries.monday_of(local_today()),
                           previous=monday - timedelta(days=7),
                           following=monday + timedelta(days=7),
                           late=services.is_late, window=services.edit_window_days())


def _client_from_ref(ref: str | None) -> Client | None:
    if not ref:
        return None
    client = db.session.scalar(select(Client).where(Client.ref == str(ref)[:16]))
    return client if can_book_client(current_user, client) else None


def _entry_form(entry=None, preset: Client | None = None, **defaults) -> EntryForm:
    form = EntryForm(**defaults)
    keep = entry.kind_id if entry is not None else None
    extra = preset or (entry.client if entry is not None else None)
    form.set_choices(active_kinds(keep=keep), queries.bookable_clients(current_user, extra))
    return form


def _data(form: EntryForm, reason_field: str = "reason") -> services.EntryData:
    # The choices (checked by the form) hold only clients she may book, and the entry's own.
    client = db.session.scalar(select(Client).where(Client.ref == form.client.data)) \
        if form.client.data else None
    return services.EntryData(
        work_date=form.work_date.data, minutes=form.duration.data,
        kind_id=int(form.kind_id.data), client_id=client.id if client else None,
        note=form.note.data, reason=form[reason_field].data)


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    preset = _client_from_ref(request.values.get("client"))
    form = _entry_form(preset=preset, work_date=local_today(),
                       client=preset.ref if preset else "")
    if form.validate_on_submit():
        try:
            entry = services.record_entry(acting_user(), _data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Geboekt: {format_duration(entry.minutes)} op "
                  f"{entry.work_date.strftime('%d-%m-%Y')} ({entry.kind.name}).", "success")
            if form.back.data == "dossier" and entry.client is not None:
                return redirect(url_for("clients.detail", ref=entry.client.ref))
            return redirect(url_for(".week", datum=entry.work_date.isoformat()))
    return form_page("hours/entry_form.html", form, entry=None, late=False,
                     window=services.edit_window_days())


@bp.route("/boeking/<entry_ref>")
def entry(entry_ref: str):
    found = load_time_entry(entry_ref)
    record_and_commit("hours.entry_viewed", Action.READ, object_type="time_entry",
                      object_id=found.id, client_id=found.client_id)
    return render_template("hours/entry.html", entry=found, late=services.is_late(found.work_date),
                           window=services.edit_window_days())


def _refuse_deleted(found):
    flash("Deze boeking is verwijderd en kan niet meer worden gewijzigd.", "error")
    return redirect(url_for(".entry", entry_ref=found.ref))


@bp.route("/boeking/<entry_ref>/wijzigen", methods=["GET", "POST"])
def edit(entry_ref: str):
    found = load_time_entry(entry_ref)
    if found.is_deleted:
        return _refuse_deleted(found)
    form = _entry_form(found, work_date=found.work_date, duration=found.minutes,
                       kind_id=str(found.kind_id), client=found.client.ref if found.client else "",
                       note=found.note)
    if form.validate_on_submit():
        try:
            services.change_entry(acting_user(), found, _data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De boeking is gewijzigd.", "success")
            return redirect(url_for(".week", datum=found.work_date.isoformat()))
    return form_page("hours/entry_form.html", form, entry=found,
                     late=services.is_late(found.work_date), window=services.edit_window_days())


@bp.route("/boeking/<entry_ref>/verwijderen", methods=["GET", "POST"])
def delete(entry_ref: str):
    found = load_time_entry(entry_ref)
    if found.is_deleted:
        return _refuse_deleted(found)
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            services.delete_entry(acting_user(), found, form.reason.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De boeking is verwijderd; de geschiedenis blijft bewaard.", "success")
            return redirect(url_for(".week", datum=found.work_date.isoformat()))
    return form_page("hours/delete.html", form, entry=found,
                     late=services.is_late(found.work_date), window=services.edit_window_days())
