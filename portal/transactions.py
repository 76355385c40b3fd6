"""Services own their transactions: one decorator makes a refusal or a failure leave nothing
half-done in the session, so the page that shows the refusal cannot flush it by accident."""

from __future__ import annotations

import functools

from portal.extensions import db


def service(function):
    """Roll the session back when the service raises (a DomainError or anything else)."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
    return run
