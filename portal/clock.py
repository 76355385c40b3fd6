"""Today's date in Nijmegen, whatever time zone the server runs in, and month arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_now() -> datetime:
    return datetime.now(AMSTERDAM)


def local_today() -> date:
    return local_now().date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day
    (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))
