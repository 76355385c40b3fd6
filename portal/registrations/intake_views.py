"""The contact person's intake: a woman applies in person (on the registrations blueprint).

"Zoeken" looks for her dossier by exact werknaam and date of birth; "Intake vastleggen"
records the intake (for the dossier found, or a new minimal one) and opens the request form.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from portal.access.loaders import load_client
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import local_today
from portal.forms import acting_user, form_page, show_domain_error
from portal.refusal import DomainError
from portal.registrations import bp, services, settings
from portal.registrations.forms import INTAKE_REASON, IntakeForm


@bp.route("/intake", methods=["GET", "POST"])
def intake():
    ref = request.args.get("client", "")[:64]  # no longer than the audit's object id
    client = load_client(ref) if ref else None
    today = local_today()
    form = IntakeForm(applied_on=today, id_check_date=today, reason=INTAKE_REASON,
                      werknaam=client.werknaam if client else None)
    found = None
    if request.method == "POST" and request.form.get("action") == "zoeken" and client is None:
        found = _search(form)
    elif form.validate_on_submit():
        try:
            recorded = services.record_intake(acting_user(), _intake_data(form), client)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _to_request(recorded)
    return form_page("registrations/intake_form.html", form, client=client, found=found,
                     personal_mode=settings.current().personal_mode)


def _search(form: IntakeForm):
    """Validate only the search fields; the matches (at most two) or an empty list."""
    if not form.validate_on_submit() and any(form[name].errors
                                             for name in IntakeForm.SEARCH_FIELDS):
        return None
    for name, field in form._fields.items():  # the other fields are filled in after the search
        if name not in IntakeForm.SEARCH_FIELDS:
            field.errors = []
    matches = services.find_applicant(_applicant(form))
    record_and_commit("registrations.intake_searched", Action.READ, object_type="client",
                      detail={"matches": len(matches)},
                      client_id=matches[0].id if len(matches) == 1 else None)
    return matches


def _applicant(form: IntakeForm) -> services.Applicant:
    return services.Applicant(werknaam=form.werknaam.data.strip(),
                              date_of_birth=form.date_of_birth.data)


def _intake_data(form: IntakeForm) -> services.IntakeData:
    return services.IntakeData(
        applicant=_applicant(form), applied_on=form.applied_on.data, reason=form.reason.data,
        id_check_document=form.id_check_document.data, id_check_date=form.id_check_date.data,
        legal_name=form.legal_name.data)


def _to_request(recorded):
    client = recorded.client
    made = f"; nieuw dossier {client.number} aangemaakt" if recorded.created_dossier else ""
    flash(f"Intake van {client.werknaam} vastgelegd{made}. Leg nu de aanvraag vast.", "success")
    return redirect(url_for(".new", client=client.ref))
