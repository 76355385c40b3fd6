"""Plain text from PDF (pypdf) and DOCX (lxml over the Word parts) for the full-text index.

A PDF encrypted with the empty user password (owner restrictions only) is opened the way any
reader opens it. From a DOCX the text of the body, headers, footers, footnotes, endnotes and
comments is read, tracked insertions included and tracked deletions left out, with the same
hardened parser as the intake check (no DTD, no entities, no network).
"""

from __future__ import annotations

import logging
import re
import zipfile
from typing import BinaryIO

from lxml import etree

from portal.documents.pdfcheck import open_reader
from portal.documents.validation import DOCX, PDF

MAX_CHARS = 2_000_000
log = logging.getLogger(__name__)
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
PARAGRAPH_BREAKS = {"p", "br", "cr"}


def extract_text(stream: BinaryIO, file_format: str) -> str:
    """Text of the document, capped; images and unreadable files give an empty string."""
    stream.seek(0)
    if file_format == PDF:
        return _pdf_text(stream)
    if file_format == DOCX:
        return _docx_text(stream)
    return ""


def _pdf_text(stream: BinaryIO) -> str:
    reader = open_reader(stream)
    if reader is None:  # needs a password: the intake refuses these, so nothing to index
        return ""
    parts: list[str] = []
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_CHARS:
            break
    return "\n".join(parts)[:MAX_CHARS]


def _docx_text(stream: BinaryIO) -> str:
    parts: list[str] = []
    with zipfile.ZipFile(stream) as archive:
        names = sorted(n for n in archive.namelist() if TEXT_PARTS.fullmatch(n))
        names.sort(key=lambda name: name != "word/document.xml")  # the body first
        for name in names:
            with archive.open(name) as member:
                _part_text(member, parts)
            if sum(map(len, parts)) > MAX_CHARS:
                break
    return "".join(parts).strip()[:MAX_CHARS]


def _part_text(member: BinaryIO, parts: list[str]) -> None:
    """Append the visible text of one part: w:t runs, tabs as spaces, paragraphs as lines."""
    events = etree.iterparse(member, events=("end",), resolve_entities=False,
                             no_network=True, load_dtd=False)
    for _, element in events:
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "t":
            parts.append(element.text or "")
        elif name == "tab":
            parts.append("\t")
        elif name in PARAGRAPH_BREAKS:
            parts.append("\n")
        if name == "p":
            element.clear()
