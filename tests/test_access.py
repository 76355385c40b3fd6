"""The access module: a sweep of every route for every role, deny by default, 404 for hidden."""

from __future__ import annotations

import shutil

import pytest
from flask import url_for
from sqlalchemy import select

from portal import access
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from tests.conftest import log_in
from tests.factories import (
    make_avg_request,
    make_client,
    make_destruction_list,
    make_destruction_record,
    make_document,
    make_inzage_pack,
    make_legal_hold,
    make_mailing,
    make_referral,
    make_registration,
    make_user,
)
from tests.letter_factories import make_attachment
from tests.plan_factories import make_plan_letter
from tests.test_budget import budget_sweep_objects
from tests.test_hours import hours_sweep_objects

ROLES = [None, *Role]


def route_requests(app, user_id: int, organisation_id: int,
                   objects: dict | None = None) -> list[tuple[str, str, str]]:
    """One (endpoint, method, url) per rule in the URL map, with real ids filled in."""
    values = {"user_id": user_id, "organisation_id": organisation_id, "session_id": 1,
              "filename": "css/portal.css", "ref": "onbekend", "traject_id": 1,
              "referral_id": 1, "document_ref": "onbekend", "number": 1, "template_id": 1,
              "mailing_id": 1, "letter_id": 1, "contact_id": 1, "list_id": 1,
              "registration_ref": "onbekend", "target": "in_behandeling", "event": "uitgereikt",
              "notification_id": 1, "plan_letter_id": 1, "grant_id": 1, "attachment_id": 1,
              "subsidy_id": 1, "entry_id": 1, "post_id": 1,
              "entry_ref": "onbekend", "target_id": 1, "kind_id": 1,
              "proposal_id": 1, "token": "onbekend", "request_id": 1, "hold_id": 1, "record_id": 1,
              "retention_list_id": 1, "destruction_item_id": 1, "pack_id": 1, "item_id": 1,
              **(objects or {})}
    requests = []
    with app.test_request_context():  # closed before any request is made
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            method = "GET" if "GET" in rule.methods else "POST"
            args = {name: values[name] for name in rule.arguments
                    if name not in (rule.defaults or {})}
            requests.append((rule.endpoint, method, url_for(rule.endpoint, **args)))
    return requests


def test_every_route_is_in_the_policy_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - access.ROUTES.keys() == set(), "routes without a rule"
    assert access.ROUTES.keys() - endpoints == set(), "rules for routes that do not exist"


def sweep_objects(app, user_id: int | None) -> dict:
    """A client, traject and aanmelding that the sweeping user may see if her role allows."""
    with app.app_context():
        submitter = make_user(Role.NETWERKPARTNER).id if user_id is None else user_id
        diagnosticus = user_id if _has_role(user_id, Role.DIAGNOSTICUS) else \
            make_user(Role.DIAGNOSTICUS).id
        # A casemanager sweeps a client assigned to her (the handover page is hers only then).
        own = [user_id] if _has_role(user_id, Role.CASEMANAGER) else []
        client = make_client(diagnosticus_id=diagnosticus, casemanagers=own)
        referral = make_referral(submitter)
        document = make_document(client, submitter if user_id else diagnosticus,
                                 kind=_document_kind_for(user_id))
        mailing = make_mailing(submitter)
        registration = make_registration(client, make_user(
            Role.REGISTRATIECONTACTPERSOON).id)
        return {"registration_ref": registration.ref, "ref": client.ref,
                "traject_id": client.trajecten[0].id,
                "referral_id": referral.id, "document_ref": document.ref,
                "template_id": mailing.template_version.template_id, "mailing_id": mailing.id,
                "letter_id": mailing.letters[0].id, "contact_id": mailing.letters[0].contact_id,
                "list_id": mailing.list_id,
                "plan_letter_id": make_plan_letter(client, submitter).id,
                "attachment_id": make_attachment().id,
                **_inzage_ids(make_avg_request(client, submitter), submitter, document),
                "hold_id": make_legal_hold(client, submitter).id,
                "record_id": make_destruction_record(submitter).id,
                **_destruction_list_ids(client),
                **budget_sweep_objects(), **hours_sweep_objects(user_id)}


def _inzage_ids(avg_request, user_id: int, document) -> dict:
    pack = make_inzage_pack(avg_request, user_id, document)
    return {"request_id": avg_request.id, "pack_id": pack.id, "item_id": pack.documents[0].id}


def _destruction_list_ids(client) -> dict:
    proposal = make_destruction_list(client)
    return {"retention_list_id": proposal.id, "destruction_item_id": proposal.items[0].id}


def _document_kind_for(user_id) -> str:
    """A kind the sweeping user may see (and add, where her role adds documents)."""
    for role, kind in ((Role.DIAGNOSTICUS, "diagnostiekrapport"),
                       (Role.REGISTRATIECONTACTPERSOON, "registratiedocument"),
                       (Role.ERVARINGSDESKUNDIGE, "overig")):
        if _has_role(user_id, role):
            return kind
    return "brief"


def _has_role(user_id, role) -> bool:
    return user_id is not None and db.session.get(User, user_id).has_role(role)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anoniem")
def test_route_sweep(role, app, client, account):
    if role is not None:
        user = account(role)
        log_in(client, user)
        with app.app_context():
            subject = db.session.get(User, user.id)
            user_id, organisation_id = subject.id, subject.organisation_id
    else:
        user_id, organisation_id = None, 1
    objects = sweep_objects(app, user_id)
    mismatches = []
    for endpoint, method, url in route_requests(app, user_id or 1, organisation_id, objects):
        if endpoint == "auth.logout" or (endpoint == "auth.end_session" and role):
            continue  # would end the sweeping session itself; covered in test_auth
        response = client.open(url, method=method)
        outcome = classify(response)
        expected = expected_outcome(endpoint, role)
        if outcome != expected:
            mismatches.append(f"{method} {url} ({endpoint}): {outcome}, expected {expected}")
    assert mismatches == []


def classify(response) -> str:
    if response.status_code == 403:
        return "geweigerd"
    if response.status_code == 302 and response.location.startswith("/login?next="):
        return "naar inloggen"
    if response.status_code == 404:
        return "verborgen"
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    return "toegestaan"


def expected_outcome(endpoint: str, role: Role | None) -> str:
    rule = access.ROUTES[endpoint]
    if rule.allows_role(role):
        if endpoint == "letters.letter_pdf" and not shutil.which("soffice"):
            return "verborgen"  # no LibreOffice on this machine: the PDF copy does not exist
        return "toegestaan"
    return "naar inloggen" if role is None else "geweigerd"


def test_unlisted_route_is_denied(make_app, account):
    app = make_app()

    @app.route("/nieuw-zonder-regel")
    def unlisted():
        return "zou niet zichtbaar mogen zijn"

    client = app.test_client()
    assert client.get("/nieuw-zonder-regel").location.startswith("/login")
    with app.app_context():
        from tests.factories import make_user
        user = make_user(Role.BEHEERDER)
    log_in(client, user)
    assert client.get("/nieuw-zonder-regel").status_code == 403


def test_error_inside_a_check_denies(client, account, monkeypatch):
    log_in(client, account(Role.BEHEERDER))
    assert client.get("/beheer/gebruikers").status_code == 200

    def broken(self, user):
        raise RuntimeError("policy store unreachable")

    monkeypatch.setattr(access.Rule, "allows", broken)
    assert client.get("/beheer/gebruikers").status_code == 403


def test_denials_are_audited_with_path(client, account, app):
    user = account(Role.CASEMANAGER)
    log_in(client, user)
    response = client.get("/beheer/gebruikers?zoek=x")
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == "access.denied")).all()
    assert event.user_id == user.id and event.outcome == "geweigerd"
    assert event.detail["path"] == "/beheer/gebruikers" and event.detail["status"] == 403


def test_hidden_object_answers_404_not_403(client, account):
    log_in(client, account(Role.BEHEERDER))
    assert client.get("/beheer/gebruikers/999999").status_code == 404
    assert client.get("/beheer/organisaties/999999").status_code == 404


@pytest.mark.parametrize("role, visible, hidden", [
    (Role.BEHEERDER, ["Gebruikers", "Organisaties"], ["Auditlog"]),
    (Role.PRIVACYFUNCTIONARIS, ["Auditlog"], ["Gebruikers", "Organisaties"]),
    (Role.CASEMANAGER, [], ["Gebruikers", "Organisaties", "Auditlog"]),
])
def test_navigation_follows_the_role(role, visible, hidden, client, account):
    log_in(client, account(role))
    nav = client.get("/").get_data(as_text=True).split('aria-label="Hoofdmenu"')[1]
    nav = nav.split("</nav>")[0]
    for label in visible:
        assert f">{label}</a>" in nav
    for label in hidden:
        assert f">{label}</a>" not in nav


def test_multiple_roles_combine(client, account):
    log_in(client, account(Role.BEHEERDER, Role.PRIVACYFUNCTIONARIS))
    assert client.get("/beheer/gebruikers").status_code == 200
    assert client.get("/audit/").status_code == 200
