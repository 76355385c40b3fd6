"""A duration typed the way people type it: "1:30", "90", "1,5 uur", "1u30", "45 min".

A plain whole number is minutes ("90"); a number with a comma or dot and no unit is hours
("1,5"); "u", "uur", "uren", "h" mark hours and "m", "min", "minuut", "minuten" minutes, and
"1 uur 30", "1u30m" and "1 uur en 30 minuten" combine them. Hours with decimals are rounded to
the nearest whole minute. Refused, each with a Dutch message: anything else, zero, negative
durations and more than 24 hours in one entry. Only ASCII digits count as digits.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from portal.hours.models import MAX_MINUTES

HOUR_UNITS = r"(?:u|uur|uren|h|hr|hrs|hour|hours)"
MINUTE_UNITS = r"(?:m|min|mins|minuut|minuten)"
CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)
HOURS_FIRST = re.compile(
    rf"([0-9]{{1,4}}(?:[.,][0-9]{{1,2}})?)\s*{HOUR_UNITS}\.?"
    rf"(?:\s*(?:en\s*)?([0-9]{{1,4}})\s*(?:{MINUTE_UNITS}\.?)?)?", re.ASCII)
MINUTES_ONLY = re.compile(rf"([0-9]{{1,6}})\s*(?:{MINUTE_UNITS}\.?)?", re.ASCII)
DECIMAL_HOURS = re.compile(r"([0-9]{1,4}[.,][0-9]{1,2})", re.ASCII)

NONSENSE = ("Vul een duur in zoals 90 (minuten), 1:30 of 1,5 uur.")
TOO_LONG = "Een boeking is hoogstens 24 uur; verdeel langere tijd over meer dagen."


class DurationRefusal(ValueError):
    """The typed text is not an acceptable duration; the message is Dutch."""


def parse_duration(text: str | None) -> int:
    """Whole minutes, or DurationRefusal with a Dutch message."""
    cleaned = re.sub(r"[\s\u00a0\u202f]+", " ", (text or "").strip().lower())
    if not cleaned:
        raise DurationRefusal("Vul de duur in, bijvoorbeeld 90 of 1:30.")
    if cleaned.startswith(("-", "\u2212")):
        raise DurationRefusal("Een duur kan niet negatief zijn.")
    if len(cleaned) > 40:
        raise DurationRefusal(NONSENSE)
    minutes = _read(cleaned)
    if minutes <= 0:
        raise DurationRefusal("Vul een duur van minstens 1 minuut in.")
    if minutes > MAX_MINUTES:
        raise DurationRefusal(TOO_LONG)
    return minutes


def _read(text: str) -> int:
    if match := CLOCK.fullmatch(text):
        hours, minutes = int(match.group(1)), int(match.group(2))
        if minutes > 59:
            raise DurationRefusal("Na de dubbele punt komen de minuten: 0 tot en met 59.")
        return hours * 60 + minutes
    if match := HOURS_FIRST.fullmatch(text):
        hours, extra = match.group(1), match.group(2)
        if extra is not None and ("," in hours or "." in hours or int(extra) > 59):
            raise DurationRefusal("Schrijf uren en daarna minuten onder de 60 (1 uur 30), of "
                                  "alleen minuten.")
        return _hours_to_minutes(hours) + int(extra or 0)
    if match := MINUTES_ONLY.fullmatch(text):
        return int(match.group(1))
    if match := DECIMAL_HOURS.fullmatch(text):
        return _hours_to_minutes(match.group(1))
    raise DurationRefusal(NONSENSE)


def _hours_to_minutes(hours: str) -> int:
    value = Decimal(hours.replace(",", ".")) * 60
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_duration(minutes: int | None) -> str:
    """90 → "1:30"; nothing → "—"."""
    if minutes is None:
        return "—"
    return f"{minutes // 60}:{minutes % 60:02d}"
