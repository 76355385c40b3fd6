"""Login with password and TOTP, lockout, rate limits, sessions and passwords."""

from __future__ import annotations

import os
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import LoginAttempt, User, UserSession
from portal.auth.views import GENERIC_LOGIN_ERROR
from portal.database import utcnow
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_token, log_in, submit_code, submit_password


def events(app, name):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)).all()


def test_password_then_code_opens_start_page(client, account, app):
    user = account(Role.CASEMANAGER)
    response = log_in(client, user)
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.password_hash.startswith("$argon2id$")
        assert stored.last_login_at is not None
    [event] = events(app, "auth.login")
    assert event.user_id == user.id and event.role == "casemanager" and event.outcome == "gelukt"


@pytest.mark.parametrize("case", ["wrong password", "unknown e-mail", "deactivated", "locked"])
def test_every_refusal_shows_the_same_message(case, client, account, app):
    user = account(Role.CASEMANAGER, active=case != "deactivated")
    if case == "locked":
        with app.app_context():
            db.session.get(User, user.id).locked_until = utcnow() + timedelta(minutes=5)
            db.session.commit()
    if case == "unknown e-mail":
        user.email = "niemand@test.stapportaal.nl"
    password = "Verkeerd-wachtwoord-123" if case == "wrong password" else None
    response = submit_password(client, user, password=password)
    assert response.status_code == 200
    assert GENERIC_LOGIN_ERROR in response.get_data(as_text=True)
    assert client.get("/login/code").location.endswith("/login")  # no pending login
    [event] = events(app, "auth.login_failed")
    assert event.outcome == "mislukt" and event.detail["step"] == "wachtwoord"


def test_account_locks_after_repeated_failures(client, account, app):
    user = account(Role.CASEMANAGER)
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        submit_password(client, user, password="Verkeerd-wachtwoord-123")
    response = submit_password(client, user)  # right password, but locked now
    assert GENERIC_LOGIN_ERROR in response.get_data(as_text=True)
    assert len(events(app, "auth.account_locked")) == 1
    with app.app_context():
        assert db.session.get(User, user.id).locked_until > utcnow()


def test_wrong_codes_count_towards_lockout(client, account, app):
    user = account(Role.CASEMANAGER)
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        submit_password(client, user)
        submit_code(client, "000000")
    with app.app_context():
        assert db.session.get(User, user.id).locked_until is not None


def test_rate_limit_per_address(make_app, account):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        from tests.factories import make_user
        user = make_user(Role.CASEMANAGER)
    responses = [submit_password(client, user, password="Verkeerd-1234567") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "Te veel pogingen" in responses[-1].get_data(as_text=True)


def test_replayed_code_is_refused(client, account, app):
    user = account(Role.CASEMANAGER)
    assert log_in(client, user).status_code == 302
    used = max(user.used_steps)
    second = app.test_client()
    submit_password(second, user)
    replay = submit_code(second, pyotp.TOTP(user.secret).at(used * 30))
    assert GENERIC_LOGIN_ERROR in replay.get_data(as_text=True)
    assert second.get("/").status_code == 302


def age_login_attempts(app, seconds: int) -> None:
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.started_at -= timedelta(seconds=seconds)
        db.session.commit()


def test_code_step_expires_after_five_minutes(client, account, app):
    user = account(Role.CASEMANAGER)
    submit_password(client, user)
    age_login_attempts(app, app.config["PENDING_LOGIN_SECONDS"] + 1)
    response = client.get("/login/code")
    assert response.location == "/login"
    assert "Uw inlogpoging is verlopen" in client.get("/login").get_data(as_text=True)


# -- The half-logged-in state: one browser, one attempt -----------------------------------

def copy_of_cookie_jar(app, source, user_agent: str | None = None):
    """A second client holding the same session cookie (a replay, or a stolen cookie)."""
    name = app.config["SESSION_COOKIE_NAME"]
    other = app.test_client()
    if user_agent:
        other.environ_base["HTTP_USER_AGENT"] = user_agent
    other.set_cookie(name, source.get_cookie(name).value)
    return other


def test_the_password_step_cookie_cannot_be_replayed_after_the_login(client, account, app):
    user = account(Role.CASEMANAGER)
    submit_password(client, user)
    replay = copy_of_cookie_jar(app, client)
    token = csrf_token(replay, "/login/code")  # the copy reaches the code form meanwhile
    assert submit_code(client, user.next_code()).location == "/"
    response = replay.post("/login/code", data={"csrf_token": token, "code": user.next_code()})
    assert response.status_code == 302 and response.location == "/login"
    assert replay.get("/").status_code == 302  # no session was opened
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
        [attempt] = db.session.scalars(select(LoginAttempt)).all()
        assert attempt.finished_at is not None


def test_the_password_step_cookie_is_refused_in_another_browser(client, account, app):
    user = account(Role.CASEMANAGER)
    submit_password(client, user)
    stolen = copy_of_cookie_jar(app, client, user_agent="Ander apparaat/1.0")
    assert stolen.get("/login/code").location == "/login"
    assert submit_code(client, user.next_code()).location == "/"  # the real browser goes on


def test_a_new_password_step_is_needed_for_every_login(client, account, app):
    user = account(Role.CASEMANAGER)
    assert log_in(client, user).location == "/"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/sessies")})
    assert client.get("/").status_code == 302
    assert client.get("/login/code").location == "/login"  # straight to the code step: no


def test_first_login_enrols_authenticator_with_qr_and_text_secret(client, account, app):
    user = account(Role.PROCESREGISSEUR, enrolled=False)
    first = submit_password(client, user)
    assert first.location.endswith("/login/koppelen")
    page = client.get("/login/koppelen").get_data(as_text=True)
    assert "<svg" in page and 'id="totp-secret"' in page
    with app.app_context():
        from portal.auth import totp
        secret = totp.unseal(db.session.get(User, user.id).totp_pending_secret)
    assert secret in page
    wrong = submit_code(client, "123456", path="/login/koppelen")
    assert "De code klopt niet" in wrong.get_data(as_text=True)
    done = submit_code(client, pyotp.TOTP(secret).now(), path="/login/koppelen")
    assert done.status_code == 302 and client.get("/").status_code == 200
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.totp_enrolled and stored.totp_pending_secret is None
        assert totp.unseal(stored.totp_secret) == secret
        assert secret not in stored.totp_secret  # encrypted at rest
    assert len(events(app, "auth.totp_enrolled")) == 1


@pytest.mark.parametrize("target, expected", [
    ("/account/sessies", "/account/sessies"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_to_local_paths(client, account, target, expected):
    response = log_in(client, account(Role.CASEMANAGER), next_url=target)
    assert response.location == expected


def test_protected_page_sends_anonymous_to_login_with_next(client):
    response = client.get("/account/sessies")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_logout_ends_the_server_side_session(client, account, login, app):
    login(account(Role.CASEMANAGER))
    with client.session_transaction() as session:
        stolen_cookie = dict(session)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 302
    with client.session_transaction() as session:  # replay the old cookie contents
        session.update(stolen_cookie)
    assert client.get("/").location.startswith("/login")
    with app.app_context():
        [row] = db.session.scalars(select(UserSession)).all()
        assert row.end_reason == "uitgelogd"
    assert len(events(app, "auth.logout")) == 1


def test_logout_needs_post_and_csrf(client, account, login):
    login(account(Role.CASEMANAGER))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def _age_session(app, field, delta):
    with app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        setattr(row, field, utcnow() - delta)
        db.session.commit()


@pytest.mark.parametrize("field, delta, reason", [
    ("last_seen_at", timedelta(minutes=31), "inactiviteit"),
    ("created_at", timedelta(hours=12, minutes=1), "maximale duur"),
])
def test_idle_and_absolute_timeouts(client, account, login, app, field, delta, reason):
    login(account(Role.CASEMANAGER))
    assert client.get("/").status_code == 200
    _age_session(app, field, delta)
    assert client.get("/").location.startswith("/login")
    with app.app_context():
        assert db.session.scalars(select(UserSession)).one().end_reason == reason


def test_activity_within_idle_window_keeps_session(client, account, login, app):
    login(account(Role.CASEMANAGER))
    _age_session(app, "last_seen_at", timedelta(minutes=29))
    assert client.get("/").status_code == 200
    with app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_user_sees_and_ends_her_own_sessions(app, account):
    user = account(Role.CASEMANAGER)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, user)
    log_in(phone, user)
    page = laptop.get("/account/sessies").get_data(as_text=True)
    assert page.count("Beëindigen") == 2 and "deze sessie" in page
    with app.app_context():
        rows = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()
        phone_session = rows[1].id
    response = laptop.post(f"/account/sessies/{phone_session}/beeindigen",
                           data={"csrf_token": csrf_token(laptop, "/account/sessies")})
    assert response.location == "/account/sessies"
    assert phone.get("/").location.startswith("/login")
    assert laptop.get("/").status_code == 200


def test_cannot_end_someone_elses_session(app, account, client, login):
    other = account(Role.CASEMANAGER)
    log_in(app.test_client(), other)
    login(account(Role.CASEMANAGER))
    with app.app_context():
        foreign = db.session.scalars(
            select(UserSession).where(UserSession.user_id == other.id)).one()
    response = client.post(f"/account/sessies/{foreign.id}/beeindigen",
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(UserSession, foreign.id).ended_at is None
    [denied] = events(app, "access.denied")
    assert denied.object_type == "session" and denied.detail["status"] == 404


def _change_password(client, current, new, confirm=None):
    return client.post("/account/wachtwoord", data={
        "csrf_token": csrf_token(client, "/account/wachtwoord"), "current_password": current,
        "new_password": new, "confirm": confirm or new})


def test_password_change_ends_other_sessions(app, account):
    user = account(Role.CASEMANAGER)
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, user)
    log_in(elsewhere, user)
    response = _change_password(here, user.password, "Nieuw-lang-wachtwoord-voor-Carla")
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").location.startswith("/login")
    user.password = "Nieuw-lang-wachtwoord-voor-Carla"
    assert submit_password(app.test_client(), user).location == "/login/code"


@pytest.mark.parametrize("new, message", [
    ("kort-1234", "Gebruik minstens 12 tekens."),
    ("password1234", "te bekend of te eenvoudig"),
    ("aaaaaaaaaaaaaaaa", "te bekend of te eenvoudig"),
    ("x" * 129, "Gebruik hoogstens 128 tekens."),
])
def test_password_policy(client, account, login, app, new, message):
    user = account(Role.CASEMANAGER)
    login(user)
    page = _change_password(client, user.password, new).get_data(as_text=True)
    assert message in page
    with app.app_context():
        from portal.auth.passwords import verify_password
        assert verify_password(db.session.get(User, user.id).password_hash, user.password)


def test_long_passphrase_of_64_characters_is_accepted(client, account, login):
    user = account(Role.CASEMANAGER)
    login(user)
    passphrase = ("fietsen staan scheef bij het station " * 2)[:64]
    assert len(passphrase) == 64
    assert _change_password(client, user.password, passphrase).status_code == 302


def test_password_with_own_name_is_refused(client, account, login):
    user = account(Role.CASEMANAGER, name="Marjolein Hoogland")
    login(user)
    page = _change_password(client, user.password, "Marjolein-is-de-beste-2026").get_data(
        as_text=True)
    assert "Gebruik uw naam of e-mailadres niet" in page


def test_wrong_current_password_changes_nothing(client, account, login):
    user = account(Role.CASEMANAGER)
    login(user)
    page = _change_password(client, "Niet-mijn-wachtwoord-1", "Heel-nieuw-wachtwoord-77")
    assert "Het huidige wachtwoord klopt niet." in page.get_data(as_text=True)


def test_must_change_password_blocks_other_pages(client, account, login):
    user = account(Role.CASEMANAGER, must_change_password=True)
    response = log_in(client, user)
    assert response.location == "/account/wachtwoord"
    assert client.get("/").location == "/account/wachtwoord"
    _change_password(client, user.password, "Eigen-wachtwoord-gekozen-2026")
    assert client.get("/").status_code == 200


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_rate_limit_is_shared_between_workers_through_redis(make_app, account):
    # Each leg of `make test` has its own database number, as the legs run side by side.
    url = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not _redis_answers(url):
        if os.environ.get("CI"):
            pytest.fail("Redis niet bereikbaar op 127.0.0.1:6379: in CI is deze test verplicht")
        pytest.skip("Redis niet bereikbaar op 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(url).flushdb()
    settings = {"RATELIMIT_STORAGE_URI": url, "LOGIN_RATE_LIMIT": "2 per minute"}
    worker_one, worker_two = make_app(**settings), make_app(**settings)
    with worker_one.app_context():
        from tests.factories import make_user
        user = make_user(Role.CASEMANAGER)
    statuses = [submit_password(worker.test_client(), user, password="Verkeerd-1234567")
                .status_code for worker in (worker_one, worker_two, worker_one)]
    assert statuses == [200, 200, 429]


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(make_app, account):
    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        app = make_app(TRUSTED_PROXIES=hops)
        client = app.test_client()
        with app.app_context():
            from tests.factories import make_user
            user = make_user(Role.CASEMANAGER)
        client.post("/login", headers={"X-Forwarded-For": "203.0.113.9"},
                    data={"csrf_token": csrf_token(client), "email": user.email,
                          "password": "fout-fout-fout-1"})
        assert events(app, "auth.login_failed")[-1].source_ip == expected


def test_same_code_posted_twice_at_once_opens_one_session(app, account):
    import threading

    user = account(Role.CASEMANAGER)
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        submit_password(browser, user)
    tokens = [csrf_token(browser, "/login/code") for browser in browsers]
    code = user.next_code()
    results, start = [], threading.Barrier(2)

    def post(browser, token):
        start.wait()
        results.append(browser.post("/login/code", data={"csrf_token": token, "code": code}))

    pairs = zip(browsers, tokens, strict=True)
    threads = [threading.Thread(target=post, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [200, 302]
    with app.app_context():
        assert len(db.session.scalars(select(UserSession)).all()) == 1


def test_parallel_wrong_passwords_all_count_towards_lockout(app, account):
    import threading

    user = account(Role.CASEMANAGER)
    threshold = app.config["LOCKOUT_THRESHOLD"]
    browsers = [app.test_client() for _ in range(threshold)]
    tokens = [csrf_token(browser) for browser in browsers]
    start = threading.Barrier(threshold)

    def attempt(browser, token):
        start.wait()
        browser.post("/login", data={"csrf_token": token, "email": user.email,
                                     "password": "Verkeerd-wachtwoord-9"})

    pairs = zip(browsers, tokens, strict=True)
    threads = [threading.Thread(target=attempt, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert db.session.get(User, user.id).locked_until is not None


def test_expired_session_is_audited(client, account, login, app):
    login(account(Role.CASEMANAGER))
    _age_session(app, "last_seen_at", timedelta(minutes=31))
    client.get("/")
    [event] = events(app, "auth.session_expired")
    assert event.detail == {"reason": "inactiviteit"}


def test_a_password_typed_as_login_name_is_not_logged(client, account, app):
    user = account(Role.CASEMANAGER)
    user.email = "Geheim wachtwoord 123"
    submit_password(client, user)
    [event] = events(app, "auth.login_failed")
    assert event.detail["email"] == "(geen e-mailadres ingevuld)"


def test_enrolment_page_view_changes_nothing(client, account, app):
    user = account(Role.CASEMANAGER, enrolled=False)
    submit_password(client, user)
    with app.app_context():
        secret = db.session.get(User, user.id).totp_pending_secret
    client.get("/login/koppelen")
    client.get("/login/koppelen")
    with app.app_context():
        assert db.session.get(User, user.id).totp_pending_secret == secret


def test_login_attempts_older_than_a_day_are_purged_by_the_daily_task(client, account, app):
    from portal.auth import tasks

    user = account(Role.CASEMANAGER)
    submit_password(client, user)
    submit_password(app.test_client(), user)
    age_login_attempts(app, 2 * 24 * 3600)
    submit_password(client, user)
    with app.app_context():
        assert tasks.purge_login_attempts_daily.call_local() == 2
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
