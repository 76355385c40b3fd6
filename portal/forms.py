"""The base form: WTForms' own Dutch messages for built-in validation (dates, numbers, choices)."""

from flask_wtf import FlaskForm


class DutchForm(FlaskForm):
    class Meta:
        locales = ["nl"]
