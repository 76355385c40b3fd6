"""Plain text from PDF (pypdf) and DOCX (python-docx) for the full-text index."""

from __future__ import annotations

import logging
from typing import BinaryIO

from docx import Document as WordDocument
from pypdf import PdfReader

from portal.documents.validation import DOCX, PDF

MAX_CHARS = 2_000_000
log = logging.getLogger(__name__)


def extract_text(stream: BinaryIO, file_format: str) -> str:
    """Text of the document, capped; images and unreadable files give an empty string."""
    stream.seek(0)
    parts: list[str] = []
    if file_format == PDF:
        reader = PdfReader(stream, strict=False)
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            reader.resolved_objects.clear()  # keep memory bounded by one page's objects
            if sum(map(len, parts)) > MAX_CHARS:
                break
    elif file_format == DOCX:
        document = WordDocument(stream)
        parts.extend(p.text for p in document.paragraphs)
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)[:MAX_CHARS]
