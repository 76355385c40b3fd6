"""The inzage pack (issue 14 item 6): a job gathers all her data with the passages naming
others pre-marked; the privacyfunctionaris reviews and releases it; a diagnostics report goes
in only once its author agreed on her own page; the ZIP holds the redacted summary and her
documents byte for byte, is encrypted at rest, audited on download and destroyed when due."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.clients.services import add_journal_entry
from portal.documents import storage
from portal.extensions import db
from portal.partners.models import PartnerContact
from portal.privacy import inzage
from portal.privacy.models import InzagePack, InzagePassage
from portal.roles import Role
from tests.factories import (
    make_avg_request,
    make_client,
    make_document,
    make_organisation,
    minimal_pdf,
)
from tests.test_documents import browser
from tests.test_registration_views import page_text, post

TODAY = date(2027, 3, 2)


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def world(app, account):
    officer = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
    carla = account(Role.CASEMANAGER, name="Carla de Vries")
    marieke = account(Role.DIAGNOSTICUS, name="Marieke Psychiater")
    with app.app_context():
        author = db.session.get(User, carla.id)
        roos = make_client("Roos", casemanagers=[carla], legal_name="Rosalie Verzonnen",
                           phone="06 1111 2222")
        make_client("Lina", casemanagers=[carla])
        db.session.add(PartnerContact(organisation_id=make_organisation("GGD").id,
                                      name="Henk Partnersma", email="henk@ggd.test"))
        add_journal_entry(roos, author, entry_date=TODAY - timedelta(days=9),
                          text="Samen naar de huisarts; zij voelde zich beter.",
                          confidential=False)
        add_journal_entry(roos, author, entry_date=TODAY - timedelta(days=5),
                          text="Zij kwam met Lina; Henk Partnersma belde over de woning.",
                          confidential=False)
        letter = make_document(roos, carla.id, title="Brief aan de huisarts",
                               content=minimal_pdf("Brief aan de huisarts"))
        report = make_document(roos, marieke.id, kind="diagnostiekrapport",
                               title="Psychiatrisch onderzoek",
                               content=minimal_pdf("Diagnostisch verslag"))
        request = make_avg_request(roos, officer.id, kind="inzage")
        ids = {"request": request.id, "client": roos.id, "letter": letter.id,
               "report": report.id, "number": roos.number}
    return {"officer": officer, "carla": carla, "marieke": marieke, "ids": ids}


def start(app, world):
    web = browser(app, world["officer"])
    request_page = f"/privacy/verzoeken/{world['ids']['request']}"
    response = post(web, f"{request_page}/inzagepakket", page=request_page)
    assert response.status_code == 302, page_text(response)[:500]
    with app.app_context():
        pack = db.session.scalar(select(InzagePack))
    return web, pack.id


def pack_state(app, pack_id):
    with app.app_context():
        pack = db.session.get(InzagePack, pack_id)
        return pack.status, {p.id: (p.text, p.redact) for p in pack.passages}, {
            d.document_id: d.id for d in pack.documents}


def summary_text(archive: zipfile.ZipFile) -> str:
    [name] = [n for n in archive.namelist() if n.startswith("overzicht-van-uw-gegevens")]
    data = archive.read(name)
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "\n".join(p.text for p in WordDocument(io.BytesIO(data)).paragraphs)


def test_the_pack_holds_everything_redacted_and_her_documents_byte_for_byte(app, world):
    web, pack_id = start(app, world)
    status, passages, documents = pack_state(app, pack_id)
    assert status == "te_beoordelen"
    marked = {pid for pid, (text, redact) in passages.items() if redact}
    assert [passages[pid][0] for pid in marked] == [
        f"{(TODAY - timedelta(days=5)).day} februari 2027 (Carla de Vries): Zij kwam met Lina; "
        "Henk Partnersma belde over de woning."]
    review = page_text(web.get(f"/privacy/inzage/{pack_id}"))
    assert "Noemt: Henk Partnersma, Lina" in review and "Gevraagd aan Marieke Psychiater" in review

    # A diagnostics report does not go without its author's agreement.
    everything = {"weglaten": list(marked), "document": list(documents.values())}
    refused = post(web, f"/privacy/inzage/{pack_id}/vrijgeven", everything,
                   page=f"/privacy/inzage/{pack_id}")
    assert "alleen mee als de auteur akkoord gaf" in page_text(web.get(refused.location))
    assert pack_state(app, pack_id)[0] == "te_beoordelen"

    author = browser(app, world["marieke"])
    assert "Psychiatrisch onderzoek" in page_text(author.get("/privacy/inzage/rapporten"))
    post(author, f"/privacy/inzage/rapporten/{documents[world['ids']['report']]}",
         {"answer": "akkoord", "note": ""}, page="/privacy/inzage/rapporten")
    released = post(web, f"/privacy/inzage/{pack_id}/vrijgeven", everything,
                    page=f"/privacy/inzage/{pack_id}")
    assert released.status_code == 302 and pack_state(app, pack_id)[0] == "vrijgegeven"

    download = web.get(f"/privacy/inzage/{pack_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    if os.environ.get("INZAGE_ZIP_DIR"):  # to look at the pack by hand
        Path(os.environ["INZAGE_ZIP_DIR"], "inzagepakket.zip").write_bytes(download.data)
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    text = summary_text(archive)
    for expected in ("Rosalie Verzonnen", "06 1111 2222", "Samen naar de huisarts",
                     "Brief aan de huisarts", "Wie heeft uw dossier ingezien",
                     "[Weggelaten: dit gaat over iemand anders.]"):
        assert expected in text, expected
    assert "Lina" not in text and "Partnersma" not in text
    stored = {name: archive.read(name) for name in archive.namelist()
              if name.startswith("documenten/")}
    assert sorted(hashlib.sha256(data).hexdigest() for data in stored.values()) == sorted(
        _sha_of(app, world["ids"][key]) for key in ("letter", "report"))
    with app.app_context():
        pack = db.session.get(InzagePack, pack_id)
        assert pack.storage_key in storage.stored_keys()
        raw = next(storage.root().glob(f"??/??/{pack.storage_key}")).read_bytes()
        assert b"Rosalie" not in raw and b"PK" not in raw[:4]  # encrypted at rest
        events = set(db.session.scalars(select(AuditEvent.event).where(
            AuditEvent.object_type == "inzage_pack")))
    assert {"privacy.inzage_started", "privacy.inzage_released", "privacy.inzage_downloaded",
            "privacy.inzage_author_answered"} <= events


def _sha_of(app, document_id: int) -> str:
    from portal.documents.models import Document

    with app.app_context():
        return db.session.get(Document, document_id).versions[-1].sha256


def test_a_declined_report_stays_out_with_the_authors_reason(app, world):
    web, pack_id = start(app, world)
    _status, _passages, documents = pack_state(app, pack_id)
    author = browser(app, world["marieke"])
    item = documents[world["ids"]["report"]]
    post(author, f"/privacy/inzage/rapporten/{item}", {"answer": "niet_akkoord", "note": ""},
         page="/privacy/inzage/rapporten")
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(
            AuditEvent.event == "privacy.inzage_author_answered")) == 0
    post(author, f"/privacy/inzage/rapporten/{item}",
         {"answer": "niet_akkoord", "note": "Eerst samen bespreken in een gesprek."},
         page="/privacy/inzage/rapporten")
    post(web, f"/privacy/inzage/{pack_id}/vrijgeven",
         {"document": [documents[world["ids"]["letter"]]]}, page=f"/privacy/inzage/{pack_id}")
    archive = zipfile.ZipFile(io.BytesIO(web.get(f"/privacy/inzage/{pack_id}/download").data))
    assert len([n for n in archive.namelist() if n.startswith("documenten/")]) == 1
    assert "Psychiatrisch onderzoek: Eerst samen bespreken in een gesprek." in summary_text(
        archive)


def test_the_pack_expires_and_only_the_officer_and_the_author_reach_it(app, world, freeze_today):
    web, pack_id = start(app, world)
    carla = browser(app, world["carla"])
    assert carla.get(f"/privacy/inzage/{pack_id}").status_code == 403
    assert browser(app, world["marieke"]).get(f"/privacy/inzage/{pack_id}").status_code == 403
    post(web, f"/privacy/inzage/{pack_id}/vrijgeven", {}, page=f"/privacy/inzage/{pack_id}")
    with app.app_context():
        key = db.session.get(InzagePack, pack_id).storage_key
        assert inzage.expire_due() == 0
    freeze_today(TODAY + timedelta(days=31))
    with app.app_context():
        assert inzage.expire_due() == 1
        assert key not in storage.stored_keys()
        assert db.session.scalar(select(func.count(InzagePassage.id))) == 0
    gone = web.get(f"/privacy/inzage/{pack_id}/download")
    assert "niet (meer) om te downloaden" in page_text(web.get(gone.location))
    again = post(web, f"/privacy/verzoeken/{world['ids']['request']}/inzagepakket",
                 page=f"/privacy/verzoeken/{world['ids']['request']}")
    assert again.status_code == 302  # a new pack may be made once the old one expired


def test_the_author_and_the_officer_see_what_waits_on_their_start_page(app, world):
    _web, pack_id = start(app, world)
    author = browser(app, world["marieke"])
    html = page_text(author.get("/"))
    assert "Inzageverzoeken: gaat uw rapport mee?" in html
    assert f"Psychiatrisch onderzoek ({world['ids']['number']})" in html
