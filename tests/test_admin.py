"""Beheer screens through the real test client and database.

The functioneel beheerder lists, creates and edits users and organisations and deactivates
accounts. Dossier roles and resets of a password or second factor are proposals that a second
person approves (tests/test_four_eyes.py covers the rules); the person then chooses her own
password through a link. Every test checks what ended up in the database and in the audit
trail, not only the status code.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent, Outcome
from portal.auth import passwords
from portal.auth.models import Organisation, User, UserSession
from portal.auth.views import GENERIC_LOGIN_ERROR
from portal.extensions import db
from portal.roles import OrganisationKind, Role
from tests.conftest import csrf_from, csrf_token, log_in, submit_password
from tests.factories import Person, make_team, make_user

NEW_PASSWORD = "Zeven-zwanen-zwemmen-zuidwaarts"
TEMPORARY_PASSWORD = "Tijdelijk-paars-kompas-71"
LINK = re.compile(r"/account/activeren/([A-Za-z0-9_-]+)")


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def beheerder(account, login):
    """A functioneel beheerder, logged in on the fixture client."""
    admin = account(Role.BEHEERDER, name="Zara Beheer", email="zara.beheer@test.stapportaal.nl")
    login(admin)
    return admin


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str | None:
    """The error text shown next to one form field, or None."""
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else None


def path_of(response) -> str:
    return urlsplit(response.location).path


def events(app, name: str) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == name).order_by(AuditEvent.seq))
        return [{"object_id": row.object_id, "user_id": row.user_id, "outcome": row.outcome,
                 "detail": row.detail} for row in rows]


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def load_user(app, user_id: int) -> dict:
    with app.app_context():
        user = db.session.get(User, user_id)
        return {"name": user.name, "email": user.email, "organisation_id": user.organisation_id,
                "roles": set(user.roles), "active": user.active,
                "password_hash": user.password_hash, "totp_secret": user.totp_secret,
                "must_change_password": user.must_change_password}


def open_sessions(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(UserSession.id)).where(
            UserSession.user_id == user_id, UserSession.ended_at.is_(None)))


def post_from_page(client, page: str, action: str, data: dict | None = None):
    """POST to action with the CSRF token of a page the beheerder may open."""
    return client.post(action, data={"csrf_token": csrf_token(client, page), **(data or {})})


def user_page(user_id: int) -> str:
    return f"/beheer/gebruikers/{user_id}"


def new_user_form(organisation_id: int, **overrides) -> dict:
    data = {"name": "Noor Jansen", "email": "noor.jansen@test.stapportaal.nl",
            "organisation_id": str(organisation_id),
            "roles": [Role.CASEMANAGER.value, Role.DIAGNOSTICUS.value]}
    data.update(overrides)
    return data


def create_user(client, organisation_id: int, **overrides):
    return post_from_page(client, "/beheer/gebruikers/nieuw", "/beheer/gebruikers/nieuw",
                          new_user_form(organisation_id, **overrides))


def approve_all(app, account):
    """A procesregisseur approves every open proposal (the second pair of eyes)."""
    from portal.admin.models import PowerProposal

    regie = logged_in_client(app, account(Role.PROCESREGISSEUR))
    with app.app_context():
        waiting = db.session.scalars(select(PowerProposal.id).where(
            PowerProposal.status == "open")).all()
    for proposal_id in waiting:
        response = post_from_page(regie, "/beheer/voorstellen",
                                  f"/beheer/voorstellen/{proposal_id}",
                                  {"reason": "Akkoord.", "approve": "Goedkeuren"})
        assert response.status_code == 302
    return regie


def link_token(app, email: str) -> str:
    from portal.letters.models import OutboxMessage

    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())).first()
    assert body, f"no enrolment link for {email}"
    return LINK.search(body).group(1)


def logged_in_client(app, account):
    """A second browser: the given account logged in on her own test client."""
    other = app.test_client()
    response = log_in(other, account)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert other.get("/").status_code == 200
    return other


# --- listing ---------------------------------------------------------------------------


def listed_emails(response) -> set[str]:
    return set(re.findall(r"<td>([^<@]+@[^<]+)</td>", response.get_data(as_text=True)))


COLLEAGUES = {
    "anna": Person((Role.CASEMANAGER,), "Anna de Vries", email="anna@iriszorg.test"),
    "bram": Person((Role.DIAGNOSTICUS, Role.CASEMANAGER), "Bram Kok",
                   email="bram@propersona.test"),
    "cor": Person((Role.NETWERKPARTNER,), "Cor Mulder", email="cor@ggd.test", active=False),
    "dina": Person((Role.PRIVACYFUNCTIONARIS,), "Dina Smit", email="dina@gemeente.test"),
}


@pytest.fixture
def colleagues(app, beheerder):
    """Four users besides the beheerder, one of them deactivated."""
    with app.app_context():
        return make_team(COLLEAGUES)


def test_user_list_shows_every_user_and_records_the_read(app, client, colleagues, beheerder):
    response = client.get("/beheer/gebruikers")
    assert response.status_code == 200
    assert "5 gebruiker(s) gevonden." in page_text(response)
    assert listed_emails(response) == {
        "anna@iriszorg.test", "bram@propersona.test", "cor@ggd.test", "dina@gemeente.test",
        beheerder.email}
    listed = events(app, "admin.users_listed")
    assert listed[-1]["user_id"] == beheerder.id and listed[-1]["detail"] == {"page": 1}


def test_user_list_search_matches_name_or_email_ignoring_case(client, colleagues):
    by_name = client.get("/beheer/gebruikers?zoek=BRAM")
    assert listed_emails(by_name) == {"bram@propersona.test"}
    by_email = client.get("/beheer/gebruikers?zoek=Gemeente.TEST")
    assert listed_emails(by_email) == {"dina@gemeente.test"}
    nobody = client.get("/beheer/gebruikers?zoek=onbekend")
    assert listed_emails(nobody) == set()
    assert "Geen gebruikers gevonden." in page_text(nobody)


def test_user_list_search_treats_wildcards_literally(client, colleagues):
    assert listed_emails(client.get("/beheer/gebruikers?zoek=%25")) == set()
    assert listed_emails(client.get("/beheer/gebruikers?zoek=_")) == set()


def test_user_list_filters_by_role(client, colleagues):
    response = client.get("/beheer/gebruikers?rol=casemanager")
    assert listed_emails(response) == {"anna@iriszorg.test", "bram@propersona.test"}


def test_user_list_filters_by_active_status(client, colleagues, beheerder):
    active = client.get("/beheer/gebruikers?actief=ja")
    assert listed_emails(active) == {"anna@iriszorg.test", "bram@propersona.test",
                                     "dina@gemeente.test", beheerder.email}
    inactive = client.get("/beheer/gebruikers?actief=nee")
    assert listed_emails(inactive) == {"cor@ggd.test"}


def test_user_list_combines_search_role_and_status(client, colleagues):
    response = client.get("/beheer/gebruikers?zoek=test&rol=netwerkpartner&actief=nee")
    assert listed_emails(response) == {"cor@ggd.test"}


def test_user_list_paginates_in_name_order(app, client, colleagues, beheerder):
    app.config["PAGE_SIZE"] = 2
    first = client.get("/beheer/gebruikers")
    assert listed_emails(first) == {"anna@iriszorg.test", "bram@propersona.test"}
    assert "Pagina 1 van 3" in page_text(first)
    next_link = re.search(r'href="([^"]+)" rel="next"', page_text(first)).group(1)
    assert parse_qs(urlsplit(next_link).query)["page"] == ["2"]
    second = client.get(next_link)
    assert listed_emails(second) == {"cor@ggd.test", "dina@gemeente.test"}
    last = client.get("/beheer/gebruikers?page=3")
    assert listed_emails(last) == {beheerder.email}
    assert 'rel="next"' not in page_text(last)
    assert events(app, "admin.users_listed")[-1]["detail"] == {"page": 3}


def test_user_list_pagination_keeps_the_filters(app, client, account, beheerder):
    app.config["PAGE_SIZE"] = 1
    account(Role.CASEMANAGER, name="Eva Cm", email="eva@cm.test")
    account(Role.CASEMANAGER, name="Fleur Cm", email="fleur@cm.test")
    account(Role.DIAGNOSTICUS, name="Gijs Diag", email="gijs@cm.test")
    first = client.get("/beheer/gebruikers?rol=casemanager")
    next_link = re.search(r'href="([^"]+)" rel="next"', page_text(first)).group(1)
    query = parse_qs(urlsplit(next_link).query)
    assert query["rol"] == ["casemanager"] and query["page"] == ["2"]
    assert listed_emails(client.get(next_link)) == {"fleur@cm.test"}


# --- creating users ---------------------------------------------------------------------


def test_create_user_with_dossier_roles_waits_for_approval_and_has_no_usable_password(
        app, client, beheerder, organisation):
    org_id = organisation("Iriszorg")
    response = create_user(client, org_id, email="Noor.Jansen@Test.Stapportaal.nl",
                           new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.name == "Noor Jansen"))
        assert user.email == "noor.jansen@test.stapportaal.nl"
        assert user.organisation_id == org_id
        assert user.roles == set()  # casemanager and diagnosticus wait for approval
        assert user.password_hash.startswith("$argon2id$")
        assert not passwords.verify_password(user.password_hash, NEW_PASSWORD)
        assert user.must_change_password is False
        assert user.totp_secret is None and user.active is True
        user_id = user.id
    assert path_of(response) == user_page(user_id)
    created = events(app, "admin.user_created")
    assert len(created) == 1
    assert created[0]["object_id"] == str(user_id) and created[0]["user_id"] == beheerder.id
    assert created[0]["detail"] == {"roles": [], "proposed": ["casemanager", "diagnosticus"]}


def test_new_user_gets_an_enrolment_link_and_no_password_from_the_beheerder(
        app, client, account, beheerder, organisation):
    create_user(client, organisation(), new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    newcomer = app.test_client()
    response = newcomer.post("/login", data={
        "csrf_token": csrf_token(newcomer), "email": "noor.jansen@test.stapportaal.nl",
        "password": NEW_PASSWORD})
    assert response.status_code == 200 and GENERIC_LOGIN_ERROR in page_text(response)
    approve_all(app, account)
    token = link_token(app, "noor.jansen@test.stapportaal.nl")
    page = newcomer.get(f"/account/activeren/{token}")
    assert page.status_code == 200 and 'id="totp-secret"' in page.get_data(as_text=True)


def test_create_user_refuses_email_in_use_whatever_its_case(app, client, account, beheerder,
                                                           organisation):
    account(Role.CASEMANAGER, email="noor.jansen@test.stapportaal.nl")
    before, created_before = user_count(app), len(events(app, "admin.user_created"))
    response = create_user(client, organisation(), email="NOOR.Jansen@test.stapportaal.nl")
    assert response.status_code == 200
    assert field_error(response, "email") == "Er bestaat al een account met dit e-mailadres."
    assert user_count(app) == before
    assert len(events(app, "admin.user_created")) == created_before


@pytest.fixture
def link_page(app, client, beheerder, organisation):
    """The enrolment link of a new netwerkpartner (no approval needed), opened in her browser."""
    create_user(client, organisation(), roles=["netwerkpartner"])
    token = link_token(app, "noor.jansen@test.stapportaal.nl")
    her_browser = app.test_client()
    path = f"/account/activeren/{token}"

    def submit(password: str, confirm: str | None = None):
        return her_browser.post(path, data={
            "csrf_token": csrf_from(her_browser.get(path)), "new_password": password,
            "confirm": password if confirm is None else confirm, "code": "123456"})

    return submit


def test_link_refuses_password_shorter_than_12_characters(app, link_page):
    response = link_page("Kort-pw-9")
    assert response.status_code == 200
    assert "Gebruik minstens 12 tekens." in field_error(response, "new_password")
    assert events(app, "auth.enrolment_completed") == []


def test_link_refuses_a_well_known_password(app, link_page):
    response = link_page("qwerty123456")
    assert "te bekend of te eenvoudig" in field_error(response, "new_password")


def test_link_refuses_common_dutch_password_with_digits(app, link_page):
    assert field_error(link_page("wachtwoord123"), "new_password")


def test_link_refuses_password_containing_her_name(app, link_page):
    response = link_page("Jansen-en-nog-wat")
    assert "naam of e-mailadres" in field_error(response, "new_password")
    assert events(app, "auth.enrolment_completed") == []


def test_link_refuses_mismatched_confirmation(app, link_page):
    response = link_page(NEW_PASSWORD, NEW_PASSWORD + "x")
    assert field_error(response, "confirm") == "De twee wachtwoorden zijn niet gelijk."
    assert events(app, "auth.enrolment_completed") == []


def test_create_user_requires_at_least_one_role(app, client, beheerder, organisation):
    before = user_count(app)
    response = create_user(client, organisation(), roles=[])
    assert response.status_code == 200
    assert field_error(response, "roles") == "Kies minstens één rol."
    assert user_count(app) == before


# --- editing users ----------------------------------------------------------------------


def edit_form(**values) -> dict:
    return {"name": values["name"], "email": values["email"],
            "organisation_id": str(values["organisation_id"]), "roles": values["roles"]}


def test_edit_user_changes_name_email_organisation_and_roles(app, client, account, beheerder,
                                                            organisation):
    target = account(Role.CASEMANAGER, name="Anna de Vries")
    new_org = organisation("Pro Persona")
    response = post_from_page(client, user_page(target.id), user_page(target.id), edit_form(
        name="Anna de Vries-Bos", email="Anna.Bos@ProPersona.nl", organisation_id=new_org,
        roles=["diagnosticus", "ervaringsdeskundige"]))
    assert response.status_code == 302 and path_of(response) == user_page(target.id)
    stored = load_user(app, target.id)
    assert stored["name"] == "Anna de Vries-Bos"  # at once
    assert stored["organisation_id"] == new_org
    # New dossier roles, and the address of an account with one, wait for a second person.
    assert stored["email"] == target.email and stored["roles"] == {Role.CASEMANAGER}
    assert events(app, "admin.user_updated")[-1]["detail"] == {}
    approve_all(app, account)
    stored = load_user(app, target.id)
    assert stored["email"] == "anna.bos@propersona.nl"
    assert stored["roles"] == {Role.DIAGNOSTICUS, Role.ERVARINGSDESKUNDIGE}
    updated = events(app, "admin.user_updated")
    assert updated[-1]["object_id"] == str(target.id)
    assert updated[-1]["detail"]["roles_before"] == ["casemanager"]
    assert updated[-1]["detail"]["roles_after"] == ["diagnosticus", "ervaringsdeskundige"]


def test_edit_page_shows_current_roles_checked(client, account, beheerder):
    target = account(Role.CASEMANAGER, Role.DIAGNOSTICUS)
    html = client.get(user_page(target.id)).get_data(as_text=True)
    role_boxes = [tag for tag in re.findall(r"<input[^>]*>", html) if 'name="roles"' in tag]
    assert len(role_boxes) == len(Role)
    checked = {re.search(r'value="([a-z]+)"', tag).group(1)
               for tag in role_boxes if re.search(r"\bchecked\b", tag)}
    assert checked == {"casemanager", "diagnosticus"}


def test_edit_user_refuses_email_of_someone_else(app, client, account, beheerder):
    account(Role.CASEMANAGER, email="bezet@test.stapportaal.nl")
    target = account(Role.CASEMANAGER, name="Anna de Vries")
    before = load_user(app, target.id)
    response = post_from_page(client, user_page(target.id), user_page(target.id), edit_form(
        name="Anders", email="BEZET@test.stapportaal.nl",
        organisation_id=before["organisation_id"], roles=["casemanager"]))
    assert response.status_code == 200
    assert field_error(response, "email") == "Er bestaat al een account met dit e-mailadres."
    assert load_user(app, target.id) == before
    assert events(app, "admin.user_updated") == []


def test_beheerder_cannot_change_her_own_roles(app, client, beheerder):
    before = load_user(app, beheerder.id)
    response = post_from_page(client, user_page(beheerder.id), user_page(beheerder.id), edit_form(
        name=before["name"], email=before["email"], organisation_id=before["organisation_id"],
        roles=["beheerder", "casemanager"]))
    assert response.status_code == 200
    assert "U kunt uw eigen rollen niet wijzigen" in page_text(response)
    assert load_user(app, beheerder.id)["roles"] == {Role.BEHEERDER}
    assert events(app, "admin.user_updated") == []


def test_beheerder_role_may_go_while_another_active_beheerder_remains(app, client, account,
                                                                      beheerder):
    colleague = account(Role.BEHEERDER, Role.CASEMANAGER)
    stored = load_user(app, colleague.id)
    response = post_from_page(client, user_page(colleague.id), user_page(colleague.id), edit_form(
        name=stored["name"], email=stored["email"], organisation_id=stored["organisation_id"],
        roles=["casemanager"]))
    assert response.status_code == 302
    assert load_user(app, colleague.id)["roles"] == {Role.CASEMANAGER}


# --- deactivating -----------------------------------------------------------------------


def set_active(client, user_id: int, active: bool):
    data = {"active": "y"} if active else {}
    return post_from_page(client, user_page(user_id), f"{user_page(user_id)}/actief", data)


def test_deactivating_a_user_ends_her_open_sessions_at_once(app, client, account, beheerder):
    target = account(Role.CASEMANAGER)
    her_browser = logged_in_client(app, target)
    assert open_sessions(app, target.id) == 1

    response = set_active(client, target.id, active=False)
    assert response.status_code == 302 and path_of(response) == user_page(target.id)
    assert load_user(app, target.id)["active"] is False
    assert open_sessions(app, target.id) == 0

    next_request = her_browser.get("/")
    assert next_request.status_code == 302 and path_of(next_request) == "/login"
    deactivated = events(app, "admin.user_deactivated")
    assert deactivated == [{"object_id": str(target.id), "user_id": beheerder.id,
                            "outcome": Outcome.SUCCESS.value,
                            "detail": {"sessions_ended": 1}}]


def test_deactivated_user_cannot_log_in(app, client, account, beheerder):
    target = account(Role.CASEMANAGER)
    set_active(client, target.id, active=False)
    stranger = app.test_client()
    response = submit_password(stranger, target)
    assert response.status_code == 200
    assert GENERIC_LOGIN_ERROR in page_text(response)
    assert stranger.get("/login/code").location.endswith("/login")  # no pending login
    failed = events(app, "auth.login_failed")
    assert failed[-1]["detail"]["reason"] == "gedeactiveerd"


def test_reactivated_user_can_log_in_again(app, client, account, beheerder):
    target = account(Role.CASEMANAGER)
    set_active(client, target.id, active=False)
    response = set_active(client, target.id, active=True)
    assert response.status_code == 302
    assert load_user(app, target.id)["active"] is True
    assert events(app, "admin.user_activated")[-1]["object_id"] == str(target.id)
    logged_in_client(app, target)


def test_beheerder_cannot_deactivate_herself(app, client, beheerder):
    response = set_active(client, beheerder.id, active=False)
    assert response.status_code == 302
    follow = client.get(response.location)
    assert "U kunt uw eigen account niet deactiveren." in page_text(follow)
    assert load_user(app, beheerder.id)["active"] is True
    assert open_sessions(app, beheerder.id) == 1
    assert events(app, "admin.user_deactivated") == []


# --- second factor and temporary password ----------------------------------------------


def test_resetting_second_factor_ends_sessions_and_forces_enrolment(app, client, account,
                                                                    beheerder):
    target = account(Role.CASEMANAGER)
    her_browser = logged_in_client(app, target)

    response = post_from_page(client, user_page(target.id), f"{user_page(target.id)}/tweede-factor")
    assert response.status_code == 302
    assert load_user(app, target.id)["totp_secret"] is not None  # a proposal only
    assert open_sessions(app, target.id) == 1
    regie = approve_all(app, account)
    assert load_user(app, target.id)["totp_secret"] is None
    assert open_sessions(app, target.id) == 0
    assert path_of(her_browser.get("/")) == "/login"

    password_step = submit_password(her_browser, target)
    assert path_of(password_step) == "/login/koppelen"
    reset = events(app, "admin.user_totp_reset")[-1]
    assert reset["object_id"] == str(target.id) and reset["outcome"] == "gelukt"
    assert reset["detail"]["sessions_ended"] == 1
    with app.app_context():
        regie_id = db.session.scalar(select(User.id).where(User.id != target.id, User.id !=
                                                           beheerder.id))
    assert reset["user_id"] == regie_id and regie is not None


def request_password_reset(client, user_id: int, password: str | None = None):
    data = {"new_password": password, "confirm": password} if password else {}
    return post_from_page(client, user_page(user_id), f"{user_page(user_id)}/wachtwoord", data)


def test_password_reset_ends_sessions_and_the_link_sets_a_new_password(app, client, account,
                                                                       beheerder):
    target = account(Role.CASEMANAGER)
    her_browser = logged_in_client(app, target)

    response = request_password_reset(client, target.id)
    assert response.status_code == 302
    assert open_sessions(app, target.id) == 1  # nothing happens before approval
    approve_all(app, account)
    stored = load_user(app, target.id)
    with app.app_context():
        assert not passwords.verify_password(stored["password_hash"], target.password)
    assert open_sessions(app, target.id) == 0
    assert path_of(her_browser.get("/")) == "/login"
    assert events(app, "admin.user_password_reset")[-1]["detail"]["sessions_ended"] == 1

    token = link_token(app, target.email)
    path = f"/account/activeren/{token}"
    done = her_browser.post(path, data={
        "csrf_token": csrf_from(her_browser.get(path)), "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "code": target.next_code()})
    assert path_of(done) == "/login"
    target.password = NEW_PASSWORD  # her app's codes are spent for this minute: password step
    assert path_of(submit_password(her_browser, target)) == "/login/code"
    assert load_user(app, target.id)["must_change_password"] is False


def test_the_beheerder_can_no_longer_set_a_temporary_password(app, client, account, beheerder):
    target = account(Role.CASEMANAGER)
    before = load_user(app, target.id)
    response = request_password_reset(client, target.id, TEMPORARY_PASSWORD)
    assert response.status_code == 302
    assert load_user(app, target.id) == before
    approve_all(app, account)
    with app.app_context():
        stored = db.session.get(User, target.id)
        assert not passwords.verify_password(stored.password_hash, TEMPORARY_PASSWORD)
    assert "Tijdelijk wachtwoord" not in page_text(client.get(user_page(target.id)))


# --- organisations ----------------------------------------------------------------------


def test_organisation_list_shows_kind_and_user_count(app, client, beheerder, organisation):
    org_id = organisation("Leger des Heils")
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        make_user(Role.CASEMANAGER, organisation=org)
        make_user(Role.ERVARINGSDESKUNDIGE, organisation=org)
    html = client.get("/beheer/organisaties").get_data(as_text=True)
    row = re.search(rf'organisaties/{org_id}">Leger des Heils</a></td>\s*'
                    r"<td>([^<]+)</td>\s*<td>(\d+)</td>", html)
    assert row and row.groups() == ("Zorgaanbieder", "2")
    assert events(app, "admin.organisations_listed")[-1]["user_id"] == beheerder.id


def organisation_names(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Organisation.name, Organisation.kind)).all())


def test_create_organisation(app, client, beheerder):
    response = post_from_page(client, "/beheer/organisaties/nieuw", "/beheer/organisaties/nieuw",
                              {"name": "  Bindkracht10 ", "kind": OrganisationKind.PARTNER.value})
    assert response.status_code == 302 and path_of(response) == "/beheer/organisaties"
    assert organisation_names(app)["Bindkracht10"] == "partner"
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).where(
            Organisation.name == "Bindkracht10"))
    assert events(app, "admin.organisation_created")[-1]["object_id"] == str(org_id)


def test_edit_organisation(app, client, beheerder, organisation):
    org_id = organisation("Gemeente Nijmegn")
    page = f"/beheer/organisaties/{org_id}"
    response = post_from_page(client, page, page, {"name": "Gemeente Nijmegen",
                                                   "kind": OrganisationKind.GEMEENTE.value})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        assert (org.name, org.kind) == ("Gemeente Nijmegen", "gemeente")
    assert events(app, "admin.organisation_updated")[-1]["object_id"] == str(org_id)


def test_organisation_may_keep_its_own_name(app, client, beheerder, organisation):
    org_id = organisation("Pro Persona")
    page = f"/beheer/organisaties/{org_id}"
    response = post_from_page(client, page, page, {"name": "Pro Persona", "kind": "partner"})
    assert response.status_code == 302
    assert organisation_names(app)["Pro Persona"] == "partner"


def test_new_organisation_with_existing_name_in_other_case_is_refused(app, client, beheerder,
                                                                      organisation):
    organisation("Iriszorg")
    before = organisation_names(app)
    response = post_from_page(client, "/beheer/organisaties/nieuw", "/beheer/organisaties/nieuw",
                              {"name": "IRISZORG", "kind": "zorgaanbieder"})
    assert response.status_code == 200
    assert field_error(response, "name") == "Er bestaat al een organisatie met deze naam."
    assert organisation_names(app) == before
    assert events(app, "admin.organisation_created") == []


def test_renaming_organisation_to_existing_name_is_refused(app, client, beheerder, organisation):
    organisation("Iriszorg")
    org_id = organisation("Pro Persona")
    before = organisation_names(app)
    page = f"/beheer/organisaties/{org_id}"
    response = post_from_page(client, page, page, {"name": "iriszorg", "kind": "zorgaanbieder"})
    assert field_error(response, "name") == "Er bestaat al een organisatie met deze naam."
    assert organisation_names(app) == before
    assert events(app, "admin.organisation_updated") == []


# --- access -----------------------------------------------------------------------------


def test_casemanager_is_refused_the_user_list(app, client, account, login):
    casemanager = account(Role.CASEMANAGER)
    login(casemanager)
    response = client.get("/beheer/gebruikers")
    assert response.status_code == 403
    denied = events(app, "access.denied")
    assert denied[-1]["user_id"] == casemanager.id
    assert denied[-1]["outcome"] == Outcome.DENIED.value
    assert denied[-1]["detail"]["status"] == 403
    assert events(app, "admin.users_listed") == []


def test_casemanager_cannot_create_users(app, client, account, login, organisation):
    login(account(Role.CASEMANAGER))
    before = user_count(app)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": csrf_token(client, "/"), **new_user_form(organisation())})
    assert response.status_code == 403
    assert user_count(app) == before


def test_unknown_user_id_gives_404_to_the_beheerder(app, client, beheerder):
    response = client.get("/beheer/gebruikers/999999")
    assert response.status_code == 404
    denied = events(app, "access.denied")
    assert denied[-1]["object_id"] == "999999" and denied[-1]["detail"]["status"] == 404


def test_unknown_organisation_id_gives_404_to_the_beheerder(client, beheerder):
    assert client.get("/beheer/organisaties/999999").status_code == 404


def test_anonymous_visitor_is_sent_to_login(app):
    response = app.test_client().get("/beheer/gebruikers")
    assert response.status_code == 302 and path_of(response) == "/login"
