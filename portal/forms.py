"""The base form: WTForms' own Dutch messages for built-in validation (dates, numbers, choices)."""

from flask import flash
from flask_wtf import FlaskForm

from portal.extensions import db


class DutchForm(FlaskForm):
    class Meta:
        locales = ["nl"]


def show_domain_error(form, error) -> None:
    """Undo the refused change and show its Dutch message next to its field (or as a flash)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)  # the form counts as refused (form.errors)
        flash(error.message, "error")
