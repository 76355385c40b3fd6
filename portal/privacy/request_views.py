"""Routes of the AVG requests register: the list, a new request and one request's page
(take into handling, extend, the casemanager's contribution, decide)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access.loaders import load_avg_request
from portal.access.privacy import can_contribute, handles_requests
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clients.models import client_casemanagers
from portal.clock import local_today
from portal.extensions import db
from portal.forms import acting_user, form_page, show_domain_error
from portal.privacy import bp, erasure
from portal.privacy import requests as register
from portal.privacy.models import (
    Decision,
    DestructionRecord,
    InzagePack,
    RequestKind,
    RequestStatus,
)
from portal.privacy.request_forms import (
    ContributeForm,
    DecideForm,
    EraseForm,
    ExtendForm,
    FilterForm,
    NewRequestForm,
    StartForm,
)
from portal.refusal import DomainError

LABELS = {"statuses": {s.value: s.label for s in RequestStatus},
          "decisions": {d.value: d.label for d in Decision}}


@bp.route("/verzoeken")
def requests():
    form = FilterForm(request.args)
    form.validate()
    query = register.register_query(
        status=form.status.data if not form.status.errors else "",
        kind=form.kind.data if not form.kind.errors else "",
        overdue=form.overdue.data == "ja",
        client_ids=None if handles_requests(current_user) else _own_client_ids())
    rows = db.session.scalars(query.limit(500)).all()
    return render_template("privacy/requests.html", rows=rows, form=form, today=local_today(),
                           handles=handles_requests(current_user), **LABELS)


def _own_client_ids():
    return select(client_casemanagers.c.client_id).where(
        client_casemanagers.c.user_id == current_user.id)


@bp.route("/verzoeken/nieuw", methods=["GET", "POST"])
def request_new():
    form = NewRequestForm()
    if request.method == "GET":
        form.received_on.data = local_today()
    if form.validate_on_submit():
        try:
            row = register.register(acting_user(), register.NewRequest(
                client_number=form.client_number.data, kind=RequestKind(form.kind.data),
                received_on=form.received_on.data, received_via=form.received_via.data,
                description=form.description.data or ""))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Het verzoek is geregistreerd; de termijn loopt tot {row.deadline:%d-%m-%Y}.",
                  "success")
            return redirect(url_for("privacy.request_detail", request_id=row.id))
    return form_page("privacy/request_new.html", form)


@bp.route("/verzoeken/<int:request_id>")
def request_detail(request_id: int):
    row, client = load_avg_request(request_id)
    record_and_commit("privacy.request_viewed", Action.READ, object_type="avg_request",
                      object_id=row.id, client_id=row.client_id)
    return _detail(row, client)


def _detail(row, client, status: int = 200, **forms):
    handles = handles_requests(current_user)
    werknaam = client.werknaam if client is not None else None
    plan = _erasure_plan(row, client, handles)
    context = {
        "req": row, "werknaam": werknaam, "today": local_today(),
        "start_form": forms.get("start_form") or StartForm(formdata=None),
        "extend_form": forms.get("extend_form") or ExtendForm(formdata=None),
        "decide_form": forms.get("decide_form") or DecideForm(
            formdata=None, decided_on=local_today(), motivation=_refusal_text(plan)),
        "contribute_form": forms.get("contribute_form") or ContributeForm(
            formdata=None, note=row.casemanager_note),
        "handles": handles, "contributes": can_contribute(current_user, row, client),
        "erasure": plan,
        "erase_form": forms.get("erase_form") or EraseForm(formdata=None),
        "destruction": db.session.scalar(select(DestructionRecord).where(
            DestructionRecord.avg_request_id == row.id)),
        "pack": db.session.scalar(select(InzagePack).where(
            InzagePack.avg_request_id == row.id).order_by(InzagePack.id.desc()).limit(1)),
        **LABELS,
    }
    return render_template("privacy/request_detail.html", **context), status


def _erasable(row, client) -> bool:
    """An open request for erasure whose dossier still exists."""
    return (row.kind == RequestKind.VERWIJDERING.value and client is not None
            and row.status != RequestStatus.AFGEHANDELD.value)


def _erasure_plan(row, client, handles: bool):
    """What erasing would destroy, shown before the privacyfunctionaris confirms."""
    return erasure.plan(client) if handles and _erasable(row, client) else None


def _refusal_text(plan) -> str | None:
    """A refused erasure: the legal grounds, ready to decide 'afgewezen' with."""
    if plan is None or not plan.refusals:
        return None
    return "Het verzoek om verwijdering wordt afgewezen: " + " ".join(plan.refusals)


def _post(request_id: int, form_class, name: str, act):
    row, client = load_avg_request(request_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            message = act(row, client, form)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(message, "success")
            return redirect(url_for("privacy.request_detail", request_id=row.id))
    return _detail(row, client, 422, **{name: form})


@bp.route("/verzoeken/<int:request_id>/in-behandeling", methods=["POST"])
def request_start(request_id: int):
    def act(row, client, form):
        register.start(row)
        return "Het verzoek is in behandeling genomen."
    return _post(request_id, StartForm, "start_form", act)


@bp.route("/verzoeken/<int:request_id>/verlengen", methods=["POST"])
def request_extend(request_id: int):
    def act(row, client, form):
        register.extend(row, form.until.data, form.reason.data or "")
        return f"De termijn is verlengd tot {row.extended_until:%d-%m-%Y}."
    return _post(request_id, ExtendForm, "extend_form", act)


@bp.route("/verzoeken/<int:request_id>/bijdrage", methods=["POST"])
def request_contribute(request_id: int):
    def act(row, client, form):
        if not can_contribute(current_user, row, client):
            raise DomainError("Alleen een casemanager van deze cliënt schrijft hier een bijdrage.")
        register.contribute(row, acting_user(), form.note.data or "")
        return "Uw bijdrage is opgeslagen."
    return _post(request_id, ContributeForm, "contribute_form", act)


@bp.route("/verzoeken/<int:request_id>/besluit", methods=["POST"])
def request_decide(request_id: int):
    def act(row, client, form):
        register.decide(row, acting_user(), Decision(form.decision.data),
                        form.motivation.data or "", form.decided_on.data)
        return "Het besluit is vastgelegd; het verzoek is afgehandeld."
    return _post(request_id, DecideForm, "decide_form", act)




@bp.route("/verzoeken/<int:request_id>/wissen", methods=["POST"])
def request_erase(request_id: int):
    row, client = load_avg_request(request_id)
    if not _erasable(row, client):
        flash("Alleen een openstaand verzoek om verwijdering wist een dossier.", "error")
        return redirect(url_for("privacy.request_detail", request_id=row.id))

    def act(row, client, form):
        if form.confirm_number.data.strip().upper() != client.number:
            raise DomainError(f"Typ het cliëntnummer {client.number} om te bevestigen.",
                              field="confirm_number")
        destruction = erasure.erase(client, acting_user(), row)
        return (f"Alle gegevens van {destruction.client_number} zijn gewist "
                f"(vernietigingsverklaring nr. {destruction.id}).")
    return _post(request_id, EraseForm, "erase_form", act)
