"""Partner contacts and distribution lists (functioneel beheer and procesregie)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from portal.access.loaders import exists_or_404
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.models import Organisation
from portal.extensions import db
from portal.forms import show_domain_error
from portal.partners import bp, services
from portal.partners.forms import ContactForm, ListForm
from portal.partners.models import DistributionList, PartnerContact
from portal.refusal import DomainError


@bp.route("/")
def contacts():
    record_and_commit("partners.listed", Action.READ, object_type="partner_contact")
    return render_template("partners/contacts.html", contacts=services.contacts(),
                           lists=services.lists())


@bp.route("/contact/nieuw", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/contact/<int:contact_id>", methods=["GET", "POST"])
def contact_edit(contact_id: int | None):
    contact = None
    if contact_id is not None:
        contact = exists_or_404(PartnerContact, contact_id, "partner_contact")
    form = ContactForm(obj=contact)
    form.set_organisations(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    if form.validate_on_submit():
        try:
            services.save_contact(contact, organisation_id=form.organisation_id.data,
                                  name=form.name.data, email=form.email.data,
                                  active=form.active.data, department=form.department.data,
                                  postal_address=form.postal_address.data,
                                  salutation=form.salutation.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De contactpersoon is opgeslagen.", "success")
            return redirect(url_for("partners.contacts"))
    return render_template("partners/contact_form.html", form=form, contact=contact)


@bp.route("/lijsten")
def lists():
    return redirect(url_for("partners.contacts", _anchor="lijsten"))


@bp.route("/lijsten/nieuw", methods=["GET", "POST"], defaults={"list_id": None})
@bp.route("/lijsten/<int:list_id>", methods=["GET", "POST"])
def list_edit(list_id: int | None):
    dlist = None
    if list_id is not None:
        dlist = exists_or_404(DistributionList, list_id, "distribution_list")
    form = ListForm(obj=dlist)
    form.set_contacts(services.contacts())
    if dlist is not None and not form.is_submitted():
        form.member_ids.data = [m.id for m in dlist.members]
    if form.validate_on_submit():
        try:
            services.save_list(dlist, name=form.name.data, description=form.description.data,
                               member_ids=form.member_ids.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De verzendlijst is opgeslagen.", "success")
            return redirect(url_for("partners.contacts", _anchor="lijsten"))
    return render_template("partners/list_form.html", form=form, dlist=dlist)
