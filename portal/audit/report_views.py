""""Wie heeft mijn dossier ingezien": the access report for one client, opened only by the
privacyfunctionaris (ROUTES), as a page to print, a Word document and a PDF; each audited."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for

from portal.audit import bp
from portal.audit.access_report import as_docx, build_report, client_events
from portal.audit.log import find_client
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.clock import add_months, local_today
from portal.converters import parse_day
from portal.downloads import attachment
from portal.extensions import db
from portal.letters import pdf

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_EVENTS = 20_000  # one report; a longer period is refused with a reason


def _period(args) -> tuple[date, date, list[str]]:
    today = local_today()
    problems = []
    start, end = add_months(today, -12), today
    for key, label in (("van", "Van"), ("tot", "Tot en met")):
        text = str(args.get(key, "")).strip()[:40]
        if not text:
            continue
        day = parse_day(text)
        if day is None:
            problems.append(f"“{label}” is geen datum tussen 1900 en 2199 (zoals 2026-03-31).")
        elif key == "van":
            start = day
        else:
            end = day
    if start > end:
        problems.append("“Van” ligt na “Tot en met”.")
    return start, end, problems


def _request():
    """(client, start, end, report or None, problems) from the query string."""
    number = str(request.args.get("client", "")).strip()[:40]
    start, end, problems = _period(request.args)
    client = find_client(number) if number else None
    if number and client is None:
        problems.insert(0, f"Er is geen cliënt met nummer “{number}”. Typ een cliëntnummer "
                           "zoals C-2026-0001.")
    if client is None or problems:
        return number, client, start, end, None, problems
    events = db.session.scalars(client_events(client.id, start, end).limit(MAX_EVENTS + 1)).all()
    if len(events) > MAX_EVENTS:
        return number, client, start, end, None, [
            f"In deze periode staan meer dan {MAX_EVENTS} gebeurtenissen; kies een kortere "
            "periode."]
    return number, client, start, end, build_report(client, start, end, local_today(),
                                                     events), []


def _audited(event: str, client, report, **detail) -> None:
    record_and_commit(event, Action.READ, object_type="access_report", object_id=client.id,
                      client_id=client.id,
                      detail={"van": report.start.isoformat(), "tot": report.end.isoformat(),
                              "regels": len(report.rows), "taal": report.language.code,
                              "namen": report.show_names, **detail})


@bp.route("/inzageverslag")
def access_report():
    number, client, start, end, report, problems = _request()
    if report is not None:
        _audited("audit.access_report_viewed", client, report)
    return render_template("audit/access_report.html", number=number, start=start, end=end,
                           report=report, problems=problems, pdf_available=pdf.available())


def _download(kind: str):
    number, client, start, end, report, problems = _request()
    if report is None:
        for problem in problems or ["Typ het cliëntnummer van wie u het overzicht maakt."]:
            flash(problem, "error")
        kept = {key: str(request.args.get(key, ""))[:40] for key in ("van", "tot")}
        return redirect(url_for("audit.access_report", client=number,
                                **{key: value for key, value in kept.items() if value}))
    data = as_docx(report)
    mime, extension = DOCX_MIME, "docx"
    if kind == "pdf":
        try:
            data, mime, extension = pdf.to_pdf(data), "application/pdf", "pdf"
        except pdf.ConversionError as error:
            flash(f"{error} Download de Word-versie.", "error")
            return redirect(url_for("audit.access_report", client=report.number,
                                    van=start.isoformat(), tot=end.isoformat()))
    _audited("audit.access_report_downloaded", client, report, formaat=extension)
    return attachment([data], mime, len(data),
                      f"inzageverslag-{report.number}-{end.isoformat()}.{extension}")


@bp.route("/inzageverslag.docx")
def access_report_docx():
    return _download("docx")


@bp.route("/inzageverslag.pdf")
def access_report_pdf():
    return _download("pdf")
