"""Every built-in letter opened as a recipient would: LibreOffice headless makes the PDF,
poppler reads it back (page size, text); skipped with a reason when they are missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.auth.models import Organisation
from portal.clients.models import Client
from portal.extensions import db
from portal.letters import builtin, pdf, services
from portal.letters.models import LetterTemplate
from portal.letters.templates import ensure_builtin_templates
from portal.partners.models import PartnerContact

pytestmark = pytest.mark.converters  # the conversion does not depend on the database

needs_office = pytest.mark.skipif(
    not (pdf.available() and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) en poppler-utils (pdftotext, pdfinfo) zijn niet geïnstalleerd")

KENMERK = "STAP/2026/0042"
ON = date(2026, 3, 2)
CONTACT = dict(name="Anja Jansen", department="Team Zeden", email="anja@politie.invalid",
               postal_address="Postbus 9000\n6500 GA Nijmegen",
               salutation="Geachte mevrouw Jansen")
CLIENT = dict(werknaam="Roos", legal_name="Rosa de Vries", number="2026-0007",
              preferred_language="Nederlands")
REGISTRATION = {"registratienummer": "TZ-2026-019", "besluit_kenmerk": "B-2026-77",
                "aanvraagdatum": date(2026, 2, 1), "besluitdatum": date(2026, 2, 27),
                "ingangsdatum": date(2026, 3, 1), "geldig_tot": date(2027, 2, 28),
                "einddatum": date(2026, 3, 2), "reden": "niet (meer) voldaan aan de voorwaarden",
                "besluit": "In deze brief leest u ons besluit.",
                "gronden": "U woont niet in de regio Nijmegen.",
                "toelichting": "U heeft drie keer zonder pas gewerkt."}
VALUES = {"onderwerp": "Uw registratie voor de tippelzone", "uw_kenmerk": "",
          "bijlagen": "Folder Stapteam", "contactpersoon": "Renate Registratie",
          "telefoon": "024 329 99 99", "team": "Het team werkt 's avonds van 20 tot 2 uur.",
          "bericht": "We zien je graag donderdag.", "afzender": "Carla", **REGISTRATION}
# What a recipient must find in each letter (besides kenmerk, date and signer).
EXPECTED = {
    "informatiebrief-stapteam": ["Anja Jansen", "Team Zeden", "Politie Oost-Nederland",
                                 "Postbus 9000", "6500 GA Nijmegen", "Geachte mevrouw Jansen,",
                                 "Folder Stapteam"],
    "clientbrief-nl": ["p/a Stapteam Nijmegen", "Beste Roos,"],
    "clientbrief-en": ["p/a Stapteam Nijmegen", "Dear Roos,", "Our reference"],
    "besluit-verleend": ["Rosa de Vries", "p/a Stapteam Nijmegen", "B-2026-77",
                         "geldig tot en met 28 februari 2027"],
    "besluit-afgewezen": ["Rosa de Vries", "B-2026-77", "U woont niet in de regio"],
    "besluit-ingetrokken": ["Rosa de Vries", "B-2026-77", "intrekking gaat in op 2 maart 2026",
                            "voorwaarden", "drie keer zonder pas"],
    "registratie-verlopen": ["Rosa de Vries", "was geldig tot en met 28 februari 2027"],
}
DECISIONS = {b.key for b in builtin.BUILTINS if b.decision}


def _recipient(template: LetterTemplate) -> dict:
    if template.purpose == "partnerbrief":
        return services.contact_context(PartnerContact(
            **CONTACT, organisation=Organisation(name="Politie Oost-Nederland")))
    return services.client_context(Client(**CLIENT),
                                   formal=template.purpose == "registratiebrief",
                                   language=template.language)


def _pdf_facts(data: bytes, folder: Path, key: str) -> tuple[str, str]:
    path = folder / f"{key}.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    if os.environ.get("LETTER_PNG_DIR"):  # to look at them: pdftoppm writes one PNG a page
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(path),
                        str(Path(os.environ["LETTER_PNG_DIR"]) / key)], check=True)
    return info, " ".join(text.split())


@needs_office
def test_every_housestyle_letter_is_a4_addressed_signed_and_complete(app, tmp_path):
    with app.app_context():
        ensure_builtin_templates()
        rows = db.session.scalars(select(LetterTemplate).where(
            LetterTemplate.builtin_key.in_(EXPECTED))).all()
        assert {t.builtin_key for t in rows} == set(EXPECTED)
        made = {t.builtin_key: services.render_letter(
            t.current, VALUES, _recipient(t), KENMERK, ON, sender="Renate Registratie")
            for t in rows}
    for key, docx in made.items():
        data = pdf.to_pdf(docx, tmp_path)
        assert data.startswith(b"%PDF-")
        assert b"pdfaid:part" in data and b"pdfaid:conformance" in data, key  # PDF/A
        info, text = _pdf_facts(data, tmp_path, key)
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts",
                                             info).groups())
        assert (round(width), round(height)) == (595, 842), (key, width, height)
        assert "Pages:           1" in info or key in DECISIONS, key  # decisions may take two
        assert "{{" not in text and "{%" not in text and "}}" not in text, key
        # A client letter is signed by her casemanager; the others by the house-style signer.
        signer = ["Carla"] if key.startswith("clientbrief") else ["L. de Wit",
                                                                   "teamleider Stapteam"]
        for expected in [KENMERK, "2 maart 2026", *signer, "Postbus 9105",
                         "Korte Nieuwstraat 6", *EXPECTED[key]]:
            assert expected in text, (key, expected)
        objection = ("bezwaar maken" in text and "zes weken" in text
                     and "burgemeester en wethouders" in text)
        assert objection == (key in DECISIONS), key
        if key in DECISIONS:
            assert "namens het college van burgemeester en wethouders" in text, key
            assert "verstuurd op 2 maart 2026" in text, key
    revoked = _pdf_facts(pdf.to_pdf(made["besluit-ingetrokken"], tmp_path), tmp_path, "x")[1]
    assert "geldig tot" not in revoked  # a revocation never promises validity


def test_without_libreoffice_the_conversion_says_so_in_dutch(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert not pdf.available()
    with pytest.raises(pdf.ConversionError, match="LibreOffice is niet geïnstalleerd"):
        pdf.to_pdf(b"PK")
    with pytest.raises(pdf.ConversionError, match="pdftoppm is niet geïnstalleerd"):
        pdf.first_page_png(b"%PDF-")
