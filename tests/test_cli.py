"""The `portal` command group: create-user, seed-demo, init, demo-logins and audit-verify.

Each command runs through Flask's CLI test runner against the test database; the tests
check the accounts, secrets and audit events the commands leave behind, and log the
created accounts in through the web client with the secrets the commands printed.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from sqlalchemy import func, select

from portal import demo
from portal.audit.models import AuditEvent
from portal.auth import passwords, totp
from portal.auth.models import Organisation, User
from portal.extensions import db
from portal.roles import Role
from tests.conftest import log_in
from tests.factories import Account

PASSWORD = "Groene-kikker-in-de-sloot"
DEMO_LINE = re.compile(r"(\S+@\S+)\s+TOTP-geheim: ([A-Z2-7]+)")


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["portal", *args])


def create_user_args(**overrides) -> list[str]:
    options = {"name": "Noor Jansen", "email": "noor.jansen@stapportaal.nl",
               "organisation": "Iriszorg", "password": PASSWORD}
    options.update(overrides)
    args = [item for key, value in options.items() for item in (f"--{key}", value)]
    return ["create-user", *args, "--role", "casemanager", "--role", "diagnosticus"]


def otpauth_uri(output: str) -> str:
    match = re.search(r"otpauth://totp/\S+", output)
    assert match, output
    return match.group(0)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def event_names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.event).order_by(AuditEvent.seq)))


def demo_secrets(output: str) -> dict[str, str]:
    return dict(DEMO_LINE.findall(output))


# --- create-user ------------------------------------------------------------------------


def test_create_user_sets_both_roles_and_creates_the_organisation(app):
    result = run(app, *create_user_args())
    assert result.exit_code == 0, result.output
    assert "Account aangemaakt: noor.jansen@stapportaal.nl" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "noor.jansen@stapportaal.nl"))
        assert user.name == "Noor Jansen"
        assert user.roles == {Role.CASEMANAGER, Role.DIAGNOSTICUS}
        assert user.organisation.name == "Iriszorg"
        assert user.password_hash.startswith("$argon2id$")
        assert passwords.verify_password(user.password_hash, PASSWORD)
        assert user.must_change_password is False
    assert event_names(app) == ["admin.organisation_created", "admin.user_created"]


def test_create_user_prints_a_totp_uri_that_verifies_for_her(app):
    result = run(app, *create_user_args())
    uri = urlsplit(otpauth_uri(result.output))
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == "/Stapportaal:noor.jansen@stapportaal.nl"
    query = parse_qs(uri.query)
    assert query["issuer"] == ["Stapportaal"]
    secret = query["secret"][0]
    assert secret in result.output.splitlines()[1]  # also printed for manual entry
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "noor.jansen@stapportaal.nl"))
        stored = totp.unseal(user.totp_secret)
    assert stored == secret
    assert totp.matching_step(stored, pyotp.TOTP(secret).now(), last_step=0) is not None


def test_created_user_logs_in_with_password_and_printed_secret(app, client, login):
    result = run(app, *create_user_args())
    secret = parse_qs(urlsplit(otpauth_uri(result.output)).query)["secret"][0]
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(
            User.email == "noor.jansen@stapportaal.nl"))
    login(Account(user_id, "noor.jansen@stapportaal.nl", PASSWORD, secret))
    assert "Welkom, Noor Jansen" in client.get("/").get_data(as_text=True)


def test_create_user_reuses_an_existing_organisation(app, organisation):
    org_id = organisation("Iriszorg")
    result = run(app, *create_user_args())
    assert result.exit_code == 0, result.output
    assert count(app, Organisation) == 1
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "noor.jansen@stapportaal.nl"))
        assert user.organisation_id == org_id


def test_create_user_matches_organisation_name_ignoring_case(app, organisation):
    org_id = organisation("Iriszorg")
    result = run(app, *create_user_args(organisation="iriszorg"))
    assert result.exit_code == 0, repr(result.exception)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "noor.jansen@stapportaal.nl"))
        assert user.organisation_id == org_id


@pytest.mark.parametrize("weak", ["wachtwoord", "qwerty123456", "Noor-Jansen-2026"])
def test_create_user_refuses_a_weak_password_and_creates_nothing(app, weak):
    result = run(app, *create_user_args(password=weak))
    assert result.exit_code != 0
    assert "Error:" in result.output
    assert "otpauth://" not in result.output
    assert count(app, User) == 0
    assert count(app, Organisation) == 0
    assert event_names(app) == []


def test_create_user_explains_a_short_password_in_dutch(app):
    result = run(app, *create_user_args(password="Kort-9x"))
    assert result.exit_code == 1
    assert "Gebruik minstens 12 tekens." in result.output


def test_create_user_refuses_an_email_in_use_whatever_its_case(app, account):
    existing = account(Role.CASEMANAGER, email="noor.jansen@stapportaal.nl")
    result = run(app, *create_user_args(email="Noor.Jansen@Stapportaal.NL"))
    assert result.exit_code == 1
    assert "Er bestaat al een account met dit e-mailadres." in result.output
    assert "otpauth://" not in result.output
    with app.app_context():
        users = db.session.scalars(select(User).where(
            func.lower(User.email) == "noor.jansen@stapportaal.nl")).all()
        assert [u.id for u in users] == [existing.id]
        assert users[0].roles == {Role.CASEMANAGER}


def test_refused_create_user_leaves_no_new_organisation_behind(app, account):
    account(Role.CASEMANAGER, email="noor.jansen@stapportaal.nl")
    before = count(app, Organisation)
    result = run(app, *create_user_args(organisation="Nieuwe Stichting"))
    assert result.exit_code == 1
    assert count(app, Organisation) == before


def test_create_user_requires_a_known_role(app):
    result = run(app, "create-user", "--name", "Noor", "--email", "noor@stapportaal.nl",
                 "--organisation", "Iriszorg", "--role", "koning", "--password", PASSWORD)
    assert result.exit_code == 2
    assert count(app, User) == 0


# --- seed-demo --------------------------------------------------------------------------


def test_seed_demo_creates_one_account_per_role(app):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    assert f"{len(demo.USERS)} demo-account(s) aangemaakt." in result.output
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert {user.email for user in users} == {email for _, email, _, _ in demo.USERS}
        assert set().union(*(user.roles for user in users)) == set(Role)
        assert all(not user.must_change_password and user.totp_secret for user in users)
        assert {org.name for org in db.session.scalars(select(Organisation))} == {
            name for name, _ in demo.ORGANISATIONS}


def test_seed_demo_prints_each_demo_email_with_its_totp_secret(app):
    result = run(app, "seed-demo")
    assert demo.DEMO_PASSWORD in result.output
    printed = demo_secrets(result.output)
    assert set(printed) == {email for _, email, _, _ in demo.USERS}
    with app.app_context():
        for email, secret in printed.items():
            user = db.session.scalar(select(User).where(User.email == email))
            assert totp.unseal(user.totp_secret) == secret


def test_seed_demo_is_idempotent(app):
    first = run(app, "seed-demo")
    users, organisations = count(app, User), count(app, Organisation)
    second = run(app, "seed-demo")
    assert second.exit_code == 0
    assert "0 demo-account(s) aangemaakt." in second.output
    assert (count(app, User), count(app, Organisation)) == (users, organisations)
    assert demo_secrets(second.output) == demo_secrets(first.output)


def test_seed_demo_keeps_existing_organisations(app, organisation):
    organisation("Iriszorg")
    run(app, "seed-demo")
    assert count(app, Organisation) == len(demo.ORGANISATIONS)


def test_every_demo_user_logs_in_with_the_printed_secret(app):
    printed = demo_secrets(run(app, "seed-demo").output)
    with app.app_context():
        people = {u.email: (u.id, u.name) for u in db.session.scalars(select(User))}
    for email, secret in printed.items():
        user_id, name = people[email]
        browser = app.test_client()  # each demo user logs in once, in her own browser
        response = log_in(browser, Account(user_id, email, demo.DEMO_PASSWORD, secret))
        assert response.status_code == 302 and urlsplit(response.location).path == "/", email
        assert f"Welkom, {name}" in browser.get("/").get_data(as_text=True)


# --- init and demo-logins ---------------------------------------------------------------


def test_init_seeds_demo_data_into_an_empty_database(app):
    result = run(app, "init")
    assert result.exit_code == 0, result.output
    assert "Database bijgewerkt." in result.output
    assert "Demodata aangemaakt" in result.output
    assert count(app, User) == len(demo.USERS)
    assert set(demo_secrets(result.output)) == {email for _, email, _, _ in demo.USERS}


def test_init_leaves_a_database_with_users_alone(app, account):
    account(Role.BEHEERDER)
    result = run(app, "init")
    assert result.exit_code == 0, result.output
    assert "Demodata aangemaakt" not in result.output
    assert "Er zijn geen demo-accounts." in result.output
    assert count(app, User) == 1


def test_init_twice_seeds_once_and_prints_the_logins_again(app):
    first = run(app, "init")
    second = run(app, "init")
    assert second.exit_code == 0
    assert "Demodata aangemaakt" not in second.output
    assert count(app, User) == len(demo.USERS)
    assert demo_secrets(second.output) == demo_secrets(first.output)


def test_init_no_demo_seeds_nothing(app):
    result = run(app, "init", "--no-demo")
    assert result.exit_code == 0, result.output
    assert "Database bijgewerkt." in result.output
    assert "TOTP-geheim" not in result.output
    assert count(app, User) == 0
    assert count(app, Organisation) == 0


def test_init_never_seeds_demo_data_in_production(make_app):
    production = make_app(PORTAL_ENV="production")
    result = run(production, "init")
    assert result.exit_code == 0, result.output
    assert "TOTP-geheim" not in result.output
    assert count(production, User) == 0


def test_demo_logins_without_demo_accounts(app):
    result = run(app, "demo-logins")
    assert result.exit_code == 0
    assert "Er zijn geen demo-accounts." in result.output


# --- audit-verify -----------------------------------------------------------------------


def test_audit_verify_reports_an_untouched_chain_intact(app):
    run(app, *create_user_args())
    run(app, "seed-demo")
    events = count(app, AuditEvent)
    assert events > 2
    result = run(app, "audit-verify")
    assert result.exit_code == 0, result.output
    assert f"Auditketen intact: {events} gebeurtenissen gecontroleerd." in result.output


def test_audit_verify_on_an_empty_chain(app):
    result = run(app, "audit-verify")
    assert result.exit_code == 0
    assert "Auditketen intact: 0 gebeurtenissen gecontroleerd." in result.output



def test_create_user_refuses_an_invalid_email(app):
    result = run(app, *create_user_args(email="geen-adres"))
    assert result.exit_code != 0 and "Ongeldig e-mailadres" in result.output
