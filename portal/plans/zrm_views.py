"""ZRM pages of a client: all assessments side by side with differences and a chart per
domain, one assessment in full, and the form for a new one. Views are thin."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access.loaders import load_assessment, load_client
from portal.access.plans import can_read_texts, can_read_zrm, can_write_zrm
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import local_today
from portal.forms import acting_user, form_page, show_domain_error
from portal.plans import bp, progress
from portal.plans.chart import domain_chart
from portal.plans.forms import CompareForm, assessment_form, choice_list
from portal.plans.zrm import current_version, information_too_old, record_assessment
from portal.refusal import DomainError


def _viewed(client, event: str, **detail) -> None:
    record_and_commit(event, Action.READ, object_type="zrm_assessment", client_id=client.id,
                      detail=detail)


@bp.route("/zrm")
def zrm(ref: str):
    client = load_client(ref, can_read_zrm)
    assessments = progress.client_assessments(client)
    domains = progress.domains_of(assessments)
    form = CompareForm(request.args)
    choices = [(a.ref, a.assessed_on.strftime("%d-%m-%Y")) for a in assessments]
    form.van.choices = form.tot.choices = choice_list(choices)
    first, latest = progress.pick_pair(assessments, form.van.data, form.tot.data)
    if first is not None:
        form.van.data, form.tot.data = first.ref, latest.ref
    levels = sorted({level.score for a in assessments for level in a.version.levels})
    _viewed(client, "plans.zrm_overview_viewed",
            assessment_ids=[a.id for a in assessments])
    last_on = assessments[-1].assessed_on if assessments else None
    return render_template(
        "plans/zrm.html", client=client, assessments=assessments, domains=domains, form=form,
        differences=progress.differences(domains, first, latest) if first else [],
        first=first, latest=latest, due_on=progress.next_due(last_on), today=local_today(),
        charts=[domain_chart(d, assessments, levels) for d in domains] if levels else [],
        can_write=can_write_zrm(current_user, client))


@bp.route("/zrm/meting")
def zrm_detail(ref: str):
    """One assessment in full (the latest unless ?id= names another)."""
    client = load_client(ref, can_read_zrm)
    chosen = request.args.get("id", "")
    if chosen:
        assessment = load_assessment(client, chosen)
    else:
        assessments = progress.client_assessments(client)
        assessment = assessments[-1] if assessments else None
    if assessment is not None:
        _viewed(client, "plans.zrm_viewed", assessment_id=assessment.id,
                texts=can_read_texts(current_user))
    return render_template("plans/zrm_detail.html", client=client, assessment=assessment,
                           texts=can_read_texts(current_user))


@bp.route("/zrm/nieuw", methods=["GET", "POST"])
def zrm_new(ref: str):
    client = load_client(ref, can_write_zrm)
    version = current_version()
    if version is None:  # no ZRM edition loaded (the migration seeds ZRM 2017)
        flash("Er is geen ZRM-versie ingesteld; neem contact op met de functioneel beheerder.",
              "error")
        return redirect(url_for(".zrm", ref=client.ref))
    form = assessment_form(version, assessed_on=local_today(), information_on=local_today())
    warn = False
    if form.validate_on_submit():
        try:
            record_assessment(acting_user(), client, form.data_for_service())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De ZRM-meting is opgeslagen.", "success")
            return redirect(url_for(".zrm", ref=client.ref))
    warn = information_too_old(form.assessed_on.data, form.information_on.data)
    return form_page("plans/zrm_form.html", form, client=client, version=version, warn=warn)
