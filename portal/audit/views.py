"""The audit log for the privacyfunctionaris; reading, exporting and printing the log is
itself logged. The access report for a client is in report_views.py."""

from __future__ import annotations

import csv
import io

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal import jobs
from portal.audit import bp
from portal.audit.forms import ChainCheckForm
from portal.audit.labels import OUTCOME_LABELS, event_choices, event_label, role_label
from portal.audit.log import describe, event_query, organisation_names, parse_filters
from portal.audit.models import ACTION_LABELS, AuditEvent
from portal.audit.services import Action, record, record_and_commit
from portal.audit.tasks import parse_head, verify_chain_job
from portal.checks import CheckKind, CheckRun
from portal.clock import local_today
from portal.documents.models import DocumentKind
from portal.documents.retention import retention_overview
from portal.downloads import attachment
from portal.extensions import db
from portal.pagination import requested_page
from portal.roles import Role
from portal.templating import local_datetime

EXPORT_LIMIT = 100_000  # rows in one CSV; a larger selection is refused with a reason
PRINT_LIMIT = 2_000
CSV_HEADERS = ("Volgnummer", "Tijd", "Persoon", "Rol", "Organisatie", "Actie", "Gebeurtenis",
               "Object", "Cliëntnummer", "Uitkomst", "Adres")


def _logged(event: str, log_filter, **detail) -> None:
    record_and_commit(event, Action.READ, object_type="audit_log",
                      client_id=log_filter.client.id if log_filter.client else None,
                      detail={"filters": log_filter.active, **detail})


def _choices() -> dict:
    return {"actions": ACTION_LABELS, "outcomes": OUTCOME_LABELS, "roles": list(Role),
            "organisations": organisation_names(), "event_groups": event_choices()}


@bp.route("/")
def events():
    log_filter = parse_filters(request.args)
    page = db.paginate(event_query(log_filter), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"] * 2, error_out=False)
    _logged("audit.log_viewed", log_filter, page=page.page)
    return render_template("audit/events.html", page=page, rows=describe(page.items),
                           log_filter=log_filter, filters=log_filter.active,
                           event_label=event_label, role_label=role_label, **_choices())


def _count(log_filter) -> int:
    return db.session.scalar(select(func.count()).select_from(
        event_query(log_filter).order_by(None).subquery()))


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(rows) -> list[list[str]]:
    return [[_csv_cell(v) for v in (
        row.event.seq, local_datetime(row.event.occurred_at), row.event.user_name,
        role_label(row.event.role), row.event.organisation, row.event.action_label,
        event_label(row.event.event), row.what, row.client_number,
        OUTCOME_LABELS.get(row.event.outcome, row.event.outcome), row.event.source_ip)]
        for row in rows]


@bp.route("/export.csv")
def export():
    log_filter = parse_filters(request.args)
    total = _count(log_filter)
    if total > EXPORT_LIMIT:
        flash(f"De selectie heeft {total} gebeurtenissen; een export kan er ten hoogste "
              f"{EXPORT_LIMIT}. Kies een kortere periode of een ander filter.", "error")
        return redirect(url_for("audit.events", **log_filter.active))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    query = event_query(log_filter, newest_first=False)
    for offset in range(0, total, 2000):
        writer.writerows(_csv_rows(describe(db.session.scalars(
            query.offset(offset).limit(2000)).all())))
    _logged("audit.log_exported", log_filter, rows=total)
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return attachment([data], "text/csv; charset=utf-8", len(data),
                      f"auditlog-{local_today().isoformat()}.csv")


@bp.route("/afdrukken")
def print_view():
    log_filter = parse_filters(request.args)
    total = _count(log_filter)
    items = db.session.scalars(event_query(log_filter, newest_first=False)
                               .limit(PRINT_LIMIT)).all()
    _logged("audit.log_printed", log_filter, rows=len(items))
    return render_template("audit/print.html", rows=describe(items), total=total,
                           limit=PRINT_LIMIT, log_filter=log_filter, event_label=event_label,
                           role_label=role_label, outcomes=OUTCOME_LABELS,
                           today=local_today(), roles=list(Role))


PRINT_CSS = """@media print {
  .site-header, .site-nav, nav, .skip-link, .no-print, footer { display: none !important; }
  body { font-size: 9pt; color: #000; background: #fff; }
  .table-scroll { overflow: visible !important; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #666; padding: 2px 4px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
"""


@bp.route("/afdrukken.css")
def print_css():
    response = Response(PRINT_CSS, mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _latest_chain_run() -> CheckRun | None:
    return db.session.scalar(select(CheckRun).where(CheckRun.kind == CheckKind.AUDITKETEN.value)
                             .order_by(CheckRun.id.desc()).limit(1))


def _latest_head() -> AuditEvent | None:
    return db.session.scalar(select(AuditEvent).where(AuditEvent.event == "audit.chain_checked")
                             .order_by(AuditEvent.seq.desc()).limit(1))


@bp.route("/keten", methods=["GET", "POST"])
def chain():
    """Start the chain check as a job; show the last result and the head to store elsewhere."""
    form = ChainCheckForm()
    if form.validate_on_submit():
        expected = parse_head(form.expected_head.data) if form.expected_head.data else None
        record("audit.chain_check_started", Action.EXECUTE, object_type="check_runs",
               detail={"expected_seq": expected[0] if expected else None})
        jobs.after_commit(verify_chain_job, current_user.id, expected)
        db.session.commit()
        flash("De controle van de auditketen is gestart. Het resultaat staat hieronder zodra "
              "de controle klaar is (vernieuw de pagina).", "success")
        return redirect(url_for("audit.chain"))
    run, head = _latest_chain_run(), _latest_head()
    return render_template("audit/chain.html", form=form, run=run, head=head,
                           problems=run.summary.splitlines() if run else []), (
        422 if form.errors else 200)


@bp.route("/bewaartermijnen")
def retention():
    """Documents past their retention date, per client number and kind: what waits for the
    privacyfunctionaris' destruction decision. Counts and dates only, never content."""
    rows = db.session.execute(retention_overview(local_today())).all()
    record_and_commit("audit.retention_viewed", Action.READ, object_type="retention",
                      detail={"clients": len({row.number for row in rows})})
    return render_template("audit/retention.html", rows=rows, today=local_today(),
                           kind_label=lambda kind: DocumentKind(kind).label)
