"""Input at the edge: bounded ids in URLs and query strings, bounded dates, storable text only."""

from __future__ import annotations

import re
import uuid
from datetime import date

from flask import Flask, render_template, request
from werkzeug.routing import IntegerConverter, UnicodeConverter

# Database ids are positive integers of the narrowest id column: PostgreSQL INTEGER (32 bits;
# SQLite's are 64). A larger number is no id: PostgreSQL would refuse the query.
MAX_ID = 2**31 - 1
# Dates people mean: anything outside is a typo or an attack, and date arithmetic near
# year 1 or 9999 overflows.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
# Text no database or Word file stores: NUL (PostgreSQL refuses it), the other C0 control
# characters except tab and line breaks (not allowed in XML), lone surrogates and U+FFFE/FFFF.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REFUSED_TEXT = ("Het verzoek bevat tekens die niet kunnen worden opgeslagen (zoals een "
                "nul-byte of een stuurteken). Pas de invoer aan en probeer het opnieuw.")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for database ids: ASCII digits only, 1 up to MAX_ID; anything else is 404."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int = 1,  # noqa: A002 - werkzeug's names
                 max: int = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


class BoundedStringConverter(UnicodeConverter):
    """A path segment such as an opaque ref: at most 64 characters (refs are 16 to 20), so an
    overlong one is a plain 404 and never reaches a query or the audit trail's object id."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = 64,
                 length: int | None = None) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)


def parse_id(value) -> int | None:
    """A database id from a query string or form value, or None when it is not one."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_number(value, *, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits within [low, high], or None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_day(value) -> date | None:
    """An ISO date (YYYY-MM-DD) between 1900 and 2199, or None."""
    text = str(value or "").strip()
    if len(text) != 10 or not text.isascii():
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _texts():
    """Every text the request carries: the path, query and form names and values. (Names of
    uploaded files are display text that the documents feature cleans itself.)"""
    yield request.path
    for source in (request.args, request.form):
        for key, values in source.lists():
            yield key
            yield from values


def refuse_unstorable_text():
    """before_request: 400 with a Dutch message for text no database stores."""
    if any(UNSTORABLE.search(text) for text in _texts()):
        return render_template("errors/error.html", status=400, title="Verzoek niet geldig",
                               text=REFUSED_TEXT, error_id=uuid.uuid4().hex[:12]), 400
    return None


def register_input_rules(app: Flask) -> None:
    """Before the blueprints (their rules take this converter) and before the access policy
    (its audit event stores the path)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = BoundedStringConverter
    app.before_request(refuse_unstorable_text)
