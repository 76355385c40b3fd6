"""Routes of legal holds, the monthly destruction list and destruction records: the holds
that keep a client's data, the list she approves or holds item by item, and the record of
every destruction (what kind, how many, hashes, who approved)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from portal.access.loaders import (
    load_destruction_item,
    load_destruction_list,
    load_destruction_record,
    load_legal_hold,
)
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.extensions import db
from portal.forms import acting_user, show_domain_error
from portal.privacy import bp, holds, retention
from portal.privacy.models import DestructionList, DestructionRecord
from portal.privacy.request_forms import ActionForm, HoldForm, HoldItemForm, LiftForm
from portal.refusal import DomainError


@bp.route("/bewaarplicht", methods=["GET", "POST"])
def holds_page():
    form = HoldForm()
    if form.validate_on_submit():
        try:
            hold = holds.place(acting_user(), form.client_number.data, form.reason.data or "")
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De bewaarplicht is vastgelegd; haar gegevens worden niet gewist of "
                  "vernietigd tot die is opgeheven.", "success")
            return redirect(url_for("privacy.holds_page", _anchor=f"hold-{hold.id}"))
    elif not form.errors:
        record_and_commit("privacy.holds_viewed", Action.READ, object_type="legal_hold")
    rows = db.session.scalars(holds.holds_query().limit(500)).all()
    status = 422 if form.errors else 200
    return render_template("privacy/holds.html", form=form, rows=rows,
                           lift_form=LiftForm(formdata=None)), status


@bp.route("/bewaarplicht/<int:hold_id>/opheffen", methods=["POST"])
def hold_lift(hold_id: int):
    hold = load_legal_hold(hold_id)
    form = LiftForm()
    if form.validate_on_submit():
        try:
            holds.lift(hold, acting_user(), form.reason.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("De bewaarplicht is opgeheven.", "success")
    return redirect(url_for("privacy.holds_page"))


@bp.route("/vernietigingen")
def destructions():
    rows = db.session.scalars(select(DestructionRecord).order_by(
        DestructionRecord.id.desc()).limit(500)).all()
    record_and_commit("privacy.destructions_viewed", Action.READ,
                      object_type="destruction_record")
    return render_template("privacy/destructions.html", rows=rows)


@bp.route("/vernietigingen/<int:record_id>")
def destruction_detail(record_id: int):
    row = load_destruction_record(record_id)
    record_and_commit("privacy.destruction_viewed", Action.READ,
                      object_type="destruction_record", object_id=row.id)
    return render_template("privacy/destruction_detail.html", row=row)


@bp.route("/vernietigingslijst")
def destruction_lists():
    rows = db.session.scalars(select(DestructionList).order_by(
        DestructionList.month.desc()).limit(120)).all()
    record_and_commit("privacy.destruction_lists_viewed", Action.READ,
                      object_type="destruction_list")
    return render_template("privacy/destruction_lists.html", rows=rows,
                           propose_form=ActionForm(formdata=None))


@bp.route("/vernietigingslijst/voorstellen", methods=["POST"])
def destruction_propose():
    if ActionForm().validate_on_submit():
        proposal = retention.propose()
        if proposal is None:
            flash("Er is geen nieuwe lijst: deze maand is er al een, of niets is voorbij de "
                  "bewaartermijn.", "info")
        else:
            return redirect(url_for("privacy.destruction_list", retention_list_id=proposal.id))
    return redirect(url_for("privacy.destruction_lists"))


@bp.route("/vernietigingslijst/<int:retention_list_id>")
def destruction_list(retention_list_id: int):
    proposal = load_destruction_list(retention_list_id)
    record_and_commit("privacy.destruction_list_viewed", Action.READ,
                      object_type="destruction_list", object_id=proposal.id)
    return _list_page(proposal)


def _list_page(proposal, status: int = 200, hold_form=None, held_item=None):
    return render_template(
        "privacy/destruction_list.html", proposal=proposal, labels=retention.CATEGORY_LABELS,
        hold_form=hold_form or HoldItemForm(formdata=None), held_item=held_item,
        execute_form=ActionForm(formdata=None)), status


@bp.route("/vernietigingslijst/onderdeel/<int:destruction_item_id>/aanhouden",
          methods=["POST"])
def destruction_hold(destruction_item_id: int):
    item = load_destruction_item(destruction_item_id)
    form = HoldItemForm()
    if form.validate_on_submit():
        try:
            retention.hold(item, acting_user(), form.reason.data or "")
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Aangehouden; dit wordt niet vernietigd.", "success")
            return redirect(url_for("privacy.destruction_list", retention_list_id=item.list_id,
                                    _anchor=f"item-{item.id}"))
    return _list_page(item.destruction_list, 422, hold_form=form, held_item=item.id)


@bp.route("/vernietigingslijst/<int:retention_list_id>/uitvoeren", methods=["POST"])
def destruction_execute(retention_list_id: int):
    proposal = load_destruction_list(retention_list_id)
    if ActionForm().validate_on_submit():
        try:
            retention.execute(proposal, acting_user())
        except DomainError as error:
            flash(error.message, "error")
        else:
            done = sum(item.state == "vernietigd" for item in proposal.items)
            flash(f"{done} onderdeel/onderdelen vernietigd; zie de vernietigingsverklaringen.",
                  "success")
    return redirect(url_for("privacy.destruction_list", retention_list_id=proposal.id))
