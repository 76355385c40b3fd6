"""The inzage pack's summary as a Word document (turned into PDF by LibreOffice): her data
in plain Dutch, section by section, with the passages about others left out."""

from __future__ import annotations

import io
from itertools import groupby

from portal.audit.access_report import house_document
from portal.clock import local_today
from portal.templating import local_date

INTRO = ("U vroeg om inzage in wat het Stapteam over u heeft vastgelegd (artikel 15 AVG). "
         "Hieronder staat alles wat in het Stapportaal over u staat, en wie uw dossier heeft "
         "ingezien. Waar iets over iemand anders gaat, is dat weggelaten. De documenten zelf "
         "zitten in de map 'documenten'. Heeft u vragen, of klopt er iets niet? Zeg het uw "
         "casemanager; u mag ook vragen om iets te verbeteren of te verwijderen.")


def summary_docx(pack, client, redacted_text: str) -> bytes:
    document = house_document()
    document.add_heading("Overzicht van uw gegevens", level=1)
    document.add_paragraph(f"Cliëntnummer: {client.number}\nGemaakt op: "
                           f"{local_date(local_today())}")
    document.add_paragraph(INTRO)
    for section, passages in groupby(pack.passages, key=lambda passage: passage.section):
        document.add_heading(section, level=2)
        for passage in passages:
            document.add_paragraph(redacted_text if passage.redact else passage.text)
    listed = [item for item in pack.documents if not (item.include and item.may_include)]
    if listed:
        document.add_heading("Documenten die niet zijn meegegeven", level=2)
        for item in listed:
            reason = item.author_note or "Het gaat (ook) over anderen."
            document.add_paragraph(f"{item.document.title}: {reason}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
