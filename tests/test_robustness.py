"""No 5xx for any input: a property-based walk of every route for every role that may open it.

Each role logs in, opens the pages it may open and reads their forms (fields, defaults and
where they post) and links (query parameters). Then, per route, hypothesis generates hostile
values for each path parameter, query parameter and form field (non-ASCII digits, huge
numbers, NaN/inf, impossible dates, overlong text, NUL bytes, wrong types) mixed with the
real values, and every answer must be below 500 and, when it is a 4xx, a Dutch error page.
Every POST carries the session's valid CSRF token, so the hostile values reach the views.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from portal import access
from portal.auth.models import User
from portal.errors import MESSAGES
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_user
from tests.test_access import sweep_objects

EXAMPLES = 6  # per route and role; derandomized, so every run draws the same examples
ROLES = [None, *Role]
# Ending the walking session would leave nothing to walk; covered in test_auth.
SKIPPED = {"auth.logout", "auth.end_session"}
# The login steps are walked anonymously only: signed in, they would start another login.
ANONYMOUS_ONLY = {"auth.login", "auth.code", "auth.enrol"}
EXTRA_QUERY = ("page", "next", "sjabloon", "client")

HOSTILE = [
    "²", "١٢٣", "٣", "9" * 25, str(2**63), str(2**31), str(2**31 - 1), "-1", "0", "-0", "+5", " 7 ",
    "NaN", "nan", "inf", "-Infinity", "1e25", "1e999999", "1_000", "0x1F", "250,50", "3.5",
    "9999-12-31", "0001-01-01", "0000-00-00", "2026-02-30", "2026-13-01", "31-12-2026",
    "x" * 5000, "é" * 300, "a\x00b", "\x00", "\x07", "%00", "' OR '1'='1", "<script>x</script>",
    "{{ 7*7 }}", "", " ", "true", "None", "[]", "{}", "🙂" * 20, "\u202e", "\r\n", "../../x",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
HOSTILE_VALUE = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers().map(str),
                          st.floats().map(str))
PATH_VALUE = st.one_of(st.sampled_from([v for v in HOSTILE if v.strip("/. ")]),
                       st.integers().map(str), TEXT.filter(lambda v: v.strip("/. ")))
DUTCH_TITLES = {title for title, _ in MESSAGES.values()}
# WTForms' and Jinja's own English messages; the portal answers in Dutch.
ENGLISH = ("This field is required", "Not a valid", "Invalid Choice", "Field must be",
           "Invalid input", "could not coerce", "is not a valid", "has no attribute")


@dataclass
class FormSpec:
    """One HTML form as a browser would send it: field names with their default values."""

    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class FormReader(HTMLParser):
    """The forms and the link query parameters of one page."""

    def __init__(self):
        super().__init__()
        self.forms: list[FormSpec] = []
        self.links: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(FormSpec((attrs.get("method") or "get").upper(),
                                       attrs.get("action") or ""))
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.links.append(attrs["href"])
        elif self.forms and attrs.get("name"):
            self._field(tag, attrs)
        elif tag == "option" and self._select:
            self._option(attrs)

    def _field(self, tag, attrs):
        form, name = self.forms[-1], attrs["name"]
        if tag == "input" and attrs.get("type") == "file":
            form.files.add(name)
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs or name not in form.fields:
                form.fields[name] = attrs.get("value") or "y"
        elif tag == "input" or tag == "button":
            form.fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""

    def _option(self, attrs):
        form = self.forms[-1]
        if "selected" in attrs or not form.fields.get(self._select):
            form.fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class RouteInputs:
    """What the walk knows of one endpoint: query names and form fields with defaults."""

    query: set[str] = field(default_factory=lambda: set(EXTRA_QUERY))
    fields: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


def real_values(app, user_id: int | None) -> dict:
    """Path values of real objects the walking user may see (another user's account and
    organisation for the beheer routes, so the walk never deactivates itself)."""
    objects = sweep_objects(app, user_id)
    with app.app_context():
        other = db.session.get(User, make_user(Role.CASEMANAGER).id)
        objects.update(user_id=other.id, organisation_id=other.organisation_id)
    return {"filename": "css/portal.css", "number": 1, "session_id": 1,
            "target": "in_behandeling", "event": "uitgereikt", "notification_id": 1,
            "plan_letter_id": 1, "grant_id": 1, "attachment_id": 1,
            "proposal_id": 1, "token": "onbekend",
            **objects}


def build_path(rule, values: dict) -> str:
    """The rule's path with each <converter:name> replaced by the (quoted) value."""
    def fill(match):
        return quote(str(values[match.group(1)]), safe="/" if "path:" in match.group(0) else "")

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def allowed_rules(app, role) -> list:
    rules = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED or (role is not None and rule.endpoint in ANONYMOUS_ONLY):
            continue
        if access.ROUTES[rule.endpoint].allows_role(role):
            rules.append(rule)
    return rules


def _endpoint_of(adapter, url: str, method: str) -> str | None:
    try:
        return adapter.match(urlsplit(url).path, method=method)[0]
    except (HTTPException, RequestRedirect):
        return None


def read_inputs(app, client, rules, values) -> dict[str, RouteInputs]:
    """Open every GET page with real values and learn the inputs of every endpoint."""
    inputs = {rule.endpoint: RouteInputs() for rule in rules}
    adapter = app.url_map.bind("localhost")
    for rule in rules:
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        page_url = build_path(rule, values)
        page = client.get(page_url)
        if page.mimetype != "text/html":
            continue  # a download or an export
        reader = FormReader()
        reader.feed(page.get_data(as_text=True))
        for form in reader.forms:
            endpoint = _endpoint_of(adapter, form.action or page_url, form.method)
            if endpoint in inputs and form.method == "GET":
                inputs[endpoint].query.update(form.fields)
            elif endpoint in inputs:
                inputs[endpoint].fields.update(form.fields)
                inputs[endpoint].files.update(form.files)
        for link in reader.links:
            endpoint = _endpoint_of(adapter, link, "GET")
            if endpoint in inputs:
                inputs[endpoint].query.update(name for name, _ in parse_qsl(urlsplit(link).query))
    inputs.pop("static", None)
    return inputs


def check_answer(response, where: str) -> None:
    body = response.get_data().decode("utf-8", "replace")
    assert response.status_code < 500, f"{where}: {response.status_code} {body[:300]}"
    if 400 <= response.status_code < 500:
        error_page = "Foutcode" in body and any(title in body for title in DUTCH_TITLES)
        refused_form = 'class="form-error"' in body or "alert--error" in body
        assert 'lang="nl"' in body and (error_page or refused_form), \
            f"{where}: {response.status_code} without a Dutch error page or refusal: {body[:300]}"
    english = [phrase for phrase in ENGLISH if phrase in body]
    assert not english, f"{where}: English message {english}"


def walk_route(client, rule, values: dict, inputs: RouteInputs | None, signed_in: bool) -> None:
    """Hypothesis: hostile path, query and form values on this route never give a 5xx."""
    inputs = inputs or RouteInputs()
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    path_names = sorted(rule.arguments - set(rule.defaults or {}))
    defaults = {name: value for name, value in inputs.fields.items() if name != "csrf_token"}
    token = csrf_token(client, "/login" if not signed_in else "/account/wachtwoord")

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
    @given(st.data())
    def walk(data):
        method = data.draw(st.sampled_from(methods), label="method")
        path = build_path(rule, {name: data.draw(st.one_of(st.just(values[name]), PATH_VALUE),
                                                 label=name) for name in path_names})
        query = data.draw(st.dictionaries(st.sampled_from(sorted(inputs.query)), HOSTILE_VALUE,
                                          max_size=4), label="query")
        form = {name: data.draw(st.one_of(st.just(default), HOSTILE_VALUE), label=name)
                for name, default in defaults.items()} if method == "POST" else {}
        if method == "POST":
            form["csrf_token"] = token
        for name in sorted(inputs.files) if method == "POST" else ():
            form[name] = (io.BytesIO(data.draw(st.binary(max_size=64), label=name)),
                          data.draw(st.sampled_from(["brief.pdf", "a\x00.pdf", "x" * 300]),
                                    label=f"{name} naam"))
        response = client.open(path, method=method, query_string=query, data=form)
        check_answer(response, f"{method} {path} {query} {sorted(form)}")
        if signed_in:
            assert not (response.status_code == 302 and "/login" in response.location), \
                f"{method} {path}: the walk was logged out"

    walk()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anoniem")
def test_no_route_answers_5xx_for_hostile_input(role, make_app):
    app = make_app()
    client = app.test_client()
    user_id = None
    if role is not None:
        with app.app_context():
            user = make_user(role)
        log_in(client, user)
        user_id = user.id
    values = real_values(app, user_id)
    rules = allowed_rules(app, role)
    inputs = read_inputs(app, client, rules, values)
    failures, started = [], time.monotonic()
    for rule in rules:
        try:
            walk_route(client, rule, values, inputs.get(rule.endpoint), role is not None)
        except Exception as error:  # noqa: BLE001 - collect every route's failure, then fail
            failures.append(f"{rule.endpoint}: {str(error)[:600]}")
    assert rules and failures == [], "\n".join(failures)
    assert time.monotonic() - started < 60, "the walk should stay well within CI time"
