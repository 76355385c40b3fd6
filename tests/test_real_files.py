"""The files people really make pass the intake: a corpus made at test time by real producers.

Each file (tests/real_producers.py) goes through the real upload route as a casemanager, comes
back byte for byte from the download route, and is found by full-text search by a word inside
it. Scans without a text layer have no word: for them the index says "geen tekst". Each file
is also checked for the feature it stands for (PDF/A, tagged, linearised, object streams,
encryption with an empty user password, an incremental update, PDF 1.4 and 2.0, comments and
tracked changes in Word), so a producer that silently stops writing it is noticed.

A producer that is not installed skips its files with the reason, except in CI (`CI` set),
where `.ci/run` installs them all and a missing one fails.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.documents import validation
from portal.documents.models import DocumentVersion
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_token
from tests.factories import make_client
from tests.real_producers import EXPECTED, Missing, produce

pytestmark = pytest.mark.converters  # what the producers make does not depend on the database

CASES = [pytest.param(producer, name, id=f"{producer}/{name}")
         for producer, names in EXPECTED.items() for name in names]
DOCUMENT_LINK = re.compile(r'href="/documenten/([A-Za-z0-9_-]{16})"')


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """Each producer runs once per session, when its first file is asked for."""
    cache: dict[str, list | Missing] = {}

    def files_of(producer: str):
        if producer not in cache:
            try:
                cache[producer] = produce(producer, tmp_path_factory.mktemp(producer))
            except Missing as missing:
                cache[producer] = missing
        found = cache[producer]
        if isinstance(found, Missing):
            if os.environ.get("CI"):
                pytest.fail(f"{producer}: {found} (in CI is elke producent verplicht)")
            pytest.skip(f"{producer}: {found}")
        return {real.name: real for real in found}

    return files_of


def _pdf(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        assert reader.decrypt("")
    return reader


def _catalog(data: bytes):
    return _pdf(data).trailer["/Root"]


def _docx_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


# What each file stands for: the feature the producer must really have written.
FEATURES = {
    "writer.pdf": lambda d: "/OpenAction" in _catalog(d) and "/Outlines" in _catalog(d),
    "writer-pdfa2b.pdf": lambda d: b"pdfaid:part" in d and b"/OutputIntents" in d,
    "writer-tagged.pdf": lambda d: "/StructTreeRoot" in _catalog(d),
    "writer-uit-odt.docx": lambda d: b"LibreOffice" in _docx_part(d, "docProps/app.xml"),
    "chromium-afdrukken.pdf": lambda d: b"Skia" in d or b"Chromium" in d,
    "chromium-tagged-outline.pdf": lambda d: "/StructTreeRoot" in _catalog(d)
    and "/Outlines" in _catalog(d),
    "ps2pdf.pdf": lambda d: b"Ghostscript" in d,
    "ps2pdf-pdf14.pdf": lambda d: d.startswith(b"%PDF-1.4"),
    "ps2pdf-pdf20.pdf": lambda d: d.startswith(b"%PDF-2.0"),
    "scan-img2pdf.pdf": lambda d: b"/DCTDecode" in d and b"img2pdf" in d,
    "scan-met-tekstlaag.pdf": lambda d: b"/DCTDecode" in d,
    "qpdf-gelineariseerd.pdf": lambda d: b"/Linearized" in d[:1024],
    "qpdf-objectstromen.pdf": lambda d: b"/ObjStm" in d and b"/XRef" in d,
    "qpdf-leeg-wachtwoord-aes256.pdf": lambda d: PdfReader(io.BytesIO(d)).is_encrypted,
    "qpdf-leeg-wachtwoord-rc4.pdf": lambda d: PdfReader(io.BytesIO(d)).is_encrypted,
    "incrementele-update.pdf": lambda d: d.count(b"%%EOF") >= 2,
    "python-docx-tabel.docx": lambda d: b"<w:tbl>" in _docx_part(d, "word/document.xml"),
    "python-docx-kop-opmerking-wijzigingen-foto.docx": lambda d: all(
        marker in _docx_part(d, "word/document.xml")
        for marker in (b"<w:ins ", b"<w:del ", b"commentReference", b"<pic:pic")),
    "scan-pillow.jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "scan-pillow-progressief.jpg": lambda d: b"\xff\xc2" in d,
    "scan-pillow.png": lambda d: d.startswith(b"\x89PNG"),
}


def test_every_real_file_names_its_feature():
    assert set(FEATURES) == {name for names in EXPECTED.values() for name in names}


@pytest.mark.parametrize("producer, name", CASES)
def test_real_file_is_made_with_its_feature_and_passes_the_validator(made, producer, name):
    real = made(producer)[name]
    assert FEATURES[name](real.data), f"{name} lacks the feature it stands for"
    accepted = validation.check(io.BytesIO(real.data), {validation.PDF, validation.DOCX,
                                                        validation.JPEG, validation.PNG})
    assert accepted.format == real.format


@pytest.fixture
def dossier(app, account, login):
    casemanager = account(Role.CASEMANAGER)
    with app.app_context():
        ref = make_client(casemanagers=[casemanager]).ref
    return login(casemanager), ref


def _upload(client, ref: str, real) -> str:
    path = f"/documenten/client/{ref}/nieuw"
    response = client.post(path, data={
        "csrf_token": csrf_token(client, path), "kind": real.kind, "title": "Echt bestand",
        "document_date": "", "note": "", "file": (io.BytesIO(real.data), real.name),
    }, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    return response.location.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize("producer, name", CASES)
def test_real_file_uploads_downloads_identical_and_is_found(app, dossier, made, producer,
                                                          name):
    real = made(producer)[name]
    client, ref = dossier

    document_ref = _upload(client, ref, real)

    download = client.get(f"/documenten/{document_ref}/download/1")
    assert download.status_code == 200
    assert download.get_data() == real.data
    assert download.mimetype == validation.MIME_TYPES[real.format]
    with app.app_context():
        status = db.session.scalar(select(DocumentVersion.text_status))
    if real.word is None:  # a scan without a text layer: accepted, nothing to find
        assert status == "geen tekst"
        return
    assert status == "geïndexeerd"
    found = client.get("/documenten/zoeken", query_string={"q": real.word})
    assert found.status_code == 200
    assert document_ref in DOCUMENT_LINK.findall(found.get_data(as_text=True))
