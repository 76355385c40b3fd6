"""Upload validation against a generated corpus of hostile files (tests/hostile_files.py).

Three layers: `validation.check` on its own, over the whole corpus; the real upload form over
HTTP for every sample (422 with the Dutch reason next to the file field, nothing
stored, the refusal audited); and good files that must survive the round trip byte for byte
while lying encrypted on disk. Also the request size limit (413) and the cleaning of display
names.

Cases the application currently gets wrong are listed in KNOWN_BUGS and run as strict xfails,
so they turn into failures the moment the validator is fixed and the entry can be removed.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from portal.audit.models import AuditEvent, Outcome
from portal.clients.models import Client
from portal.documents import services, validation
from portal.documents.models import Document, DocumentKind, DocumentVersion
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_client, minimal_pdf
from tests.hostile_files import OVERIG, good_files, hostile_corpus

KNOWN_BUGS: dict[str, str] = {}
# REASONS that only the HTTP size limit can produce (none: 413 is not a validation reason).
HTTP_ONLY_REASONS: frozenset[str] = frozenset()

CORPUS = hostile_corpus()
GOOD = good_files()
FILE_ERROR = re.compile(r'<p class="form-error" id="file-error">(.*?)</p>', re.DOTALL)


def _case(sample):
    marks = ([pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[sample.name])]
             if sample.name in KNOWN_BUGS else [])
    return pytest.param(sample, id=sample.name, marks=marks)


HOSTILE_CASES = [_case(sample) for sample in CORPUS]


# Every hostile sample also goes through the real upload route: each must leave nothing
# behind and write its own refusal event (about 20 s for the whole corpus).
HTTP_CASES = HOSTILE_CASES


def _allowed(kind: str) -> set[str]:
    return services.allowed_formats(DocumentKind(kind))


# --- The validator on its own ----------------------------------------------------------------

@pytest.mark.parametrize("sample", HOSTILE_CASES)
def test_validator_refuses_hostile_file(sample):
    with pytest.raises(validation.Refused) as refusal:
        validation.check(io.BytesIO(sample.data), _allowed(sample.kind))
    assert refusal.value.reason == sample.reason
    assert refusal.value.message == validation.REASONS[sample.reason]


def test_corpus_is_large_and_hits_every_reason():
    assert len(CORPUS) >= 45
    assert len({sample.data for sample in CORPUS}) >= 40, "corpus files must be distinct"
    assert {sample.reason for sample in CORPUS} <= set(validation.REASONS)
    hit = set()
    for sample in CORPUS:
        if sample.name in KNOWN_BUGS:
            continue
        try:
            validation.check(io.BytesIO(sample.data), _allowed(sample.kind))
        except validation.Refused as refusal:
            if refusal.reason == sample.reason:
                hit.add(refusal.reason)
    assert hit == set(validation.REASONS) - HTTP_ONLY_REASONS


def test_known_bugs_name_real_samples_and_http_covers_every_reason():
    assert set(KNOWN_BUGS) <= {sample.name for sample in CORPUS}
    assert {case.values[0].reason for case in HTTP_CASES} == set(validation.REASONS)


def test_disguised_samples_hide_their_keywords():
    """These samples only test something if a plain byte search would miss their danger."""
    by_name = {sample.name: sample.data for sample in CORPUS}
    assert b"JavaScript" not in by_name["js-in-objectstroom.pdf"]
    assert b"/JavaScript" not in by_name["namen-met-hekje.pdf"]
    assert b"JS" not in by_name["namen-met-hekje.pdf"]


@pytest.mark.parametrize("good", GOOD, ids=[good.name for good in GOOD])
def test_validator_accepts_good_file(good):
    accepted = validation.check(io.BytesIO(good.data), _allowed(good.kind))
    assert accepted.format == good.format
    assert accepted.mime_type == validation.MIME_TYPES[good.format]


# --- HTTP helpers ----------------------------------------------------------------------------

@pytest.fixture
def dossier(app, account, login):
    """A logged-in casemanager's test client and the ref of a client she may add files to."""
    casemanager = account(Role.CASEMANAGER)
    with app.app_context():
        ref = make_client(casemanagers=[casemanager]).ref
    return login(casemanager), ref


def _upload(client, ref: str, data: bytes, filename: str, kind: str = OVERIG):
    path = f"/documenten/client/{ref}/nieuw"
    token = csrf_token(client, path)
    return client.post(path, data={
        "csrf_token": token, "kind": kind, "title": "Testbestand", "document_date": "",
        "note": "", "file": (io.BytesIO(data), filename),
    }, content_type="multipart/form-data")


def _stored_files(app) -> list[Path]:
    """Every file under the upload folder; empty directories (such as tmp/) do not count."""
    found = []
    for directory, _, names in os.walk(app.config["UPLOAD_FOLDER"]):
        found += [Path(directory) / name for name in names]
    return found


def _row_counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Document)),
                db.session.scalar(select(func.count()).select_from(DocumentVersion)))


def _refusals(app) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.event == "documents.upload_refused")))


def _nothing_kept(app) -> None:
    assert _row_counts(app) == (0, 0)
    assert _stored_files(app) == []


# --- Hostile files over HTTP -----------------------------------------------------------------

@pytest.mark.parametrize("sample", HTTP_CASES)
def test_upload_refuses_hostile_file(app, dossier, sample):
    client, ref = dossier
    response = _upload(client, ref, sample.data, sample.name, sample.kind)

    assert response.status_code == 422
    shown = FILE_ERROR.search(response.get_data(as_text=True))
    assert shown, "no error next to the file field"
    assert shown.group(1).strip() == str(escape(validation.REASONS[sample.reason]))
    _nothing_kept(app)
    [event] = _refusals(app)
    assert event.detail == {"kind": sample.kind, "reason": sample.reason}
    assert event.outcome == Outcome.FAILURE.value
    with app.app_context():
        assert event.client_id == db.session.scalar(select(Client.id).where(Client.ref == ref))
        assert event.user_id is not None


# --- Good files over HTTP ------------------------------------------------------------------

def _download(client, response):
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    document_ref = response.location.rstrip("/").rsplit("/", 1)[-1]
    return client.get(f"/documenten/{document_ref}/download/1")


@pytest.mark.parametrize("good", GOOD, ids=[good.name for good in GOOD])
def test_good_file_round_trip(app, dossier, good):
    client, ref = dossier
    download = _download(client, _upload(client, ref, good.data, good.name, good.kind))

    assert download.status_code == 200
    assert download.get_data() == good.data
    assert download.mimetype == validation.MIME_TYPES[good.format]
    disposition = download.headers["Content-Disposition"]
    expected_name = services.display_name(good.name, validation.EXTENSIONS[good.format])
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(expected_name)}" in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "no-store" in download.headers["Cache-Control"]

    [stored] = _stored_files(app)
    on_disk = stored.read_bytes()
    middle = len(good.data) // 2
    assert good.data not in on_disk
    assert good.data[middle:middle + 32] not in on_disk
    assert on_disk.startswith(b"STAP")
    with app.app_context():
        version = db.session.scalar(select(DocumentVersion))
        assert (version.filename, version.size) == (expected_name, len(good.data))
        assert version.mime_type == validation.MIME_TYPES[good.format]
    assert _refusals(app) == []


# --- Request size limit ----------------------------------------------------------------------

def test_upload_over_size_limit_gets_413_and_keeps_nothing(make_app, account):
    casemanager = account(Role.CASEMANAGER)  # creates the default app (and database) first
    small = make_app(MAX_CONTENT_LENGTH=1024 * 1024)
    with small.app_context():
        ref = make_client(casemanagers=[casemanager]).ref
    client = small.test_client()
    assert log_in(client, casemanager).status_code == 302
    oversized = minimal_pdf() + b"%" + b"opvulling " * 150_000 + b"\n"
    assert len(oversized) > small.config["MAX_CONTENT_LENGTH"]

    response = _upload(client, ref, oversized, "te-groot.pdf")

    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "Bestand te groot" in body
    assert "Het bestand of formulier is groter dan is toegestaan." in body
    _nothing_kept(small)
    assert _refusals(small) == []


# --- Configurable image size ------------------------------------------------------------------

def test_image_pixel_limit_comes_from_the_configuration(make_app, account):
    """MAX_IMAGE_PIXELS (MAX_IMAGE_MEGAPIXELS): a small limit refuses the 24 x 16 scan."""
    casemanager = account(Role.CASEMANAGER)
    strict = make_app(MAX_IMAGE_PIXELS=24 * 16 - 1)
    with strict.app_context():
        ref = make_client(casemanagers=[casemanager]).ref
    client = strict.test_client()
    assert log_in(client, casemanager).status_code == 302
    scan = next(good for good in GOOD if good.name == "scan.png")

    response = _upload(client, ref, scan.data, "scan.png", scan.kind)

    assert response.status_code == 422
    assert FILE_ERROR.search(response.get_data(as_text=True)).group(1).strip() == str(
        escape(validation.REASONS["afbeelding_te_groot"]))
    _nothing_kept(strict)
    with strict.app_context():
        strict.config["MAX_IMAGE_PIXELS"] = 24 * 16
        assert validation.check(io.BytesIO(scan.data), {validation.PNG}).format == "png"


def test_default_image_pixel_limit_is_fifty_megapixels(app):
    assert app.config["MAX_IMAGE_PIXELS"] == 50_000_000 == validation.DEFAULT_MAX_IMAGE_PIXELS


# --- Display names ---------------------------------------------------------------------------

NFD_CLIENT = "Cli" + "e\u0308" + "nt"  # e + combining diaeresis

DISPLAY_NAMES = [
    pytest.param("factuur\u202eFDP.exe", ".pdf", "factuurFDP.pdf", id="bidi-override"),
    pytest.param("\u2066rapport\u2069 \u200b.pdf", ".pdf", "rapport.pdf", id="bidi-isolates"),
    pytest.param("brief\x00\x07\x1b\t\x7f.pdf", ".pdf", "brief.pdf", id="control-characters"),
    pytest.param("../../etc/passwd.pdf", ".pdf", "passwd.pdf", id="unix-path"),
    pytest.param("C:\\x\\y.pdf", ".pdf", "y.pdf", id="windows-path"),
    pytest.param(f"{NFD_CLIENT}.docx", ".docx", "Cli\u00ebnt.docx", id="nfd"),
    pytest.param("a" * 300 + ".pdf", ".pdf", "a" * 116 + ".pdf", id="300-characters"),
    pytest.param("foto.exe", ".pdf", "foto.pdf", id="wrong-extension"),
    pytest.param("scan", ".png", "scan.png", id="no-extension"),
    pytest.param("", ".pdf", "document.pdf", id="empty"),
    pytest.param(None, ".jpg", "document.jpg", id="none"),
    pytest.param("\u202e\u200b...", ".pdf", "document.pdf", id="nothing-left"),
]


@pytest.mark.parametrize("raw, extension, expected", DISPLAY_NAMES)
def test_display_name(raw, extension, expected):
    name = services.display_name(raw, extension)
    assert name == expected
    assert unicodedata.is_normalized("NFC", name)
    assert len(name) <= services.MAX_NAME
    assert "/" not in name and "\\" not in name
    assert not [c for c in name if unicodedata.category(c) in ("Cc", "Cf")]


def test_display_name_through_upload_and_download(app, dossier):
    client, ref = dossier
    raw = "../../C:\\x\\\u202e" + NFD_CLIENT + "\x07\x1b " + "verslag" * 50 + ".exe"
    expected = "Cli\u00ebnt " + ("verslag" * 50)[:120 - len("Cli\u00ebnt .pdf")] + ".pdf"
    assert services.display_name(raw, ".pdf") == expected

    # Inside the quoted filename of a multipart header a backslash escapes the next
    # character, so a client sends each backslash twice to have it arrive as one.
    on_the_wire = raw.replace("\\", "\\\\")
    download = _download(client, _upload(client, ref, minimal_pdf(), on_the_wire))

    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(expected)}" in disposition
    ascii_name = expected.encode("ascii", "replace").decode()
    assert f'filename="{ascii_name}"' in disposition
    with app.app_context():
        assert db.session.scalar(select(DocumentVersion.filename)) == expected
