"""Beheer: users and organisations, for the functioneel beheerder only."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access import powers
from portal.access.loaders import exists_or_404
from portal.admin import bp, services
from portal.admin.forms import ActiveForm, DecisionForm, OrganisationForm, UserForm
from portal.admin.models import PowerProposal, ProposalKind
from portal.audit.models import Action, Outcome
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


WAITS = ("Het voorstel wacht op goedkeuring door een {approvers}; pas daarna krijgt zij deze "
         "rechten.")


def _waits_message() -> str:
    return WAITS.format(approvers=" of ".join(sorted(r.label.lower()
                                                     for r in powers.approver_roles())))


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    form.set_organisations(_organisations())
    if form.validate_on_submit():
        try:
            user, proposal = services.create_account(
                name=form.name.data, email=form.email.data,
                organisation_id=form.organisation_id.data, roles=form.roles.data,
                actor=current_user._get_current_object())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if proposal is None:
                flash(f"Account voor {user.name} aangemaakt. Zij krijgt een link op haar eigen "
                      "e-mailadres om haar wachtwoord te kiezen en haar authenticator-app te "
                      "koppelen.", "success")
            else:
                flash(f"Account voor {user.name} aangemaakt, nog zonder de rollen die dossiers "
                      f"openen. {_waits_message()} Na goedkeuring krijgt zij de link op haar "
                      "eigen e-mailadres.", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get_user(user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            proposal = services.update_user(
                user, name=form.name.data, email=form.email.data,
                organisation_id=form.organisation_id.data, roles=form.roles.data,
                actor=current_user._get_current_object())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if proposal is None:
                flash("De wijzigingen zijn opgeslagen.", "success")
            else:
                flash("Naam en organisatie zijn opgeslagen. De wijziging van rollen of "
                      f"e-mailadres is een voorstel. {_waits_message()}", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif request.method == "GET":
        record_and_commit("admin.user_viewed", Action.READ, object_type="user", object_id=user.id)
    return _user_page(user, form=form)


def _user_form(user: User) -> UserForm:
    form = UserForm(obj=user)  # user.roles fills the role checkboxes
    form.set_organisations(_organisations())
    return form


def _user_page(user: User, *, form: UserForm) -> str:
    return render_template("admin/user_edit.html", user=user, form=form,
                           active_form=ActiveForm(active=not user.active, formdata=None),
                           confirm_form=ConfirmForm(),
                           proposals=services.proposals_about(user))


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


def _propose_reset(user_id: int, kind: ProposalKind, what: str):
    user = _get_user(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.propose_reset(user, kind, current_user._get_current_object())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Voorstel gedaan: {what}. {_waits_message()} Daarna krijgt de gebruiker "
                  "een link op haar eigen e-mailadres.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/gebruikers/<int:user_id>/tweede-factor", methods=["POST"])
def user_reset_totp(user_id: int):
    return _propose_reset(user_id, ProposalKind.TWEEDE_FACTOR, "tweede factor herstellen")


@bp.route("/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
def user_reset_password(user_id: int):
    return _propose_reset(user_id, ProposalKind.WACHTWOORD, "wachtwoord herstellen")


@bp.route("/voorstellen")
def proposals():
    """Proposals that wait for a second person, and the latest decisions."""
    waiting = services.open_proposals()
    record_and_commit("admin.proposals_listed", Action.READ, object_type="power_proposal",
                      detail={"open": len(waiting)})
    me = current_user._get_current_object()
    return render_template("admin/proposals.html", waiting=waiting,
                           decided=services.decided_proposals(),
                           refusals={p.id: powers.decision_refusal(me, p) for p in waiting},
                           form=DecisionForm(formdata=None))


@bp.route("/voorstellen/<int:proposal_id>", methods=["POST"])
def proposal_decide(proposal_id: int):
    proposal = exists_or_404(PowerProposal, proposal_id, "power_proposal")
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Het formulier is verlopen; probeer het opnieuw.",
              "error")
        return redirect(url_for("admin.proposals"))
    approve = bool(form.approve.data)
    try:
        services.decide(proposal, current_user._get_current_object(), approve=approve,
                        reason=form.reason.data)
    except DomainError as error:
        record_and_commit("admin.power_decision_refused", Action.UPDATE, outcome=Outcome.DENIED,
                          object_type="power_proposal", object_id=proposal_id,
                          detail={"reason": error.message})
        flash(error.message, "error")
    else:
        flash("Het voorstel is goedgekeurd; de gebruiker krijgt zo nodig een link op haar eigen "
              "e-mailadres." if approve else "Het voorstel is afgewezen.", "success")
    return redirect(url_for("admin.proposals"))


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
