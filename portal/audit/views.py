"""The audit log for the privacyfunctionaris; reading the log is itself logged."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app, render_template, request
from sqlalchemy import select

from portal.audit import bp
from portal.audit.models import ACTION_LABELS, AuditEvent, Outcome
from portal.audit.services import Action, record_and_commit
from portal.clock import local_today
from portal.converters import parse_day, parse_id
from portal.documents.models import DocumentKind
from portal.documents.retention import retention_overview
from portal.extensions import db
from portal.pagination import requested_page


def _parse_date(value: str) -> datetime | None:
    """Start of an ISO day (bounded, so the day after never overflows), or None."""
    day = parse_day(value)
    return datetime.combine(day, time(), tzinfo=UTC) if day else None


def event_query(filters: dict):
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if filters["gebruiker"]:
        query = query.where(AuditEvent.user_name.ilike(f"%{filters['gebruiker'].strip()}%"))
    if filters["actie"] in ACTION_LABELS:
        query = query.where(AuditEvent.action == filters["actie"])
    if filters["uitkomst"] in {o.value for o in Outcome}:
        query = query.where(AuditEvent.outcome == filters["uitkomst"])
    if client_id := parse_id(filters["client"]):
        query = query.where(AuditEvent.client_id == client_id)
    if start := _parse_date(filters["van"]):
        query = query.where(AuditEvent.occurred_at >= start)
    if end := _parse_date(filters["tot"]):
        query = query.where(AuditEvent.occurred_at < end + timedelta(days=1))
    return query


@bp.route("/")
def events():
    filters = {key: request.args.get(key, "")[:80] for key in
               ("gebruiker", "actie", "uitkomst", "client", "van", "tot")}
    page = db.paginate(event_query(filters), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"] * 2, error_out=False)
    record_and_commit("audit.log_viewed", Action.READ, object_type="audit_log",
                      detail={"filters": {k: v for k, v in filters.items() if v},
                              "page": page.page})
    return render_template("audit/events.html", page=page, filters=filters,
                           actions=ACTION_LABELS, outcomes=list(Outcome))


@bp.route("/bewaartermijnen")
def retention():
    """Documents past their retention date, per client number and kind: what waits for the
    privacyfunctionaris' destruction decision. Counts and dates only, never content."""
    rows = db.session.execute(retention_overview(local_today())).all()
    record_and_commit("audit.retention_viewed", Action.READ, object_type="retention",
                      detail={"clients": len({row.number for row in rows})})
    return render_template("audit/retention.html", rows=rows, today=local_today(),
                           kind_label=lambda kind: DocumentKind(kind).label)
