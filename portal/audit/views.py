"""The audit log for the privacyfunctionaris; reading the log is itself logged."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app, render_template, request
from sqlalchemy import select

from portal.audit import bp
from portal.audit.models import ACTION_LABELS, AuditEvent, Outcome
from portal.audit.services import Action, record_and_commit
from portal.extensions import db


def _parse_date(value: str) -> datetime | None:
    try:
        return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(), tzinfo=UTC)
    except ValueError:
        return None


def event_query(filters: dict):
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if filters["gebruiker"]:
        query = query.where(AuditEvent.user_name.ilike(f"%{filters['gebruiker'].strip()}%"))
    if filters["actie"] in ACTION_LABELS:
        query = query.where(AuditEvent.action == filters["actie"])
    if filters["uitkomst"] in {o.value for o in Outcome}:
        query = query.where(AuditEvent.outcome == filters["uitkomst"])
    if filters["client"].isdigit():
        query = query.where(AuditEvent.client_id == int(filters["client"]))
    if start := _parse_date(filters["van"]):
        query = query.where(AuditEvent.occurred_at >= start)
    if end := _parse_date(filters["tot"]):
        query = query.where(AuditEvent.occurred_at < end + timedelta(days=1))
    return query


@bp.route("/")
def events():
    filters = {key: request.args.get(key, "") for key in
               ("gebruiker", "actie", "uitkomst", "client", "van", "tot")}
    page = db.paginate(event_query(filters), per_page=current_app.config["PAGE_SIZE"] * 2,
                       error_out=False)
    record_and_commit("audit.log_viewed", Action.READ, object_type="audit_log",
                      detail={"filters": {k: v for k, v in filters.items() if v},
                              "page": page.page})
    return render_template("audit/events.html", page=page, filters=filters,
                           actions=ACTION_LABELS, outcomes=list(Outcome))
