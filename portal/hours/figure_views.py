"""Procesregie's hours pages (totals without notes; realisation against target with the
caseload), the targets she sets, and the beheerder's list of activity kinds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for

from portal.access.loaders import exists_or_404
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import local_today
from portal.forms import acting_user, form_page, show_domain_error
from portal.hours import bp, figures, kinds, queries, targets
from portal.hours.forms import GRAINS, KindForm, PeriodForm, TargetForm
from portal.hours.models import ActivityKind, HourTarget
from portal.refusal import DomainError

MAX_SPAN_DAYS = 3 * 366


def _period(form: PeriodForm) -> tuple[date, date]:
    """The period asked for, or this year until today when it is missing or unusable."""
    today = local_today()
    default = (date(today.year, 1, 1), today)
    start = form.van.data if not form.van.errors else None
    end = form.tot.data if not form.tot.errors else None
    start, end = start or default[0], end or default[1]
    if not (date(2000, 1, 1) <= start <= end <= date(2100, 12, 31)) or \
            (end - start).days > MAX_SPAN_DAYS:
        flash("Kies een periode van hoogstens drie jaar met de einddatum na de begindatum; "
              "getoond wordt dit jaar tot vandaag.", "warning")
        start, end = default
    form.van.data, form.tot.data = start, end
    return start, end


@bp.route("/totalen")
def totals():
    form = PeriodForm(request.args)
    form.validate()
    start, end = _period(form)
    found = queries.totals(start, end)
    record_and_commit("hours.totals_viewed", Action.READ, object_type="time_entry",
                      detail={"van": start.isoformat(), "tot": end.isoformat()})
    return render_template("hours/totals.html", form=form, totals=found, start=start, end=end)


def _expected(found_targets, day: date) -> dict[str, HourTarget]:
    """The target of each organisation on a day."""
    per_organisation: dict[str, list[HourTarget]] = {}
    for target in found_targets:
        per_organisation.setdefault(target.organisation.name, []).append(target)
    return {name: hit for name, items in per_organisation.items()
            if (hit := figures.target_on(items, day)) is not None}


@bp.route("/realisatie")
def realisation():
    form = PeriodForm(request.args)
    form.validate()
    start, end = _period(form)
    grain = form.per.data if form.per.data in GRAINS else "week"
    form.per.data = grain
    rows = figures.realisation(start, end, grain)
    organisations = sorted({row.organisation for row in rows})
    weeks = Decimal((end - start).days + 1) / 7
    load = queries.caseload(start, end)
    current = _expected(targets.all_targets(), end)
    per_organisation = {}
    for person in load:
        per_organisation[person.organisation] = per_organisation.get(person.organisation, 0) + \
            person.active_clients
    record_and_commit("hours.realisation_viewed", Action.READ, object_type="hour_target",
                      detail={"van": start.isoformat(), "tot": end.isoformat(), "per": grain})
    return render_template(
        "hours/realisation.html", form=form, rows=rows, organisations=organisations,
        grain=grain, caseload=load, weeks=weeks, current=current,
        caseload_per_organisation=per_organisation, start=start, end=end)


def _target_data(form: TargetForm) -> targets.TargetData:
    return targets.TargetData(
        organisation_id=int(form.organisation_id.data) if form.organisation_id.data.isdigit()
        else None, valid_from=form.valid_from.data, valid_until=form.valid_until.data,
        weekly_hours=form.weekly_hours.data, hours_per_client=form.hours_per_client.data,
        note=form.note.data)


def _save_target(form: TargetForm, target: HourTarget | None):
    if not form.validate_on_submit():
        return None
    try:
        targets.save_target(acting_user(), target, _target_data(form))
    except DomainError as error:
        show_domain_error(form, error)
        return None
    flash("De norm is opgeslagen.", "success")
    return redirect(url_for(".targets"))


@bp.route("/normen", endpoint="targets", methods=["GET", "POST"])
def targets_page():
    form = TargetForm()
    form.set_organisations(targets.care_providers())
    return _save_target(form, None) or form_page(
        "hours/targets.html", form, targets=targets.all_targets())



@bp.route("/normen/<int:target_id>", methods=["GET", "POST"])
def target_edit(target_id: int):
    target = exists_or_404(HourTarget, target_id, "hour_target")
    form = TargetForm(obj=target) if request.method == "GET" else TargetForm()
    form.set_organisations(targets.care_providers())
    if request.method == "GET":
        form.organisation_id.data = str(target.organisation_id)
    return _save_target(form, target) or form_page("hours/target_form.html", form,
                                                   target=target)


@bp.route("/soorten", endpoint="kinds", methods=["GET", "POST"])
def kinds_page():
    form = KindForm()
    if form.validate_on_submit():
        try:
            kind = kinds.add_kind(acting_user(), form.name.data, form.scope.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"De soort '{kind.name}' is toegevoegd.", "success")
            return redirect(url_for(".kinds"))
    return form_page("hours/kinds.html", form, kinds=kinds.all_kinds())



@bp.route("/soorten/<int:kind_id>/actief", methods=["POST"])
def kind_active(kind_id: int):
    """(De)activate a kind; CSRFProtect has checked the token before this runs."""
    kind = exists_or_404(ActivityKind, kind_id, "activity_kind")
    wanted = request.form.get("actief") == "ja"
    kinds.set_kind_active(acting_user(), kind, wanted)
    flash(f"'{kind.name}' is {'weer te kiezen' if wanted else 'niet meer te kiezen'}.",
          "success")
    return redirect(url_for(".kinds"))
