"""Client dossiers: caseload, team overview, dossier page, create, edit and status changes."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import access
from portal.access.loaders import load_client
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.clients import bp, dossier, queries, services
from portal.clients.forms import ClientForm, HandoverForm
from portal.clients.handover import hand_over
from portal.clients.lifecycle import STATUS_LABELS, ClientStatus
from portal.clients.listing import shown_rows
from portal.clients.models import Client
from portal.forms import show_domain_error
from portal.pagination import paginate_rows
from portal.refusal import DomainError
from portal.roles import Role


def _list_page(query, filters, event: str) -> dict:
    """One page of a client list, audited, with what its template shows."""
    page = paginate_rows(query, current_app.config["PAGE_SIZE"], rows=queries.list_rows)
    record_and_commit(event, Action.READ, object_type="client",
                      detail={"filters": filters.as_dict(), "page": page.page,
                              "client_ids": [row.Client.id for row in page.items]})
    return {"page": page, "filters": filters, **_filter_choices(),
            "rows": shown_rows(current_user._get_current_object(), page.items)}


def _filter_choices() -> dict:
    team = access.can_filter_by_team(current_user)
    return {"statuses": STATUS_LABELS, "kinds": access.visible_traject_kinds(current_user),
            "casemanagers": queries.staff_with_role(Role.CASEMANAGER) if team else [],
            "organisations": queries.organisations_with_casemanagers() if team else []}


@bp.route("/caseload")
def caseload():
    filters = queries.ClientFilters.from_args(request.args)
    shown = _list_page(queries.caseload_query(current_user, filters), filters,
                       "clients.caseload")
    return render_template("clients/caseload.html", **shown)


@bp.route("/")
def overview():
    filters = queries.ClientFilters.from_args(request.args)
    shown = _list_page(queries.overview_query(current_user, filters), filters,
                       "clients.overview")
    return render_template("clients/overview.html", **shown,
                           status_counts=queries.status_counts(current_user, filters),
                           organisation_counts=queries.organisation_counts(current_user,
                                                                           filters))


def _client_form(client: Client | None = None) -> ClientForm:
    form = ClientForm(obj=client)
    form.set_staff(*queries.staff_by_role(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE))
    if client is not None and request.method == "GET":
        form.casemanager_ids.data = [u.id for u in client.casemanagers]
    # The assignment is chosen when a dossier is made; later it changes only by a handover.
    form.limit_to(access.editable_client_fields(current_user),
                  client is None and access.can_change_assignment(current_user, None))
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
                           confirm_form=ConfirmForm(), **dossier.parts(client, sections))


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


@bp.route("/<ref>/toewijzing", methods=["GET", "POST"])
def handover(ref: str):
    client = load_client(ref, allowed=access.can_change_assignment)
    form = HandoverForm()
    form.set_staff(*queries.staff_by_role(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE))
    if request.method == "GET":
        form.casemanager_ids.data = [u.id for u in client.casemanagers]
        form.ervaringsdeskundige_id.data = client.ervaringsdeskundige_id
    if form.validate_on_submit():
        try:
            hand_over(client, current_user._get_current_object(),
                      casemanager_ids=form.casemanager_ids.data,
                      ervaringsdeskundige_id=form.ervaringsdeskundige_id.data,
                      note=form.note.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De toewijzing is gewijzigd; de betrokkenen krijgen een melding.", "success")
            return redirect(url_for("clients.detail", ref=client.ref, _anchor="status"))
    services.record_dossier_view(client, access.sections_for(current_user, client),
                                 event="clients.handover_viewed")
    return render_template("clients/handover.html", form=form, client=client)


@bp.route("/<ref>/status", methods=["POST"])
def change_status(ref: str):
    client = load_client(ref)
    form = dossier.status_form(client, formdata=request.form)
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
    return dossier.render(client, status_form=form)
