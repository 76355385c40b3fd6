"""Today's date in Nijmegen, whatever time zone the server runs in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_now() -> datetime:
    return datetime.now(AMSTERDAM)


def local_today() -> date:
    return local_now().date()
