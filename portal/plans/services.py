"""The plan van aanpak: goals per ZRM domain, actions and evaluations, in versions.

A version is a concept until it is vastgesteld on a date agreed with the client. A change to
a vastgesteld plan (a goal or an action) is made in a new concept version, a copy of the
previous one, so what was agreed stays readable as it was. Evaluations record what became of
an action and belong to the version they evaluate; a copy takes them along."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import Organisation, User
from portal.clients.models import Client
from portal.clock import local_today
from portal.extensions import db
from portal.plans.models import (
    ACTION_STATUSES,
    PlanAction,
    PlanEvaluation,
    PlanGoal,
    PlanVersion,
    ZrmDomain,
)
from portal.plans.zrm import current_version as current_zrm
from portal.refusal import DomainError
from portal.roles import OrganisationKind, Role
from portal.transactions import service

OWNER_ROLES = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR})


@dataclass(frozen=True)
class GoalData:
    domain_id: int | None
    own_words: str
    team_text: str


@dataclass(frozen=True)
class ActionData:
    goal_id: int
    description: str
    owner: str  # "gebruiker:<id>" or "organisatie:<id>"
    due_on: date | None
    status: str


@dataclass(frozen=True)
class EvaluationData:
    evaluated_on: date
    result: str
    next_step: str | None


def latest_version(client) -> PlanVersion | None:
    return db.session.scalar(select(PlanVersion).where(PlanVersion.client_id == client.id)
                             .order_by(PlanVersion.number.desc()).limit(1))


def versions(client) -> list[PlanVersion]:
    return list(db.session.scalars(select(PlanVersion).where(
        PlanVersion.client_id == client.id).order_by(PlanVersion.number)))


def _lock_plan(client) -> None:
    """Serialise changes to one client's plan (two writers never make the same version)."""
    db.session.execute(select(Client.id).where(Client.id == client.id).with_for_update())


def _working_version(actor, client) -> tuple[PlanVersion, dict, dict]:
    """The concept version changes go into, with maps from the ids of the version it was
    copied from (when it was just made from a vastgesteld one) to the copies."""
    _lock_plan(client)
    latest = latest_version(client)
    if latest is not None and not latest.is_fixed:
        return latest, {}, {}
    number = (latest.number + 1) if latest else 1
    version = PlanVersion(client_id=client.id, number=number, created_by_id=actor.id)
    goal_map, action_map = {}, {}
    for goal in (latest.goals if latest else []):
        copy = PlanGoal(domain_id=goal.domain_id, position=goal.position,
                        own_words=goal.own_words, team_text=goal.team_text)
        for action in goal.actions:
            action_copy = PlanAction(
                description=action.description, owner_user_id=action.owner_user_id,
                owner_organisation_id=action.owner_organisation_id, due_on=action.due_on,
                status=action.status, evaluations=[PlanEvaluation(
                    evaluated_on=e.evaluated_on, result=e.result, next_step=e.next_step,
                    by_id=e.by_id) for e in action.evaluations])
            copy.actions.append(action_copy)
            action_map[action.id] = action_copy
        version.goals.append(copy)
        goal_map[goal.id] = copy
    db.session.add(version)
    db.session.flush()
    record("plans.version_created", Action.CREATE, object_type="plan_version",
           object_id=version.id, client_id=client.id, user=actor,
           detail={"number": number, "copied_from": latest.number if latest else None})
    return version, goal_map, action_map


def _in_version(version: PlanVersion, goal_map: dict, goal_id: int) -> PlanGoal:
    goal = goal_map.get(goal_id) or next((g for g in version.goals if g.id == goal_id), None)
    if goal is None:
        raise DomainError("Kies een doel van de huidige versie van het plan.", field="goal_id")
    return goal


def _domain(domain_id: int | None) -> int | None:
    if domain_id is None:
        return None
    version = current_zrm()
    domain = db.session.get(ZrmDomain, domain_id)
    if domain is None or version is None or domain.version_id != version.id:
        raise DomainError("Kies een domein van de ZRM, of geen domein.", field="domain_id")
    return domain.id


def _text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text


@service
def save_goal(actor, client, goal_id: int | None, data: GoalData) -> PlanGoal:
    """Add a goal (goal_id None) or change one of the latest version."""
    domain_id = _domain(data.domain_id)
    own = _text(data.own_words, "own_words", "Schrijf op wat zij wil bereiken.")
    team = _text(data.team_text, "team_text", "Vul de formulering van het team in.")
    version, goal_map, _ = _working_version(actor, client)
    if goal_id is None:
        position = 1 + max((g.position for g in version.goals), default=0)
        goal = PlanGoal(position=position, own_words=own, team_text=team, domain_id=domain_id)
        version.goals.append(goal)
    else:
        goal = _in_version(version, goal_map, goal_id)
        goal.domain_id, goal.own_words, goal.team_text = domain_id, own, team
    db.session.flush()
    record("plans.goal_saved", Action.CREATE if goal_id is None else Action.UPDATE,
           object_type="plan_goal", object_id=goal.id, client_id=client.id, user=actor,
           detail={"version": version.number, "domain_id": domain_id})
    db.session.commit()
    return goal


def _owner(value: str) -> tuple[int | None, int | None]:
    """(user id, organisation id) of the owner: a team member or a partner organisation."""
    kind, _, raw = (value or "").partition(":")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    if kind == "gebruiker" and number:
        user = db.session.get(User, number)
        if user is not None and user.active and user.roles & OWNER_ROLES:
            return user.id, None
    if kind == "organisatie" and number:
        organisation = db.session.get(Organisation, number)
        if organisation is not None and organisation.kind == OrganisationKind.PARTNER.value:
            return None, organisation.id
    raise DomainError("Kies een lid van het team of een partnerorganisatie.", field="owner")


@service
def save_action(actor, client, action_id: int | None, data: ActionData) -> PlanAction:
    """Add an action to a goal (action_id None) or change one of the latest version."""
    user_id, organisation_id = _owner(data.owner)
    description = _text(data.description, "description", "Beschrijf de actie.")
    if data.status not in ACTION_STATUSES:
        raise DomainError("Kies een status.", field="status")
    version, goal_map, action_map = _working_version(actor, client)
    goal = _in_version(version, goal_map, data.goal_id)
    if action_id is None:
        action = PlanAction()
        goal.actions.append(action)
    else:
        action = action_map.get(action_id) or _action_in(version, action_id)
        action.goal = goal
    action.description, action.due_on, action.status = description, data.due_on, data.status
    action.owner_user_id, action.owner_organisation_id = user_id, organisation_id
    db.session.flush()
    record("plans.action_saved", Action.CREATE if action_id is None else Action.UPDATE,
           object_type="plan_action", object_id=action.id, client_id=client.id, user=actor,
           detail={"version": version.number, "status": data.status})
    db.session.commit()
    return action


def _action_in(version: PlanVersion, action_id: int) -> PlanAction:
    for goal in version.goals:
        for action in goal.actions:
            if action.id == action_id:
                return action
    raise DomainError("Kies een actie van de huidige versie van het plan.", field="action_id")


@service
def add_evaluation(actor, client, action: PlanAction, data: EvaluationData) -> PlanEvaluation:
    """Record what became of an action of the latest version (vastgesteld or not)."""
    latest = latest_version(client)
    if latest is None or action.goal.version_id != latest.id:
        raise DomainError("Evalueer een actie van de huidige versie van het plan.",
                          field="action_id")
    if data.evaluated_on > local_today():
        raise DomainError("Een evaluatie kan niet in de toekomst liggen.",
                          field="evaluated_on")
    result = _text(data.result, "result", "Beschrijf het resultaat.")
    evaluation = PlanEvaluation(evaluated_on=data.evaluated_on, result=result,
                                next_step=(data.next_step or "").strip() or None,
                                by_id=actor.id)
    action.evaluations.append(evaluation)
    db.session.flush()
    record("plans.evaluation_added", Action.CREATE, object_type="plan_evaluation",
           object_id=evaluation.id, client_id=client.id, user=actor,
           detail={"version": latest.number, "action_id": action.id})
    db.session.commit()
    return evaluation


@service
def fix_version(actor, client, agreed_on: date) -> PlanVersion:
    """Vaststellen: the concept becomes the version agreed with the client on that date."""
    _lock_plan(client)
    version = latest_version(client)
    if version is None or version.is_fixed:
        raise DomainError("Er is geen conceptversie om vast te stellen; wijzig eerst het "
                          "plan.")
    if not version.goals:
        raise DomainError("Een plan zonder doelen kan niet worden vastgesteld.")
    if agreed_on > local_today():
        raise DomainError("De datum van vaststelling kan niet in de toekomst liggen.",
                          field="agreed_on")
    previous = db.session.scalar(select(func.max(PlanVersion.agreed_on)).where(
        PlanVersion.client_id == client.id, PlanVersion.number < version.number))
    if previous is not None and agreed_on < previous:
        raise DomainError("De datum ligt voor de vaststelling van de vorige versie.",
                          field="agreed_on")
    version.agreed_on, version.agreed_by_id = agreed_on, actor.id
    record("plans.version_fixed", Action.UPDATE, object_type="plan_version",
           object_id=version.id, client_id=client.id, user=actor,
           detail={"number": version.number, "agreed_on": agreed_on.isoformat()})
    db.session.commit()
    return version
