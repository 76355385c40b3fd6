"""Letters: template library, partner mailing with preview and progress, client letters."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

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
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from portal import access
from portal.access.loaders import (
    exists_or_404,
    load_client,
    load_client_letter,
    load_partner_letter,
)
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.documents import storage
from portal.downloads import attachment
from portal.extensions import db
from portal.forms import show_domain_error
from portal.letters import (
    attachments,
    bp,
    flow,
    housestyle,
    languages,
    outbox,
    pdf,
    services,
    staging,
    templates,
)
from portal.letters.forms import (
    AttachmentForm,
    HouseStyleForm,
    TemplateForm,
    TemplateVersionForm,
)
from portal.letters.models import (
    Letter,
    LetterAttachment,
    LetterTemplate,
    Mailing,
    OutboxMessage,
    OutboxStatus,
    Purpose,
)
from portal.partners.services import lists as distribution_lists
from portal.refusal import DomainError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _template(template_id: int) -> LetterTemplate:
    return exists_or_404(LetterTemplate, template_id, "letter_template")


@bp.route("/sjablonen", endpoint="templates")
def template_list():
    rows = db.session.scalars(select(LetterTemplate).order_by(LetterTemplate.purpose,
                                                              LetterTemplate.name)).all()
    return render_template("letters/templates.html", templates=rows,
                           language_names=dict(languages.choices()))


def _propose(form, data: bytes, purpose: Purpose, known: list[dict] = ()) -> None:
    """Fill the form with the fields the portal found in the file (labels and types of a
    previous version kept where the name is the same), to be checked by the beheerder; the
    file waits server-side under the token the form carries."""
    before = {f["name"]: f for f in known}
    proposal = [before.get(f["name"], f) for f in templates.proposed_fields(data, purpose)]
    form.upload.data = staging.stage(data)
    while form.fields.entries:
        form.fields.pop_entry()
    for field in proposal:
        form.fields.append_entry(field)


def _uploaded(form, purpose: Purpose, known: list[dict] = ()) -> tuple[bytes, list] | None:
    """After a fresh file: its proposal is shown (None). After confirming: file and fields."""
    if form.file.data:
        _propose(form, form.file.data.read(), purpose, known)
        return None
    return staging.staged(form.upload.data), templates.checked_fields(form.fields.data)


@bp.route("/sjablonen/nieuw", methods=["GET", "POST"])
def template_new():
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            upload = _uploaded(form, Purpose(form.purpose.data))
            if upload:
                template = templates.create_template(
                    name=form.name.data, purpose=Purpose(form.purpose.data),
                    language=form.language.data, data=upload[0], fields=upload[1],
                    actor=current_user)
                staging.discard(form.upload.data)
                flash(f"Sjabloon '{template.name}' is opgeslagen.", "success")
                return redirect(url_for("letters.template_detail", template_id=template.id))
        except DomainError as error:
            show_domain_error(form, error)
    return render_template("letters/template_new.html", form=form), 422 if form.errors else 200


@bp.route("/sjablonen/<int:template_id>", methods=["GET", "POST"])
def template_detail(template_id: int):
    template = _template(template_id)
    form = TemplateVersionForm()
    if form.validate_on_submit():
        try:
            upload = _uploaded(form, template.purpose_enum, template.current.fields)
            if upload:
                version = templates.add_version(template, data=upload[0], fields=upload[1],
                                                actor=current_user, note=form.note.data)
                staging.discard(form.upload.data)
                flash(f"Versie {version.number} is opgeslagen.", "success")
                return redirect(url_for("letters.template_detail", template_id=template.id))
        except DomainError as error:
            show_domain_error(form, error)
    return render_template("letters/template_detail.html", template=template, form=form,
                           language=languages.dutch_name(template.language)), \
        422 if form.errors else 200


@bp.route("/sjablonen/<int:template_id>/versies/<int:number>")
def template_download(template_id: int, number: int):
    template = _template(template_id)
    version = next((v for v in template.versions if v.number == number), None)
    access.check_object(lambda: version is not None, object_type="letter_template",
                        object_id=f"{template_id}/{number}")
    record_and_commit("letters.template_downloaded", Action.READ, object_type="letter_template",
                      object_id=template.id, detail={"version": number})
    return attachment(storage.stream(version.storage_key, version.sha256), DOCX_MIME,
                      version.size, f"{template.name} v{number}.docx")


@bp.route("/partners/nieuw", methods=["GET", "POST"])
def partner_letter():
    return flow.run(flow.LetterCase(
        purposes=[Purpose.PARTNERBRIEF], make=_send, make_action="versturen", with_list=True,
        with_attachments=True, prepare_form=_offer_lists,
        context={"client": None, "smtp": outbox.smtp_configured(),
                 "pdf": pdf.for_mail(current_app.config)}))


def _offer_lists(form) -> None:
    form.list_id.choices = [SelectChoice(dl.id, f"{dl.name} ({len(dl.active_members)})")
                            for dl in distribution_lists()]


def _send(version, values, form):
    """Sending asks once more: which list, how many recipients, what goes with the mail."""
    from portal.partners.models import DistributionList

    chosen = db.session.get(DistributionList, form.list_id.data)
    enclosed = flow.attachments_of(form)
    if request.form.get("bevestigd") != "ja":
        return render_template("letters/confirm_send.html", form=form, template=version.template,
                               distribution_list=chosen, attachments=enclosed,
                               pdf=pdf.for_mail(current_app.config),
                               recipients=len(chosen.active_members) if chosen else 0)
    try:
        mailing = services.send_to_list(current_user, services.MailingRequest(
            version=version, values=values, subject=form.subject.data,
            distribution_list=chosen, attachments=enclosed))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("letters.partner_letter", sjabloon=version.template_id))
    flash(f"{len(mailing.letters)} brieven staan klaar om te verzenden.", "success")
    return redirect(url_for("letters.mailing", mailing_id=mailing.id))


@bp.route("/verzendingen")
def mailings():
    rows = db.session.scalars(select(Mailing).order_by(Mailing.id.desc()).limit(100)).all()
    record_and_commit("letters.send_log_viewed", Action.READ, object_type="mailing")
    return render_template("letters/mailings.html", mailings=rows)


@bp.route("/verzendingen/<int:mailing_id>")
def mailing(mailing_id: int):
    item = exists_or_404(Mailing, mailing_id, "mailing")
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).join(Letter)
        .where(Letter.mailing_id == item.id).group_by(OutboxMessage.status)).all())
    record_and_commit("letters.mailing_viewed", Action.READ, object_type="mailing",
                      object_id=item.id)
    pending = counts.get(OutboxStatus.WACHTRIJ.value, 0) + counts.get(
        OutboxStatus.VERZENDEN.value, 0)
    return render_template("letters/mailing.html", mailing=item, counts=counts,
                           pending=pending, total=len(item.letters),
                           smtp=outbox.smtp_configured(), pdf=_soffice() is not None)


@bp.route("/<int:letter_id>/download")
def letter_download(letter_id: int):
    letter = load_partner_letter(letter_id)
    record_and_commit("letters.downloaded", Action.READ, object_type="letter",
                      object_id=letter.id)
    return attachment(storage.stream(letter.storage_key, letter.sha256), DOCX_MIME, letter.size,
                      f"{letter.kenmerk.replace('/', '-')}.docx")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@bp.route("/<int:letter_id>/pdf")
def letter_pdf(letter_id: int):
    letter = load_partner_letter(letter_id)
    binary = _soffice()
    if binary is None:
        abort(404)
    with tempfile.TemporaryDirectory(dir=current_app.instance_path) as work:
        source = Path(work) / "brief.docx"
        source.write_bytes(b"".join(storage.stream(letter.storage_key, letter.sha256)))
        subprocess.run([binary, "--headless", "--convert-to", "pdf", "--outdir", work,  # noqa: S603
                        str(source)], check=True, timeout=120, capture_output=True)
        data = (Path(work) / "brief.pdf").read_bytes()
    record_and_commit("letters.pdf_downloaded", Action.READ, object_type="letter",
                      object_id=letter.id)
    return attachment([data], "application/pdf", len(data),
                      f"{letter.kenmerk.replace('/', '-')}.pdf")


@bp.route("/client/<ref>/nieuw", methods=["GET", "POST"])
def client_letter(ref: str):
    client = load_client(ref, lambda user, found: bool(access.dossier_letter_purposes(user, found)))

    def make(version, values, form):
        letter = services.create_client_letter(current_user, version, values, form.subject.data,
                                               client, attachments=flow.attachments_of(form))
        flash(f"Brief {letter.kenmerk} staat in het dossier.", "success")
        return redirect(url_for("clients.detail", ref=client.ref, _anchor="brieven"))

    return flow.run(flow.LetterCase(
        purposes=access.dossier_letter_purposes(current_user, client), make=make,
        recipient={"client": client}, with_attachments=True,
        preferred_language=client.preferred_language or "",
        context={"client": client, "smtp": outbox.smtp_configured(),
                 "language_names": dict(languages.choices())}))


@bp.route("/<int:letter_id>/uitgereikt", methods=["POST"])
def handed_over(letter_id: int):
    letter, client = load_client_letter(letter_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.mark_handed_over(letter, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Brief {letter.kenmerk} is als uitgereikt vastgelegd.", "success")
    return redirect(url_for("clients.detail", ref=client.ref, _anchor="brieven"))


@bp.route("/huisstijl", methods=["GET", "POST"])
def house_style():
    style = housestyle.current()
    form = HouseStyleForm(obj=None if request.method == "POST" else style)
    form.font.choices = [SelectChoice(font, font) for font in housestyle.FONTS]
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            housestyle.save(current_user, {name: getattr(form, name).data
                                           for name in housestyle.TEXT_FIELDS},
                            logo=upload.read() if upload else None,
                            remove_logo=form.remove_logo.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De huisstijl is opgeslagen; nieuwe brieven gebruiken hem.", "success")
            return redirect(url_for("letters.house_style"))
    return render_template("letters/house_style.html", form=form, saved=style.id is not None,
                           has_logo=style.logo is not None), 422 if form.errors else 200


@bp.route("/bijlagen", methods=["GET", "POST"])
def attachment_library():
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not upload:
                raise DomainError("Kies een PDF-bestand.", field="file")
            item = attachments.add(current_user, title=form.title.data, stream=upload.stream,
                                   filename=upload.filename)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Bijlage '{item.title}' staat in de bibliotheek.", "success")
            return redirect(url_for("letters.attachment_library"))
    return render_template("letters/attachments.html", form=form, items=attachments.library(),
                           confirm_form=ConfirmForm()), 422 if form.errors else 200


def _attachment(attachment_id: int) -> LetterAttachment:
    return exists_or_404(LetterAttachment, attachment_id, "letter_attachment")


@bp.route("/bijlagen/<int:attachment_id>/uitzetten", methods=["POST"])
def attachment_deactivate(attachment_id: int):
    item = _attachment(attachment_id)
    if ConfirmForm().validate_on_submit():
        try:
            attachments.deactivate(current_user, item)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Bijlage '{item.title}' wordt niet meer aangeboden; brieven die haar al "
                  "hadden, houden haar.", "success")
    return redirect(url_for("letters.attachment_library"))


@bp.route("/bijlagen/<int:attachment_id>")
def attachment_download(attachment_id: int):
    item = _attachment(attachment_id)
    record_and_commit("letters.attachment_downloaded", Action.READ,
                      object_type="letter_attachment", object_id=item.id)
    return attachment(storage.stream(item.storage_key, item.sha256), attachments.PDF_MIME,
                      item.size, item.filename)
