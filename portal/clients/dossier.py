"""The dossier page: which parts a user sees, the forms on it, and re-showing it with a form
that was refused (used by every view that posts from the dossier)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from portal import access
from portal.auth.forms import ConfirmForm
from portal.clients import queries, services
from portal.clients.forms import JournalForm, StatusForm, TrajectForm, TrajectStatusForm
from portal.clients.lifecycle import allowed_next
from portal.clients.models import AssignmentChange, Client, JournalEntry, StatusChange
from portal.clock import local_today
from portal.documents.models import Document
from portal.extensions import db
from portal.letters.models import Letter
from portal.registrations import queries as registration_queries
from portal.registrations import settings as registration_settings
from portal.roles import Role


def parts(client: Client, sections) -> dict:
    user = current_user
    parts = {"trajecten": [], "journal": [], "history": [], "handovers": [], "documents": [],
             "letters": [],
             "upload_kinds": access.upload_kinds(user, client), "status_form": None,
             "traject_form": None, "journal_form": None, "traject_status_form": None}
    if "trajecten" in sections:
        parts["trajecten"] = [t for t in client.trajecten if access.can_see_traject(user, t)]
    if "journaal" in sections:
        entries = db.session.scalars(select(JournalEntry).where(
            JournalEntry.client_id == client.id).order_by(JournalEntry.entry_date.desc(),
                                                          JournalEntry.id.desc()))
        parts["journal"] = [e for e in entries if access.can_see_journal_entry(user, e, client)]
    if "documenten" in sections:
        parts["documents"] = db.session.scalars(
            select(Document).where(Document.client_id == client.id, access.document_scope(user))
            .options(selectinload(Document.versions)).order_by(Document.created_at.desc())).all()
    parts["letter_purposes"] = access.client_letter_purposes(user, client)
    parts["dossier_letters"] = bool(access.dossier_letter_purposes(user, client))
    if parts["letter_purposes"]:
        parts["letters"] = [letter for letter in db.session.scalars(
            select(Letter).where(Letter.client_id == client.id)
            .options(selectinload(Letter.attachments)).order_by(Letter.id.desc()))
            if access.can_hand_over(user, letter, client)]
    parts["registrations"] = (registration_queries.client_registrations(client.id)
                              if "registratie" in sections else [])
    parts["registration_requestable"] = (
        access.can_manage_registrations(user) and registration_settings.current().personal_mode
        and not any(r.status_enum.blocks_new_request for r in parts["registrations"]))
    parts["intake"] = _intake(client) if "intake" in sections else []
    if "statushistorie" in sections:
        parts["history"] = db.session.scalars(select(StatusChange).where(
            StatusChange.client_id == client.id).order_by(StatusChange.id.desc())).all()
        parts["handovers"] = db.session.scalars(select(AssignmentChange).where(
            AssignmentChange.client_id == client.id).order_by(AssignmentChange.id.desc())
            .options(selectinload(AssignmentChange.by))).all()
    if access.can_change_status(user):
        parts["status_form"] = status_form(client)
    if access.can_manage_trajecten(user):
        parts["traject_form"] = traject_form(client)
        parts["traject_status_form"] = TrajectStatusForm(formdata=None, changed_on=local_today())
    if access.can_write_journal(user):
        parts["journal_form"] = JournalForm(formdata=None, entry_date=local_today())
    return parts


def _intake(client: Client) -> list:
    """The aanmelding(en) this dossier came from or was linked to: the intake section."""
    from portal.referrals.models import Referral

    return db.session.scalars(select(Referral).where(Referral.client_id == client.id)
                              .options(selectinload(Referral.organisation))
                              .order_by(Referral.received_on, Referral.id)).all()


def status_form(client: Client, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata, changed_on=local_today())
    form.to_status.choices = [SelectChoice("", "Kies…")] + [
        SelectChoice(s.value, s.label) for s in allowed_next(client.status_enum)]
    return form


def traject_form(client: Client) -> TrajectForm:
    form = TrajectForm() if request.method == "POST" else TrajectForm(formdata=None)
    form.set_kinds(access.traject_kinds_to_add(current_user, client))
    form.set_staff(*queries.staff_by_role(Role.CASEMANAGER, Role.DIAGNOSTICUS))
    return form


def render(client: Client, status: int = 422, **forms):
    """Re-show the dossier with a form that did not validate, errors next to its fields."""
    sections = access.sections_for(current_user, client)
    services.record_dossier_view(client, sections)
    shown = parts(client, sections)
    shown.update(forms)
    return render_template("clients/detail.html", client=client, sections=sections,
                           confirm_form=ConfirmForm(), **shown), status
