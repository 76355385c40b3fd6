"""Web hardening: CSRF everywhere, security headers on every response, Dutch error pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import access
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from portal.security import STATIC_HEADERS
from tests.conftest import log_in
from tests.test_access import route_requests


def assert_hardened(response):
    for name, value in STATIC_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp


def test_headers_on_pages_redirects_and_errors(client, account):
    for response in (client.get("/login"), client.get("/"), client.get("/bestaat-niet"),
                     client.get("/static/css/portal.css")):
        assert_hardened(response)
    log_in(client, account(Role.CASEMANAGER))
    for response in (client.get("/"), client.get("/beheer/gebruikers"), client.get("/nergens")):
        assert_hardened(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable_for_anonymous_visitors(client):
    assert "no-store" not in client.get("/static/css/portal.css").headers.get("Cache-Control", "")


def test_pages_use_no_inline_script_or_style(client, account):
    log_in(client, account(Role.BEHEERDER))
    for path in ("/", "/beheer/gebruikers", "/beheer/gebruikers/nieuw", "/account/sessies"):
        page = client.get(path).get_data(as_text=True)
        assert "<script" not in page and "style=" not in page and "<style" not in page
        assert "https://" not in page  # nothing from a CDN


def _post_routes(app, user_id, organisation_id):
    accepts_post = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    return [(endpoint, url) for endpoint, _, url in route_requests(app, user_id, organisation_id)
            if endpoint in accepts_post]


def test_every_state_changing_route_requires_a_csrf_token(client, account, app):
    beheerder = account(*Role)  # every role: every POST route passes the access check
    log_in(client, beheerder)
    with app.app_context():
        me = db.session.get(User, beheerder.id)
        user_id, organisation_id = me.id, me.organisation_id
    checked = []
    for endpoint, url in _post_routes(app, user_id, organisation_id):
        before = _state(app)
        response = client.post(url, data={"name": "Gewijzigd", "email": "x@example.org",
                                           "active": "y", "code": "123456"})
        assert response.status_code == 400, (endpoint, response.status_code)
        assert "Het formulier is verlopen of ongeldig" in response.get_data(as_text=True)
        assert _state(app) == before, endpoint
        checked.append(endpoint)
    assert {"auth.logout", "admin.user_new", "admin.user_set_active"} <= set(checked)
    assert client.get("/").status_code == 200  # still logged in: logout was refused too


def _state(app):
    with app.app_context():
        users = db.session.execute(select(User.id, User.name, User.active, User.email)).all()
        events = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.event != "access.csrf_refused"))
        return users, events


def test_csrf_refusal_is_audited(client, account, app):
    log_in(client, account(Role.CASEMANAGER))
    client.post("/logout")
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == "access.csrf_refused")).all()
    assert event.outcome == "geweigerd" and event.detail["path"] == "/logout"


def test_no_get_route_changes_state(app):
    for endpoint, rule in ((r.endpoint, r) for r in app.url_map.iter_rules()):
        if endpoint.startswith(("auth.logout", "auth.end_session")) or "user_set" in endpoint:
            assert "GET" not in rule.methods, endpoint


def test_server_error_page_is_dutch_with_error_id_and_no_trace(make_app, account):
    app = make_app()

    def broken():
        raise RuntimeError("geheime interne details")

    app.view_functions["main.index"] = broken
    client = app.test_client()
    with app.app_context():
        from tests.factories import make_user
        user = make_user(Role.CASEMANAGER)
    log_in(client, user)
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in body and "kenmerk" in body
    assert "geheime interne details" not in body and "Traceback" not in body
    assert_hardened(response)


@pytest.mark.parametrize("status, path, title", [
    (404, "/bestaat-niet", "Niet gevonden"),
    (405, "/logout", "Niet toegestaan"),
])
def test_error_pages_in_dutch(client, status, path, title):
    response = client.get(path)
    assert response.status_code == status
    assert title in response.get_data(as_text=True)


def test_too_large_request_gets_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/login", data={"email": "x" * 4096})
    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)
    assert_hardened(response)


def test_forbidden_page_in_dutch(client, account):
    log_in(client, account(Role.NETWERKPARTNER))
    response = client.get("/audit/")
    assert response.status_code == 403 and "Geen toegang" in response.get_data(as_text=True)


def test_session_cookie_flags(client, account):
    response = log_in(client, account(Role.CASEMANAGER))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookie_is_secure(make_app, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    app = make_app(PORTAL_ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_route_table_has_no_public_page_beyond_login_and_health():
    public = {endpoint for endpoint, rule in access.ROUTES.items() if rule.public}
    # auth.activate: the one-time enrolment link (its token is the credential).
    assert public == {"static", "main.health", "auth.login", "auth.code", "auth.enrol",
                      "auth.activate"}
