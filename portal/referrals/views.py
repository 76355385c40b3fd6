"""Aanmeldingen en signalen: submit, follow your own, triage (procesregie)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import access
from portal.access.loaders import load_referral
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.clients import queries as client_queries
from portal.extensions import db
from portal.pagination import requested_page
from portal.referrals import bp, services
from portal.referrals.forms import ReferralForm, ToClientForm, TriageForm
from portal.referrals.models import Referral, ReferralKind, TriageOutcome
from portal.refusal import DomainError
from portal.roles import Role
from portal.templating import local_date


def _page(query, event: str):
    page = db.paginate(query, page=requested_page(), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    record_and_commit(event, Action.READ, object_type="referral",
                      detail={"page": page.page, "referral_ids": [r.id for r in page.items]})
    return page


@bp.route("/")
def index():
    state = request.args.get("stand", services.OPEN)
    page = _page(services.list_query(state), "referrals.listed")
    return render_template("referrals/index.html", page=page, state=state)


@bp.route("/mijn")
def mine():
    page = _page(services.own_query(current_user), "referrals.own_listed")
    return render_template("referrals/mine.html", page=page)


def _linked_client(form: ReferralForm):
    number = form.client_number.data if "client_number" in form else ""
    if not number:
        return None
    client = services.find_client_by_number(number)
    if client is None or not access.can_view_client(current_user, client):
        form.client_number.errors = ["Er is geen cliënt met dit nummer."]
        return False
    return client


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    form = ReferralForm()
    if not access.can_link_client(current_user):
        del form.client_number  # partners see no client numbers
    if form.validate_on_submit() and (client := _linked_client(form)) is not False:
        referral = services.submit(
            current_user._get_current_object(), kind=ReferralKind(form.kind.data),
            aanleiding=form.aanleiding.data, doel=form.doel.data,
            partners_involved=form.partners_involved.data, werknaam=form.werknaam.data,
            client=client)
        flash(f"Uw {referral.kind_label.lower()} is ontvangen. U kunt hier volgen wat ermee "
              "gebeurt.", "success")
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    return render_template("referrals/form.html", form=form)


@bp.route("/<int:referral_id>")
def detail(referral_id: int):
    referral = load_referral(referral_id)
    services.record_view(referral)
    triage_form = TriageForm(formdata=None) if access.can_triage(current_user) else None
    return render_template("referrals/detail.html", referral=referral, triage_form=triage_form,
                           to_client_form=_to_client_form() if triage_form else None,
                           confirm_form=ConfirmForm(),
                           retention_days=current_app.config["REFERRAL_RETENTION_DAYS"],
                           can_withdraw=access.can_withdraw_referral(current_user, referral))


def _to_client_form() -> ToClientForm:
    form = ToClientForm() if request.method == "POST" else ToClientForm(formdata=None)
    form.set_staff(client_queries.staff_with_role(Role.CASEMANAGER))
    return form


def _done(referral: Referral, message: str):
    flash(message, "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


def _refused(referral: Referral, error: DomainError):
    flash(error.message, "error")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.route("/<int:referral_id>/triage", methods=["POST"])
def triage(referral_id: int):
    referral = load_referral(referral_id)
    form = TriageForm()
    if not form.validate_on_submit():
        flash("Kies de uitkomst van de triage.", "error")
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    try:
        services.triage(referral, current_user._get_current_object(),
                        TriageOutcome(form.outcome.data), form.note.data or "")
    except DomainError as error:
        return _refused(referral, error)
    return _done(referral, f"Triage vastgelegd: {referral.state_label.lower()}.")


@bp.route("/<int:referral_id>/dossier", methods=["POST"])
def to_client(referral_id: int):
    referral = load_referral(referral_id)
    form = _to_client_form()
    if not form.validate_on_submit():
        flash("Kies de casemanager(s) die haar oppakken.", "error")
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    try:
        client = services.to_client(referral, current_user._get_current_object(),
                                    form.casemanager_ids.data)
    except DomainError as error:
        return _refused(referral, error)
    flash(f"Dossier {client.number} is aangemaakt en de aanmelding is opgepakt.", "success")
    return redirect(url_for("clients.detail", ref=client.ref))


@bp.route("/<int:referral_id>/intrekken", methods=["POST"])
def withdraw(referral_id: int):
    referral = load_referral(referral_id)
    access.check_object(lambda: access.can_withdraw_referral(current_user, referral),
                        object_type="referral", object_id=referral_id)
    try:
        services.withdraw(referral, current_user._get_current_object())
    except DomainError as error:
        return _refused(referral, error)
    return _done(referral, "De aanmelding is ingetrokken. Zij wordt vernietigd na "
                           f"{local_date(referral.destroy_after)}.")
