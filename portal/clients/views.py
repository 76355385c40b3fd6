"""Client dossiers: caseload, team overview, dossier page, create, edit and status changes."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from portal import access
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.clients import queries, services
from portal.clients.forms import ClientForm, JournalForm, StatusForm, TrajectForm, TrajectStatusForm
from portal.clients.lifecycle import STATUS_LABELS, ClientStatus, allowed_next
from portal.clients.models import Client, JournalEntry, StatusChange
from portal.clock import local_today
from portal.documents.models import Document
from portal.extensions import db
from portal.forms import show_domain_error
from portal.letters.models import Letter
from portal.pagination import paginate_rows
from portal.refusal import DomainError
from portal.registrations import queries as registration_queries
from portal.registrations import settings as registration_settings
from portal.roles import Role

bp = Blueprint("clients", __name__, url_prefix="/clienten")


def load_client(ref: str) -> Client:
    """The client behind an opaque ref, or 404 (with an audit event) when hidden or absent."""
    client = db.session.scalar(select(Client).where(Client.ref == ref))
    access.check_object(lambda: access.can_view_client(current_user, client),
                        object_type="client", object_id=ref,
                        client_id=client.id if client else None)
    return client


def _list_page(query, filters, event: str):
    page = paginate_rows(query, current_app.config["PAGE_SIZE"])
    record_and_commit(event, Action.READ, object_type="client",
                      detail={"filters": filters.as_dict(), "page": page.page,
                              "client_ids": [row.Client.id for row in page.items]})
    return page


def _filter_choices() -> dict:
    team = access.can_filter_by_team(current_user)
    return {"statuses": STATUS_LABELS, "kinds": access.visible_traject_kinds(current_user),
            "casemanagers": queries.staff_with_role(Role.CASEMANAGER) if team else [],
            "organisations": queries.organisations_with_casemanagers() if team else []}


@bp.route("/caseload")
def caseload():
    filters = queries.ClientFilters.from_args(request.args)
    page = _list_page(queries.caseload_query(current_user, filters), filters, "clients.caseload")
    return render_template("clients/caseload.html", page=page, filters=filters,
                           quiet_since=services.quiet_since(), **_filter_choices())


@bp.route("/")
def overview():
    filters = queries.ClientFilters.from_args(request.args)
    page = _list_page(queries.overview_query(current_user, filters), filters,
                      "clients.overview")
    return render_template("clients/overview.html", page=page, filters=filters,
                           status_counts=queries.status_counts(current_user, filters),
                           organisation_counts=queries.organisation_counts(current_user,
                                                                           filters),
                           quiet_since=services.quiet_since(), **_filter_choices())


def _client_form(client: Client | None = None) -> ClientForm:
    form = ClientForm(obj=client)
    form.set_staff(queries.staff_with_role(Role.CASEMANAGER),
                   queries.staff_with_role(Role.ERVARINGSDESKUNDIGE))
    if client is not None and request.method == "GET":
        form.casemanager_ids.data = [u.id for u in client.casemanagers]
    form.limit_to(access.editable_client_fields(current_user),
                  access.can_change_assignment(current_user, client))
    return form


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    form = _client_form()
    if request.method == "GET" and current_user.has_role(Role.CASEMANAGER):
        form.casemanager_ids.data = [current_user.id]
    if form.validate_on_submit():
        try:
            client = services.create_client(current_user._get_current_object(),
                                            **form.assignment(), **form.client_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Dossier {client.number} voor {client.werknaam} is aangemaakt.", "success")
            return redirect(url_for("clients.detail", ref=client.ref))
    return render_template("clients/form.html", form=form, client=None)


@bp.route("/<ref>")
def detail(ref: str):
    client = load_client(ref)
    sections = access.sections_for(current_user, client)
    services.record_dossier_view(client, sections)
    return render_template("clients/detail.html", client=client, sections=sections,
                           confirm_form=ConfirmForm(), **_dossier_parts(client, sections))


def _dossier_parts(client: Client, sections) -> dict:
    user = current_user
    parts = {"trajecten": [], "journal": [], "history": [], "documents": [], "letters": [],
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
            select(Letter).where(Letter.client_id == client.id).order_by(Letter.id.desc()))
            if access.can_hand_over(user, letter, client)]
    parts["registrations"] = (registration_queries.client_registrations(client.id)
                              if "registratie" in sections else [])
    parts["registration_requestable"] = (
        access.can_manage_registrations(user) and registration_settings.current().personal_mode
        and not any(r.status_enum.blocks_new_request for r in parts["registrations"]))
    if "statushistorie" in sections:
        parts["history"] = db.session.scalars(select(StatusChange).where(
            StatusChange.client_id == client.id).order_by(StatusChange.id.desc())).all()
    if access.can_change_status(user):
        parts["status_form"] = _status_form(client)
    if access.can_manage_trajecten(user):
        parts["traject_form"] = _traject_form()
        parts["traject_status_form"] = TrajectStatusForm(formdata=None, changed_on=local_today())
    if access.can_write_journal(user):
        parts["journal_form"] = JournalForm(formdata=None, entry_date=local_today())
    return parts


def _status_form(client: Client, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata, changed_on=local_today())
    form.to_status.choices = [SelectChoice("", "Kies…")] + [
        SelectChoice(s.value, s.label) for s in allowed_next(client.status_enum)]
    return form


def _traject_form() -> TrajectForm:
    form = TrajectForm() if request.method == "POST" else TrajectForm(formdata=None)
    form.set_staff(queries.staff_with_role(Role.CASEMANAGER),
                   queries.staff_with_role(Role.DIAGNOSTICUS))
    return form


def render_dossier(client: Client, status: int = 422, **forms):
    """Re-show the dossier with a form that did not validate, errors next to its fields."""
    sections = access.sections_for(current_user, client)
    services.record_dossier_view(client, sections)
    parts = _dossier_parts(client, sections)
    parts.update(forms)
    return render_template("clients/detail.html", client=client, sections=sections,
                           confirm_form=ConfirmForm(), **parts), status


@bp.route("/<ref>/bewerken", methods=["GET", "POST"])
def edit(ref: str):
    client = load_client(ref)
    form = _client_form(client)
    if form.validate_on_submit():
        try:
            services.update_client(client, current_user._get_current_object(),
                                   **form.assignment(), **form.client_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De gegevens zijn opgeslagen.", "success")
            return redirect(url_for("clients.detail", ref=client.ref))
    services.record_dossier_view(client, access.sections_for(current_user, client),
                                 event="clients.edit_viewed")
    return render_template("clients/form.html", form=form, client=client)


@bp.route("/<ref>/status", methods=["POST"])
def change_status(ref: str):
    client = load_client(ref)
    form = _status_form(client, formdata=request.form)
    if form.validate_on_submit():
        try:
            services.change_status(client, current_user._get_current_object(),
                                   services.StatusRequest(
                                       to_status=ClientStatus(form.to_status.data),
                                       changed_on=form.changed_on.data, reason=form.reason.data,
                                       receiving_party=form.receiving_party.data,
                                       warm_handover={"ja": True, "nee": False}.get(
                                           form.warm_handover.data)))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"De status is gewijzigd naar {client.status_enum.label}.", "success")
            return redirect(url_for("clients.detail", ref=client.ref, _anchor="status"))
    return render_dossier(client, status_form=form)


from portal.clients import activity_views  # noqa: E402,F401  (routes on this blueprint)
