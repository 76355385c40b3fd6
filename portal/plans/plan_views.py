"""The plan van aanpak of a client: its versions, goals, actions and evaluations, and the
forms that change it. Views are thin; the services make new versions where needed."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access.loaders import load_client, load_plan_action, load_plan_goal, load_plan_version
from portal.access.plans import can_evaluate, can_read_plan, can_read_texts, can_write_plan
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.models import Organisation, User
from portal.clock import local_today
from portal.converters import parse_id
from portal.extensions import db
from portal.forms import acting_user, form_page, show_domain_error
from portal.plans import bp, services
from portal.plans.forms import ActionForm, EvaluationForm, FixForm, GoalForm, choice_list
from portal.plans.zrm import current_version as current_zrm
from portal.refusal import DomainError
from portal.roles import OrganisationKind


def _arg_id(name: str) -> int | None:
    """An id from the query string; present but malformed answers 404."""
    raw = request.args.get(name)
    if raw is None:
        return None
    number = parse_id(raw)
    if number is None:
        abort(404)
    return number


@bp.route("/plan")
def plan(ref: str):
    client = load_client(ref, can_read_plan)
    all_versions = services.versions(client)
    number = _arg_id("versie")
    version = load_plan_version(client, number) if number else (
        all_versions[-1] if all_versions else None)
    texts = can_read_texts(current_user)
    record_and_commit("plans.plan_viewed", Action.READ, object_type="plan_version",
                      object_id=version.id if version else None, client_id=client.id,
                      detail={"number": version.number if version else None, "texts": texts})
    return render_template("plans/plan.html", client=client, version=version,
                           versions=all_versions, latest=all_versions[-1] if all_versions else None,
                           texts=texts, can_write=can_write_plan(current_user, client),
                           can_evaluate=lambda action: can_evaluate(current_user, action))


def _saved(form, client, save: Callable[[], object], message: Callable[[object], str]):
    """Run `save` on a valid submission: a redirect to the plan with `message(result)`, or
    None (the form shows the refusal, or is not yet submitted)."""
    if not form.validate_on_submit():
        return None
    try:
        result = save()
    except DomainError as error:
        show_domain_error(form, error)
        return None
    flash(message(result), "success")
    return redirect(url_for(".plan", ref=client.ref))


def _item_page(form, client, existing, *, heading: str, button: str):
    return form_page("plans/item_form.html", form, client=client, existing=existing,
                     heading=heading, button=button)


def _form_viewed(client, object_type: str, object_id: int) -> None:
    """A form filled with a goal's or an action's text shows plan content: a read."""
    record_and_commit("plans.plan_form_viewed", Action.READ, object_type=object_type,
                      object_id=object_id, client_id=client.id)


def _domain_choices() -> list[tuple[str, str]]:
    version = current_zrm()
    return [("", "Geen domein")] + [(str(d.id), d.name) for d in (version.domains if version
                                                                   else [])]


@bp.route("/plan/doel", methods=["GET", "POST"])
def goal(ref: str):
    """A new goal, or (?id=) a change to a goal of the latest version."""
    client = load_client(ref, can_write_plan)
    goal_id = _arg_id("id")
    existing = load_plan_goal(client, goal_id) if goal_id else None
    form = GoalForm(obj=existing)
    form.domain_id.choices = choice_list(_domain_choices())
    if existing is not None and not form.is_submitted():
        form.domain_id.data = str(existing.domain_id or "")
        _form_viewed(client, "plan_goal", existing.id)
    done = _saved(form, client, lambda: services.save_goal(
        acting_user(), client, goal_id, services.GoalData(
            domain_id=parse_id(form.domain_id.data), own_words=form.own_words.data,
            team_text=form.team_text.data)), lambda _: "Het doel is opgeslagen.")
    return done or _item_page(form, client, existing, button="Doel opslaan", heading=(
        f"Doel {existing.position} wijzigen" if existing else "Doel toevoegen"))


def _owner_choices() -> list[tuple[str, str]]:
    """Team members (casemanagers, ervaringsdeskundigen, procesregie) and partners."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    partners = db.session.scalars(select(Organisation).where(
        Organisation.kind == OrganisationKind.PARTNER.value).order_by(Organisation.name))
    return ([("", "Kies wie")]
            + [(f"gebruiker:{u.id}", f"{u.name} (team)") for u in users
               if u.roles & services.OWNER_ROLES]
            + [(f"organisatie:{o.id}", f"{o.name} (partner)") for o in partners])


def _goal_choices(client) -> list[tuple[str, str]]:
    latest = services.latest_version(client)
    goals = latest.goals if latest else []
    return [("", "Kies een doel")] + [
        (str(g.id), f"{g.position}. {(g.domain.name + ': ') if g.domain else ''}"
                    f"{g.team_text[:80]}") for g in goals]


@bp.route("/plan/actie", methods=["GET", "POST"])
def action(ref: str):
    """A new action (?doel= chooses its goal), or (?id=) a change to one."""
    client = load_client(ref, can_write_plan)
    action_id = _arg_id("id")
    existing = load_plan_action(client, action_id, lambda user, _: can_write_plan(
        user, client)) if action_id else None
    form = ActionForm(obj=existing)
    form.goal_id.choices = choice_list(_goal_choices(client))
    form.owner.choices = choice_list(_owner_choices())
    if not form.is_submitted():
        _prefill_action(form, existing)
        if existing is not None:
            _form_viewed(client, "plan_action", existing.id)
    done = _saved(form, client, lambda: services.save_action(
        acting_user(), client, action_id, services.ActionData(
            goal_id=parse_id(form.goal_id.data) or 0, description=form.description.data,
            owner=form.owner.data, due_on=form.due_on.data, status=form.status.data)),
        lambda _: "De actie is opgeslagen.")
    return done or _item_page(form, client, existing, button="Actie opslaan",
                              heading="Actie wijzigen" if existing else "Actie toevoegen")


def _prefill_action(form: ActionForm, existing) -> None:
    if existing is None:
        form.goal_id.data = request.args.get("doel", "")[:12]
        return
    form.goal_id.data = str(existing.goal_id)
    form.owner.data = (f"gebruiker:{existing.owner_user_id}" if existing.owner_user_id
                       else f"organisatie:{existing.owner_organisation_id}")


@bp.route("/plan/evaluatie", methods=["GET", "POST"])
def evaluation(ref: str):
    """An evaluation of an action of the latest version (?actie= chooses it)."""
    client = load_client(ref, can_read_plan)
    latest = services.latest_version(client)
    actions = [a for g in (latest.goals if latest else []) for a in g.actions
               if can_evaluate(current_user, a)]
    form = EvaluationForm(evaluated_on=local_today())
    form.action_id.choices = choice_list([("", "Kies een actie")] + [
        (str(a.id), a.description[:80]) for a in actions])
    if not form.is_submitted():
        form.action_id.data = request.args.get("actie", "")[:12]
    if not actions and form.is_submitted():
        form.form_errors.append("Er zijn geen acties in het plan die u kunt evalueren.")
        flash(form.form_errors[-1], "error")
    else:
        done = _saved(form, client, lambda: services.add_evaluation(
            acting_user(), client,
            load_plan_action(client, parse_id(form.action_id.data) or 0, can_evaluate),
            services.EvaluationData(evaluated_on=form.evaluated_on.data,
                                    result=form.result.data, next_step=form.next_step.data)),
            lambda _: "De evaluatie is opgeslagen.")
        if done:
            return done
    return form_page("plans/evaluation_form.html", form, client=client, actions=actions)


@bp.route("/plan/vaststellen", methods=["GET", "POST"])
def fix(ref: str):
    client = load_client(ref, can_write_plan)
    latest = services.latest_version(client)
    form = FixForm(agreed_on=local_today())
    if (latest is None or latest.is_fixed) and form.is_submitted():
        form.form_errors.append("Er is geen conceptversie om vast te stellen.")
        flash(form.form_errors[-1], "error")
    else:
        done = _saved(form, client, lambda: services.fix_version(
            acting_user(), client, form.agreed_on.data),
            lambda version: f"Versie {version.number} van het plan is vastgesteld.")
        if done:
            return done
    return form_page("plans/fix_form.html", form, client=client, version=latest)
