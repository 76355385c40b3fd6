"""Accept a file by what it is, not by what it is called: PDF, DOCX, JPEG and PNG only.

Every refusal has its own reason code and a Dutch message that says what to do next; the
checks read the upload from a seekable stream in bounded pieces, so memory stays constant
whatever the file size. PDFs are judged by what their actions do (pdfcheck.py), the XML parts
of a DOCX by their fields, links and imports as they are inflated (wordfields.py), scans by
their declared pixel count (MAX_IMAGE_PIXELS) before anything is decoded.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app, has_app_context
from lxml import etree

from portal.documents.pdfcheck import inspect_pdf
from portal.documents.wordfields import PartInspector, harmless_link
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
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000

REASONS = {
    "leeg": "Het bestand is leeg. Kies het bestand opnieuw; als het in een map op de "
            "computer ook leeg is, maak het dan opnieuw.",
    "onbekend_type": "Dit soort bestand wordt niet geaccepteerd. Upload een PDF of een "
                     "Word-document (.docx); voor registratiedocumenten ook een JPEG- of "
                     "PNG-scan.",
    "type_niet_voor_soort": "Voor dit soort document zijn alleen PDF- en Word-bestanden "
                            "toegestaan; scans (JPEG of PNG) alleen bij registratiedocumenten. "
                            "Kies een ander soort document of maak van de scan een PDF.",
    "oud_office": "Dit is een oud Word-formaat (.doc) of een versleuteld Office-bestand. Sla het "
                  "op als .docx zonder wachtwoord en probeer het opnieuw.",
    "zip_kapot": "Het Word-bestand is beschadigd en kan niet worden geopend. Open het in Word of "
                 "LibreOffice, sla het opnieuw op als .docx en probeer het opnieuw.",
    "zip_bom": "Het Word-bestand pakt uit tot een onredelijk grote omvang en is geweigerd. "
               "Upload het niet; meld het bij de functioneel beheerder als u het vertrouwt.",
    "zip_te_veel_delen": "Het Word-bestand bestaat uit onredelijk veel onderdelen en is "
                         "geweigerd. Sla het opnieuw op als .docx of maak er een PDF van.",
    "zip_geen_docx": "Dit zip-bestand is geen Word-document (.docx). Upload het document zelf, "
                     "niet een ingepakte map.",
    "docx_macro": "Het Word-bestand bevat macro's. Sla het op als gewoon .docx-document zonder "
                  "macro's (Bestand → Opslaan als, Word-document) en probeer het opnieuw.",
    "docx_doctype": "Het Word-bestand bevat een DOCTYPE- of entiteitsdefinitie (mogelijk een "
                    "XXE-aanval) en is geweigerd. Upload het niet; meld het bij de functioneel "
                    "beheerder.",
    "docx_extern": "Het Word-bestand haalt bij openen een extern bestand of sjabloon op en is "
                   "geweigerd. Sla het op als nieuw document (Bestand → Opslaan als, "
                   "Word-document) en upload dat.",
    "docx_object": "Het Word-bestand bevat een ingesloten object (bijvoorbeeld een Excel-blad) "
                   "of ActiveX-besturing en is geweigerd. Verwijder het object of plak het als "
                   "afbeelding, sla op en probeer het opnieuw.",
    "docx_dde": "Het Word-bestand bevat een DDE-veld dat bij openen een programma kan starten en "
                "is geweigerd. Dit komt in gewone brieven niet voor: upload het niet en "
                "meld het bij de functioneel beheerder.",
    "docx_veld": "Het Word-bestand bevat een veld dat een bestand, netwerkmap of webadres "
                 "ophaalt (zoals INCLUDEPICTURE of INCLUDETEXT) en is geweigerd. Selecteer alles, "
                 "zet de velden om naar tekst (Ctrl+Shift+F9), sla op en probeer het opnieuw.",
    "docx_link": "Het Word-bestand bevat een link die geen webpagina of e-mailadres is (zoals "
                 "javascript:, file: of een netwerkmap) en is geweigerd. Verwijder die link, "
                 "sla op en probeer het opnieuw.",
    "docx_altchunk": "Het Word-bestand voegt bij openen een ander document in (altChunk) en is "
                     "geweigerd. Open het in Word, sla het op als nieuw .docx-document en "
                     "probeer het opnieuw.",
    "docx_onleesbaar": "Het Word-bestand is beschadigd: de tekst is geen geldige XML en kan "
                       "niet worden gelezen. Open het in Word of LibreOffice, sla het opnieuw "
                       "op als .docx en probeer het opnieuw.",
    "docx_pad": "Het Word-bestand bevat onderdelen met een ongeldige naam en is geweigerd. "
                "Sla het opnieuw op als .docx of maak er een PDF van.",
    "docx_codering": "Het Word-bestand bevat onderdelen in een ongebruikelijke tekstcodering "
                     "(geen UTF-8) en is geweigerd. Sla het opnieuw op in Word of LibreOffice "
                     "en probeer het opnieuw.",
    "pdf_kapot": "Het PDF-bestand is beschadigd en kan niet worden gelezen. Maak de PDF "
                 "opnieuw vanuit het brondocument en probeer het opnieuw.",
    "pdf_versleuteld": "Het PDF-bestand is met een wachtwoord beveiligd en kan zonder dat "
                       "wachtwoord niet worden geopend. Open het met het wachtwoord en sla het "
                       "op zonder beveiliging (Afdrukken → Opslaan als PDF), en upload die versie.",
    "pdf_javascript": "Het PDF-bestand bevat een script (JavaScript) en is geweigerd. Sla het "
                      "document opnieuw op als PDF zonder scripts, bijvoorbeeld via Afdrukken → "
                      "Opslaan als PDF.",
    "pdf_programma": "Het PDF-bestand probeert een programma of bestand op de computer te starten "
                     "en is geweigerd. Maak een nieuwe PDF via Afdrukken → Opslaan als PDF en "
                     "upload die.",
    "pdf_extern": "Het PDF-bestand bevat een verwijzing die een ander PDF-bestand of een "
                  "netwerkmap opent en is geweigerd. Maak een nieuwe PDF via Afdrukken → Opslaan "
                  "als PDF en upload die.",
    "pdf_link": "Het PDF-bestand bevat een link die geen webpagina of e-mailadres is (zoals "
                "javascript: of file:) en is geweigerd. Verwijder de link in het brondocument en "
                "maak de PDF opnieuw.",
    "pdf_verzenden": "Het PDF-bestand bevat een formulier dat ingevulde gegevens naar buiten "
                     "verstuurt en is geweigerd. Vul het formulier in en sla het op via "
                     "Afdrukken → Opslaan als PDF; upload die versie.",
    "pdf_importeren": "Het PDF-bestand haalt bij gebruik gegevens uit een ander bestand binnen en "
                      "is geweigerd. Maak een nieuwe PDF via Afdrukken → Opslaan als PDF en "
                      "upload die.",
    "pdf_multimedia": "Het PDF-bestand bevat video, geluid of ander ingesloten medium dat wordt "
                      "afgespeeld en is geweigerd. Maak een nieuwe PDF zonder media, "
                      "bijvoorbeeld via Afdrukken → Opslaan als PDF.",
    "pdf_actie": "Het PDF-bestand bevat een onbekende actie die meer doet dan bladeren en is "
                 "geweigerd. Maak een nieuwe PDF via Afdrukken → Opslaan als PDF en upload die.",
    "pdf_bijlage": "Het PDF-bestand bevat ingesloten bestanden (bijlagen) en is geweigerd. Upload "
                   "de bijlagen als losse documenten en de PDF zonder bijlagen.",
    "pdf_formulier": "Het PDF-bestand is een dynamisch formulier (XFA) dat alleen Adobe Reader "
                     "kan tonen en is geweigerd. Vul het in en sla het op via Afdrukken → "
                     "Opslaan als PDF; upload die versie.",
    "pdf_geen_paginas": "Het PDF-bestand bevat geen pagina's. Maak de PDF opnieuw vanuit het "
                        "brondocument.",
    "afbeelding_kapot": "De afbeelding is beschadigd of onvolledig. Scan het document opnieuw "
                        "of sla de afbeelding opnieuw op.",
    "afbeelding_te_groot": "De afbeelding heeft onredelijk veel beeldpunten en is geweigerd. "
                           "Scan opnieuw met een lagere resolutie (300 dpi is genoeg) of "
                           "verklein de afbeelding.",
    "afbeelding_extra": "De afbeelding bevat extra gegevens na het einde van het beeld en is "
                        "geweigerd. Sla de afbeelding opnieuw op (bijvoorbeeld als PNG) of "
                        "scan opnieuw.",
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
BINARY_PARTS = ("word/media/", "word/fonts/", "docprops/thumbnail", "customxml/media/",
                "word/printersettings/")
MAIN_PART = "word/document.xml"
# Relationship types (last part of the type URI, lower case) that a plain letter never needs.
FORBIDDEN_RELATIONSHIPS = {
    "docx_macro": (b"vbaproject", b"wordvbadata", b"keymapcustomizations"),
    "docx_object": (b"oleobject", b"control", b"package", b"activexcontrolbinary"),
    "docx_extern": (b"attachedtemplate", b"subdocument", b"frame"),
    "docx_altchunk": (b"afchunk",),
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
    if lowered.startswith(("word/embeddings/", "word/activex/")) or (
            lowered.endswith(".bin") and not lowered.startswith("word/printersettings/")):
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


def _looks_like_xml(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _scan_xml(archive, entry, budget: list[int], name: str) -> None:
    """Scan a part for DOCTYPEs; parse whatever is XML (and always the main part) and judge
    its fields, links and imported chunks as it is inflated."""
    state = {"tail": b"", "inspector": None, "first": True}

    def inspect(block: bytes) -> None:
        if state["first"]:
            _check_encoding(block.removeprefix(b"\xef\xbb\xbf"))
            if name == MAIN_PART or _looks_like_xml(block):
                state["inspector"] = PartInspector()
            state["first"] = False
        window = state["tail"] + block
        if DOCTYPE.search(window):
            raise Refused("docx_doctype")
        if name == "[content_types].xml" and any(m in window.lower() for m in MACRO_MARKERS):
            raise Refused("docx_macro")
        state["tail"] = window[-256:]
        _judged(state["inspector"] and state["inspector"].feed(block))

    _scan(archive, entry, budget, inspect)
    if state["inspector"] is not None:
        _judged(state["inspector"].close())
    elif name == MAIN_PART:  # an empty main part: no text at all
        raise Refused("docx_onleesbaar")


def _judged(reason: str | None) -> None:
    if reason:
        raise Refused(reason)


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
        if external and not harmless_link(element.get("Target") or ""):
            raise Refused("docx_link")


# --- Images ------------------------------------------------------------------------------

def max_image_pixels() -> int:
    """MAX_IMAGE_PIXELS of the running app (MAX_IMAGE_MEGAPIXELS), else the default."""
    if has_app_context():
        return int(current_app.config.get("MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))
    return DEFAULT_MAX_IMAGE_PIXELS


def _check_size(width: int, height: int) -> None:
    """Judged on the declared size, before anything is decoded."""
    if width == 0 or height == 0:
        raise Refused("afbeelding_kapot")
    if width * height > max_image_pixels():
        raise Refused("afbeelding_te_groot")


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
        body_start = stream.tell()
        _check_crc(stream, kind, length)
        if first:
            _check_png_header(stream, body_start)
        first, seen_end = False, kind == b"IEND"
    if not seen_data:
        raise Refused("afbeelding_kapot")
    if stream.read(1):
        raise Refused("afbeelding_extra")


def _check_crc(stream: BinaryIO, kind: bytes, length: int) -> None:
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


def _check_png_header(stream: BinaryIO, body_start: int) -> None:
    after = stream.tell()
    stream.seek(body_start)
    width, height = struct.unpack(">II", stream.read(8))
    stream.seek(after)
    _check_size(width, height)


STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
FRAME_MARKERS = {0xC0, 0xC1, 0xC2}  # baseline, extended and progressive: what Pillow writes


def _check_frame(stream: BinaryIO, length: int) -> None:
    """Start of frame: precision, height and width; the stream is left where it was."""
    start = stream.tell()
    fields = stream.read(5)
    if length < 8 or len(fields) < 5:
        raise Refused("afbeelding_kapot")
    height, width = struct.unpack(">HH", fields[1:5])
    stream.seek(start)
    _check_size(width, height)


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
        if marker in FRAME_MARKERS:
            saw_frame = True
            _check_frame(stream, length)
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
