"""PDF inspection with pypdf: judge every action by what it does, not by its presence.

Every object reachable from the trailer is visited once. Navigation inside the document (a
destination, GoTo, the standard named actions), links to web pages and e-mail addresses,
outlines, structure trees, forms without scripts and signatures pass. Scripts, programs,
remote files, form submission, data import, multimedia, XFA, attachments and encryption that
needs a password to open are refused, each with its own reason (a key of validation.REASONS).
"""

from __future__ import annotations

import logging
from typing import BinaryIO
from urllib.parse import urlsplit

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_OBJECTS = 200_000

# Keys whose mere presence means danger, wherever they appear.
DANGEROUS_KEYS = {
    "/JS": "pdf_javascript",
    "/JavaScript": "pdf_javascript",  # the document-level script name tree
    "/EmbeddedFiles": "pdf_bijlage",
    "/EmbeddedFile": "pdf_bijlage",
    "/EF": "pdf_bijlage",
    "/XFA": "pdf_formulier",
    "/RichMediaContent": "pdf_multimedia",
}
# Action types (/S) that act outside the document, and what each one is refused as.
REFUSED_ACTIONS = {
    "/JavaScript": "pdf_javascript",
    "/Launch": "pdf_programma",
    "/SubmitForm": "pdf_verzenden",
    "/ImportData": "pdf_importeren",
    "/GoToR": "pdf_extern",
    "/GoToE": "pdf_bijlage",
    "/Rendition": "pdf_multimedia",
    "/Movie": "pdf_multimedia",
    "/Sound": "pdf_multimedia",
    "/RichMediaExecute": "pdf_multimedia",
    "/GoTo3DView": "pdf_multimedia",
}
# Action types that stay inside the document (URI and Named are looked at more closely).
HARMLESS_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread", "/SetOCGState", "/Hide",
                    "/ResetForm", "/Trans"}
NAMED_ACTIONS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage", "/GoBack", "/GoForward"}
URI_SCHEMES = {"http", "https", "mailto"}
# Annotation types (/Subtype) that play media or carry a file.
REFUSED_ANNOTATIONS = {
    "/FileAttachment": "pdf_bijlage",
    "/RichMedia": "pdf_multimedia",
    "/Movie": "pdf_multimedia",
    "/Sound": "pdf_multimedia",
    "/Screen": "pdf_multimedia",
    "/3D": "pdf_multimedia",
}
# Keys whose value is an action (or, for /OpenAction, possibly a plain destination array).
ACTION_KEYS = ("/A", "/OpenAction", "/Next")


def inspect_pdf(stream: BinaryIO) -> str | None:
    """The refusal reason for this PDF, or None when it is a plain, readable document."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = open_reader(stream)
        if reader is None:
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


def open_reader(stream: BinaryIO) -> PdfReader | None:
    """A reader for the PDF; an encrypted file is opened with the empty user password (which
    every reader tries itself), and None means a password is needed to open it."""
    reader = PdfReader(stream, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return None
    return reader


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
    kind = _name(dictionary, "/S")
    if kind in REFUSED_ACTIONS:
        return REFUSED_ACTIONS[kind]
    for key in ("/Type", "/Subtype"):
        if _name(dictionary, key) in ("/EmbeddedFile", "/FileAttachment"):
            return "pdf_bijlage"
    if _name(dictionary, "/Type") in ("/Annot", None):
        subtype = _name(dictionary, "/Subtype")
        if subtype in REFUSED_ANNOTATIONS:
            return REFUSED_ANNOTATIONS[subtype]
    for action in _actions(dictionary):
        reason = judge_action(action)
        if reason:
            return reason
    return None


def _name(dictionary: DictionaryObject, key: str) -> str | None:
    value = dictionary.get(key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


def _actions(dictionary: DictionaryObject):
    """The action dictionaries this dictionary triggers: /A, /OpenAction and /Next, and every
    entry of an additional-actions (/AA) dictionary. Destination arrays are not actions."""
    values = [dictionary.get(key) for key in ACTION_KEYS]
    additional = dictionary.get("/AA")
    if additional is not None:
        additional = additional.get_object()
        if isinstance(additional, DictionaryObject):
            values.extend(additional.values())
    for value in values:
        value = value.get_object() if value is not None else None
        if isinstance(value, DictionaryObject) and "/S" in value:
            yield value
        elif isinstance(value, ArrayObject):  # /Next may list several actions
            yield from (entry.get_object() for entry in value
                        if isinstance(entry.get_object(), DictionaryObject)
                        and "/S" in entry.get_object())


def judge_action(action: DictionaryObject) -> str | None:
    """None for an action that stays in the document or opens a web page or e-mail address."""
    kind = _name(action, "/S")
    if kind in REFUSED_ACTIONS:
        return REFUSED_ACTIONS[kind]
    if kind not in HARMLESS_ACTIONS:
        return "pdf_actie"
    if kind == "/URI":
        return None if harmless_uri(_text(action.get("/URI"))) else "pdf_link"
    if kind == "/Named":
        return None if _name(action, "/N") in NAMED_ACTIONS else "pdf_actie"
    if kind == "/Thread" and "/F" in action:  # an article thread in another file
        return "pdf_extern"
    return None


def _text(value) -> str:
    value = value.get_object() if value is not None else ""
    if isinstance(value, bytes):  # a byte string: URIs are 7-bit ASCII by the standard
        return value.decode("latin-1").strip()
    return str(value).strip()


def harmless_uri(uri: str) -> bool:
    """A web page or e-mail address; a bare host name like www.nijmegen.nl too, but no other
    scheme (javascript:, file:, smb:) and no path into the file system or a network share."""
    if not uri or uri.startswith(("/", "\\", ".", "~")) or "\\" in uri:
        return False
    scheme = urlsplit(uri).scheme.lower()
    if not scheme:
        return ":" not in uri.split("/", 1)[0]
    return scheme in URI_SCHEMES
