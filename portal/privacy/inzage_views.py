"""Routes of the inzage pack: start it from an inzage request, follow the job, review the
marked passages and the documents, release, download; and the author's page where a
diagnosticus agrees (or not) to hand over her report."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access.loaders import load_avg_request, load_inzage_document, load_inzage_pack
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.downloads import attachment
from portal.extensions import db
from portal.forms import acting_user
from portal.privacy import bp, inzage
from portal.privacy.models import InzageDocument, InzagePack
from portal.privacy.request_forms import ActionForm, AuthorAnswerForm
from portal.refusal import DomainError

ZIP_MIME = "application/zip"


@bp.route("/verzoeken/<int:request_id>/inzagepakket", methods=["POST"])
def inzage_start(request_id: int):
    row, client = load_avg_request(request_id)
    if ActionForm().validate_on_submit() and client is not None:
        try:
            pack = inzage.start(row, client, acting_user())
        except DomainError as error:
            flash(error.message, "error")
        else:
            return redirect(url_for("privacy.inzage_pack", pack_id=pack.id))
    return redirect(url_for("privacy.request_detail", request_id=row.id))


@bp.route("/inzage/<int:pack_id>")
def inzage_pack(pack_id: int):
    pack = load_inzage_pack(pack_id)
    record_and_commit("privacy.inzage_viewed", Action.READ, object_type="inzage_pack",
                      object_id=pack.id, client_id=pack.client_id)
    return render_template("privacy/inzage_pack.html", pack=pack, form=ActionForm(formdata=None))


@bp.route("/inzage/<int:pack_id>/vrijgeven", methods=["POST"])
def inzage_release(pack_id: int):
    pack = load_inzage_pack(pack_id)
    if ActionForm().validate_on_submit():
        try:
            inzage.release(pack, acting_user(), _ids("weglaten"), _ids("document"))
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Vrijgegeven; het pakket wordt nu gemaakt.", "success")
    return redirect(url_for("privacy.inzage_pack", pack_id=pack.id))


def _ids(name: str) -> set[int]:
    return {int(value) for value in request.form.getlist(name) if value.isdigit()
            and len(value) < 12}


@bp.route("/inzage/<int:pack_id>/download")
def inzage_download(pack_id: int):
    pack = load_inzage_pack(pack_id)
    try:
        chunks = inzage.download(pack)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("privacy.inzage_pack", pack_id=pack.id))
    return attachment(chunks, ZIP_MIME, pack.size,
                      f"inzagepakket-{pack.client_number}.zip")


@bp.route("/inzage/rapporten")
def author_requests():
    rows = db.session.execute(
        select(InzageDocument, InzagePack).join(InzagePack)
        .where(InzageDocument.author_id == current_user.id, InzageDocument.needs_author,
               InzagePack.status == "te_beoordelen")
        .order_by(InzageDocument.author_answer.is_not(None), InzageDocument.id)).all()
    record_and_commit("privacy.inzage_author_viewed", Action.READ, object_type="inzage_pack")
    return render_template("privacy/author_requests.html", rows=rows,
                           form=AuthorAnswerForm(formdata=None))


@bp.route("/inzage/rapporten/<int:item_id>", methods=["POST"])
def author_answer(item_id: int):
    item = load_inzage_document(item_id)
    form = AuthorAnswerForm()
    if form.validate_on_submit():
        try:
            inzage.answer_as_author(item, acting_user(), form.answer.data == "akkoord",
                                    form.note.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Uw antwoord is vastgelegd.", "success")
    else:
        flash("Kies akkoord of niet akkoord.", "error")
    return redirect(url_for("privacy.author_requests"))
