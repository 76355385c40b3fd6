"""Form fields for amounts and numbers typed the Dutch way.

"250,50", "1.250,50", "€ 1.250,50" and "250.50" all mean what a Dutch user means by them: a
comma is the decimal separator, dots between groups of three digits are thousands separators,
and a single dot followed by one or two digits (what a browser or a calculator writes) is a
decimal point. Refused, each with a Dutch message: anything that is not a plain number
(NaN, infinity, exponents like "1e999999", letters), negative numbers, more decimals than the
field keeps, and values above the field's plausible maximum. The input is a text input with
`inputmode="decimal"`, so what the user typed reaches the server unchanged whatever the
browser's locale.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms import Field
from wtforms.widgets import TextInput

CURRENCY_AND_SPACES = re.compile(r"[\s\u00a0\u202f€]|eur(o)?", re.IGNORECASE)
# ASCII digits only: "\d" would also read Arabic-Indic or full-width digits as a number.
GROUPED = re.compile(r"[1-9][0-9]{0,2}(\.[0-9]{3})+")  # 1.250 or 12.500.000: thousands
PLAIN = re.compile(r"[0-9]+")
NOT_A_NUMBER = "Vul een getal in, bijvoorbeeld 250,50 (alleen cijfers, een komma en punten)."
NOT_A_WHOLE_NUMBER = "Vul een heel getal in, bijvoorbeeld 12 (alleen cijfers)."


class Refusal(ValueError):
    """The typed text is not an acceptable number; the message is shown next to the field."""


def parse_dutch_number(text: str, *, places: int = 2, minimum: Decimal | None = Decimal(0),
                       maximum: Decimal | None = None) -> Decimal:
    """The number the user meant, or Refusal with a Dutch message. With `minimum` None the
    field sets no lower bound itself (its validators may), so a minus sign is read too."""
    cleaned = CURRENCY_AND_SPACES.sub("", text or "")
    negative = cleaned.startswith(("-", "\u2212"))
    if negative and minimum is not None and minimum >= 0:
        raise Refusal("Vul een bedrag of aantal van nul of meer in; een negatief getal kan "
                      "hier niet.")
    value = _read(cleaned[1:] if cleaned[:1] in ("-", "\u2212", "+") else cleaned, places)
    value = -value if negative else value
    if -value.as_tuple().exponent > places:
        raise Refusal(_decimals_message(places))
    if minimum is not None and value < minimum:
        raise Refusal(f"Vul minstens {format_dutch_number(minimum, places)} in.")
    if maximum is not None and value > maximum:
        raise Refusal(f"Dat is meer dan {format_dutch_number(maximum, places)}, het hoogste "
                      "dat hier kan. Controleer het getal"
                      + (" (een komma scheidt de centen)." if places else "."))
    return value


def _decimals_message(places: int) -> str:
    if places == 0:
        return "Vul een heel getal in, zonder komma."
    return f"Gebruik hoogstens {'twee' if places == 2 else places} cijfers achter de komma."


def _read(text: str, places: int) -> Decimal:
    """Digits with Dutch separators only; exponents, NaN and infinity never get this far."""
    refusal = Refusal(NOT_A_NUMBER if places else NOT_A_WHOLE_NUMBER)
    whole, comma, fraction = text.rpartition(",") if "," in text else (text, "", "")
    if not comma:
        whole, fraction = _split_on_dot(text)
    if fraction and not PLAIN.fullmatch(fraction):
        raise refusal
    whole = whole or ("0" if fraction else "")  # ",50" is fifty cents
    if not (PLAIN.fullmatch(whole) or GROUPED.fullmatch(whole)):
        raise refusal
    try:
        return Decimal(whole.replace(".", "") + ("." + fraction if fraction else ""))
    except InvalidOperation as error:  # pragma: no cover - the patterns above allow digits only
        raise Refusal(NOT_A_NUMBER) from error


def _split_on_dot(text: str) -> tuple[str, str]:
    """Without a comma: "1.250" and "1.250.000" are thousands, "250.50" and "2.5" decimals."""
    if text.count(".") == 1 and not GROUPED.fullmatch(text):
        whole, fraction = text.split(".")
        return whole or "0", fraction
    return text, ""


def format_dutch_number(value, places: int = 2) -> str:
    """1250.5 → "1.250,50" (places=2); 1250 → "1.250" (places=0)."""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places))
    grouped = f"{number:,.{places}f}"
    return grouped.replace(",", " ").replace(".", ",").replace(" ", ".")


class DutchNumberField(Field):
    """A number typed the Dutch way; `data` is a Decimal (an int when places is 0) or None."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, places: int = 2,
                 minimum: Decimal | int | None = 0, maximum: Decimal | int | None = None,
                 **kwargs):
        render_kw = {"inputmode": "decimal" if places else "numeric", "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places = places
        self.minimum = None if minimum is None else Decimal(minimum)
        self.maximum = None if maximum is None else Decimal(maximum)

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        value = parse_dutch_number(str(valuelist[0]), places=self.places, minimum=self.minimum,
                                   maximum=self.maximum)
        self.data = int(value) if self.places == 0 else value.quantize(
            Decimal(1).scaleb(-self.places))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format_dutch_number(self.data, self.places)


class AmountField(DutchNumberField):
    """An amount in euro: two decimals, never negative, below the field's maximum."""

    def __init__(self, label=None, validators=None, *, maximum: Decimal | int, **kwargs):
        super().__init__(label, validators, places=2, minimum=0, maximum=maximum, **kwargs)


def euro(value) -> str:
    """An amount as Dutch people write it: "€ 1.250,50"; nothing known: "—"."""
    if value is None or value == "":
        return "—"
    return "€ " + format_dutch_number(value, 2)

