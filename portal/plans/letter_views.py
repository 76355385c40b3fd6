"""The plan van aanpak as a letter for the client: make it, download it as Word or PDF.

Who may make and fetch it: whoever may write the plan (the casemanagers of her team). The
letter holds goal texts, so procesregie may not; the ervaringsdeskundige reads the plan but
does not add documents to the dossier, so she may not either.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for

from portal.access.loaders import load_client, load_plan_letter
from portal.access.plans import can_write_plan
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.documents import storage
from portal.downloads import attachment
from portal.forms import acting_user, form_page, show_domain_error
from portal.letters import pdf
from portal.plans import bp, letter, services
from portal.plans.forms import PlanLetterForm
from portal.refusal import DomainError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/plan/brief", methods=["GET", "POST"])
def plan_letter(ref: str):
    client = load_client(ref, can_write_plan)
    versions = services.versions(client)
    form = PlanLetterForm()
    if form.validate_on_submit():
        try:
            made, language = letter.make_letter(acting_user(), client, versions)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Brief {made.kenmerk} met het plan van aanpak staat in het dossier "
                  f"({language.reason})", "success")
            return redirect(url_for(".plan_letter", ref=client.ref))
    return form_page("plans/plan_letter.html", form, client=client,
                     version=letter.chosen_version(versions),
                     language=letter.language_for(client), letters=letter.plan_letters(client),
                     pdf=pdf.available())


def _filename(item, extension: str) -> str:
    return f"{item.kenmerk.replace('/', '-')}.{extension}"


@bp.route("/plan/brief/<int:plan_letter_id>/word")
def plan_letter_docx(ref: str, plan_letter_id: int):
    client = load_client(ref, can_write_plan)
    item = load_plan_letter(client, plan_letter_id)
    record_and_commit("plans.plan_letter_downloaded", Action.READ, object_type="letter",
                      object_id=item.id, client_id=client.id)
    return attachment(storage.stream(item.storage_key, item.sha256), DOCX_MIME, item.size,
                      _filename(item, "docx"))


@bp.route("/plan/brief/<int:plan_letter_id>/pdf")
def plan_letter_pdf(ref: str, plan_letter_id: int):
    client = load_client(ref, can_write_plan)
    item = load_plan_letter(client, plan_letter_id)
    if not pdf.available():
        abort(404)
    try:
        data = pdf.to_pdf(b"".join(storage.stream(item.storage_key, item.sha256)),
                          current_app.instance_path)
    except pdf.ConversionError as error:
        flash(str(error), "error")
        return redirect(url_for(".plan_letter", ref=client.ref))
    record_and_commit("plans.plan_letter_pdf_downloaded", Action.READ, object_type="letter",
                      object_id=item.id, client_id=client.id)
    return attachment([data], "application/pdf", len(data), _filename(item, "pdf"))
