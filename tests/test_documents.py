"""Documents through the real test client, database and encrypted file store.

The diagnostics compartment (only the author, then after release the assigned casemanager),
which role may add which kind, confidential documents, versions, download headers, integrity
of the stored files and the check-storage command, a crash between file and row, trash and
purge, retention, and full-text search. Every test logs in with CSRF and TOTP on and then
checks what the database, the file store and the audit trail hold afterwards. The same tests
run on SQLite (FTS5) and, with PORTAL_TEST_DATABASE_URL set, on PostgreSQL (tsvector).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import unescape
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import docx
import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select, update

from portal import access
from portal.audit.models import AuditEvent, Outcome
from portal.auth.models import User
from portal.clients.models import Client, Traject
from portal.clock import AMSTERDAM, local_today
from portal.documents import storage
from portal.documents.models import Document, DocumentKind, DocumentText, DocumentVersion
from portal.extensions import db
from portal.roles import Role
from portal.templating import local_date, local_datetime
from tests.conftest import csrf_token, log_in
from tests.factories import (
    Account,
    Person,
    make_client,
    make_document,
    make_intake,
    make_team,
    make_user,
    minimal_pdf,
)

K = DocumentKind

# --- files --------------------------------------------------------------------------------


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), "white").save(buffer, image_format)
    return buffer.getvalue()


# --- HTTP helpers ---------------------------------------------------------------------------


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str | None:
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else None


def browser(app: Flask, account: Account):
    """A separate test client with this account logged in (one browser per person)."""
    other = app.test_client()
    response = log_in(other, account)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return other


def post(user_browser, url: str, data: dict | None = None, **kwargs):
    """POST with the CSRF token of the start page, which every signed-in user may open."""
    return user_browser.post(url, data={"csrf_token": csrf_token(user_browser, "/"),
                                        **(data or {})}, **kwargs)


def upload(user_browser, client_ref: str, *, kind: str, title: str = "Verslag",
           content: bytes | None = None, filename: str = "rapport.pdf",
           confidential: bool = False):
    data = {"kind": kind, "title": title, "document_date": "", "note": "",
            "file": (io.BytesIO(minimal_pdf() if content is None else content), filename)}
    if confidential:
        data["confidential"] = "y"
    return post(user_browser, f"/documenten/client/{client_ref}/nieuw", data,
                content_type="multipart/form-data")


def document_ref(response) -> str:
    """The ref of the document an upload redirected to."""
    assert response.status_code == 302, page_text(response)[:800]
    path = urlsplit(response.location).path
    assert re.fullmatch(r"/documenten/[A-Za-z0-9_-]{16}", path), path
    return path.rsplit("/", 1)[-1]


def add_version(user_browser, ref: str, content: bytes, filename: str = "rapport.pdf"):
    return post(user_browser, f"/documenten/{ref}/versie",
                {"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def download(user_browser, ref: str, number: int = 1):
    return user_browser.get(f"/documenten/{ref}/download/{number}")


def linked_documents(html: str) -> list[str]:
    return re.findall(r'href="/documenten/([A-Za-z0-9_-]{16})"', html)


def dossier_documents(user_browser, client_ref: str) -> str:
    """The documents section of the dossier page as this user sees it."""
    response = user_browser.get(f"/clienten/{client_ref}")
    assert response.status_code == 200
    html = page_text(response)
    start = html.index('<section id="documenten"')
    return html[start:html.index("</section>", start)]


def search(user_browser, query: str) -> tuple[list[str], str]:
    response = user_browser.get("/documenten/zoeken", query_string={"q": query})
    assert response.status_code == 200
    html = page_text(response)
    return linked_documents(html), html


def upload_options(user_browser, client_ref: str) -> set[str]:
    response = user_browser.get(f"/documenten/client/{client_ref}/nieuw")
    assert response.status_code == 200
    select_html = re.search(r'<select[^>]*name="kind".*?</select>', page_text(response), re.S)
    return set(re.findall(r'value="([^"]*)"', select_html.group(0)))


# --- database and store helpers -----------------------------------------------------------


def events(app: Flask, name: str, **where) -> list[SimpleNamespace]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                  .order_by(AuditEvent.seq))
        found = [SimpleNamespace(user_id=r.user_id, object_type=r.object_type,
                                 object_id=r.object_id, client_id=r.client_id,
                                 outcome=r.outcome, action=r.action, detail=r.detail)
                 for r in rows]
    return [e for e in found if all(getattr(e, k) == v for k, v in where.items())]


def stored(app: Flask, ref: str) -> SimpleNamespace | None:
    """The document row and its versions, read in a fresh app context."""
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.ref == ref))
        if document is None:
            return None
        versions = [SimpleNamespace(id=v.id, number=v.number, filename=v.filename,
                                    mime_type=v.mime_type, size=v.size, sha256=v.sha256,
                                    storage_key=v.storage_key, uploaded_by_id=v.uploaded_by_id,
                                    uploaded_at=v.uploaded_at, text_status=v.text_status)
                    for v in document.versions]
        return SimpleNamespace(id=document.id, kind=document.kind, title=document.title,
                               client_id=document.client_id, author_id=document.author_id,
                               confidential=document.confidential,
                               released_at=document.released_at,
                               changed_at=document.changed_at, deleted_at=document.deleted_at,
                               delete_reason=document.delete_reason,
                               purge_after=document.purge_after,
                               retention_until=document.retention_until, versions=versions)


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def stored_keys(app: Flask) -> set[str]:
    with app.app_context():
        return storage.stored_keys()


def leftover_parts(app: Flask) -> list:
    with app.app_context():
        return storage.unfinished_writes()


def file_of(app: Flask, key: str):
    with app.app_context():
        return storage.path_for(key)


def set_version(app: Flask, version_id: int, **values) -> None:
    with app.app_context():
        db.session.execute(update(DocumentVersion).where(DocumentVersion.id == version_id)
                           .values(**values))
        db.session.commit()


def set_document(app: Flask, ref: str, **values) -> None:
    with app.app_context():
        db.session.execute(update(Document).where(Document.ref == ref).values(**values))
        db.session.commit()


def portal_cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["portal", *args])


def cli_text(result) -> str:
    """Everything the command printed (its errors go to stderr)."""
    return result.output + result.stderr


def years_after(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def nothing_stored(app: Flask) -> None:
    assert count(app, Document) == 0
    assert count(app, DocumentVersion) == 0
    assert stored_keys(app) == set()
    assert leftover_parts(app) == []


# --- the team around one client -------------------------------------------------------------

PEOPLE = {
    "author": Person((Role.DIAGNOSTICUS,), "Anna Verbeek"),  # diagnostiek traject on the client
    "colleague": Person((Role.DIAGNOSTICUS,), "Bram Kuipers"),  # her own traject there too
    "stranger": Person((Role.DIAGNOSTICUS,), "Cor Smits"),  # no traject on this client
    "assigned": Person((Role.CASEMANAGER,), "Dewi Jansen"),
    "unassigned": Person((Role.CASEMANAGER,), "Eva de Wit"),
    "other_cm": Person((Role.CASEMANAGER,), "Fleur Bakker"),
    "regisseur": Person((Role.PROCESREGISSEUR,), "Gijs Mulder"),
    "ervaringsdeskundige": Person((Role.ERVARINGSDESKUNDIGE,), "Hanna Vos"),
    "registratie": Person((Role.REGISTRATIECONTACTPERSOON,), "Ilse Peters"),
    "beheerder": Person((Role.BEHEERDER,), "Joost Hendriks"),
}


@dataclass
class Team:
    app: Flask
    accounts: dict[str, Account]
    client_ref: str
    client_id: int
    browsers: dict = field(default_factory=dict)

    def __getitem__(self, name: str):
        """The logged-in browser of this person (each person logs in once per test)."""
        if name not in self.browsers:
            self.browsers[name] = browser(self.app, self.accounts[name])
        return self.browsers[name]

    def id(self, name: str) -> int:
        return self.accounts[name].id


@pytest.fixture
def crew(app) -> Team:
    """The people around one client (Roos), each with her own login and organisation."""
    with app.app_context():
        accounts = make_team(PEOPLE)
        client = make_client("Roos", casemanagers=[accounts["assigned"]],
                             diagnosticus_id=accounts["author"].id)
        client.trajecten.append(Traject(kind="diagnostiek", status="lopend",
                                        diagnosticus_id=accounts["colleague"].id))
        db.session.commit()
        # Roos applied to the contact person: she works with Roos's registration documents.
        make_intake(client, db.session.get(User, accounts["registratie"].id))
        return Team(app, accounts, client.ref, client.id)


REPORT = minimal_pdf("Psychodiagnostisch onderzoek kwetsbaarheid")


def report_by_author(crew: Team, content: bytes = REPORT, title="Psychiatrisch onderzoek"):
    return document_ref(upload(crew["author"], crew.client_ref,
                               kind=K.DIAGNOSTIEKRAPPORT.value, title=title, content=content))


def release(crew: Team, ref: str, who: str = "author"):
    return post(crew[who], f"/documenten/{ref}/vrijgeven")


# (who, status on detail and download): the roles without the route answer 403, the others 404.
OUTSIDERS = [
    ("unassigned", 404),
    ("regisseur", 404),
    ("ervaringsdeskundige", 404),
    ("registratie", 404),
    ("colleague", 404),
    ("stranger", 404),
    ("beheerder", 403),
]


def assert_refused_and_audited(crew: Team, who: str, ref: str, status: int) -> None:
    before = len(events(crew.app, "access.denied", user_id=crew.id(who)))
    assert crew[who].get(f"/documenten/{ref}").status_code == status
    refused = download(crew[who], ref)
    assert refused.status_code == status
    assert REPORT not in refused.get_data()
    denials = events(crew.app, "access.denied", user_id=crew.id(who))[before:]
    assert len(denials) == 2
    assert all(e.outcome == Outcome.DENIED and e.detail["status"] == status for e in denials)
    if status == 404:
        assert {e.object_id for e in denials} == {ref}


# --- 1. the diagnostics compartment ----------------------------------------------------------


def test_author_alone_opens_and_downloads_her_unreleased_report(crew):
    ref = report_by_author(crew)
    row = stored(crew.app, ref)
    assert row.author_id == crew.id("author") and row.released_at is None
    page = crew["author"].get(f"/documenten/{ref}")
    assert page.status_code == 200
    assert "Nog niet: alleen de auteur ziet dit rapport" in page_text(page)
    assert "Rapport vrijgeven" in page_text(page)
    response = download(crew["author"], ref)
    assert response.status_code == 200 and response.get_data() == REPORT
    assert ref in linked_documents(dossier_documents(crew["author"], crew.client_ref))


def test_assigned_casemanager_cannot_open_or_list_an_unreleased_report(crew):
    ref = report_by_author(crew)
    assert_refused_and_audited(crew, "assigned", ref, 404)
    documents = dossier_documents(crew["assigned"], crew.client_ref)
    assert ref not in documents
    assert "Psychiatrisch onderzoek" not in documents
    assert "niet vrijgegeven" not in documents


@pytest.mark.parametrize(("who", "status"), OUTSIDERS)
def test_nobody_else_reaches_an_unreleased_report_and_each_refusal_is_audited(crew, who,
                                                                              status):
    ref = report_by_author(crew)
    assert_refused_and_audited(crew, who, ref, status)


def test_release_opens_the_report_to_the_assigned_casemanager_byte_identical(crew):
    ref = report_by_author(crew)
    response = release(crew, ref)
    assert response.status_code == 302
    row = stored(crew.app, ref)
    assert row.released_at is not None
    assert len(events(crew.app, "documents.released", object_id=str(row.id),
                      user_id=crew.id("author"))) == 1
    page = crew["assigned"].get(f"/documenten/{ref}")
    assert page.status_code == 200 and "Psychiatrisch onderzoek" in page_text(page)
    response = download(crew["assigned"], ref)
    assert response.status_code == 200
    assert response.get_data() == REPORT
    assert hashlib.sha256(response.get_data()).hexdigest() == row.versions[0].sha256
    assert ref in linked_documents(dossier_documents(crew["assigned"], crew.client_ref))


def test_release_covers_only_the_released_version_not_earlier_drafts(crew):
    ref = report_by_author(crew, content=minimal_pdf("Werkhypothese concept"))
    final = minimal_pdf("Definitieve bevindingen")
    add_version(crew["author"], ref, final)
    release(crew, ref)
    assert download(crew["assigned"], ref, number=1).status_code == 404
    assert download(crew["assigned"], ref, number=2).get_data() == final
    assert "Werkhypothese" not in page_text(crew["assigned"].get(f"/documenten/{ref}"))
    assert download(crew["author"], ref, number=1).status_code == 200


def test_a_revised_report_waits_for_a_new_release(crew):
    ref = report_by_author(crew)
    release(crew, ref)
    revised = minimal_pdf("Herziene bevindingen")
    assert add_version(crew["author"], ref, revised).status_code == 302
    assert stored(crew.app, ref).released_at is None
    assert crew["assigned"].get(f"/documenten/{ref}").status_code == 404
    release(crew, ref)
    assert download(crew["assigned"], ref, number=2).get_data() == revised


@pytest.mark.parametrize(("who", "status"), OUTSIDERS)
def test_release_opens_the_report_to_nobody_but_the_assigned_casemanager(crew, who, status):
    ref = report_by_author(crew)
    assert release(crew, ref).status_code == 302
    assert_refused_and_audited(crew, who, ref, status)


def test_only_the_author_may_release_a_report(crew):
    ref = report_by_author(crew)
    assert release(crew, ref, "assigned").status_code == 403  # the route is the author's role
    assert release(crew, ref, "colleague").status_code == 404
    assert stored(crew.app, ref).released_at is None
    assert events(crew.app, "documents.released") == []


def test_only_the_author_may_add_a_version_to_or_delete_a_released_report(crew):
    ref = report_by_author(crew)
    release(crew, ref)
    page = page_text(crew["assigned"].get(f"/documenten/{ref}"))
    assert "Nieuwe versie opslaan" not in page and "Naar de prullenbak" not in page
    for who in ("assigned", "colleague"):
        assert add_version(crew[who], ref, minimal_pdf("andere inhoud")).status_code == 404
        assert post(crew[who], f"/documenten/{ref}/verwijderen",
                    {"reason": "Hoort hier niet"}).status_code == 404
    row = stored(crew.app, ref)
    assert len(row.versions) == 1 and row.deleted_at is None
    assert add_version(crew["author"], ref, minimal_pdf("aanvulling")).status_code == 302
    assert post(crew["author"], f"/documenten/{ref}/verwijderen",
                {"reason": "Verkeerde cliënt"}).status_code == 302
    row = stored(crew.app, ref)
    assert len(row.versions) == 2 and row.deleted_at is not None


# --- 2. who may add which kind -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["assigned", "regisseur", "registratie", "author"])
def test_upload_form_offers_exactly_the_kinds_of_the_role(crew, who):
    role = PEOPLE[who].roles[0]
    offered = upload_options(crew[who], crew.client_ref)
    assert offered == {k.value for k in access.DOCUMENT_KINDS_UPLOAD[role]}


def test_casemanager_is_not_offered_the_diagnostics_kind(crew):
    assert K.DIAGNOSTIEKRAPPORT.value not in upload_options(crew["assigned"], crew.client_ref)


@pytest.mark.parametrize(("who", "kind"), [
    ("assigned", K.DIAGNOSTIEKRAPPORT), ("registratie", K.BRIEF),
    ("regisseur", K.REGISTRATIEDOCUMENT), ("regisseur", K.TOESTEMMINGSVERKLARING),
    ("author", K.BRIEF)])
def test_forged_kind_is_refused_without_storing_anything(crew, who, kind):
    response = upload(crew[who], crew.client_ref, kind=kind.value, title="Vervalst")
    assert response.status_code == 422
    assert field_error(response, "kind")
    nothing_stored(crew.app)
    assert events(crew.app, "documents.uploaded") == []


def test_ervaringsdeskundige_cannot_upload_at_all(crew):
    user = crew["ervaringsdeskundige"]
    assert user.get(f"/documenten/client/{crew.client_ref}/nieuw").status_code == 403
    response = upload(user, crew.client_ref, kind=K.OVERIG.value, title="Notitie")
    assert response.status_code == 403
    nothing_stored(crew.app)
    denials = events(crew.app, "access.denied", user_id=crew.id("ervaringsdeskundige"))
    assert [e.detail["status"] for e in denials] == [403, 403]
    assert "Document toevoegen" not in dossier_documents(user, crew.client_ref)


@pytest.mark.parametrize(("image_format", "filename", "mime", "stored_name"), [
    ("JPEG", "scan paspoort.jpeg", "image/jpeg", "scan paspoort.jpg"),
    ("PNG", "scan.png", "image/png", "scan.png")])
def test_registratiecontactpersoon_uploads_a_scan_as_registratiedocument(
        crew, image_format, filename, mime, stored_name):
    content = image_bytes(image_format)
    ref = document_ref(upload(crew["registratie"], crew.client_ref,
                              kind=K.REGISTRATIEDOCUMENT.value, title="Registratiepas",
                              content=content, filename=filename))
    version = stored(crew.app, ref).versions[0]
    assert (version.mime_type, version.filename, version.size) == (mime, stored_name,
                                                                   len(content))
    response = download(crew["registratie"], ref)
    assert response.status_code == 200 and response.mimetype == mime
    assert response.get_data() == content


@pytest.mark.parametrize("kind", [K.BRIEF, K.OVERIG, K.TOESTEMMINGSVERKLARING])
def test_scans_are_refused_for_every_other_kind(crew, kind):
    response = upload(crew["assigned"], crew.client_ref, kind=kind.value, title="Scan",
                      content=image_bytes("PNG"), filename="scan.png")
    assert response.status_code == 422
    assert "scans (JPEG of PNG) alleen bij registratiedocumenten" in field_error(response,
                                                                                 "file")
    nothing_stored(crew.app)
    refused = events(crew.app, "documents.upload_refused", client_id=crew.client_id)
    assert [e.detail["reason"] for e in refused] == ["type_niet_voor_soort"]


def test_procesregisseur_adds_a_handover_and_sees_only_letters_and_handovers(crew):
    titles = {K.BRIEF: "Brief aan wijkteam", K.REGISTRATIEDOCUMENT: "Registratieaanvraag",
              K.TOESTEMMINGSVERKLARING: "Toestemming delen gegevens"}
    refs = {kind: document_ref(upload(crew["assigned"], crew.client_ref, kind=kind.value,
                                      title=title)) for kind, title in titles.items()}
    refs[K.OVERDRACHTSVERSLAG] = document_ref(upload(
        crew["regisseur"], crew.client_ref, kind=K.OVERDRACHTSVERSLAG.value,
        title="Overdracht naar Arnhem"))
    assert stored(crew.app, refs[K.OVERDRACHTSVERSLAG]).author_id == crew.id("regisseur")
    listed = linked_documents(dossier_documents(crew["regisseur"], crew.client_ref))
    for kind, ref in refs.items():
        visible = kind in (K.BRIEF, K.OVERDRACHTSVERSLAG)
        assert crew["regisseur"].get(f"/documenten/{ref}").status_code == (
            200 if visible else 404), kind
        assert download(crew["regisseur"], ref).status_code == (200 if visible else 404)
        assert (ref in listed) == visible, kind


def test_confidential_document_is_seen_by_author_and_assigned_casemanagers_only(crew):
    content = minimal_pdf("Vertrouwelijke afspraak zwaluwstaart")
    ref = document_ref(upload(crew["unassigned"], crew.client_ref, kind=K.OVERIG.value,
                              title="Gesprek met zus", content=content, confidential=True))
    open_ref = document_ref(upload(crew["unassigned"], crew.client_ref, kind=K.OVERIG.value,
                                   title="Afsprakenlijst"))
    assert stored(crew.app, ref).confidential is True
    for who in ("unassigned", "assigned"):
        assert crew[who].get(f"/documenten/{ref}").status_code == 200, who
        assert download(crew[who], ref).get_data() == content
        assert ref in linked_documents(dossier_documents(crew[who], crew.client_ref))
        assert search(crew[who], "zwaluwstaart")[0] == [ref]
    for who in ("other_cm", "ervaringsdeskundige"):
        assert crew[who].get(f"/documenten/{ref}").status_code == 404, who
        assert download(crew[who], ref).status_code == 404
        listed = linked_documents(dossier_documents(crew[who], crew.client_ref))
        assert ref not in listed and open_ref in listed, who
        assert search(crew[who], "zwaluwstaart")[0] == []


# --- 3. versions -----------------------------------------------------------------------------


def test_new_version_keeps_both_versions_listed_and_downloadable(crew):
    first = minimal_pdf("Eerste opzet ochtendgloren")
    second = docx_bytes("Definitieve tekst avondrood")
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              title="Brief huisarts", content=first, filename="brief.pdf"))
    response = add_version(crew["unassigned"], ref, second, filename="brief definitief.docx")
    assert response.status_code == 302 and response.location.endswith(f"/documenten/{ref}")
    row = stored(crew.app, ref)
    assert [(v.number, v.uploaded_by_id) for v in row.versions] == [
        (1, crew.id("assigned")), (2, crew.id("unassigned"))]
    page = page_text(crew["assigned"].get(f"/documenten/{ref}"))
    rows = re.findall(r"<tr>\s*<td>(\d+)( \(huidig\))?</td>(.*?)</tr>", page, re.S)
    assert [(number, current) for number, current, _ in rows] == [("2", " (huidig)"),
                                                                  ("1", "")]
    for (_, _, cells), version, name in zip(rows, reversed(row.versions),
                                            ("Eva de Wit", "Dewi Jansen"), strict=True):
        assert version.filename in cells and name in cells
        assert local_datetime(version.uploaded_at) in cells
    assert download(crew["assigned"], ref, 1).get_data() == first
    assert download(crew["assigned"], ref, 2).get_data() == second
    assert download(crew["assigned"], ref, 3).status_code == 404
    added = events(crew.app, "documents.version_added", object_id=str(row.id))
    assert [(e.user_id, e.detail["version"], e.client_id) for e in added] == [
        (crew.id("unassigned"), 2, crew.client_id)]


def test_search_follows_the_current_version(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=minimal_pdf("ochtendgloren")))
    assert add_version(crew["assigned"], ref, docx_bytes("avondrood")).status_code == 302
    assert search(crew["assigned"], "avondrood")[0] == [ref]
    assert search(crew["assigned"], "ochtendgloren")[0] == []


def test_refused_new_version_stores_nothing_and_keeps_version_one(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value))
    keys = stored_keys(crew.app)
    response = add_version(crew["assigned"], ref, b"MZ\x90\x00 geen document", "brief.pdf")
    assert response.status_code == 422
    assert field_error(response, "file").startswith("Dit soort bestand wordt niet geaccepteerd")
    assert len(stored(crew.app, ref).versions) == 1
    assert stored_keys(crew.app) == keys


# --- 4. download headers -------------------------------------------------------------------


def test_download_is_an_attachment_with_utf8_filename_and_strict_headers(crew):
    content = minimal_pdf("Rapportage")
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.OVERIG.value,
                              content=content, filename="rapport één.pdf"))
    response = download(crew["assigned"], ref)
    assert response.status_code == 200 and response.get_data() == content
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded, encoding="utf-8") == "rapport één.pdf"
    assert re.search(r'filename="[ -~]+"', disposition)  # an ASCII fallback for old clients
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Length"] == str(len(content))
    assert "rapport één.pdf" in page_text(crew["assigned"].get(f"/documenten/{ref}"))


def test_large_scan_downloads_intact_across_storage_chunks(crew):
    noise = Image.frombytes("RGB", (800, 600), os.urandom(800 * 600 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    content = buffer.getvalue()
    assert len(content) > storage.CHUNK_SIZE
    ref = document_ref(upload(crew["registratie"], crew.client_ref,
                              kind=K.REGISTRATIEDOCUMENT.value, content=content,
                              filename="scan.png"))
    response = download(crew["registratie"], ref)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(content))
    assert response.get_data() == content


@pytest.mark.parametrize(("sent", "kept"), [
    ("Rapport\u202e\u0007 mei.pdf", "Rapport mei.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ("uitslag.exe", "uitslag.pdf"),
    ("....", "document.pdf")])
def test_uploaded_filename_is_kept_only_as_safe_display_text(crew, sent, kept):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              filename=sent))
    assert stored(crew.app, ref).versions[0].filename == kept
    disposition = download(crew["assigned"], ref).headers["Content-Disposition"]
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded) == kept


def test_every_download_is_audited_with_the_client(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value))
    version_id = stored(crew.app, ref).versions[0].id
    for who in ("assigned", "unassigned", "assigned"):
        assert download(crew[who], ref).status_code == 200
    downloads = events(crew.app, "documents.downloaded")
    assert [(e.user_id, e.client_id, e.object_id, e.outcome, e.action) for e in downloads] == [
        (crew.id(who), crew.client_id, str(version_id), Outcome.SUCCESS, "R")
        for who in ("assigned", "unassigned", "assigned")]


# --- 5. integrity --------------------------------------------------------------------------


def assert_refused_download(crew: Team, ref: str, content: bytes) -> None:
    response = download(crew["assigned"], ref)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    assert "beschadigd" in page_text(response)
    assert content not in response.get_data() and b"%PDF" not in response.get_data()
    failed = events(crew.app, "documents.downloaded", outcome=Outcome.FAILURE)
    assert len(failed) == 1
    assert failed[0].client_id == crew.client_id and failed[0].user_id == crew.id("assigned")
    assert failed[0].detail["problem"]
    assert events(crew.app, "documents.downloaded", outcome=Outcome.SUCCESS) == []


def test_tampered_file_is_never_served(crew):
    content = minimal_pdf("Onaangetast")
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=content))
    path = file_of(crew.app, stored(crew.app, ref).versions[0].storage_key)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert_refused_download(crew, ref, content)


def test_missing_file_is_refused_in_dutch(crew):
    content = minimal_pdf("Verdwenen")
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=content))
    file_of(crew.app, stored(crew.app, ref).versions[0].storage_key).unlink()
    assert_refused_download(crew, ref, content)


def test_wrong_checksum_in_the_database_refuses_the_download(crew):
    content = minimal_pdf("Controlegetal")
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=content))
    version = stored(crew.app, ref).versions[0]
    set_version(crew.app, version.id, sha256=hashlib.sha256(b"iets anders").hexdigest())
    assert_refused_download(crew, ref, content)


@pytest.fixture
def two_documents(app):
    """Two stored documents made directly in the store, for the check-storage command."""
    with app.app_context():
        author = make_user(Role.CASEMANAGER)
        client = make_client()
        versions = []
        for text in ("Eerste bestand", "Tweede bestand"):
            document = make_document(client, author.id, content=minimal_pdf(text))
            versions.append(SimpleNamespace(id=document.current.id,
                                            key=document.current.storage_key))
        return versions


def test_check_storage_passes_on_a_clean_store(app, two_documents):
    result = portal_cli(app, "check-storage")
    assert result.exit_code == 0, cli_text(result)
    assert "Opslag in orde: 2 bestanden gecontroleerd." in cli_text(result)


def test_check_storage_names_a_missing_file(app, two_documents):
    file_of(app, two_documents[0].key).unlink()
    result = portal_cli(app, "check-storage")
    assert result.exit_code == 1
    assert (f"Ontbrekende bestanden: documentversie {two_documents[0].id} "
            f"({two_documents[0].key[:12]}") in cli_text(result)


def test_check_storage_names_an_orphan_file(app, two_documents):
    with app.app_context():
        orphan = storage.store(io.BytesIO(b"zonder rij"))
    result = portal_cli(app, "check-storage")
    assert result.exit_code == 1
    assert f"Bestanden zonder databaserij: {orphan.key[:12]}" in cli_text(result)


def test_check_storage_names_a_checksum_mismatch(app, two_documents):
    set_version(app, two_documents[1].id, sha256="0" * 64)
    result = portal_cli(app, "check-storage")
    assert result.exit_code == 1
    assert f"Controlegetal klopt niet: documentversie {two_documents[1].id}" in cli_text(result)


def test_check_storage_names_an_undecryptable_file(app, two_documents):
    file_of(app, two_documents[0].key).write_bytes(os.urandom(400))
    result = portal_cli(app, "check-storage")
    assert result.exit_code == 1
    assert f"Niet te ontsleutelen: documentversie {two_documents[0].id}" in cli_text(result)


def test_check_storage_names_a_leftover_temporary_file(app, two_documents):
    tmp_dir = file_of(app, two_documents[0].key).parents[2] / storage.TMP_DIR
    (tmp_dir / "afgebroken-upload.part").write_bytes(b"half")
    result = portal_cli(app, "check-storage")
    assert result.exit_code == 1
    assert "Onvoltooide tijdelijke bestanden: afgebroken-upload.part" in cli_text(result)


# --- 6. a failure between file and row --------------------------------------------------------


def test_failure_after_storing_the_file_leaves_neither_row_nor_file(crew, monkeypatch):
    uploader = crew["assigned"]  # logged in before the audit call breaks

    def broken_record(*args, **kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr("portal.documents.services.record", broken_record)
    response = upload(uploader, crew.client_ref, kind=K.BRIEF.value, title="Gaat mis")
    assert response.status_code == 500
    assert "Er ging iets mis" in page_text(response)
    nothing_stored(crew.app)
    monkeypatch.undo()
    result = portal_cli(crew.app, "check-storage")
    assert result.exit_code == 0, cli_text(result)


# --- 7. delete, trash, restore and purge -----------------------------------------------------


def test_delete_without_a_reason_changes_nothing(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value))
    response = post(crew["assigned"], f"/documenten/{ref}/verwijderen", {"reason": "  "})
    assert response.status_code == 422
    assert field_error(response, "reason") == "Geef een reden voor het verwijderen."
    row = stored(crew.app, ref)
    assert row.deleted_at is None and row.purge_after is None
    assert events(crew.app, "documents.deleted") == []
    assert ref in linked_documents(dossier_documents(crew["assigned"], crew.client_ref))


def test_deleted_document_goes_to_the_trash_and_can_be_restored(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              title="Brief woningcorporatie",
                              content=minimal_pdf("Huurachterstand kraanvogel")))
    response = post(crew["assigned"], f"/documenten/{ref}/verwijderen",
                    {"reason": "Dubbel geüpload"})
    assert response.status_code == 302
    assert urlsplit(response.location).path == f"/clienten/{crew.client_ref}"
    row = stored(crew.app, ref)
    assert row.delete_reason == "Dubbel geüpload"
    assert row.purge_after == local_today() + timedelta(days=crew.app.config["TRASH_DAYS"])
    deleted = events(crew.app, "documents.deleted", object_id=str(row.id))
    assert [(e.user_id, e.client_id) for e in deleted] == [(crew.id("assigned"),
                                                           crew.client_id)]

    assert ref not in dossier_documents(crew["assigned"], crew.client_ref)
    assert search(crew["assigned"], "kraanvogel")[0] == []
    assert crew["assigned"].get(f"/documenten/{ref}").status_code == 404
    assert download(crew["assigned"], ref).status_code == 404
    trash = crew["assigned"].get(f"/documenten/client/{crew.client_ref}/prullenbak")
    assert trash.status_code == 200
    assert "Brief woningcorporatie" in page_text(trash)
    assert "Dubbel geüpload" in page_text(trash)
    assert local_date(row.purge_after) in page_text(trash)

    response = post(crew["assigned"], f"/documenten/{ref}/terugzetten")
    assert response.status_code == 302
    row = stored(crew.app, ref)
    assert row.deleted_at is None and row.purge_after is None and row.delete_reason is None
    assert len(events(crew.app, "documents.restored", object_id=str(row.id))) == 1
    assert ref in linked_documents(dossier_documents(crew["assigned"], crew.client_ref))
    assert search(crew["assigned"], "kraanvogel")[0] == [ref]
    assert "Brief woningcorporatie" not in page_text(
        crew["assigned"].get(f"/documenten/client/{crew.client_ref}/prullenbak"))


def test_beheerder_cannot_see_the_trash(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value))
    post(crew["assigned"], f"/documenten/{ref}/verwijderen", {"reason": "Weg ermee"})
    response = crew["beheerder"].get(f"/documenten/client/{crew.client_ref}/prullenbak")
    assert response.status_code == 403
    assert "Verslag" not in page_text(response)
    assert post(crew["beheerder"], f"/documenten/{ref}/terugzetten").status_code == 403
    assert stored(crew.app, ref).deleted_at is not None
    assert [e.detail["status"] for e in events(crew.app, "access.denied",
                                               user_id=crew.id("beheerder"))] == [403, 403]


def test_trashed_report_is_listed_and_restored_only_for_its_author(crew):
    ref = report_by_author(crew)
    release(crew, ref)
    post(crew["author"], f"/documenten/{ref}/verwijderen", {"reason": "Verkeerde versie"})
    trash_url = f"/documenten/client/{crew.client_ref}/prullenbak"
    assert "Psychiatrisch onderzoek" in page_text(crew["author"].get(trash_url))
    assert "Psychiatrisch onderzoek" not in page_text(crew["assigned"].get(trash_url))
    assert post(crew["assigned"], f"/documenten/{ref}/terugzetten").status_code == 404
    assert stored(crew.app, ref).deleted_at is not None


def test_purge_trash_removes_only_documents_past_their_date(crew):
    due = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              title="Oud", content=docx_bytes("Oude brief merelzang")))
    waiting = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                                  title="Recent"))
    live = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                               title="Levend"))
    assert add_version(crew["assigned"], due, minimal_pdf("Tweede versie")).status_code == 302
    for ref in (due, waiting):
        post(crew["assigned"], f"/documenten/{ref}/verwijderen", {"reason": "Opruimen"})
    set_document(crew.app, due, purge_after=local_today() - timedelta(days=1))
    due_row = stored(crew.app, due)
    due_files = [file_of(crew.app, v.storage_key) for v in due_row.versions]
    assert all(path.exists() for path in due_files)

    result = portal_cli(crew.app, "purge-trash")
    assert result.exit_code == 0, cli_text(result)
    assert "1 document(en) definitief verwijderd." in cli_text(result)
    assert stored(crew.app, due) is None
    assert not any(path.exists() for path in due_files)
    with crew.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DocumentText).where(
            DocumentText.version_id.in_([v.id for v in due_row.versions]))) == 0
    for ref in (waiting, live):
        row = stored(crew.app, ref)
        assert row is not None and file_of(crew.app, row.versions[0].storage_key).exists()
    purged = events(crew.app, "documents.purged")
    assert [(e.object_id, e.client_id, e.user_id) for e in purged] == [
        (str(due_row.id), crew.client_id, None)]
    assert portal_cli(crew.app, "check-storage").exit_code == 0


# --- 8. retention --------------------------------------------------------------------------


def change_status(crew: Team, to_status: str, on: date):
    return post(crew["assigned"], f"/clienten/{crew.client_ref}/status",
                {"to_status": to_status, "changed_on": on.isoformat(),
                 "reason": "Overleg in het Stapteam"})


def test_diagnostics_report_is_kept_twenty_years_after_its_last_change(crew):
    ref = report_by_author(crew)
    row = stored(crew.app, ref)
    changed_on = {row.changed_at.astimezone(AMSTERDAM).date(), row.changed_at.date()}
    # The exact day around midnight is the subject of the next test.
    assert row.retention_until in {years_after(day, 20) for day in changed_on}
    page = page_text(crew["author"].get(f"/documenten/{ref}"))
    assert local_date(row.retention_until) in page


def test_report_retention_counts_from_the_local_date_of_the_change(crew, monkeypatch):
    ref = report_by_author(crew)
    just_after_midnight = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 11 March, 00:30 local
    monkeypatch.setattr("portal.documents.services.utcnow", lambda: just_after_midnight)
    assert add_version(crew["author"], ref, minimal_pdf("Aanvulling")).status_code == 302
    assert stored(crew.app, ref).retention_until == date(2046, 3, 11)


def test_new_version_of_a_report_moves_its_retention(crew):
    ref = report_by_author(crew)
    set_document(crew.app, ref, changed_at=datetime(2020, 5, 4, 10, 0, tzinfo=UTC),
                 retention_until=date(2040, 5, 4))
    assert add_version(crew["author"], ref, minimal_pdf("Herziening")).status_code == 302
    row = stored(crew.app, ref)
    assert row.changed_at.date() >= local_today() - timedelta(days=1)
    changed_on = {row.changed_at.astimezone(AMSTERDAM).date(), row.changed_at.date()}
    assert row.retention_until in {years_after(day, 20) for day in changed_on}


def test_dossier_documents_are_kept_fifteen_years_after_closing_and_not_after_reopening(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.OVERIG.value))
    report = report_by_author(crew)
    report_retention = stored(crew.app, report).retention_until
    assert stored(crew.app, ref).retention_until is None
    assert "15 jaar na het afsluiten van het dossier" in page_text(
        crew["assigned"].get(f"/documenten/{ref}"))

    closed_on = local_today() - timedelta(days=3)
    assert change_status(crew, "afgesloten", closed_on).status_code == 302
    with crew.app.app_context():
        assert db.session.get(Client, crew.client_id).closed_at == closed_on
    assert stored(crew.app, ref).retention_until == years_after(closed_on, 15)
    assert stored(crew.app, report).retention_until == report_retention

    assert change_status(crew, "actief", local_today()).status_code == 302
    assert stored(crew.app, ref).retention_until is None
    assert stored(crew.app, report).retention_until == report_retention


def test_document_added_to_a_closed_dossier_gets_its_retention_at_once(crew):
    closed_on = local_today() - timedelta(days=1)
    assert change_status(crew, "afgesloten", closed_on).status_code == 302
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value))
    assert stored(crew.app, ref).retention_until == years_after(closed_on, 15)


# --- 9. search -----------------------------------------------------------------------------


def test_search_finds_words_inside_pdf_and_docx(crew):
    pdf_ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                                  title="Brief over zorg",
                                  content=minimal_pdf("Afspraak met de wijkverpleging "
                                                      "over zonnebloemveld")))
    docx_ref = document_ref(upload(
        crew["assigned"], crew.client_ref, kind=K.OVERIG.value, title="Werkplan",
        content=docx_bytes("Doelen voor dit kwartaal", "Zonnebloemveld en ijsvogeltje"),
        filename="werkplan.docx"))
    assert stored(crew.app, docx_ref).versions[0].text_status == "geïndexeerd"
    refs, html = search(crew["assigned"], "zonnebloemveld")
    assert sorted(refs) == sorted([pdf_ref, docx_ref])
    assert "2 document(en) gevonden." in html and "Roos" in html
    assert search(crew["assigned"], "ijsvogeltje")[0] == [docx_ref]
    assert search(crew["assigned"], "wijkverpleging zonnebloemveld")[0] == [pdf_ref]
    assert search(crew["assigned"], "olifantengras")[0] == []


def test_every_word_of_the_query_must_occur(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=minimal_pdf("Zonnebloemveld bij de rivier")))
    assert search(crew["assigned"], "zonnebloemveld rivier")[0] == [ref]
    assert search(crew["assigned"], "zonnebloemveld olifantengras")[0] == []
    assert search(crew["assigned"], "zonnebloemveld or olifantengras")[0] == []


def test_search_is_limited_to_kinds_the_user_may_see(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref,
                              kind=K.REGISTRATIEDOCUMENT.value,
                              content=minimal_pdf("Pasnummer karekiet")))
    assert search(crew["registratie"], "karekiet")[0] == [ref]
    assert search(crew["regisseur"], "karekiet")[0] == []
    assert search(crew["ervaringsdeskundige"], "karekiet")[0] == []


def test_unreleased_report_is_found_by_its_author_only(crew):
    ref = report_by_author(crew, content=minimal_pdf("Bevindingen pimpelmees"))
    refs, html = search(crew["assigned"], "pimpelmees")
    assert refs == [] and ref not in html
    assert "Psychiatrisch onderzoek" not in html and "Diagnostiekrapport" not in html
    assert re.findall(r"(\d+) document\(en\) gevonden", html) == ["0"]
    for who in ("unassigned", "colleague", "regisseur"):
        assert search(crew[who], "pimpelmees")[0] == [], who
    assert search(crew["author"], "pimpelmees")[0] == [ref]


def test_released_report_is_found_by_the_assigned_casemanager_only(crew):
    ref = report_by_author(crew, content=minimal_pdf("Bevindingen pimpelmees"))
    release(crew, ref)
    refs, html = search(crew["assigned"], "pimpelmees")
    assert refs == [ref] and "1 document(en) gevonden." in html
    for who in ("unassigned", "colleague"):
        assert search(crew[who], "pimpelmees")[0] == [], who


def test_deleted_documents_are_not_found(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=minimal_pdf("Verhuizing roodborstje")))
    assert search(crew["assigned"], "roodborstje")[0] == [ref]
    post(crew["assigned"], f"/documenten/{ref}/verwijderen", {"reason": "Vergissing"})
    assert search(crew["assigned"], "roodborstje")[0] == []


def test_search_is_audited_with_its_query_and_results(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=minimal_pdf("Schuldhulp grutto")))
    report = report_by_author(crew, content=minimal_pdf("Bevindingen grutto"))
    search(crew["assigned"], "grutto")
    searched = events(crew.app, "documents.searched", user_id=crew.id("assigned"))
    assert len(searched) == 1
    assert searched[0].detail["query"] == "grutto"
    assert searched[0].detail["document_ids"] == [stored(crew.app, ref).id]
    assert stored(crew.app, report).id not in searched[0].detail["document_ids"]


@contextmanager
def queued_jobs(app: Flask):
    """The real queue (SQLite storage in the instance folder) instead of running jobs at once;
    the block dequeues and executes them itself."""
    from portal import jobs

    app.config["JOBS_IMMEDIATE"] = False
    jobs.huey.configure(app)
    try:
        yield jobs.huey
    finally:
        app.config["JOBS_IMMEDIATE"] = True
        jobs.huey.configure(app)


def test_text_is_extracted_by_the_job_queue_after_the_upload(crew):
    """The upload's commit enqueues the extraction; a worker dequeuing and executing it makes
    the text searchable."""
    with queued_jobs(crew.app) as queue:
        ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.OVERIG.value,
                                  content=minimal_pdf("Wachtrijwoord")))
        row = stored(crew.app, ref)
        assert queue.pending_count() == 1
        assert row.versions[0].text_status == "wacht"
        assert search(crew["assigned"], "Wachtrijwoord")[0] == []
        queue.execute(queue.dequeue())
    assert stored(crew.app, ref).versions[0].text_status == "geïndexeerd"
    assert ref in search(crew["assigned"], "Wachtrijwoord")[0]


def indexed_versions(app: Flask, ref: str) -> list[int]:
    """The numbers of the document's versions whose text is in the full-text index."""
    with app.app_context():
        return list(db.session.scalars(
            select(DocumentVersion.number).join(DocumentText).join(Document)
            .where(Document.ref == ref).order_by(DocumentVersion.number)))


def test_new_version_is_not_found_by_the_old_words_while_its_text_is_extracted(crew):
    ref = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                              content=minimal_pdf("ochtendgloren")))
    with queued_jobs(crew.app) as queue:
        assert add_version(crew["assigned"], ref, docx_bytes("avondrood")).status_code == 302
        assert indexed_versions(crew.app, ref) == [1]  # the old text is still in the index
        assert search(crew["assigned"], "ochtendgloren")[0] == []
        assert search(crew["assigned"], "avondrood")[0] == []
        queue.execute(queue.dequeue())
    assert indexed_versions(crew.app, ref) == [2]
    assert search(crew["assigned"], "avondrood")[0] == [ref]
    assert search(crew["assigned"], "ochtendgloren")[0] == []


def test_search_lists_the_latest_upload_first(crew):
    first = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                                content=minimal_pdf("grasmus")))
    second = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.OVERIG.value,
                                 content=minimal_pdf("grasmus")))
    assert search(crew["assigned"], "grasmus")[0] == [second, first]
    assert add_version(crew["assigned"], first, docx_bytes("grasmus herzien")).status_code == 302
    assert search(crew["assigned"], "grasmus")[0] == [first, second]


def test_search_looks_past_the_newest_matches_for_older_ones(crew, monkeypatch):
    """Past the newest matches (one here) the search goes on among the older ones, with the
    same rules: the user's documents only, and only a current version's text."""
    monkeypatch.setattr("portal.documents.search.FIRST_MATCHES", 1)
    oldest = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                                 content=minimal_pdf("boomklever")))
    revised = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                                  content=minimal_pdf("boomklever")))
    hidden = document_ref(upload(crew["assigned"], crew.client_ref, kind=K.BRIEF.value,
                                 content=minimal_pdf("boomklever"), confidential=True))
    with queued_jobs(crew.app):
        assert add_version(crew["assigned"], revised, docx_bytes("zonder")).status_code == 302
        assert search(crew["regisseur"], "boomklever")[0] == [oldest]
        assert search(crew["assigned"], "boomklever")[0] == [hidden, oldest]
