"""Rendering Word templates (docxtpl) in a sandboxed, escaping Jinja; no Flask in here."""

from __future__ import annotations

import io
import re
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from docx import Document as WordDocument
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

# Variables every letter gets from the portal itself, never from the form.
SYSTEM_FIELDS = {"kenmerk", "datum"}
# Variables the portal fills for every letter: the house style and who writes to whom.
HOUSE_FIELDS = {"huisstijl", "huisstijl_logo", "ondertekenaar", "behandelaar", "adres", "aanhef"}
LOGO = "huisstijl_logo"
LOGO_HEIGHT_MM = 16
# A template may not switch escaping off: a field value could then write Word markup.
AUTOESCAPE_TAG = re.compile(r"\{%[-+]?\s*autoescape\b")
# Variables that carry client data; a partner letter may use none of them.
CLIENT_FIELDS = {"client"}
# Variables filled per recipient of a partner mailing.
RECIPIENT_FIELDS = {"ontvanger"}
PLACEHOLDER_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}")
TEMPLATE_FILENAME = "<template>"  # the code file name Jinja gives templates from a string


class RenderError(Exception):
    """The template cannot be rendered; the message is Dutch."""


@dataclass(frozen=True)
class Limits:
    """How long one letter may take to render and how much text it may produce."""

    seconds: float = 10.0
    max_chars: int = 5_000_000

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(seconds=float(config.get("LETTER_RENDER_SECONDS", cls.seconds)),
                   max_chars=int(config.get("LETTER_RENDER_MAX_CHARS", cls.max_chars)))


class Budget:
    """The time and output one render may still use, shared by all parts of the document."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = 0.0
        self.used = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderError(f"De brief kon niet worden gemaakt: het sjabloon doet er langer "
                              f"dan {self.limits.seconds:g} seconden over (bijvoorbeeld een "
                              "herhaling die te vaak loopt).")

    def check_size(self, size: int) -> None:
        if size > self.limits.max_chars:
            limit = f"{self.limits.max_chars:_}".replace("_", ".")
            raise RenderError(f"De brief kon niet worden gemaakt: het sjabloon maakt meer dan "
                              f"{limit} tekens tekst of rekent met een te groot getal.")

    def spend(self, size: int) -> None:
        self.used += size
        self.check_size(self.used)

    @contextmanager
    def timed(self):
        """Check the clock on every line of template code (and only there: other frames keep
        whatever tracer was active, such as coverage)."""
        self.deadline = time.monotonic() + self.limits.seconds
        previous = sys.gettrace()

        def on_line(frame, event, arg):
            self.check_time()
            return on_line

        def on_call(frame, event, arg):
            if frame.f_code.co_filename == TEMPLATE_FILENAME:
                self.check_time()
                return on_line
            if previous is None:
                return None
            local = previous(frame, event, arg)
            # A C tracer called from Python (coverage's) puts itself back as the global
            # tracer on every call event; put the clock back in front of it.
            sys.settrace(on_call)
            return local

        sys.settrace(on_call)
        try:
            yield
        finally:
            sys.settrace(previous)


def _size(value) -> int:
    """How much a value can multiply a result by: a number's size, a sequence's length."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return abs(value)
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else 1


def _sequence(value) -> bool:
    return isinstance(value, str | bytes | list | tuple)


def _widths(text) -> int:
    """The largest number written in a format string (a field width such as %999999s)."""
    if not isinstance(text, str):
        return 0
    return max((int(run) for run in re.findall(r"\d{1,12}", text)), default=0)


FORMATTERS = {"format", "format_map"}  # str methods and the filter that take a format string


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with a budget: every piece of output counts, and a call, filter or
    operator whose result could exceed the output limit is refused before it runs."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, budget: Budget):
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.budget = budget
        self.filters = {name: self._bounded(name, function)
                        for name, function in self.filters.items()}

    def concat(self, pieces) -> str:  # Template.render joins its output through this
        out = []
        for piece in pieces:
            self.budget.spend(len(piece))
            out.append(piece)
        return "".join(out)

    def _estimate(self, name: str, subject, args, kwargs) -> None:
        """A call on `subject` yields at most about len(subject) times each argument."""
        if name in FORMATTERS:
            self.budget.check_size(_widths(subject))
        base = max(1, _size(subject)) if _sequence(subject) else 1
        for value in (*args, *kwargs.values()):
            self.budget.check_size(base * max(1, _size(value)))

    def _bounded(self, name: str, function):
        @wraps(function)
        def bounded(*args, **kwargs):
            values = [a for a in args if not isinstance(a, Environment | Context | EvalContext)]
            if values:
                self._estimate(name, values[0], values[1:], kwargs)
            return self._result(function(*args, **kwargs))

        return bounded

    def _result(self, value):
        if _sequence(value):
            self.budget.check_size(len(value))
        return value

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:  # "{:999999999}".format(...): refused at the attribute
            self.budget.check_size(_widths(value.__self__))
        return wrapped

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja's signature
        __self._estimate(getattr(__obj, "__name__", ""), getattr(__obj, "__self__", None),
                         args, kwargs)
        return __self._result(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            self.budget.check_size(abs(left).bit_length() * max(0, right) // 8)
        elif operator == "*" and (_sequence(left) or _sequence(right)):
            self.budget.check_size(_size(left) * _size(right))
        elif operator == "%":
            self.budget.check_size(_widths(left))
        return self._result(super().call_binop(context, operator, left, right))


def failure_message(error: Exception) -> str:
    """What went wrong, named in Dutch for the person who made the template."""
    if isinstance(error, UndefinedError):
        return f"het sjabloon gebruikt een gegeven dat niet bestaat ({error.message})."
    if isinstance(error, SecurityError):
        return f"het sjabloon doet iets wat niet is toegestaan ({error})."
    if isinstance(error, TemplateSyntaxError):
        return f"de sjabloontekst bevat een fout: {error.message} (regel {error.lineno})."
    if isinstance(error, OverflowError | MemoryError | RecursionError):
        return "het sjabloon rekent met een te groot getal of herhaalt zich te vaak."
    if isinstance(error, ZeroDivisionError):
        return "het sjabloon deelt door nul."
    if isinstance(error, etree.LxmlError):
        return "het sjabloon maakt ongeldige Word-opmaak (bijvoorbeeld door de filter 'safe')."
    return f"het sjabloon bevat een fout ({type(error).__name__}: {error})."


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
    provided = set(declared) | SYSTEM_FIELDS | HOUSE_FIELDS | (CLIENT_FIELDS if uses_client
                                                else RECIPIENT_FIELDS)
    return TemplateCheck(
        unfilled=sorted(used - provided),
        unused=sorted(set(declared) - used),
        client_fields=[] if uses_client else sorted(used & CLIENT_FIELDS))


def turns_escaping_off(docx: bytes) -> bool:
    """Whether any part of the template (body, headers, footers; Word may split a tag over
    runs) holds an autoescape tag."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        text = "".join(re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8", "replace"))
                       for name in archive.namelist()
                       if name.startswith("word/") and name.endswith(".xml"))
    return bool(AUTOESCAPE_TAG.search(text))


def render(docx: bytes, context: dict, limits: Limits | None = None,
           logo: bytes | None = None) -> bytes:
    """The filled-in letter; any failure of the template (an unknown name, a sandbox refusal,
    a calculation error, too long or too much output) is a RenderError in Dutch. A logo fills
    `huisstijl_logo` as an image (empty without one)."""
    budget = Budget(limits or Limits())
    template = DocxTemplate(io.BytesIO(docx))
    context = {**context, LOGO: InlineImage(template, io.BytesIO(logo),
                                            height=Mm(LOGO_HEIGHT_MM)) if logo else ""}
    try:
        with budget.timed():
            template.render(context, jinja_env=LimitedEnvironment(budget), autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
    except RenderError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever an uploaded template does wrong
        raise RenderError(f"De brief kon niet worden gemaakt: {failure_message(error)}") \
            from error
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


def with_font(docx: bytes, font: str) -> bytes:
    """The letter with the house-style font as its base font (the built-in templates)."""
    document = WordDocument(io.BytesIO(docx))
    document.styles["Normal"].font.name = font
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
