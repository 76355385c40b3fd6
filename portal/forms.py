"""The base form: WTForms' own Dutch messages for built-in validation (dates, numbers, choices),
its fields rendered by portal.widgets."""

from flask import flash, render_template
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.widgets import render_field


class DutchForm(FlaskForm):
    class Meta:
        locales = ["nl"]

        def render_field(self, field, render_kw):
            return render_field(field, render_kw)


def show_domain_error(form, error) -> None:
    """Show a refusal's Dutch message next to its field (or as a flash). The service that
    refused has already undone its work (portal.transactions.service)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)  # the form counts as refused (form.errors)
        flash(error.message, "error")


def form_page(template: str, form, **context):
    """A form page; answered with 422 when the form was refused, so nothing looks stored."""
    return render_template(template, form=form, **context), 422 if form.errors else 200


def acting_user():
    """The signed-in user as a plain object, for services that keep her in their records."""
    return current_user._get_current_object()
