"""Error pages in Dutch with an error id."""

from __future__ import annotations

import uuid

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.audit.models import Action, Outcome
from portal.audit.services import record_and_commit
from portal.extensions import db

MESSAGES = {
    400: ("Verzoek niet geldig", "Het verzoek kon niet worden verwerkt."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling is op deze pagina niet toegestaan."),
    413: ("Bestand te groot", "Het bestand of formulier is groter dan is toegestaan."),
    429: ("Te veel pogingen", "U heeft het te vaak geprobeerd. Wacht een minuut en probeer het "
                              "opnieuw."),
    500: ("Er ging iets mis", "Er is een onverwachte fout opgetreden. Uw wijziging is niet "
                              "opgeslagen."),
}


def _render(status: int, error_id: str, detail: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=title,
                           text=detail or text, error_id=error_id), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        error_id = uuid.uuid4().hex[:12]
        app.logger.warning("CSRF refused [%s] %s %s", error_id, request.method, request.path)
        db.session.rollback()
        record_and_commit("access.csrf_refused", Action.UPDATE, outcome=Outcome.DENIED,
                          object_type="route", object_id=request.endpoint,
                          detail={"path": request.path[:255], "reason": error.description,
                                  "error_id": error_id})
        return _render(400, error_id, "Het formulier is verlopen of ongeldig. Ga terug, laad de "
                                      "pagina opnieuw en probeer het nog eens.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code if error.code in MESSAGES else 500, uuid.uuid4().hex[:12])

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        error_id = uuid.uuid4().hex[:12]
        db.session.rollback()
        app.logger.exception("unexpected error [%s] on %s %s", error_id, request.method,
                             request.path)
        return _render(InternalServerError.code, error_id)
