"""The attachment library and real attachments, through the test client, the database, the
encrypted file store and a real SMTP server on loopback.

The beheerder adds a PDF (refused the way a dossier upload is refused: by content), sees it
listed and deactivates it; the procesregisseur picks it for the Informatiebrief: the preview's
Bijlagen line, the confirmation (list, recipients, attachments), every outbox message carrying
the letter and the leaflet, the mail body naming it; a casemanager adds it to a client letter.
"""

from __future__ import annotations

import io
import shutil
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.documents import storage
from portal.extensions import db
from portal.letters import outbox
from portal.letters.models import Letter, LetterAttachment, Mailing, OutboxMessage
from portal.roles import Role
from tests.conftest import csrf_token
from tests.factories import INFORMATIEBRIEF_VALUES
from tests.hostile_files import hostile_corpus
from tests.letter_factories import leaflet_pdf, make_attachment
from tests.smtp_server import mail_settings
from tests.test_letters import (
    CLIENT_VALUES,
    audit_events,
    client_setup,
    client_url,
    count,
    docx_text,
    field_error,
    kept_files,
    letter_form,
    page_text,
    partner_setup,
    partner_url,
    person,
    preview_of,
)

LIBRARY = "/brieven/bijlagen"


@pytest.fixture
def app(make_app):
    """The mailed letter as Word here (read back with python-docx); the SMTP test below
    converts to PDF when LibreOffice is there."""
    return make_app(LETTER_MAIL_PDF=False)


def add_leaflet(web, title: str, data: bytes, name: str = "folder.pdf"):
    return web.post(LIBRARY, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web, LIBRARY), "title": title,
        "file": (io.BytesIO(data), name)})


def test_beheerder_adds_lists_and_deactivates_attachments(app):
    beheerder, web = person(app, Role.BEHEERDER, name="Bea Beheer")
    added = add_leaflet(web, "Folder Stapteam", leaflet_pdf(2), name="../../Folder Stapteam.pdf")
    assert added.status_code == 302 and added.location.endswith(LIBRARY)
    with app.app_context():
        item = db.session.scalar(select(LetterAttachment))
        assert (item.title, item.filename, item.active, item.uploaded_by_id) == (
            "Folder Stapteam", "Folder Stapteam.pdf", True, beheerder.id)
        on_disk = storage.path_for(item.storage_key).read_bytes()
        item_id = item.id
    assert b"%PDF" not in on_disk  # encrypted at rest, like every stored file
    page = page_text(web.get(LIBRARY))
    assert "Folder Stapteam" in page and "aangeboden" in page
    download = web.get(f"{LIBRARY}/{item_id}")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == leaflet_pdf(2)
    assert [e.object_id for e in audit_events(app, "letters.attachment_added")] == [str(item_id)]

    off = web.post(f"{LIBRARY}/{item_id}/uitzetten", data={"csrf_token": csrf_token(web,
                                                                                   LIBRARY)})
    assert off.status_code == 302
    assert "uitgezet" in page_text(web.get(LIBRARY))
    again = web.post(f"{LIBRARY}/{item_id}/uitzetten",
                     data={"csrf_token": csrf_token(web, LIBRARY)}, follow_redirects=True)
    assert "Deze bijlage staat al uit." in page_text(again)
    with app.app_context():
        assert db.session.get(LetterAttachment, item_id).active is False
    assert len(audit_events(app, "letters.attachment_deactivated")) == 1
    assert web.post(f"{LIBRARY}/999/uitzetten",
                    data={"csrf_token": csrf_token(web, LIBRARY)}).status_code == 404


@pytest.mark.parametrize("case", ["openactie-js.pdf", "launch-bij-openen.pdf", "word"])
def test_the_library_refuses_what_the_document_intake_refuses(app, case):
    from portal.documents.validation import REASONS
    from tests.test_letters import docx_bytes

    samples = {sample.name: sample for sample in hostile_corpus()}
    data = docx_bytes("Geen PDF") if case == "word" else samples[case].data
    reason = "type_niet_voor_soort" if case == "word" else samples[case].reason
    _, web = person(app, Role.BEHEERDER)
    refused = add_leaflet(web, "Folder", data)
    assert refused.status_code == 422
    assert field_error(refused, "file") == REASONS[reason]  # the intake's own Dutch reason
    assert count(app, LetterAttachment) == 0 and kept_files(app) == []
    [event] = audit_events(app, "letters.attachment_refused")
    assert (event.outcome, event.detail) == ("mislukt", {"reason": reason})
    missing = web.post(LIBRARY, data={"csrf_token": csrf_token(web, LIBRARY),
                                      "title": "Zonder bestand"})
    assert field_error(missing, "file") == "Kies een PDF-bestand."


def test_only_the_beheerder_keeps_the_library_and_writers_may_read_it(app):
    with app.app_context():
        item_id = make_attachment().id
    for role, library, download in ((Role.PROCESREGISSEUR, 403, 200),
                                    (Role.CASEMANAGER, 403, 200),
                                    (Role.ERVARINGSDESKUNDIGE, 403, 403),
                                    (Role.REGISTRATIECONTACTPERSOON, 403, 403)):
        _, web = person(app, role)
        assert web.get(LIBRARY).status_code == library, role
        assert web.get(f"{LIBRARY}/{item_id}").status_code == download, role
        assert web.post(f"{LIBRARY}/{item_id}/uitzetten",
                        data={"csrf_token": csrf_token(web, "/")}).status_code == 403, role
    with app.app_context():
        assert db.session.get(LetterAttachment, item_id).active is True


def _mailing_with_leaflet(app):
    setup = partner_setup(app)
    with app.app_context():
        leaflet = make_attachment("Folder Stapteam", filename="folder-stapteam.pdf").id
        make_attachment("Oude folder", active=False)
    _, web = person(app, Role.PROCESREGISSEUR, name="Petra Procesregie")
    url = partner_url(setup["templates"]["informatiebrief-stapteam"])
    values = {**INFORMATIEBRIEF_VALUES, "bijlagen": "1 affiche (per post)"}
    form = letter_form(csrf_token(web, url), values, subject="Stapteam 2.0",
                       action="voorbeeld", list_id=setup["list_id"], attachment_ids=leaflet)
    return setup, web, url, form, leaflet


def test_the_informatiebrief_goes_with_the_leaflet_to_every_partner(app):
    setup, web, url, form, leaflet = _mailing_with_leaflet(app)
    page = page_text(web.get(url))
    assert "Bijlagen uit de bibliotheek" in page and "Folder Stapteam (PDF)" in page
    assert "Oude folder" not in page  # deactivated: no longer offered

    preview = web.post(url, data=form)
    shown = unescape(preview_of(preview) or "")
    assert "Bijlagen | Folder Stapteam\n1 affiche (per post)" in shown

    asked = page_text(web.post(url, data={**form, "actie": "versturen"}))
    assert "Versturen bevestigen" in asked and "<dd>Ketenpartners</dd>" in asked
    assert "3 contactpersonen" in asked
    assert "1: Folder Stapteam (folder-stapteam.pdf)" in asked
    assert f'name="attachment_ids" value="{leaflet}"' in asked
    assert count(app, Mailing) == 0

    sent = web.post(url, data={**form, "actie": "versturen", "bevestigd": "ja"})
    assert sent.status_code == 302
    with app.app_context():
        mailing = db.session.scalar(select(Mailing))
        assert mailing.values["bijlagen"] == "Folder Stapteam\n1 affiche (per post)"
        assert all([a.id for a in letter.attachments] == [leaflet] for letter in mailing.letters)
        messages = db.session.scalars(select(OutboxMessage)).all()
        mails = [outbox.build_email(m) for m in messages]
        mailing_id = mailing.id
    assert len(mails) == 3
    for mail in mails:
        letter, enclosed = list(mail.iter_attachments())
        assert letter.get_filename().endswith(".docx")
        assert "Folder Stapteam\n1 affiche (per post)" in docx_text(letter.get_content())
        assert (enclosed.get_filename(), enclosed.get_content_type()) == (
            "folder-stapteam.pdf", "application/pdf")
        assert enclosed.get_content() == leaflet_pdf()
        body = mail.get_body(("plain",)).get_content()
        assert "Met de brief gaan deze bijlagen mee:\n- Folder Stapteam (folder-stapteam.pdf)" \
            in body
    [queued] = audit_events(app, "letters.mailing_queued")
    assert queued.detail["attachments"] == [leaflet]
    detail = page_text(web.get(f"/brieven/verzendingen/{mailing_id}"))
    assert "Folder Stapteam" in detail


def test_a_deactivated_attachment_is_refused_at_sending(app):
    setup, web, url, form, leaflet = _mailing_with_leaflet(app)
    with app.app_context():
        db.session.get(LetterAttachment, leaflet).active = False
        db.session.commit()
    sent = web.post(url, data={**form, "actie": "versturen", "bevestigd": "ja"})
    assert sent.status_code == 200  # not sent without what the sender confirmed
    assert field_error(sent, "attachment_ids") == \
        "Een gekozen bijlage is niet meer beschikbaar; kies opnieuw."
    assert count(app, Mailing) == 0 and count(app, Letter) == 0


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_the_smtp_server_receives_the_pdf_letter_and_the_leaflet(make_app, smtp):
    app = make_app(**mail_settings(smtp))
    setup, web, url, form, leaflet = _mailing_with_leaflet(app)
    sent = web.post(url, data={**form, "actie": "versturen", "bevestigd": "ja"})
    assert sent.status_code == 302
    assert len(smtp.received) == 3  # the worker ran right after the commit (JOBS_IMMEDIATE)
    for item in smtp.received:
        letter, enclosed = list(item.message.iter_attachments())
        assert letter.get_content_type() == "application/pdf"
        text = "".join(page.extract_text() for page in
                       PdfReader(io.BytesIO(letter.get_content())).pages)
        assert "Folder Stapteam" in text and "1 affiche (per post)" in text
        assert enclosed.get_filename() == "folder-stapteam.pdf"
        assert enclosed.get_content() == leaflet_pdf()


def test_a_client_letter_names_its_attachment_and_keeps_it(app):
    setup = client_setup(app)
    with app.app_context():
        leaflet = make_attachment("Folder Stapteam").id
    _, web = setup["author"]
    url = client_url(setup["ref"], setup["templates"]["clientbrief-nl"])
    page = page_text(web.get(url))
    assert "Bijlagen uit de bibliotheek" in page and "elke brief van deze verzending" not in page
    token = csrf_token(web, url)
    preview = web.post(url, data=letter_form(token, CLIENT_VALUES, subject="Afspraak",
                                             action="voorbeeld", attachment_ids=leaflet))
    assert "Bijlagen | Folder Stapteam" in unescape(preview_of(preview) or "")
    made = web.post(url, data=letter_form(token, CLIENT_VALUES, subject="Afspraak",
                                          action="maken", attachment_ids=leaflet))
    assert made.status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        assert [a.title for a in letter.attachments] == ["Folder Stapteam"]
        assert "Folder Stapteam" in docx_text(b"".join(storage.stream(letter.storage_key,
                                                                      letter.sha256)))
    [created] = audit_events(app, "letters.client_letter_created")
    assert created.detail["attachments"] == [leaflet]
    dossier = web.get(f"/clienten/{setup['ref']}").get_data(as_text=True)
    section = dossier.split('id="brieven"', 1)[1].split("</section>", 1)[0]
    # to print with the letter when it is handed over
    assert f'Bijlagen: <a href="/brieven/bijlagen/{leaflet}">Folder Stapteam</a>' in section


def test_without_attachments_the_letter_has_no_empty_bijlagen_row(app):
    setup = client_setup(app)
    _, web = setup["author"]
    url = client_url(setup["ref"], setup["templates"]["clientbrief-nl"])
    token = csrf_token(web, url)
    made = web.post(url, data=letter_form(token, CLIENT_VALUES, subject="Afspraak",
                                          action="maken"))
    assert made.status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        text = docx_text(b"".join(storage.stream(letter.storage_key, letter.sha256)))
    assert "Ons kenmerk" in text and "Bijlagen" not in text
