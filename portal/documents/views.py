"""Documents: upload, detail with versions, download, release, trash and full-text search."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access.loaders import load_client, load_document
from portal.audit.models import Action, Outcome
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.documents import bp, search, services, storage
from portal.documents import trash as trash_bin
from portal.documents.forms import DeleteForm, SearchForm, UploadForm, VersionForm
from portal.documents.models import Document, DocumentKind
from portal.downloads import attachment
from portal.extensions import db
from portal.forms import show_domain_error
from portal.refusal import DomainError


def _upload_of(form) -> services.Upload:
    return services.Upload(stream=form.file.data.stream, filename=form.file.data.filename)


def _limit_mb() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)


@bp.route("/client/<ref>/nieuw", methods=["GET", "POST"])
def upload(ref: str):
    client = load_client(ref, lambda user, found: bool(access.upload_kinds(user, found)))
    kinds = access.upload_kinds(current_user, client)
    form = UploadForm()
    form.set_kinds(kinds)
    if form.validate_on_submit():
        try:
            document = services.upload(
                client, current_user._get_current_object(), kind=DocumentKind(form.kind.data),
                title=form.title.data, document_date=form.document_date.data,
                note=form.note.data, confidential=form.confidential.data,
                file=_upload_of(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"'{document.title}' is opgeslagen.", "success")
            return redirect(url_for("documents.detail", document_ref=document.ref))
    status = 422 if form.errors else 200
    return render_template("documents/upload.html", form=form, client=client,
                           limit=_limit_mb()), status


@bp.route("/<document_ref>")
def detail(document_ref: str):
    document, client = load_document(document_ref, access.can_view_document)
    record_and_commit("documents.viewed", Action.READ, object_type="document",
                      object_id=document.id, client_id=client.id)
    return _detail_page(document, client)


def _detail_page(document, client, version_form=None, delete_form=None, status=200):
    manage = access.can_manage_document(current_user, document, client)
    return render_template(
        "documents/detail.html", document=document, client=client, limit=_limit_mb(),
        version_form=(version_form or VersionForm(formdata=None)) if manage else None,
        delete_form=(delete_form or DeleteForm(formdata=None)) if manage else None,
        confirm_form=ConfirmForm(),
        can_release=access.can_release_document(current_user, document)), status


@bp.route("/<document_ref>/versie", methods=["POST"])
def new_version(document_ref: str):
    document, client = load_document(document_ref, lambda u, d, c: access.can_view_document(u, d, c)
                             and access.can_manage_document(u, d, c))
    form = VersionForm()
    if form.validate_on_submit():
        try:
            version = services.add_version(document, client, current_user._get_current_object(),
                                           _upload_of(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Versie {version.number} is opgeslagen.", "success")
            return redirect(url_for("documents.detail", document_ref=document.ref))
    return _detail_page(document, client, version_form=form, status=422)


@bp.route("/<document_ref>/download/<int:number>")
def download(document_ref: str, number: int):
    document, client = load_document(document_ref, access.can_view_document)
    version = next((v for v in document.versions_for(current_user) if v.number == number), None)
    access.check_object(lambda: version is not None, object_type="document_version",
                        object_id=f"{document_ref}/{number}", client_id=client.id)
    try:
        chunks = storage.stream(version.storage_key, version.sha256)
    except storage.StorageError as error:
        current_app.logger.error("download refused for version %s: %s", version.id, error)
        services.record_download(version, client.id, Outcome.FAILURE, str(error))
        return render_template("errors/error.html", status=500, title="Bestand onbetrouwbaar",
                               text="Dit bestand is beschadigd of komt niet overeen met wat is "
                                    "opgeslagen. Het wordt niet getoond. De beheerder is "
                                    "gewaarschuwd via het auditlog.",
                               error_id=f"doc-{version.id}"), 500
    services.record_download(version, client.id, Outcome.SUCCESS)
    return attachment(chunks, version.mime_type, version.size, version.filename)


@bp.route("/<document_ref>/vrijgeven", methods=["POST"])
def release(document_ref: str):
    document, _ = load_document(document_ref, lambda u, d, c: access.can_release_document(u, d))
    try:
        services.release(document, current_user._get_current_object())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("Het rapport is vrijgegeven aan de toegewezen casemanager(s).", "success")
    return redirect(url_for("documents.detail", document_ref=document.ref))


@bp.route("/<document_ref>/verwijderen", methods=["POST"])
def delete(document_ref: str):
    document, client = load_document(document_ref, lambda u, d, c: access.can_view_document(u, d, c)
                             and access.can_manage_document(u, d, c))
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            trash_bin.move_to_trash(document, current_user._get_current_object(),
                                   form.reason.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"'{document.title}' staat in de prullenbak en wordt na "
                  f"{current_app.config['TRASH_DAYS']} dagen definitief verwijderd.", "success")
            return redirect(url_for("clients.detail", ref=client.ref, _anchor="documenten"))
    return _detail_page(document, client, delete_form=form, status=422)


@bp.route("/client/<ref>/prullenbak")
def trash(ref: str):
    client = load_client(ref)
    documents = [d for d in db.session.scalars(
        select(Document).where(Document.client_id == client.id, Document.deleted_at.is_not(None))
        .order_by(Document.deleted_at.desc())) if access.can_manage_document(current_user, d,
                                                                              client)]
    record_and_commit("documents.trash_viewed", Action.READ, object_type="document",
                      client_id=client.id, detail={"document_ids": [d.id for d in documents]})
    return render_template("documents/trash.html", client=client, documents=documents,
                           form=ConfirmForm())


@bp.route("/<document_ref>/terugzetten", methods=["POST"])
def restore(document_ref: str):
    document, client = load_document(document_ref, lambda u, d, c: d is not None
                             and d.deleted_at is not None and access.can_manage_document(u, d, c))
    trash_bin.restore(document)
    flash(f"'{document.title}' is teruggezet.", "success")
    return redirect(url_for("documents.detail", document_ref=document.ref))


@bp.route("/zoeken")
def find():
    form = SearchForm(request.args)
    query = (form.q.data or "").strip()
    results = search.search(current_user, query) if query and form.validate() else []
    if query:
        record_and_commit("documents.searched", Action.READ, object_type="document",
                          detail={"query": query[:200],
                                  "document_ids": [d.id for d, _ in results]})
    return render_template("documents/search.html", form=form, query=query, results=results)
