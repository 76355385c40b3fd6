"""What the XML parts of a Word document ask Word to do: fields, hyperlinks, imported chunks.

A part is parsed as it is inflated, block by block (lxml's pull parser: no DTD, no entities,
no network), so a part that is not well-formed XML is noticed and memory stays bounded.
Field instructions are put back together from `w:fldSimple` and from `w:instrText` runs
between `w:fldChar` begin/separate/end, nested fields each on their own. Refused: DDE fields
(they start a program), fields that fetch a file or web address (INCLUDEPICTURE, INCLUDETEXT,
LINK, IMPORT, or any instruction holding a URL or a network/file path), HYPERLINK fields to
anything but a web page or e-mail address, and altChunk imports. Ordinary fields pass, and so
do ADDIN fields: the citations of Zotero, EndNote and Mendeley keep their (web) sources there
as data that Word never opens.
"""

from __future__ import annotations

import re

from lxml import etree

DDE_FIELDS = {"DDE", "DDEAUTO"}
FETCHING_FIELDS = {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "IMPORT"}
LINK_SCHEMES = ("http", "https", "mailto")
# A URL (scheme://), a scheme that runs or opens something, a UNC path (\\server, written
# \\\\server inside a field), or a drive path (C:\ or C:/).
REACHES_OUT = re.compile(
    r"\b[a-z][a-z0-9+.-]{1,30}:(//|\\\\)"
    r"|\b(file|javascript|vbscript|data|smb|ms-[a-z-]+|search-ms|webdav):"
    r"|\\{2,}[\w.$-]"
    r"|(?<![\w])[a-z]:[\\/]",
    re.IGNORECASE)
SWITCHES_WITH_ARGUMENT = {"\\L", "\\O", "\\T", "\\M"}
TOKEN = re.compile(r'"([^"]*)"|(\S+)')
INSTRUCTION_TEXT = {"instrText", "delInstrText"}


def harmless_link(target: str) -> bool:
    """A web page or e-mail address; control characters and spaces are ignored the way a
    browser ignores them, so `java\tscript:` is still javascript:."""
    cleaned = "".join(c for c in target if ord(c) > 0x20).lower()
    scheme, colon, _ = cleaned.partition(":")
    return bool(colon) and scheme in LINK_SCHEMES


def judge_instruction(instruction: str) -> str | None:
    """The refusal reason for one field instruction, or None for an ordinary field."""
    tokens = [match.group(1) if match.group(1) is not None else match.group(2)
              for match in TOKEN.finditer(instruction)]
    if not tokens:
        return None
    kind = tokens[0].upper()
    if kind in DDE_FIELDS:
        return "docx_dde"
    if kind in FETCHING_FIELDS:
        return "docx_veld"
    if kind == "HYPERLINK":
        return _judge_hyperlink(tokens[1:])
    if kind == "ADDIN":  # data of an add-in (Zotero, EndNote, Mendeley): Word only keeps it
        return None
    if REACHES_OUT.search(instruction):
        return "docx_veld"
    return None


def _judge_hyperlink(arguments: list[str]) -> str | None:
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument.startswith("\\"):
            skip = argument.upper() in SWITCHES_WITH_ARGUMENT
        else:  # the first plain argument is the link's target
            return None if harmless_link(argument) else "docx_link"
    return None


class PartInspector:
    """Fed the inflated bytes of one XML part; `feed` and `close` return a refusal reason."""

    def __init__(self) -> None:
        self.parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                          no_network=True, load_dtd=False)
        self.fields: list[dict] = []

    def feed(self, block: bytes) -> str | None:
        try:
            self.parser.feed(block)
        except etree.XMLSyntaxError:
            return "docx_onleesbaar"
        return self._events()

    def close(self) -> str | None:
        try:
            self.parser.close()
        except etree.XMLSyntaxError:
            return "docx_onleesbaar"
        return self._events()

    def _events(self) -> str | None:
        for event, element in self.parser.read_events():
            reason = self._start(element) if event == "start" else self._end(element)
            if reason:
                return reason
        return None

    def _start(self, element) -> str | None:
        name = _localname(element)
        if name == "fldSimple":
            return judge_instruction(_attribute(element, "instr"))
        if name == "altChunk":
            return "docx_altchunk"
        if name == "fldChar":
            return self._field_character(_attribute(element, "fldCharType"))
        return None

    def _field_character(self, kind: str) -> str | None:
        if kind == "begin":
            self.fields.append({"parts": [], "judged": False})
        elif kind in ("separate", "end") and self.fields:
            field = self.fields[-1] if kind == "separate" else self.fields.pop()
            if not field["judged"]:
                field["judged"] = True
                return judge_instruction("".join(field["parts"]))
        return None

    def _end(self, element) -> str | None:
        reason = None
        if _localname(element) in INSTRUCTION_TEXT:
            if self.fields:
                self.fields[-1]["parts"].append(element.text or "")
            else:  # instruction text outside a field: judge it on its own
                reason = judge_instruction(element.text or "")
        _forget(element)
        return reason


def _localname(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _attribute(element, localname: str) -> str:
    for key, value in element.attrib.items():
        if etree.QName(key).localname == localname:
            return value
    return ""


def _forget(element) -> None:
    """Drop what has been judged, so a long part never sits in memory as a whole tree."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
