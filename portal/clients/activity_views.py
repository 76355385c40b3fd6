"""Trajecten and journaal entries, added from the dossier page."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from portal.access.loaders import load_client, load_traject
from portal.clients import bp, dossier, services
from portal.clients.forms import JournalForm, TrajectStatusForm
from portal.clients.lifecycle import TrajectKind, TrajectStatus
from portal.forms import show_domain_error
from portal.refusal import DomainError


@bp.route("/<ref>/trajecten", methods=["POST"])
def traject_new(ref: str):
    client = load_client(ref)
    form = dossier.traject_form(client)
    if form.validate_on_submit():
        try:
            services.add_traject(client, current_user._get_current_object(),
                                 services.TrajectRequest(
                                     kind=TrajectKind(form.kind.data),
                                     provider=form.provider.data or None,
                                     responsible_id=form.responsible_id.data,
                                     diagnosticus_id=form.diagnosticus_id.data,
                                     start_date=form.start_date.data, amount=form.amount.data,
                                     purpose=form.purpose.data, approved_by=form.approved_by.data,
                                     note=form.note.data or None))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Het traject is toegevoegd.", "success")
            return redirect(url_for("clients.detail", ref=client.ref, _anchor="trajecten"))
    return dossier.render(client, traject_form=form)


@bp.route("/<ref>/trajecten/<int:traject_id>/status", methods=["POST"])
def traject_status(ref: str, traject_id: int):
    client = load_client(ref)
    traject = load_traject(client, traject_id)
    form = TrajectStatusForm()
    if form.validate_on_submit():
        try:
            services.change_traject_status(traject, TrajectStatus(form.status.data),
                                           form.changed_on.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Het traject is nu {traject.status_label.lower()}.", "success")
            return redirect(url_for("clients.detail", ref=client.ref, _anchor="trajecten"))
    else:
        flash("Kies een geldige status en datum voor het traject.", "error")
    return redirect(url_for("clients.detail", ref=client.ref, _anchor="trajecten"))


@bp.route("/<ref>/journaal", methods=["POST"])
def journal_new(ref: str):
    client = load_client(ref)
    form = JournalForm()
    if form.validate_on_submit():
        try:
            services.add_journal_entry(client, current_user._get_current_object(),
                                       entry_date=form.entry_date.data, text=form.text.data,
                                       confidential=form.confidential.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De notitie is opgeslagen.", "success")
            return redirect(url_for("clients.detail", ref=client.ref, _anchor="journaal"))
    return dossier.render(client, journal_form=form)
