"""Accept a file by what it is, not by what it is called: PDF, DOCX, JPEG and PNG only.

Every refusal has its own reason code and Dutch message; the checks read the upload from a
seekable stream in bounded pieces, so memory stays constant whatever the file size.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from portal.documents.pdfcheck import inspect_pdf
from portal.refusal import DomainError

PDF, DOCX, JPEG, PNG = "pdf", "docx", "jpeg", "png"
MIME_TYPES = {PDF: "application/pdf",
              DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              JPEG: "image/jpeg", PNG: "image/png"}
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", JPEG: ".jpg", PNG: ".png"}

MAX_ZIP_ENTRIES = 2000
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_RATIO = 200
READ_BLOCK = 64 * 1024

REASONS = {
    "leeg": "Het bestand is leeg.",
    "onbekend_type": "Dit soort bestand wordt niet geaccepteerd. Upload een PDF of een "
                     "Word-document (.docx); voor registratiedocumenten ook een JPEG- of "
                     "PNG-scan.",
    "type_niet_voor_soort": "Voor dit soort document zijn alleen PDF- en Word-bestanden "
                            "toegestaan; scans (JPEG of PNG) alleen bij registratiedocumenten.",
    "oud_office": "Dit is een oud Word-formaat (.doc) of een versleuteld Office-bestand. Sla het "
                  "op als .docx zonder wachtwoord en probeer het opnieuw.",
    "zip_kapot": "Het Word-bestand is beschadigd en kan niet worden geopend.",
    "zip_bom": "Het Word-bestand pakt uit tot een onredelijk grote omvang en is geweigerd.",
    "zip_te_veel_delen": "Het Word-bestand bestaat uit onredelijk veel onderdelen en is "
                         "geweigerd.",
    "zip_geen_docx": "Dit zip-bestand is geen Word-document (.docx).",
    "docx_macro": "Het Word-bestand bevat macro's. Sla het op als gewoon .docx-document zonder "
                  "macro's.",
    "docx_doctype": "Het Word-bestand bevat een DOCTYPE- of entiteitsdefinitie (mogelijk een "
                    "XXE-aanval) en is geweigerd.",
    "docx_extern": "Het Word-bestand verwijst naar een extern bestand of sjabloon en is "
                   "geweigerd.",
    "docx_object": "Het Word-bestand bevat ingesloten objecten of ActiveX-besturing en is "
                   "geweigerd.",
    "docx_pad": "Het Word-bestand bevat onderdelen met een ongeldige naam en is geweigerd.",
    "docx_codering": "Het Word-bestand bevat onderdelen in een ongebruikelijke tekstcodering "
                     "(geen UTF-8) en is geweigerd.",
    "pdf_kapot": "Het PDF-bestand is beschadigd en kan niet worden gelezen.",
    "pdf_versleuteld": "Het PDF-bestand is versleuteld of met een wachtwoord beveiligd. Upload "
                       "een onbeveiligde versie.",
    "pdf_javascript": "Het PDF-bestand bevat JavaScript en is geweigerd.",
    "pdf_actie": "Het PDF-bestand start bij openen een actie of programma en is geweigerd.",
    "pdf_bijlage": "Het PDF-bestand bevat ingesloten bestanden en is geweigerd.",
    "pdf_formulier": "Het PDF-bestand bevat een actief formulier (XFA of verzendactie) en is "
                     "geweigerd.",
    "pdf_geen_paginas": "Het PDF-bestand bevat geen pagina's.",
    "afbeelding_kapot": "De afbeelding is beschadigd of onvolledig.",
    "afbeelding_extra": "De afbeelding bevat extra gegevens na het einde van het beeld en is "
                        "geweigerd.",
}


class Refused(DomainError):
    """The upload is refused: a domain error on the file field; `reason` is a key of REASONS
    (recorded in the audit event), the message its Dutch explanation."""

    def __init__(self, reason: str, field: str = "file"):
        super().__init__(REASONS[reason], field=field)
        self.reason = reason


@dataclass(frozen=True)
class Accepted:
    format: str
    mime_type: str
    extension: str


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return DOCX
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused("oud_office")
    return None


def check(stream: BinaryIO, allowed: set[str]) -> Accepted:
    """Decide what the stream is and whether it is safe; raises Refused otherwise."""
    stream.seek(0)
    head = stream.read(16)
    if not head:
        raise Refused("leeg")
    found = sniff(head)
    if found is None:
        raise Refused("onbekend_type")
    if found not in allowed:
        raise Refused("type_niet_voor_soort")
    stream.seek(0)
    {PDF: _check_pdf, DOCX: _check_docx, JPEG: _check_jpeg, PNG: _check_png}[found](stream)
    stream.seek(0)
    return Accepted(found, MIME_TYPES[found], EXTENSIONS[found])


def _check_pdf(stream: BinaryIO) -> None:
    reason = inspect_pdf(stream)
    if reason:
        raise Refused(reason)


# --- DOCX --------------------------------------------------------------------------------

MACRO_MARKERS = (b"vbaproject", b"macroenabled", b"vbadata", b"keymapcustomizations")
DOCTYPE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
XML_DECLARATION = re.compile(rb"<\?xml[^>]*encoding=[\"']([^\"']+)[\"']", re.IGNORECASE)
MAX_RELS_BYTES = 2 * 1024 * 1024
# Parts that are binary by nature; every other part is scanned as (possible) XML.
BINARY_PARTS = ("word/media/", "word/fonts/", "docprops/thumbnail", "customxml/media/")
# Relationship types (last part of the type URI, lower case) that a plain letter never needs.
FORBIDDEN_RELATIONSHIPS = {
    "docx_macro": (b"vbaproject", b"wordvbadata", b"keymapcustomizations"),
    "docx_object": (b"oleobject", b"control", b"package", b"activexcontrolbinary"),
    "docx_extern": (b"attachedtemplate", b"subdocument", b"frame", b"afchunk"),
}


def _check_docx(stream: BinaryIO) -> None:
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Refused("zip_kapot") from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise Refused("zip_te_veel_delen")
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise Refused("zip_geen_docx")
    budget = [MAX_UNPACKED_BYTES]
    for entry in entries:
        _check_entry(archive, entry, budget)


def _check_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: list[int]) -> None:
    name = entry.filename
    lowered = name.lower()
    if name.startswith("/") or ".." in name.split("/") or "\\" in name:
        raise Refused("docx_pad")
    if any(marker.decode() in lowered for marker in MACRO_MARKERS):
        raise Refused("docx_macro")
    if lowered.startswith(("word/embeddings/", "word/activex/")) or lowered.endswith(".bin"):
        raise Refused("docx_object")
    if entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO \
            and entry.file_size > 1024 * 1024:
        raise Refused("zip_bom")
    if lowered.endswith(".rels"):
        _check_relationships(_read_whole(archive, entry, budget, MAX_RELS_BYTES))
    elif lowered.startswith(BINARY_PARTS):
        _scan(archive, entry, budget, lambda block: None)
    else:  # any other part may be XML whatever its name ([Content_Types].xml decides)
        _scan_xml(archive, entry, budget, lowered)


def _scan(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: list[int], inspect) -> None:
    """Inflate a member block by block, counting what comes out (zip bombs stop early)."""
    try:
        with archive.open(entry) as member:
            produced = 0
            while block := member.read(READ_BLOCK):
                produced += len(block)
                budget[0] -= len(block)
                if budget[0] < 0 or (produced > 1024 * 1024 and entry.compress_size and
                                     produced / entry.compress_size > MAX_RATIO):
                    raise Refused("zip_bom")
                inspect(block)
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001 - any failure to inflate untrusted data refuses
        raise Refused("zip_kapot") from error


def _read_whole(archive, entry, budget: list[int], cap: int) -> bytes:
    parts: list[bytes] = []

    def keep(block: bytes) -> None:
        parts.append(block)
        if sum(map(len, parts)) > cap:
            raise Refused("zip_bom")

    _scan(archive, entry, budget, keep)
    return b"".join(parts)


def _check_encoding(head: bytes) -> None:
    """Word writes its XML in UTF-8; another encoding only serves to hide markup from checks."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]:
        raise Refused("docx_codering")
    declaration = XML_DECLARATION.match(head)
    if declaration and declaration.group(1).lower() not in (b"utf-8", b"utf8"):
        raise Refused("docx_codering")


def _scan_xml(archive, entry, budget: list[int], name: str) -> None:
    state = {"tail": b"", "first": True}

    def inspect(block: bytes) -> None:
        if state["first"]:
            _check_encoding(block.removeprefix(b"\xef\xbb\xbf"))
            state["first"] = False
        window = state["tail"] + block
        if DOCTYPE.search(window):
            raise Refused("docx_doctype")
        if name == "[content_types].xml" and any(m in window.lower() for m in MACRO_MARKERS):
            raise Refused("docx_macro")
        state["tail"] = window[-256:]

    _scan(archive, entry, budget, inspect)


def _check_relationships(content: bytes) -> None:
    """Parse the part (no DTD, no entities, no network) and judge every relationship."""
    _check_encoding(content.removeprefix(b"\xef\xbb\xbf"))
    if DOCTYPE.search(content):
        raise Refused("docx_doctype")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise Refused("zip_kapot") from error
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).localname != "Relationship":
            continue
        kind = (element.get("Type") or "").strip().lower().rsplit("/", 1)[-1]
        for reason, kinds in FORBIDDEN_RELATIONSHIPS.items():
            if kind.encode() in kinds:
                raise Refused(reason)
        external = (element.get("TargetMode") or "").strip().lower() == "external"
        if external and kind != "hyperlink":
            raise Refused("docx_extern")


# --- Images ------------------------------------------------------------------------------

def _check_png(stream: BinaryIO) -> None:
    stream.read(8)
    first, seen_end, seen_data = True, False, False
    while not seen_end:
        header = stream.read(8)
        if len(header) < 8:
            raise Refused("afbeelding_kapot")
        length, kind = struct.unpack(">I4s", header)
        if (first and (kind != b"IHDR" or length != 13)) or length > 2**31 - 1:
            raise Refused("afbeelding_kapot")
        seen_data = seen_data or kind == b"IDAT"
        crc = zlib.crc32(kind)
        remaining = length
        while remaining:
            block = stream.read(min(READ_BLOCK, remaining))
            if not block:
                raise Refused("afbeelding_kapot")
            crc = zlib.crc32(block, crc)
            remaining -= len(block)
        stored = stream.read(4)
        if len(stored) < 4 or struct.unpack(">I", stored)[0] != crc & 0xFFFFFFFF:
            raise Refused("afbeelding_kapot")
        first, seen_end = False, kind == b"IEND"
    if not seen_data:
        raise Refused("afbeelding_kapot")
    if stream.read(1):
        raise Refused("afbeelding_extra")


STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}


def _check_jpeg(stream: BinaryIO) -> None:
    stream.read(2)
    saw_frame = saw_scan = False
    while True:
        marker = _next_marker(stream)
        if marker == 0xD9:
            break
        if marker in STANDALONE_MARKERS:
            continue
        raw = stream.read(2)
        if len(raw) < 2 or struct.unpack(">H", raw)[0] < 2:
            raise Refused("afbeelding_kapot")
        length = struct.unpack(">H", raw)[0]
        saw_frame = saw_frame or marker in (0xC0, 0xC1, 0xC2)
        stream.seek(length - 2, 1)
        if marker == 0xDA:
            saw_scan = True
            _skip_scan(stream)
    if not (saw_frame and saw_scan):
        raise Refused("afbeelding_kapot")
    if stream.read(1):
        raise Refused("afbeelding_extra")


def _next_marker(stream: BinaryIO) -> int:
    byte = stream.read(1)
    if byte != b"\xff":
        raise Refused("afbeelding_kapot")
    while byte == b"\xff":
        byte = stream.read(1)
    if not byte:
        raise Refused("afbeelding_kapot")
    return byte[0]


def _skip_scan(stream: BinaryIO) -> None:
    """Skip entropy-coded data up to the next real marker (not FF00 or a restart marker)."""
    while True:
        block = stream.read(READ_BLOCK)
        if not block:
            raise Refused("afbeelding_kapot")
        position = 0
        while (found := block.find(b"\xff", position)) != -1:
            if found + 1 >= len(block):
                if len(block) < 2:
                    raise Refused("afbeelding_kapot")
                stream.seek(-1, 1)  # marker split over two blocks: look again
                break
            following = block[found + 1]
            if following != 0x00 and not 0xD0 <= following <= 0xD7 and following != 0xFF:
                stream.seek(found - len(block), 1)
                return
            position = found + 1
        else:
            continue
