"""Refusing a request: an audited denial, and the object check that turns a failed or
failing rule into the same 404 as an absent object."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, request

from portal.audit.models import Action, Outcome
from portal.audit.services import record_and_commit


def deny(status: int, *, object_type: str | None = "route", object_id=None,
         client_id: int | None = None):
    record_and_commit("access.denied", Action.READ, outcome=Outcome.DENIED,
                      object_type=object_type, object_id=object_id or request.endpoint,
                      client_id=client_id,
                      detail={"path": request.path[:255], "method": request.method,
                              "status": status})
    abort(status)


def check_object(allowed: Callable[[], bool], *, object_type: str, object_id,
                 client_id: int | None = None) -> None:
    """Abort with 404 (and an audit event) unless the check passes without error."""
    try:
        ok = bool(allowed())
    except Exception:  # noqa: BLE001 - a failing check must deny, never allow
        current_app.logger.exception("object check failed for %s %s", object_type, object_id)
        ok = False
    if not ok:
        deny(404, object_type=object_type, object_id=object_id, client_id=client_id)
