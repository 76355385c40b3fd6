"""Login with password and TOTP, enrolment, logout, own sessions and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from portal.access.loaders import load_own_session
from portal.auth import attempts, bp, enrolment, services, sessions, totp
from portal.auth.forms import ActivateForm, ChangePasswordForm, CodeForm, ConfirmForm, LoginForm
from portal.auth.models import LoginAttempt, User
from portal.database import READ_METHODS
from portal.extensions import db, limiter

GENERIC_LOGIN_ERROR = ("Inloggen is niet gelukt. Controleer uw gegevens en probeer het opnieuw. "
                       "Lukt het steeds niet? Neem contact op met de functioneel beheerder.")
PENDING_KEY = "pending_login"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def safe_next(target: str | None) -> str:
    """Only local paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("main.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return url_for("main.index")
    return target


@bp.route("login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.check_password(form.email.data, form.password.data)
        if user is None:
            flash(GENERIC_LOGIN_ERROR, "error")
            return render_template("auth/login.html", form=form), 200
        token = services.begin_login(user)
        session.clear()
        session[PENDING_KEY] = {"attempt": token, "next": safe_next(request.args.get("next"))}
        return redirect(url_for("auth.code" if user.totp_enrolled else "auth.enrol"))
    return render_template("auth/login.html", form=form)


def _pending_attempt() -> LoginAttempt | None:
    """The login attempt of this browser's password step, while it is open and fresh."""
    pending = session.get(PENDING_KEY)
    attempt = attempts.find(pending.get("attempt")) if isinstance(pending, dict) else None
    if attempt is None:
        session.pop(PENDING_KEY, None)
    return attempt


def _finish_login(result: services.LoginResult, message: str | None = None):
    target = session.get(PENDING_KEY, {}).get("next") or url_for("main.index")
    session.clear()
    session.permanent = True
    session["sid"] = result.token
    login_user(result.user)
    if message:
        flash(message, "success")
    if result.user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(safe_next(target))


def _expired_pending():
    flash("Uw inlogpoging is verlopen. Log opnieuw in.", "warning")
    return redirect(url_for("auth.login"))


@bp.route("login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def code():
    attempt = _pending_attempt()
    if attempt is None or not attempt.user.totp_enrolled:
        return _expired_pending()
    form = CodeForm()
    if form.validate_on_submit():
        result = services.check_code(attempt, form.code.data)
        if result:
            return _finish_login(result)
        flash(GENERIC_LOGIN_ERROR, "error")
    return render_template("auth/code.html", form=form)


@bp.route("login/koppelen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol():
    attempt = _pending_attempt()
    user = attempt.user if attempt is not None else None
    if user is None or user.totp_enrolled or user.totp_pending_secret is None:
        return _expired_pending()
    secret = services.pending_secret(user)
    uri = totp.provisioning_uri(secret, user.email)
    form = CodeForm()
    if form.validate_on_submit():
        result = services.confirm_enrolment(attempt, form.code.data)
        if result:
            return _finish_login(result, "Uw authenticator-app is gekoppeld.")
        flash("De code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.",
              "error")
    return render_template("auth/enrol.html", form=form, secret=secret, qr_svg=totp.qr_svg(uri))


@bp.route("account/activeren/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def activate(token: str):
    """The enrolment link from her e-mail: choose a password and set up the second factor."""
    link = enrolment.find(token)
    if link is None:
        return render_template("auth/activate_invalid.html"), 410
    user = link.user
    form = ActivateForm(user)
    if form.validate_on_submit():
        if enrolment.complete(token, form.new_password.data, form.code.data):
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Uw wachtwoord en tweede factor zijn ingesteld. Log nu in.", "success")
            return redirect(url_for("auth.login"))
        if enrolment.find(token) is None:
            return render_template("auth/activate_invalid.html"), 410
        flash("De code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.",
              "error")
    secret = enrolment.setup_secret(link)
    qr = totp.qr_svg(totp.provisioning_uri(secret, user.email)) if secret else None
    return render_template("auth/activate.html", form=form, user=user, secret=secret, qr_svg=qr)


@bp.route("logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.logout(current_user._get_current_object(), g.get("user_session"))
        logout_user()
        session.clear()
        flash("U bent uitgelogd.", "success")
    return redirect(url_for("auth.login"))


@bp.route("account/sessies", endpoint="sessions")
def sessions_list():
    rows = sessions.live_sessions_of(current_user)
    return render_template("auth/sessions.html", rows=rows, current=g.get("user_session"),
                           form=ConfirmForm())


@bp.route("account/sessies/<int:session_id>/beeindigen", methods=["POST"])
def end_session(session_id: int):
    row = load_own_session(session_id)
    if ConfirmForm().validate_on_submit():
        services.end_own_session(current_user._get_current_object(), row)
        flash("De sessie is beëindigd.", "success")
    if row.id == getattr(g.get("user_session"), "id", None):
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.sessions"))


@bp.route("account/wachtwoord", methods=["GET", "POST"])
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
    if form.validate_on_submit():
        ended = services.change_password(user, form.current_password.data,
                                         form.new_password.data, g.get("user_session"))
        if ended is None:
            form.current_password.errors.append("Het huidige wachtwoord klopt niet.")
        else:
            flash(f"Uw wachtwoord is gewijzigd. Andere sessies beëindigd: {ended}.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


def load_user_from_session(user_id: str) -> User | None:
    """Flask-Login user loader: the session row decides, not the cookie."""
    row = sessions.find_open(session.get("sid"))
    if row is None or str(row.user_id) != str(user_id):
        return None
    reason = sessions.expiry_reason(row)
    if reason:
        services.expire_session(row, reason)
        session.clear()
        flash("Uw sessie is verlopen. Log opnieuw in.", "warning")
        return None
    if sessions.touch(row):
        db.session.commit()
    if request.method not in READ_METHODS:  # a form may change what waits for her
        sessions.forget_menu_counts(row)  # committed with the form's own change, if any
    g.user_session = row
    return row.user

