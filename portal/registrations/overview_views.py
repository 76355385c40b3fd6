"""Day passes, figures and the registration settings: the views that are about all
registrations at once rather than one of them (on the registrations blueprint)."""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import local_today
from portal.forms import acting_user, form_page, show_domain_error
from portal.refusal import DomainError
from portal.registrations import bp, daypasses, figures, settings
from portal.registrations.forms import DayPassForm, SettingsForm
from portal.registrations.lifecycle import RevocationReason
from portal.templating import local_date


class DayPassEntryForm(DayPassForm):
    mode = RadioField("Als deze avond al een aantal heeft", validators=[Optional()], choices=[
        SelectChoice(daypasses.EntryMode.ADD.value, "Optellen bij het eerdere aantal"),
        SelectChoice(daypasses.EntryMode.REPLACE.value,
                     "Het eerdere aantal vervangen (correctie)")])


@bp.route("/dagpassen", methods=["GET", "POST"])
def day_passes():
    current = settings.current()
    form = DayPassEntryForm(evening=daypasses.default_evening())
    if current.day_pass_mode and form.validate_on_submit():
        mode = daypasses.EntryMode(form.mode.data) if form.mode.data else None
        try:
            row = daypasses.record_evening(acting_user(), form.evening.data, form.passes.data,
                                           mode)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Op {local_date(row.evening)} staan nu {row.passes} dagpassen.", "success")
            return redirect(url_for(".day_passes"))
    start, end = _period()
    evenings = daypasses.evenings_between(start, end)
    record_and_commit("registrations.day_passes_viewed", Action.READ,
                      object_type="day_pass_evening",
                      detail={"from": start.isoformat(), "to": end.isoformat()})
    return form_page("registrations/day_passes.html", form, settings=current,
                      evenings=evenings, start=start, end=end,
                      entries=daypasses.entries_between(start, end),
                      total=sum(e.passes for e in evenings))


def _period() -> tuple[date, date]:
    """?van=&tot= (ISO dates); the current calendar year by default."""
    today = local_today()
    start = _iso(request.args.get("van")) or today.replace(month=1, day=1)
    end = _iso(request.args.get("tot")) or today.replace(month=12, day=31)
    return (start, end) if start <= end else (end, start)


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/cijfers", endpoint="figures")
def figures_page():
    start, end = _period()
    result = figures.figures_for(start, end, local_today())
    record_and_commit("registrations.figures_viewed", Action.READ, object_type="registration",
                      detail={"from": start.isoformat(), "to": end.isoformat()})
    return render_template("registrations/figures.html", figures=result,
                           reasons=RevocationReason)


@bp.route("/cijfers.csv")
def figures_csv():
    start, end = _period()
    result = figures.figures_for(start, end, local_today())
    record_and_commit("registrations.figures_exported", Action.EXECUTE,
                      object_type="registration",
                      detail={"from": start.isoformat(), "to": end.isoformat()})
    name = f"registratiecijfers-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(figures.as_csv(result), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/instellingen", methods=["GET", "POST"], endpoint="settings")
def settings_page():
    current = settings.current()
    if request.method == "GET":
        record_and_commit("registrations.settings_viewed", Action.READ,
                          object_type="registration_settings")
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        try:
            settings.update(acting_user(), settings.SettingsChange(
                personal_mode=form.personal_mode.data, day_pass_mode=form.day_pass_mode.data,
                day_pass_max=form.day_pass_max.data, validity_months=form.validity_months.data,
                reminder_days=form.reminder_days.data))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De registratie-instellingen zijn opgeslagen.", "success")
            return redirect(url_for(".settings"))
    return form_page("registrations/settings.html", form)
