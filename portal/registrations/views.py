"""The registration workspace: overview, requests, decisions, pass, letters, day passes,
figures and settings. Views are thin: services own every change and its audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from portal import access
from portal.access.loaders import load_client, load_registration
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import local_today
from portal.documents.models import DocumentKind
from portal.forms import acting_user, form_page, show_domain_error
from portal.letters import flow
from portal.letters.models import Purpose
from portal.pagination import paginate_rows
from portal.refusal import DomainError
from portal.registrations import bp, queries, services, settings
from portal.registrations.forms import (
    GrantForm,
    LapseForm,
    PassForm,
    ProcessingForm,
    RefuseForm,
    RequestForm,
    RevokeForm,
)
from portal.registrations.lifecycle import (
    RENEWABLE,
    STATUS_LABELS,
    RegistrationStatus,
    RevocationReason,
    manual_next,
)
from portal.registrations.models import Registration
from portal.registrations.texts import letter_defaults

S = RegistrationStatus


def _record_view(registration: Registration, page: str) -> None:
    """Forms and letter pages show registration data (the letter preview her legal name)."""
    record_and_commit("registrations.viewed", Action.READ, object_type="registration",
                      object_id=registration.id, client_id=registration.client_id,
                      detail={"page": page})


# --- Workspace -------------------------------------------------------------------------------

@bp.route("/")
def workspace():
    filters = queries.WorkspaceFilters.from_args(request.args)
    today, current = local_today(), settings.current()
    page = paginate_rows(queries.workspace_query(filters, today), current_app.config["PAGE_SIZE"],
                         rows=queries.workspace_rows(filters))
    record_and_commit("registrations.listed", Action.READ, object_type="registration",
                      detail={"filters": filters.as_dict(), "page": page.page,
                              "registration_ids": [row.Registration.id for row in page.items]})
    return render_template("registrations/workspace.html", page=page, filters=filters,
                           statuses=STATUS_LABELS, counts=queries.status_counts(),
                           summary=queries.summary(today, current.reminder_days),
                           settings=current, today=today)


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    """A new request starts from the intake of the woman who applied (see intake_views)."""
    ref = request.args.get("client", "")[:64]  # no longer than the audit's object id
    client = load_client(ref) if ref else None
    intake = services.open_intake(client) if client else None
    if intake is None:
        flash("Een nieuwe aanvraag begint met de intake: zoek of maak haar dossier en leg de "
              "ID-controle vast.", "info")
        return redirect(url_for(".intake", client=client.ref if client else None))
    form = RequestForm(requested_on=intake.applied_on, id_check_document=intake.id_check_document,
                       id_check_date=intake.id_check_date)
    if form.validate_on_submit():
        try:
            registration = services.request_registration(acting_user(), client,
                                                         _request_data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Aanvraag {registration.number} is vastgelegd.", "success")
            return redirect(url_for(".detail", registration_ref=registration.ref))
    return form_page("registrations/request_form.html", form, client=client,
                     personal_mode=settings.current().personal_mode)


def _request_data(form: RequestForm) -> services.RequestData:
    return services.RequestData(
        requested_on=form.requested_on.data, criterion=form.criterion.data,
        id_check_document=form.id_check_document.data, id_check_date=form.id_check_date.data,
        note=form.note.data, decision_kenmerk=form.decision_kenmerk.data)


# --- One registration ------------------------------------------------------------------------

@bp.route("/<registration_ref>")
def detail(registration_ref: str):
    registration = load_registration(registration_ref)
    record_and_commit("registrations.viewed", Action.READ, object_type="registration",
                      object_id=registration.id, client_id=registration.client_id)
    return render_template("registrations/detail.html", registration=registration,
                           client=registration.client, **_detail_parts(registration))


def _detail_parts(registration: Registration) -> dict:
    user, client = current_user, registration.client
    renewal = services.renewal_of(registration)
    return {"next_statuses": manual_next(registration.status_enum),
            "history": queries.history(registration),
            "documents": queries.registration_documents(client, access.document_scope(user)),
            "letters": queries.registration_letters(registration),
            "renewal": renewal,
            "can_renew": (registration.status_enum in RENEWABLE and renewal is None
                          and settings.current().personal_mode),
            "pass_form": PassForm(formdata=None, on=local_today()),
            "can_upload": DocumentKind.REGISTRATIEDOCUMENT in access.upload_kinds(user, client)}


@bp.route("/<registration_ref>/wijzigen", methods=["GET", "POST"])
def edit(registration_ref: str):
    registration = load_registration(registration_ref)
    form = RequestForm(obj=registration)
    if form.validate_on_submit():
        try:
            changed = services.update_details(acting_user(), registration, _request_data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De gegevens zijn opgeslagen." if changed else "Er was niets gewijzigd.",
                  "success")
            return redirect(url_for(".detail", registration_ref=registration.ref))
    _record_view(registration, "wijzigen")
    return form_page("registrations/request_form.html", form, registration=registration,
                      client=registration.client, personal_mode=True)


@bp.route("/<registration_ref>/hernieuwen", methods=["GET", "POST"])
def renew(registration_ref: str):
    previous = load_registration(registration_ref)
    form = RequestForm(formdata=None if request.method == "GET" else request.form,
                       requested_on=local_today(), criterion=previous.criterion)
    if form.validate_on_submit():
        try:
            registration = services.renew(acting_user(), previous, _request_data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Hernieuwing {registration.number} is aangevraagd.", "success")
            return redirect(url_for(".detail", registration_ref=registration.ref))
    _record_view(previous, "hernieuwen")
    return form_page("registrations/request_form.html", form, previous=previous,
                      client=previous.client, personal_mode=settings.current().personal_mode)


@dataclass(frozen=True)
class StatusAction:
    form: type
    title: str
    done: str
    apply: Callable


STATUS_ACTIONS: dict[S, StatusAction] = {
    S.IN_BEHANDELING: StatusAction(
        ProcessingForm, "In behandeling nemen", "is in behandeling genomen",
        lambda actor, reg, f: services.start_processing(actor, reg, f.on.data, f.note.data or "")),
    S.VERLEEND: StatusAction(
        GrantForm, "Registratie verlenen", "is verleend",
        lambda actor, reg, f: services.grant(actor, reg, services.Decision(
            decided_on=f.decided_on.data, decision_kenmerk=f.decision_kenmerk.data,
            valid_from=f.valid_from.data, valid_until=f.valid_until.data,
            reason=f.reason.data or ""))),
    S.AFGEWEZEN: StatusAction(
        RefuseForm, "Aanvraag afwijzen", "is afgewezen",
        lambda actor, reg, f: services.refuse(actor, reg, services.Decision(
            decided_on=f.decided_on.data, decision_kenmerk=f.decision_kenmerk.data,
            reason=f.reason.data))),
    S.INGETROKKEN: StatusAction(
        RevokeForm, "Registratie intrekken", "is ingetrokken",
        lambda actor, reg, f: services.revoke(
            actor, reg, on=f.on.data, reason=RevocationReason(f.reason.data),
            explanation=f.explanation.data or "",
            pass_returned="pass_returned" in f and f.pass_returned.data)),
    S.VERVALLEN: StatusAction(
        LapseForm, "Registratie laten vervallen", "is vervallen",
        lambda actor, reg, f: services.lapse(actor, reg, on=f.on.data, reason=f.reason.data)),
}


@bp.route("/<registration_ref>/status/<target>", methods=["GET", "POST"])
def change_status(registration_ref: str, target: str):
    registration = load_registration(registration_ref)
    try:
        status = S(target)
    except ValueError:
        abort(404)
    try:  # the lifecycle's own refusal, before any form is shown
        services.check_transition(registration, status, acting_user())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".detail", registration_ref=registration.ref)), 303
    action = STATUS_ACTIONS[status]
    form = action.form(**_status_defaults(registration))
    if status == S.INGETROKKEN and not registration.pass_outstanding:
        del form.pass_returned  # no pass to hand in
    if status == S.VERLEEND:
        months = settings.current().validity_months
        form.valid_until.description = (f"Leeg: {months} maanden vanaf de ingangsdatum, tot en "
                                        "met de dag ervoor.")
    if form.validate_on_submit():
        try:
            action.apply(acting_user(), registration, form)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Registratie {registration.number} {action.done}.", "success")
            return redirect(url_for(".detail", registration_ref=registration.ref))
    _record_view(registration, f"status:{status.value}")
    return form_page("registrations/status_form.html", form, registration=registration,
                      action=action, status=status, client=registration.client)


def _status_defaults(registration: Registration) -> dict:
    """Today; a renewal of a registration still valid starts the day after it ends."""
    today = local_today()
    defaults = {"on": today, "decided_on": today}
    previous = registration.previous
    if previous is not None and previous.status_enum == S.VERLEEND:
        defaults["valid_from"] = max(today, previous.valid_until + timedelta(days=1))
    return defaults


@bp.route("/<registration_ref>/pas/<event>", methods=["POST"])
def pass_event(registration_ref: str, event: str):
    registration = load_registration(registration_ref)
    change = {"uitgereikt": services.pass_issued,
              "ingeleverd": services.pass_returned}.get(event)
    if change is None:
        abort(404)
    form = PassForm()
    if not form.validate_on_submit():
        flash("Vul een geldige datum in.", "error")
    else:
        try:
            change(acting_user(), registration, form.on.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"{registration.number}: pas {event}.", "success")
    return redirect(url_for(".detail", registration_ref=registration.ref, _anchor="pas"))


@bp.route("/<registration_ref>/brief", methods=["GET", "POST"])
def letter(registration_ref: str):
    registration = load_registration(registration_ref)

    def make(version, values, form):
        made = services.create_letter(acting_user(), registration, version, values,
                                      form.subject.data)
        flash(f"Brief {made.kenmerk} staat in het dossier.", "success")
        return redirect(url_for(".detail", registration_ref=registration.ref, _anchor="brieven"))

    return flow.run(flow.LetterCase(
        purposes=[Purpose.REGISTRATIEBRIEF], make=make,
        choose_page="registrations/letter_choose.html",
        form_page="registrations/letter_form.html",
        portal_fields=frozenset(services.REGISTRATION_FIELDS),
        defaults=letter_defaults(registration),
        preview_values=lambda values: {**values, **services.letter_values(registration)},
        recipient={"client": registration.client},
        shown=lambda previewed: _record_view(registration,
                                             "brief-voorbeeld" if previewed else "brief"),
        context={"registration": registration,
                 "filled": services.letter_values(registration)}))

