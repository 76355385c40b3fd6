"""Beheer: users and organisations, for the functioneel beheerder only."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access.loaders import exists_or_404
from portal.admin import bp, services
from portal.admin.forms import (
    ActiveForm,
    NewUserForm,
    OrganisationForm,
    TemporaryPasswordForm,
    UserForm,
)
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.auth.models import Organisation, User
from portal.checks import CheckRun
from portal.extensions import db
from portal.forms import show_domain_error
from portal.pagination import requested_page
from portal.refusal import DomainError
from portal.roles import Role


def _organisations():
    return db.session.scalars(select(Organisation).order_by(Organisation.name)).all()


def _get_user(user_id: int) -> User:
    return exists_or_404(User, user_id, "user")


@bp.route("/gebruikers")
def users():
    args = {key: request.args.get(key, "") for key in ("zoek", "rol", "actief")}
    page = db.paginate(services.user_list_query(args["zoek"], args["rol"], args["actief"]),
                       page=requested_page(), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    record_and_commit("admin.users_listed", Action.READ, object_type="user",
                      detail={"page": page.page})
    return render_template("admin/users.html", page=page, args=args, roles=list(Role))


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
def user_new():
    form = NewUserForm()
    form.set_organisations(_organisations())
    if form.validate_on_submit():
        try:
            user = services.create_user(
                name=form.name.data, email=form.email.data,
                organisation_id=form.organisation_id.data, roles=form.roles.data,
                password=form.new_password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Account voor {user.name} aangemaakt. Bij de eerste keer inloggen koppelt "
                  "zij haar authenticator-app en kiest zij een eigen wachtwoord.", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get_user(user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            services.update_user(user, name=form.name.data, email=form.email.data,
                                 organisation_id=form.organisation_id.data, roles=form.roles.data,
                                 actor=current_user._get_current_object())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De wijzigingen zijn opgeslagen.", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif request.method == "GET":
        record_and_commit("admin.user_viewed", Action.READ, object_type="user", object_id=user.id)
    return _user_page(user, form=form)


def _user_form(user: User) -> UserForm:
    form = UserForm(obj=user)  # user.roles fills the role checkboxes
    form.set_organisations(_organisations())
    return form


def _user_page(user: User, *, form: UserForm | None = None,
               password_form: TemporaryPasswordForm | None = None) -> str:
    if form is None:
        form = UserForm(obj=user, formdata=None)
        form.set_organisations(_organisations())
    return render_template("admin/user_edit.html", user=user, form=form,
                           active_form=ActiveForm(active=not user.active, formdata=None),
                           confirm_form=ConfirmForm(),
                           password_form=password_form or TemporaryPasswordForm(user,
                                                                                formdata=None))


@bp.route("/gebruikers/<int:user_id>/actief", methods=["POST"])
def user_set_active(user_id: int):
    user = _get_user(user_id)
    form = ActiveForm()
    if form.validate_on_submit():
        try:
            services.set_active(user, form.active.data, current_user._get_current_object())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Het account is geactiveerd." if user.active else
                  "Het account is gedeactiveerd; alle sessies zijn beëindigd.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/gebruikers/<int:user_id>/tweede-factor", methods=["POST"])
def user_reset_totp(user_id: int):
    user = _get_user(user_id)
    if ConfirmForm().validate_on_submit():
        services.reset_second_factor(user)
        flash("De tweede factor is hersteld: bij de volgende keer inloggen koppelt de gebruiker "
              "een nieuwe authenticator-app.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
def user_reset_password(user_id: int):
    user = _get_user(user_id)
    form = TemporaryPasswordForm(user)
    if form.validate_on_submit():
        services.set_temporary_password(user, form.new_password.data)
        flash("Tijdelijk wachtwoord ingesteld; de gebruiker kiest bij het inloggen een nieuw "
              "wachtwoord.", "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return _user_page(user, password_form=form), 422


@bp.route("/organisaties")
def organisations():
    record_and_commit("admin.organisations_listed", Action.READ, object_type="organisation")
    return render_template("admin/organisations.html", organisations=_organisations(),
                           user_counts=services.user_counts_by_organisation())


@bp.route("/organisaties/nieuw", methods=["GET", "POST"], defaults={"organisation_id": None},
          endpoint="organisation_new")
@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
def organisation_edit(organisation_id: int | None):
    organisation = None
    if organisation_id is not None:
        organisation = exists_or_404(Organisation, organisation_id, "organisation")
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            services.save_organisation(organisation, name=form.name.data, kind=form.kind.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De organisatie is opgeslagen.", "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


@bp.route("/controles")
def checks():
    """The latest runs of the nightly storage and audit-chain checks, problems included."""
    runs = db.session.scalars(select(CheckRun).order_by(CheckRun.id.desc()).limit(60)).all()
    record_and_commit("admin.checks_viewed", Action.READ, object_type="check_runs")
    return render_template("admin/checks.html", runs=runs)
