"""portal.widgets writes the same markup as WTForms' own widgets, to the character: field by
field for every kind of field and attribute, and on every page the demo users reach."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from markupsafe import Markup
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    FileField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import NumberInput, PasswordInput

from portal import demo, widgets
from portal.auth.models import User
from portal.extensions import db
from portal.forms import DutchForm
from tests.conftest import log_in
from tests.factories import Account
from tests.test_cli import demo_secrets, run

AWKWARD = 'Zij zei "ja" & <b>nee</b> \'s avonds'


class EveryKind(DutchForm):
    class Meta:
        csrf = False

    text = StringField("Naam", validators=[DataRequired(), Length(min=2, max=40)])
    optional_text = StringField("Roepnaam", validators=[Optional()],
                                render_kw={"placeholder": "bijv. Roos", "data_hint": "x"})
    email = EmailField("E-mail")
    password = PasswordField("Wachtwoord", validators=[DataRequired()])
    number = IntegerField("Aantal", validators=[NumberRange(min=0, max=99)])
    stepped = IntegerField("Stappen", widget=NumberInput(step=5, min=0))
    shown_password = PasswordField("Code", widget=PasswordInput(hide_value=False))
    day = DateField("Datum", validators=[DataRequired()])
    bounded_day = DateField("Vanaf", render_kw={"min": date(2026, 1, 1)},
                            format=["%Y-%m-%d", "%d-%m-%Y"])
    moment = DateTimeLocalField("Moment")
    hidden = HiddenField()
    notes = TextAreaField("Notitie", validators=[Length(max=500)])
    required_notes = TextAreaField("Reden", validators=[DataRequired()])
    kind = SelectField("Soort", choices=[
        SelectChoice("", "Kies…"), SelectChoice("a", "Alfa & co"),
        SelectChoice("b", AWKWARD, render_kw={"data_code": 'x"y', "disabled": True})])
    number_choice = SelectField("Nummer", coerce=int, choices=[(1, "Een"), (2, "Twee")])
    flag_choice = SelectField("Ja of nee", coerce=lambda v: v in (True, "True"),
                              choices=[(True, "Ja"), (False, "Nee")])
    grouped = SelectField("Groep", choices={"Noord": [("n1", "Eén")], "Zuid": [("z1", "Twee")]})
    many = SelectMultipleField("Meerdere", choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    agree = BooleanField("Akkoord")
    choice = RadioField("Keuze", choices=[("1", "Een"), ("2", "Twee")])
    upload = FileField("Bestand")


RENDER_ARGUMENTS = [
    {},
    {"class_": "form-input"},
    {"class_": "form-input", "aria-describedby": "veld-hint veld-error",
     "aria-invalid": "true", "aria-required": "true"},
    {"aria_label": AWKWARD, "data_x": Markup('<i>"veilig"</i>'), "autofocus": True,
     "readonly": False, "rows": 4, "id": "eigen-id"},
    {"value": AWKWARD, "required": False, "maxlength": 10},
]

FILLED = {"day": date(2026, 2, 28), "moment": datetime(2026, 3, 1, 9, 30),
          "shown_password": AWKWARD, "password": "geheim", "text": AWKWARD,
          "optional_text": "", "email": "roos@example.org", "number": 7,
          "hidden": AWKWARD, "notes": AWKWARD + "\nTweede regel", "kind": "b",
          "number_choice": 2, "flag_choice": False, "many": ["x", "z"], "agree": True,
          "choice": "2"}


def wtforms_markup(form, field, arguments: dict) -> str:
    return str(DefaultMeta.render_field(form.meta, field, arguments))


@pytest.mark.parametrize("arguments", RENDER_ARGUMENTS)
@pytest.mark.parametrize("data", [{}, FILLED], ids=["empty", "filled"])
def test_every_kind_of_field_is_written_as_wtforms_writes_it(app, data, arguments):
    with app.test_request_context():
        form = EveryKind(formdata=None, data=data)
        for field in form:
            assert str(field(**arguments)) == wtforms_markup(form, field, arguments), field.name


def test_submitted_values_and_their_errors_are_written_as_wtforms_writes_them(app):
    from werkzeug.datastructures import MultiDict

    sent = MultiDict([("text", AWKWARD), ("number", "veel"), ("day", "31-02-2026"),
                      ("kind", "onbekend"), ("many", "y"), ("notes", "x" * 600)])
    with app.test_request_context(method="POST"):
        form = EveryKind(formdata=sent)
        assert not form.validate()
        for field in form:
            for arguments in RENDER_ARGUMENTS:
                assert str(field(**arguments)) == wtforms_markup(form, field, arguments), (
                    field.name, arguments)


@pytest.mark.parametrize("data", [{}, FILLED], ids=["empty", "filled"])
def test_the_field_macro_writes_labels_as_wtforms_does(app, data):
    with app.test_request_context():
        macro = app.jinja_env.get_template("_macros.html").module.field
        form = EveryKind(formdata=None, data=data)
        for field in form:
            if field.type == "RadioField":
                continue  # a legend over its options; no label
            style = "form-check__label" if field.type == "BooleanField" else "form-label"
            assert str(field.label(class_=style)) in str(macro(field)), field.name


def test_widgets_this_module_does_not_write_are_left_to_wtforms(app):
    with app.test_request_context():
        form = EveryKind(formdata=None)
        left = {field.name for field in form if widgets._renderer(field.widget) is None}
    assert left == {"agree", "choice", "upload"}


# --- Every page the demo users reach ---------------------------------------------------------

FIELDS = re.compile(r"<input [^>]*>|<select .*?</select>|<textarea .*?</textarea>", re.DOTALL)
VALUE = re.compile(r'value="[^"]*"')
LINK = re.compile(r'href="(/[^"#]*)"')
NOT_A_PAGE = re.compile(r"/(static|logout|bestand|download)|\.(docx|pdf|csv|xlsx|zip|eml)\b"
                        r"|/export|/inzagepakket")
PAGES_PER_USER = 25


def field_markup(html: str) -> list[str]:
    """Its form fields, the CSRF tokens left out (they are signed with the moment)."""
    return [VALUE.sub('value=""', found) if 'name="csrf_token"' in found else found
            for found in FIELDS.findall(html)]


def crawl(browser, monkeypatch) -> tuple[int, int]:
    """Open up to PAGES_PER_USER pages from her start page; each twice, with this module's
    rendering and with WTForms' widgets alone, and compare their form fields."""
    queue, seen, fields = ["/"], set(), 0
    while queue and len(seen) < PAGES_PER_USER:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        fast = browser.get(path)
        if fast.status_code != 200 or fast.mimetype != "text/html":
            continue
        with monkeypatch.context() as wtforms_only:
            wtforms_only.setattr(widgets, "_renderer", lambda widget: None)
            reference = browser.get(path).get_data(as_text=True)
        html = fast.get_data(as_text=True)
        assert field_markup(html) == field_markup(reference), path
        fields += len(field_markup(html))
        queue += [link for link in LINK.findall(html)
                  if not NOT_A_PAGE.search(link) and urlsplit(link).path not in seen]
    return len(seen), fields


def test_every_page_of_the_demo_writes_its_fields_as_wtforms_does(app, monkeypatch):
    printed = demo_secrets(run(app, "seed-demo").output)
    with app.app_context():
        ids = {user.email: user.id for user in db.session.scalars(select(User))}
    pages = fields = 0
    for email, secret in printed.items():
        browser = app.test_client()
        log_in(browser, Account(ids[email], email, demo.DEMO_PASSWORD, secret))
        opened, compared = crawl(browser, monkeypatch)
        pages, fields = pages + opened, fields + compared
    assert pages > 100 and fields > 500, (pages, fields)
