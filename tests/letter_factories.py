"""Test data of the letters feature: a PDF leaflet for the attachment library."""

from __future__ import annotations

import io

from pypdf import PdfWriter

from portal.documents import storage
from portal.extensions import db
from portal.letters.models import LetterAttachment


def leaflet_pdf(pages: int = 1) -> bytes:
    """A plain A4 PDF, as a leaflet exported from a word processor would be (no actions)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Folder Stapteam"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_attachment(title: str = "Folder Stapteam", *, active: bool = True,
                    filename: str = "folder-stapteam.pdf") -> LetterAttachment:
    """An attachment in the library, stored encrypted like one the beheerder uploaded."""
    stored = storage.store(io.BytesIO(leaflet_pdf()))
    item = LetterAttachment(title=title, filename=filename, storage_key=stored.key,
                            sha256=stored.sha256, size=stored.size, active=active)
    db.session.add(item)
    db.session.commit()
    return item
