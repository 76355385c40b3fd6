"""Rendering Word templates (docxtpl) in a sandboxed, escaping Jinja; no Flask in here."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from docx import Document as WordDocument
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Variables every letter gets from the portal itself, never from the form.
SYSTEM_FIELDS = {"kenmerk", "datum"}
# Variables that carry client data; a partner letter may use none of them.
CLIENT_FIELDS = {"client"}
# Variables filled per recipient of a partner mailing.
RECIPIENT_FIELDS = {"ontvanger"}
PLACEHOLDER_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}")


class RenderError(Exception):
    """The template cannot be rendered; the message is Dutch."""


def environment() -> ImmutableSandboxedEnvironment:
    """Sandboxed (no attribute tricks), escaping always on, undefined names are errors."""
    return ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def variables(docx: bytes) -> set[str]:
    """Top-level names the template uses (placeholders Word split across runs included)."""
    try:
        return set(DocxTemplate(io.BytesIO(docx)).get_undeclared_template_variables(
            environment()))
    except TemplateSyntaxError as error:
        raise RenderError(f"De sjabloontekst bevat een fout: {error.message} "
                          f"(regel {error.lineno}).") from error


@dataclass(frozen=True)
class TemplateCheck:
    unfilled: list[str]
    unused: list[str]
    client_fields: list[str]

    @property
    def ok(self) -> bool:
        return not (self.unfilled or self.unused or self.client_fields)


def check_template(docx: bytes, declared: list[str], *, uses_client: bool) -> TemplateCheck:
    """Compare the template's placeholders with the declared form fields."""
    used = variables(docx)
    provided = set(declared) | SYSTEM_FIELDS | (CLIENT_FIELDS if uses_client
                                                else RECIPIENT_FIELDS)
    return TemplateCheck(
        unfilled=sorted(used - provided),
        unused=sorted(set(declared) - used),
        client_fields=[] if uses_client else sorted(used & CLIENT_FIELDS))


def render(docx: bytes, context: dict) -> bytes:
    template = DocxTemplate(io.BytesIO(docx))
    try:
        template.render(context, jinja_env=environment(), autoescape=True)
    except (UndefinedError, SecurityError, TemplateSyntaxError) as error:
        raise RenderError(f"De brief kon niet worden gemaakt: {error}") from error
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def plain_text(docx: bytes) -> str:
    """The letter's text (paragraphs and tables) for the preview and the checks."""
    document = WordDocument(io.BytesIO(docx))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def has_leftover_placeholders(docx: bytes) -> bool:
    return bool(PLACEHOLDER_LEFTOVER.search(plain_text(docx)))
