"""The built-in templates, written by code with python-docx (no binary files in git).

Every built-in letter has the municipal layout on A4: a letterhead (logo and organisation)
in a block of fixed height, the address block where a window envelope shows it, the
reference block, aanhef, body, afsluiting, ondertekening and a footer with the postal and
visiting address. What the beheerder sets in the house style fills `huisstijl.*` and
`ondertekenaar.*`; the portal fills `adres`, `aanhef`, `behandelaar`, `kenmerk` and `datum`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as WordDocument
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from portal.letters import builtin_texts as texts

# 1: the first release (US Letter, "Aan: ..."); 2: house style on A4, decisions per status,
# the client's own address and aanhef.
RELEASE = 2
# Built-ins no longer made: kept inactive for the letters made from them.
RETIRED = {"registratiebrief": "Vervangen door de besluitbrieven per status."}


@dataclass(frozen=True)
class Builtin:
    key: str
    name: str
    purpose: str
    language: str
    fields: list[dict]
    paragraphs: list[str]
    decision: bool = False  # signed on behalf of the college, with a bezwaarclausule
    labels: str = "nl"
    # The release of this wording and layout: raise it when either changes, and an existing
    # database gets it as a new template version (letters made from older ones keep theirs).
    version: int = RELEASE


def _field(name: str, label: str, kind: str = "tekst", required: bool = True) -> dict:
    return {"name": name, "label": label, "type": kind, "required": required}


COMMON = [_field("onderwerp", "Onderwerp"),
          _field("uw_kenmerk", "Uw kenmerk", required=False),
          _field("bijlagen", "Bijlagen", required=False)]
REGISTRATION = [_field("registratienummer", "Registratienummer"),
                _field("besluit_kenmerk", "Besluit-kenmerk", required=False)]
DATES = [_field("aanvraagdatum", "Aanvraagdatum", "datum"),
         _field("besluitdatum", "Besluitdatum", "datum")]


def _decision(key: str, name: str, extra: list[dict], paragraphs: list[str],
              decision: bool = True) -> Builtin:
    return Builtin(key=key, name=name, purpose="registratiebrief", language="nl",
                   fields=[*COMMON, *REGISTRATION, _field("besluit", "Besluit", "lang"),
                           *extra],
                   paragraphs=paragraphs, decision=decision)


# One name in both languages: the same letter, her preferred language picks the template.
CLIENT_LETTER = "Brief aan cliënt (eenvoudige taal)"

BUILTINS = [
    Builtin(
        key="informatiebrief-stapteam", name="Informatiebrief Stapteam 2.0",
        purpose="partnerbrief", language="nl",
        fields=[*COMMON, _field("contactpersoon", "Contactpersoon registraties"),
                _field("telefoon", "Telefoon contactpersoon"),
                _field("team", "Team en bereikbaarheid", "lang")],
        paragraphs=texts.INFORMATIEBRIEF),
    Builtin(
        key="clientbrief-nl", name=CLIENT_LETTER,
        purpose="clientbrief", language="nl",
        fields=[*COMMON, _field("bericht", "Bericht", "lang"), _field("afzender", "Afzender")],
        paragraphs=texts.CLIENT_NL),
    Builtin(
        key="clientbrief-en", name=CLIENT_LETTER,
        purpose="clientbrief", language="en", labels="en",
        fields=[*COMMON, _field("bericht", "Bericht", "lang"), _field("afzender", "Afzender")],
        paragraphs=texts.CLIENT_EN),
    _decision("besluit-verleend", "Besluit: registratie verleend",
              [*DATES, _field("ingangsdatum", "Ingangsdatum", "datum"),
               _field("geldig_tot", "Geldig tot", "datum")], texts.GRANTED),
    _decision("besluit-afgewezen", "Besluit: registratie afgewezen",
              [*DATES, _field("gronden", "Waarom de aanvraag is afgewezen", "lang")],
              texts.REFUSED),
    _decision("besluit-ingetrokken", "Besluit: registratie ingetrokken",
              [_field("einddatum", "Einddatum", "datum"), _field("reden", "Reden"),
               _field("toelichting", "Toelichting", "lang", required=False)], texts.REVOKED),
    _decision("registratie-verlopen", "Registratie verlopen",
              [_field("geldig_tot", "Geldig tot", "datum")], texts.EXPIRED, decision=False),
]

GREY = RGBColor(0x44, 0x44, 0x44)


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(15), Mm(25)
    section.header_distance, section.footer_distance = Mm(8), Mm(10)


def _run(paragraph, text: str, *, size: float | None = None, bold: bool = False,
         grey: bool = False):
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = GREY
    return run


def _widths(table, *millimetres: float) -> None:
    """Column widths in the grid (what LibreOffice reads) and in every cell (what Word reads)."""
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)


def _fixed_row(table, height_mm: float):
    row = table.rows[0]
    row.height, row.height_rule = Mm(height_mm), WD_ROW_HEIGHT_RULE.EXACTLY
    return row


def _letterhead(document) -> None:
    """Logo and organisation left, the letterhead lines right; 30 mm high, so the address
    block below starts 45 mm from the top of the page."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = _fixed_row(table, 30).cells
    left.paragraphs[0].add_run("{{ huisstijl_logo }}")
    _run(left.add_paragraph(), "{{ huisstijl.organisatie }}", size=15, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(right.paragraphs[0], "{{ huisstijl.briefhoofd }}", size=9, grey=True)
    _widths(table, 95, 70)


def _address(document) -> None:
    """The window-envelope field (NEN 1026 style): 85 × 40 mm, return address on top."""
    table = document.add_table(rows=1, cols=1)
    table.autofit = False
    cell = _fixed_row(table, 40).cells[0]
    _run(cell.paragraphs[0], "Retouradres: {{ huisstijl.postadres }}", size=7, grey=True)
    cell.add_paragraph().add_run("{{ adres }}")
    _widths(table, 85)
    cell.paragraphs[0].paragraph_format.space_after = Pt(4)


REFERENCE = {
    "nl": [("Datum", "{{ datum }}", None), ("Ons kenmerk", "{{ kenmerk }}", None),
           ("Uw kenmerk", "{{ uw_kenmerk }}", "uw_kenmerk"),
           ("Besluit-kenmerk", "{{ besluit_kenmerk }}", "besluit_kenmerk"),
           ("Onderwerp", "{{ onderwerp }}", None),
           ("Contactpersoon", "{{ behandelaar.naam }}", None),
           ("Telefoon", "{{ huisstijl.telefoon }}", None),
           ("E-mail", "{{ huisstijl.email }}", None), ("Bijlagen", "{{ bijlagen }}", "bijlagen")],
    "en": [("Date", "{{ datum }}", None), ("Our reference", "{{ kenmerk }}", None),
           ("Your reference", "{{ uw_kenmerk }}", "uw_kenmerk"),
           ("Subject", "{{ onderwerp }}", None), ("Contact", "{{ behandelaar.naam }}", None),
           ("Phone", "{{ huisstijl.telefoon }}", None), ("E-mail", "{{ huisstijl.email }}", None),
           ("Enclosures", "{{ bijlagen }}", "bijlagen")],
}


def _reference(document, builtin: Builtin) -> None:
    """Label and value per row; an optional row only appears when it has a value."""
    declared = {f["name"] for f in builtin.fields}
    table = document.add_table(rows=0, cols=2)
    table.autofit = False
    for label, value, optional in REFERENCE[builtin.labels]:
        if optional and optional not in declared:
            continue
        if optional:
            table.add_row().cells[0].text = f"{{%tr if {optional} %}}"
        cells = table.add_row().cells
        _run(cells[0].paragraphs[0], label, size=8.5, bold=True, grey=True)
        _run(cells[1].paragraphs[0], value, size=9.5)
        if optional:
            table.add_row().cells[0].text = "{%tr endif %}"
    _widths(table, 35, 130)


def _footer(document) -> None:
    footer = document.sections[0].footer
    first = footer.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, "{{ huisstijl.voettekst }}", size=7.5, grey=True)
    second = footer.add_paragraph()
    second.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(second, "Telefoon {{ huisstijl.telefoon }} · {{ huisstijl.email }}", size=7.5, grey=True)


def _body(document, builtin: Builtin) -> None:
    for text in builtin.paragraphs:
        paragraph = document.add_paragraph()
        if text.startswith("## "):  # a small heading inside the letter
            paragraph.paragraph_format.keep_with_next = True
            _run(paragraph, text[3:], bold=True)
        elif text.startswith("~ "):  # small print (the bezwaarclausule)
            _run(paragraph, text[2:], size=9)
        else:
            paragraph.add_run(text)
        if text.startswith(("Met vriendelijke groet", "Groet", "Kind regards")):
            paragraph.paragraph_format.keep_with_next = True
        if text.startswith("\n"):  # the ondertekening: never split over two pages
            paragraph.paragraph_format.keep_together = True


def build(builtin: Builtin) -> bytes:
    document = WordDocument()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10.5)
    style.paragraph_format.space_after = Pt(6)
    document.core_properties.author = "Stapportaal"
    document.core_properties.title = builtin.name
    _page(document)
    _letterhead(document)
    _address(document)
    _reference(document, builtin)
    document.add_paragraph()
    _footer(document)
    _body(document, builtin)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
