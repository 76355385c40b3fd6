"""Routes of legal holds and destruction records: the holds that keep a client's data from
erasure, and the record of every destruction (what kind, how many, hashes, who approved)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from portal.access.loaders import load_destruction_record, load_legal_hold
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.extensions import db
from portal.forms import acting_user, show_domain_error
from portal.privacy import bp, holds
from portal.privacy.models import DestructionRecord
from portal.privacy.request_forms import HoldForm, LiftForm
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
