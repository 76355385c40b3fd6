"""Four eyes on powers that open dossiers (issue 14, item 1), through the real test client,
database and outbox.

The bypass that was found by trying it: the beheerder made an account for herself with role
casemanager and a password she chose, enrolled a second factor and read legal names. Now a
dossier role is a proposal that a procesregisseur or privacyfunctionaris approves, nobody
approves her own proposal or one about her own account, and the beheerder never holds a usable
credential: the person gets a one-time, expiring link at her own e-mail address.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pyotp
import pytest
from sqlalchemy import func, select

from portal.admin.models import PowerProposal
from portal.audit.models import AuditEvent
from portal.auth import passwords, totp
from portal.auth.models import EnrolmentLink, User, UserSession
from portal.clock import local_today
from portal.extensions import db
from portal.letters.models import OutboxMessage
from portal.roles import Role
from tests.conftest import csrf_from, csrf_token, log_in, submit_password
from tests.factories import Account
from tests.smtp_server import mail_settings

NEW_PASSWORD = "Zeven-zwanen-zwemmen-zuidwaarts"
OWN_PASSWORD = "Mijn-eigen-geheime-zin-2026"
LINK = re.compile(r"https://stapportaal\.test/account/activeren/([A-Za-z0-9_-]+)")


# --- helpers -----------------------------------------------------------------------------------

def browser(app, account: Account):
    """A test client of its own with this account logged in."""
    other = app.test_client()
    response = log_in(other, account)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return other


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def post(client, page: str, action: str, data: dict | None = None):
    return client.post(action, data={"csrf_token": csrf_token(client, page), **(data or {})})


def new_account(client, organisation_id: int, roles, email="noor@test.stapportaal.nl", **extra):
    return post(client, "/beheer/gebruikers/nieuw", "/beheer/gebruikers/nieuw", {
        "name": "Noor Jansen", "email": email, "organisation_id": str(organisation_id),
        "roles": roles, **extra})


def edit_roles(client, app, user_id: int, roles, email: str | None = None):
    with app.app_context():
        user = db.session.get(User, user_id)
        data = {"name": user.name, "email": email or user.email,
                "organisation_id": str(user.organisation_id), "roles": roles}
    page = f"/beheer/gebruikers/{user_id}"
    return post(client, page, page, data)


def propose_reset(client, user_id: int, what: str):
    page = f"/beheer/gebruikers/{user_id}"
    return post(client, page, f"{page}/{what}")


def open_proposal_id(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(PowerProposal.id).where(
            PowerProposal.user_id == user_id, PowerProposal.status == "open"))


def decide(client, proposal_id: int, approve: bool = True, reason: str = "Nagevraagd bij de "
           "leidinggevende."):
    button = {"approve": "Goedkeuren"} if approve else {"reject": "Afwijzen"}
    return post(client, "/beheer/voorstellen", f"/beheer/voorstellen/{proposal_id}",
                {"reason": reason, **button})


def roles_of(app, user_id: int) -> set[Role]:
    with app.app_context():
        return set(db.session.get(User, user_id).roles)


def user_id_by_email(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def outbox_to(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.recipient == email).order_by(OutboxMessage.id)))


def token_from(body: str) -> str:
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def events(app, name: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                  .order_by(AuditEvent.seq)).all()
        db.session.expunge_all()
        return rows


def pending_secret(app, user_id: int) -> str:
    with app.app_context():
        return totp.unseal(db.session.get(User, user_id).totp_pending_secret)


def activate(client, token: str, code: str, password: str = OWN_PASSWORD):
    page = f"/account/activeren/{token}"
    return client.post(page, data={"csrf_token": csrf_from(client.get(page)),
                                   "new_password": password, "confirm": password, "code": code})


def code_for(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(((int(__import__("time").time()) // 30) + offset) * 30)


def password_opens(app, email: str, password: str) -> bool:
    """The password step lets her on to the second factor."""
    first = submit_password(app.test_client(), Account(0, email, password, None))
    return first.status_code == 302 and first.location.endswith(("/login/code",
                                                                "/login/koppelen"))


def can_log_in(app, email: str, password: str, secret: str) -> bool:
    fresh = app.test_client()
    first = submit_password(fresh, Account(0, email, password, secret))
    if first.status_code != 302 or not first.location.endswith("/login/code"):
        return False
    second = fresh.post("/login/code", data={"csrf_token": csrf_token(fresh, "/login/code"),
                                              "code": code_for(secret, 1)})
    return second.status_code == 302 and second.location.endswith("/")


@pytest.fixture
def team(app, account):
    """A beheerder (logged in on the fixture client), a procesregisseur and a
    privacyfunctionaris, each in a browser of her own."""
    beheerder = account(Role.BEHEERDER, name="Zara Beheer", email="zara@test.stapportaal.nl")
    regie = account(Role.PROCESREGISSEUR, name="Pim Regie", email="pim@test.stapportaal.nl")
    privacy = account(Role.PRIVACYFUNCTIONARIS, name="Dina Privacy",
                      email="dina@test.stapportaal.nl")
    return {"beheerder": beheerder, "regie": regie, "privacy": privacy}


@pytest.fixture
def admin(app, client, team):
    log_in(client, team["beheerder"])
    return client


# --- the bypass --------------------------------------------------------------------------------

def test_beheerder_making_herself_a_casemanager_account_gets_nothing_until_approved(
        app, admin, team, organisation):
    """Regression: this used to give a casemanager account with a password she had chosen."""
    org = organisation("Gemeente")
    response = new_account(admin, org, ["casemanager"], email="zara.prive@test.stapportaal.nl",
                           new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    her_alias = user_id_by_email(app, "zara.prive@test.stapportaal.nl")
    assert roles_of(app, her_alias) == set()  # the dossier role waits
    assert outbox_to(app, "zara.prive@test.stapportaal.nl") == []  # no link yet
    # The password she typed (the old form had that field) opens nothing.
    assert submit_password(app.test_client(), Account(0, "zara.prive@test.stapportaal.nl",
                                                      NEW_PASSWORD, None)).status_code == 200
    proposal = open_proposal_id(app, her_alias)
    assert proposal is not None

    # She cannot approve it herself: the route is not hers, and nothing changed.
    assert decide(admin, proposal).status_code == 403
    assert roles_of(app, her_alias) == set()

    # A procesregisseur approves: the role is given and the link goes to that address.
    regie = browser(app, team["regie"])
    assert decide(regie, proposal).status_code == 302
    assert roles_of(app, her_alias) == {Role.CASEMANAGER}
    [body] = outbox_to(app, "zara.prive@test.stapportaal.nl")
    assert "activeren" in body
    with app.app_context():
        stored = db.session.get(PowerProposal, proposal)
        assert (stored.status, stored.decided_by_id) == ("goedgekeurd", team["regie"].id)
        assert stored.decision_reason == "Nagevraagd bij de leidinggevende."
        assert stored.decided_at is not None
    approved = events(app, "admin.power_approved")
    assert [(e.user_id, e.detail["kind"], e.detail["proposed_by"]) for e in approved] == [
        (team["regie"].id, "nieuw_account", team["beheerder"].id)]


def test_beheerder_giving_an_existing_account_a_dossier_role_waits_for_approval(
        app, admin, team, account):
    partner = account(Role.NETWERKPARTNER, email="alias@test.stapportaal.nl")
    response = edit_roles(admin, app, partner.id, ["netwerkpartner", "casemanager"])
    assert response.status_code == 302
    assert "voorstel" in text(admin.get(response.location))
    assert roles_of(app, partner.id) == {Role.NETWERKPARTNER}
    # Her alias logs in and still sees no dossier.
    alias = browser(app, partner)
    assert alias.get("/clienten/").status_code == 403
    proposal = open_proposal_id(app, partner.id)
    # A second proposal of the same kind is refused while the first waits.
    again = edit_roles(admin, app, partner.id, ["netwerkpartner", "diagnosticus"])
    assert "Er wacht al een voorstel" in text(again)
    decide(browser(app, team["privacy"]), proposal)
    assert roles_of(app, partner.id) == {Role.NETWERKPARTNER, Role.CASEMANAGER}


def test_roles_without_dossier_access_and_removals_take_effect_at_once(app, admin, account):
    colleague = account(Role.CASEMANAGER, Role.NETWERKPARTNER)
    edit_roles(admin, app, colleague.id, ["netwerkpartner", "beheerder"])
    assert roles_of(app, colleague.id) == {Role.NETWERKPARTNER, Role.BEHEERDER}
    assert open_proposal_id(app, colleague.id) is None


def test_giving_the_approver_role_privacyfunctionaris_also_needs_approval(app, admin, account):
    partner = account(Role.NETWERKPARTNER)
    edit_roles(admin, app, partner.id, ["netwerkpartner", "privacyfunctionaris"])
    assert roles_of(app, partner.id) == {Role.NETWERKPARTNER}
    assert open_proposal_id(app, partner.id) is not None


def test_new_account_without_dossier_role_gets_her_link_at_once(app, admin, organisation):
    new_account(admin, organisation(), ["netwerkpartner"], email="cor@test.stapportaal.nl")
    user_id = user_id_by_email(app, "cor@test.stapportaal.nl")
    assert roles_of(app, user_id) == {Role.NETWERKPARTNER}
    [body] = outbox_to(app, "cor@test.stapportaal.nl")
    token = token_from(body)
    fresh = app.test_client()
    assert activate(fresh, token, code_for(pending_secret(app, user_id))).status_code == 302
    with app.app_context():
        secret = totp.unseal(db.session.get(User, user_id).totp_secret)
    assert can_log_in(app, "cor@test.stapportaal.nl", OWN_PASSWORD, secret)


def test_changing_the_address_of_a_casemanager_is_a_proposal(app, admin, team, account):
    """Else the beheerder points the account at her own mailbox and proposes a reset."""
    anna = account(Role.CASEMANAGER, email="anna@test.stapportaal.nl")
    edit_roles(admin, app, anna.id, ["casemanager"], email="zara.prive@test.stapportaal.nl")
    with app.app_context():
        assert db.session.get(User, anna.id).email == "anna@test.stapportaal.nl"
    regie = browser(app, team["regie"])
    page = text(regie.get("/beheer/voorstellen"))
    assert "zara.prive@test.stapportaal.nl" in page  # the approver sees where it would go
    decide(regie, open_proposal_id(app, anna.id))
    with app.app_context():
        assert db.session.get(User, anna.id).email == "zara.prive@test.stapportaal.nl"


# --- who approves ------------------------------------------------------------------------------

def test_nobody_approves_her_own_proposal(app, client, account):
    both = account(Role.BEHEERDER, Role.PROCESREGISSEUR, name="Bea Dubbel")
    target = account(Role.NETWERKPARTNER)
    log_in(client, both)
    edit_roles(client, app, target.id, ["netwerkpartner", "casemanager"])
    proposal = open_proposal_id(app, target.id)
    response = decide(client, proposal)
    assert response.status_code == 302
    assert "eigen voorstel" in text(client.get(response.location))
    assert roles_of(app, target.id) == {Role.NETWERKPARTNER}
    refused = events(app, "admin.power_decision_refused")
    assert [(e.user_id, e.outcome, e.object_id) for e in refused] == [
        (both.id, "geweigerd", str(proposal))]
    with app.app_context():
        assert db.session.get(PowerProposal, proposal).status == "open"


def test_privacyfunctionaris_cannot_approve_a_proposal_about_herself(app, admin, team):
    propose_reset(admin, team["privacy"].id, "wachtwoord")
    proposal = open_proposal_id(app, team["privacy"].id)
    privacy = browser(app, team["privacy"])
    page = text(privacy.get("/beheer/voorstellen"))
    assert "gaat over uw eigen account" in page
    response = decide(privacy, proposal)
    assert "gaat over uw eigen account" in text(privacy.get(response.location))
    with app.app_context():
        assert db.session.get(PowerProposal, proposal).status == "open"
    assert outbox_to(app, team["privacy"].email) == []
    # The procesregisseur may.
    decide(browser(app, team["regie"]), proposal)
    with app.app_context():
        assert db.session.get(PowerProposal, proposal).status == "goedgekeurd"
    assert len(outbox_to(app, team["privacy"].email)) == 1


def test_approver_roles_come_from_configuration(make_app, account):
    app = make_app(FOUR_EYES_APPROVER_ROLES="procesregisseur")  # as from the environment
    client = app.test_client()
    with app.app_context():
        from tests.factories import make_user
        beheerder = make_user(Role.BEHEERDER)
        privacy = make_user(Role.PRIVACYFUNCTIONARIS)
        target = make_user(Role.NETWERKPARTNER)
    log_in(client, beheerder)
    edit_roles(client, app, target.id, ["netwerkpartner", "diagnosticus"])
    proposal = open_proposal_id(app, target.id)
    privacy_browser = browser(app, privacy)
    response = decide(privacy_browser, proposal)
    assert "Alleen een procesregisseur" in text(privacy_browser.get(response.location))
    assert roles_of(app, target.id) == {Role.NETWERKPARTNER}


def test_a_decision_needs_a_reason_and_rejection_changes_nothing(app, admin, team, account):
    target = account(Role.NETWERKPARTNER)
    edit_roles(admin, app, target.id, ["netwerkpartner", "ervaringsdeskundige"])
    proposal = open_proposal_id(app, target.id)
    regie = browser(app, team["regie"])
    response = decide(regie, proposal, reason="")
    assert "Vul een toelichting in" in text(regie.get(response.location))
    assert open_proposal_id(app, target.id) == proposal
    decide(regie, proposal, approve=False, reason="Zij werkt niet in het team.")
    assert roles_of(app, target.id) == {Role.NETWERKPARTNER}
    with app.app_context():
        stored = db.session.get(PowerProposal, proposal)
        assert (stored.status, stored.decided_by_id, stored.decision_reason) == (
            "afgewezen", team["regie"].id, "Zij werkt niet in het team.")
    [rejected] = events(app, "admin.power_rejected")
    assert rejected.detail["reason"] == "Zij werkt niet in het team."
    # Decided once: a second decision is refused.
    decide(regie, proposal)
    assert roles_of(app, target.id) == {Role.NETWERKPARTNER}


def test_a_proposal_overtaken_by_another_change_is_refused(app, admin, team, account):
    target = account(Role.NETWERKPARTNER, Role.BEHEERDER)
    edit_roles(admin, app, target.id, ["netwerkpartner", "beheerder", "casemanager"])
    proposal = open_proposal_id(app, target.id)
    edit_roles(admin, app, target.id, ["netwerkpartner"])  # a removal: at once
    regie = browser(app, team["regie"])
    response = decide(regie, proposal)
    assert "intussen gewijzigd" in text(regie.get(response.location))
    assert roles_of(app, target.id) == {Role.NETWERKPARTNER}


def test_proposals_page_and_decisions_per_role(app, client, account):
    for role in Role:
        user = account(role)
        log_in(client, user)
        page = client.get("/beheer/voorstellen")
        expected = 200 if role in (Role.BEHEERDER, Role.PROCESREGISSEUR,
                                   Role.PRIVACYFUNCTIONARIS) else 403
        assert page.status_code == expected, role
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, account(Role.PROCESREGISSEUR))
    assert decide(client, 999_999).status_code == 404


def test_vandaag_lists_proposals_for_the_approver_but_not_her_own(app, admin, team, account):
    target = account(Role.NETWERKPARTNER, name="Kim Kandidaat")
    edit_roles(admin, app, target.id, ["netwerkpartner", "casemanager"])
    propose_reset(admin, team["regie"].id, "tweede-factor")
    regie = browser(app, team["regie"])
    start = text(regie.get("/"))
    assert "Rollen of e-mailadres: Kim Kandidaat" in start
    assert "Tweede factor herstellen: Pim Regie" not in start  # about herself
    privacy = text(browser(app, team["privacy"]).get("/"))
    assert "Tweede factor herstellen: Pim Regie" in privacy


# --- resets and the enrolment link -------------------------------------------------------------

@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(**mail_settings(smtp))


def test_password_reset_end_to_end_through_the_real_outbox(mail_app, smtp, account):
    app = mail_app
    with app.app_context():
        from tests.factories import make_user
        beheerder = make_user(Role.BEHEERDER)
        regie = make_user(Role.PROCESREGISSEUR)
        anna = make_user(Role.CASEMANAGER, email="anna@test.stapportaal.nl")
    admin = browser(app, beheerder)
    her_browser = browser(app, anna)
    propose_reset(admin, anna.id, "wachtwoord")
    # Proposed only: her password and session still work, no mail.
    assert her_browser.get("/").status_code == 200
    assert smtp.received == []
    decide(browser(app, regie), open_proposal_id(app, anna.id))

    assert her_browser.get("/").location.startswith("/login")  # sessions ended
    assert not can_log_in(app, anna.email, anna.password, anna.secret)
    [mail] = smtp.received
    assert mail.rcpt_tos == ("anna@test.stapportaal.nl",)
    body = mail.message.get_content()
    token = token_from(body)
    with app.app_context():
        stored = db.session.scalar(select(EnrolmentLink).where(EnrolmentLink.user_id == anna.id))
        assert token not in stored.token_hash and len(stored.token_hash) == 64
        assert db.session.scalar(select(func.count(EnrolmentLink.id)).where(
            EnrolmentLink.token_hash == token)) == 0

    fresh = app.test_client()
    page = text(fresh.get(f"/account/activeren/{token}"))
    assert "Uw authenticator-app blijft gekoppeld" in page
    assert 'id="totp-secret"' not in page
    wrong = activate(fresh, token, "000000")
    assert "De code klopt niet" in text(wrong)
    done = activate(fresh, token, code_for(anna.secret, 1))
    assert done.status_code == 302 and done.location.endswith("/login")
    assert password_opens(app, anna.email, OWN_PASSWORD)
    assert not password_opens(app, anna.email, anna.password)
    # Single use, and the stored copy of the mail no longer carries the link.
    assert fresh.get(f"/account/activeren/{token}").status_code == 410
    assert [token in body for body in outbox_to(app, anna.email)] == [False]
    again = fresh.post(f"/account/activeren/{token}", data={"new_password": NEW_PASSWORD})
    assert again.status_code in (400, 410)
    completed = events(app, "auth.enrolment_completed")
    assert [(e.user_id, e.detail["purpose"]) for e in completed] == [(anna.id, "wachtwoord")]


def test_second_factor_reset_end_to_end(mail_app, smtp, account):
    app = mail_app
    with app.app_context():
        from tests.factories import make_user
        beheerder = make_user(Role.BEHEERDER)
        privacy = make_user(Role.PRIVACYFUNCTIONARIS)
        anna = make_user(Role.CASEMANAGER)
    propose_reset(browser(app, beheerder), anna.id, "tweede-factor")
    with app.app_context():
        assert db.session.get(User, anna.id).totp_secret is not None
    decide(browser(app, privacy), open_proposal_id(app, anna.id))
    with app.app_context():
        assert db.session.get(User, anna.id).totp_secret is None
    token = token_from(smtp.received[-1].message.get_content())
    fresh = app.test_client()
    page = text(fresh.get(f"/account/activeren/{token}"))
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert secret == pending_secret(app, anna.id)
    assert activate(fresh, token, code_for(secret)).status_code == 302
    assert not can_log_in(app, anna.email, OWN_PASSWORD, anna.secret)  # the old app is gone
    assert can_log_in(app, anna.email, OWN_PASSWORD, secret)
    reset = events(app, "admin.user_totp_reset")
    assert [(e.user_id, e.detail["sessions_ended"]) for e in reset] == [(privacy.id, 0)]


def approved_reset_token(app, admin, team, target: Account) -> str:
    propose_reset(admin, target.id, "tweede-factor")
    decide(browser(app, team["regie"]), open_proposal_id(app, target.id))
    return token_from(outbox_to(app, target.email)[-1])


def test_link_lives_72_hours_by_the_portal_clock(app, admin, team, account, freeze_today):
    today = local_today()
    target = account(Role.CASEMANAGER)
    freeze_today(today)
    token = approved_reset_token(app, admin, team, target)
    fresh = app.test_client()
    freeze_today(today + timedelta(days=2))
    assert fresh.get(f"/account/activeren/{token}").status_code == 200
    csrf = csrf_from(fresh.get(f"/account/activeren/{token}"))
    freeze_today(today + timedelta(days=4))
    assert fresh.get(f"/account/activeren/{token}").status_code == 410
    late = fresh.post(f"/account/activeren/{token}", data={
        "csrf_token": csrf, "new_password": OWN_PASSWORD, "confirm": OWN_PASSWORD,
        "code": code_for(pending_secret(app, target.id))})
    assert late.status_code == 410
    with app.app_context():
        assert db.session.get(User, target.id).totp_secret is None


def test_link_hours_come_from_configuration(make_app, freeze_today):
    app = make_app(ENROLMENT_LINK_HOURS=24)
    with app.app_context():
        from portal.auth import enrolment
        from tests.factories import make_user
        today = local_today()
        freeze_today(today)
        user = db.session.get(User, make_user(Role.CASEMANAGER).id)
        link = enrolment.issue(user, "wachtwoord")
        db.session.commit()
        assert link.expires_at - link.created_at == timedelta(hours=24)


def test_a_newer_link_ends_the_older_one(app, admin, team, account):
    target = account(Role.CASEMANAGER)
    first = approved_reset_token(app, admin, team, target)
    propose_reset(admin, target.id, "wachtwoord")
    decide(browser(app, team["privacy"]), open_proposal_id(app, target.id))
    second = token_from(outbox_to(app, target.email)[-1])
    fresh = app.test_client()
    assert fresh.get(f"/account/activeren/{first}").status_code == 410
    assert fresh.get(f"/account/activeren/{second}").status_code == 200
    bodies = outbox_to(app, target.email)
    assert [first in body for body in bodies] == [False, False]
    assert [second in body for body in bodies] == [False, True]


def test_five_wrong_codes_end_the_link(app, admin, team, account):
    target = account(Role.CASEMANAGER)
    token = approved_reset_token(app, admin, team, target)
    fresh = app.test_client()
    for _ in range(4):
        assert activate(fresh, token, "123456").status_code == 200
    assert activate(fresh, token, "123456").status_code == 410
    assert fresh.get(f"/account/activeren/{token}").status_code == 410
    failed = events(app, "auth.enrolment_failed")
    assert [e.detail["link_ended"] for e in failed] == [False] * 4 + [True]


def test_unknown_token_and_deactivated_account_give_the_dead_link_page(app, admin, team, account):
    fresh = app.test_client()
    assert fresh.get("/account/activeren/onbekend").status_code == 410
    target = account(Role.CASEMANAGER)
    token = approved_reset_token(app, admin, team, target)
    page = f"/beheer/gebruikers/{target.id}"
    post(admin, page, f"{page}/actief")
    assert fresh.get(f"/account/activeren/{token}").status_code == 410
    refused = propose_reset(admin, target.id, "wachtwoord")
    assert "gedeactiveerd" in text(admin.get(refused.location))


def test_the_reset_proposal_itself_changes_nothing(app, admin, account):
    target = account(Role.CASEMANAGER)
    her_browser = browser(app, target)
    with app.app_context():
        before = db.session.get(User, target.id).password_hash
    propose_reset(admin, target.id, "wachtwoord")
    propose_reset(admin, target.id, "tweede-factor")
    with app.app_context():
        user = db.session.get(User, target.id)
        assert user.password_hash == before and user.totp_secret is not None
        assert passwords.verify_password(user.password_hash, target.password)
        assert db.session.scalar(select(func.count(UserSession.id)).where(
            UserSession.user_id == target.id, UserSession.ended_at.is_(None))) == 1
    assert her_browser.get("/").status_code == 200
    assert outbox_to(app, target.email) == []


def test_using_a_link_in_a_browser_where_someone_is_logged_in_logs_her_out(
        app, admin, organisation):
    new_account(admin, organisation(), ["netwerkpartner"], email="kim@test.stapportaal.nl")
    user_id = user_id_by_email(app, "kim@test.stapportaal.nl")
    token = token_from(outbox_to(app, "kim@test.stapportaal.nl")[0])
    done = activate(admin, token, code_for(pending_secret(app, user_id)))
    assert done.status_code == 302 and done.location.endswith("/login")
    assert admin.get("/beheer/gebruikers").location.startswith("/login")


def test_enrolment_service_refuses_unknown_overlong_and_spent_tokens(app, account):
    from portal.auth import enrolment

    with app.app_context():
        user = db.session.get(User, account(Role.CASEMANAGER).id)
        assert enrolment.find(None) is None and enrolment.find("x" * 201) is None
        assert enrolment.complete("onbekend", OWN_PASSWORD, "123456") is None
        link = enrolment.issue(user, "wachtwoord")
        db.session.commit()
        link.ended_at, link.end_reason = enrolment.now(), "gebruikt"
        db.session.commit()
        token = token_from(db.session.scalars(select(OutboxMessage.body)).all()[-1])
        assert enrolment.complete(token, OWN_PASSWORD, "123456") is None


def test_approval_refused_when_the_new_address_was_taken_meanwhile(app, admin, team, account):
    anna = account(Role.CASEMANAGER)
    edit_roles(admin, app, anna.id, ["casemanager"], email="nieuw@test.stapportaal.nl")
    account(Role.NETWERKPARTNER, email="nieuw@test.stapportaal.nl")
    regie = browser(app, team["regie"])
    response = decide(regie, open_proposal_id(app, anna.id))
    assert "Er bestaat al een account met dit e-mailadres." in text(regie.get(response.location))
    with app.app_context():
        assert db.session.get(User, anna.id).email == anna.email


def test_removing_the_last_beheerder_role_is_refused_at_approval(app, client, team, account):
    """The role change waits; by the time it is approved she may be the last beheerder."""
    other = account(Role.BEHEERDER, name="Tweede Beheer")
    log_in(client, team["beheerder"])
    edit_roles(client, app, other.id, ["casemanager"])  # beheerder off, casemanager on
    proposal = open_proposal_id(app, other.id)
    page = f"/beheer/gebruikers/{team['beheerder'].id}"
    other_browser = browser(app, other)
    post(other_browser, page, f"{page}/actief")  # the first beheerder is deactivated
    regie = browser(app, team["regie"])
    response = decide(regie, proposal)
    assert "laatste actieve functioneel beheerder" in text(regie.get(response.location))
    assert roles_of(app, other.id) == {Role.BEHEERDER}
