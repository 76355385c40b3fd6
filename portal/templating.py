"""Jinja filters for Dutch dates, times and amounts."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from portal.clock import AMSTERDAM
from portal.fields import euro

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]


def local_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(AMSTERDAM)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def local_date(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def register_filters(app: Flask) -> None:
    app.add_template_filter(local_datetime, "datumtijd")
    app.add_template_filter(local_date, "datum")
    app.add_template_filter(euro, "euro")  # € 1.250,50
