"""The stand van zaken page and its exports (CSV, XLSX, Word), full or voor publicatie.

Who: procesregie and the users the beheerder granted read access (portal/access/
verantwoording.py decides, through the route table). Every view and export is audited with
the period and the version; the report holds counts only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import flash, redirect, render_template, request, url_for

from portal import converters
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import local_today
from portal.downloads import attachment
from portal.forms import DutchForm, acting_user
from portal.refusal import DomainError
from portal.verantwoording import bp, charts, exports, figures, word
from portal.verantwoording.publication import Settings, publish
from portal.verantwoording.tables import report_tables

PUBLICATION = "publicatie"
MAX_DAYS = 366 * 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    published: bool
    problem: str | None = None

    @property
    def args(self) -> dict:
        found = {"start": self.start.isoformat(), "eind": self.end.isoformat()}
        return {**found, "versie": PUBLICATION} if self.published else found

    @property
    def detail(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "version": PUBLICATION if self.published else "volledig"}


def parse_day(text: str | None) -> date | None:
    """A date as the date field sends it (2026-03-31) or as people type it (31-3-2026),
    between 1900 and 2199."""
    text = (text or "").strip()
    if not text:
        return None
    day = converters.parse_day(text)
    if day is None and text.isascii():
        try:
            numbers = [int(part) for part in text.replace("/", "-").split("-")]
            day = date(numbers[2], numbers[1], numbers[0]) if len(numbers) == 3 else None
        except ValueError:
            day = None
    if day is None or not converters.FIRST_DAY <= day <= converters.LAST_DAY:
        raise DomainError(f"'{text[:20]}' is geen datum; schrijf bijvoorbeeld 31-12-2026.")
    return day


def period_from_request() -> Period:
    """?start=&eind= (or ?peildatum=), the current calendar year by default; a wrong date
    gives the default period and a Dutch message."""
    today = local_today()
    default = (today.replace(month=1, day=1), today.replace(month=12, day=31))
    published = request.args.get("versie") == PUBLICATION
    try:
        reference = parse_day(request.args.get("peildatum"))
        if reference is not None:
            return Period(reference.replace(month=1, day=1), reference, published)
        start = parse_day(request.args.get("start")) or default[0]
        end = parse_day(request.args.get("eind")) or default[1]
        if end < start:
            raise DomainError("De einddatum ligt vóór de begindatum.")
        if (end - start).days > MAX_DAYS:
            raise DomainError("Kies een periode van hoogstens tien jaar.")
    except DomainError as error:
        return Period(*default, published, f"{error.message} Hieronder staat het huidige "
                                           "kalenderjaar.")
    return Period(start, end, published)


def build(period: Period):
    """The report model of the period (Woo-safe when asked), the raw figures and settings."""
    settings = Settings.from_config()
    result = figures.stand_van_zaken(period.start, period.end)
    report = report_tables(result)
    return (publish(report, settings) if period.published else report), result, settings


class ExportForm(DutchForm):
    """Only the CSRF token of the Word button (the Word report is made by a POST)."""


@bp.route("/stand-van-zaken")
def report():
    period = period_from_request()
    if period.problem:
        flash(period.problem, "error")
    model, result, settings = build(period)
    record_and_commit("verantwoording.report_viewed", Action.READ,
                      object_type="stand_van_zaken", detail=period.detail)
    return render_template("verantwoording/report.html", report=model, period=period,
                           charts=charts.charts_for(model, result.hours),
                           footnote=settings.footnote(), form=ExportForm())


def _exported(period: Period, kind: str) -> None:
    record_and_commit("verantwoording.report_exported", Action.EXECUTE,
                      object_type="stand_van_zaken", detail={**period.detail, "format": kind})


def _name(period: Period, extension: str) -> str:
    suffix = "-publicatie" if period.published else ""
    return f"stand-van-zaken-{period.start.isoformat()}-{period.end.isoformat()}{suffix}" \
           f".{extension}"


@bp.route("/stand-van-zaken.csv")
def report_csv():
    period = period_from_request()
    model, _, settings = build(period)
    data = exports.as_csv(model, settings).encode("utf-8")
    _exported(period, "csv")
    return attachment([data], "text/csv; charset=utf-8", len(data), _name(period, "csv"))


@bp.route("/stand-van-zaken.xlsx")
def report_xlsx():
    period = period_from_request()
    model, _, settings = build(period)
    data = exports.as_xlsx(model, settings)
    _exported(period, "xlsx")
    return attachment([data], exports.XLSX_MIME, len(data), _name(period, "xlsx"))


@bp.route("/stand-van-zaken.docx", methods=["POST"])
def report_docx():
    """POST (CSRF-checked like every form): the first time it writes the report template."""
    period = period_from_request()
    model, _, settings = build(period)
    try:
        data = word.render(model, settings, acting_user().name, local_today())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".report", **period.args))
    _exported(period, "docx")
    return attachment([data], word.DOCX_MIME, len(data), _name(period, "docx"))
