"""PDF inspection with pypdf: walk every object reachable from the trailer, look for danger."""

from __future__ import annotations

import logging
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_OBJECTS = 200_000

# Name keys and the refusal they mean, wherever they appear in the document.
DANGEROUS_KEYS = {
    "/JS": "pdf_javascript",
    "/JavaScript": "pdf_javascript",
    "/OpenAction": "pdf_actie",
    "/AA": "pdf_actie",
    "/Launch": "pdf_actie",
    "/EmbeddedFiles": "pdf_bijlage",
    "/EmbeddedFile": "pdf_bijlage",
    "/XFA": "pdf_formulier",
}
# Action and annotation types (values of /S, /Type or /Subtype) and their refusal.
DANGEROUS_NAMES = {
    "/JavaScript": "pdf_javascript",
    "/Launch": "pdf_actie",
    "/ImportData": "pdf_actie",
    "/GoToE": "pdf_bijlage",
    "/FileAttachment": "pdf_bijlage",
    "/EmbeddedFile": "pdf_bijlage",
    "/SubmitForm": "pdf_formulier",
    "/RichMedia": "pdf_bijlage",
}
TYPE_KEYS = ("/S", "/Type", "/Subtype")


def inspect_pdf(stream: BinaryIO) -> str | None:
    """The refusal reason for this PDF, or None when it is a plain, readable document."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return "pdf_versleuteld"
        reason = _walk(reader, reader.trailer)
        if reason:
            return reason
        if len(reader.pages) == 0:
            return "pdf_geen_paginas"
    except Exception as error:  # noqa: BLE001 - anything pypdf cannot read is refused
        logging.getLogger(__name__).info("pdf refused as damaged: %r", error)
        return "pdf_kapot"
    return None


def _walk(reader: PdfReader, root) -> str | None:
    """Depth-first over every reachable object; each object is dropped from pypdf's cache once
    inspected, so memory is bounded by the largest single object, not by the file size."""
    seen: set[tuple[int, int]] = set()
    pending = [root]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            ident = (item.idnum, item.generation)
            if ident in seen:
                continue
            seen.add(ident)
            item = item.get_object()
            reader.resolved_objects.pop((ident[1], ident[0]), None)
        visited += 1
        if visited > MAX_OBJECTS:
            return "pdf_kapot"
        if isinstance(item, DictionaryObject):
            reason = _dangerous(item)
            if reason:
                return reason
            pending.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


def _dangerous(dictionary: DictionaryObject) -> str | None:
    for key in dictionary:
        if key in DANGEROUS_KEYS:
            return DANGEROUS_KEYS[key]
    for key in TYPE_KEYS:
        value = dictionary.get(key)
        if isinstance(value, NameObject) and value in DANGEROUS_NAMES:
            return DANGEROUS_NAMES[value]
    return None
