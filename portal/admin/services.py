"""User and organisation management; every function is one audited transaction."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.access import powers
from portal.admin.models import PowerProposal, ProposalKind, ProposalStatus
from portal.audit.models import Action
from portal.audit.services import record
from portal.auth import enrolment, passwords, sessions
from portal.auth.models import Organisation, User, UserRole
from portal.extensions import db
from portal.refusal import DomainError
from portal.roles import Role
from portal.transactions import service

EMAIL_TAKEN = "Er bestaat al een account met dit e-mailadres."
ALREADY_PROPOSED = "Er wacht al een voorstel van deze soort voor dit account; laat dat eerst " \
    "beoordelen."
OUTDATED = "Het account is intussen gewijzigd, dus dit voorstel klopt niet meer. Wijs het af; " \
    "de beheerder doet zo nodig een nieuw voorstel."


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds the text literally (% and _ lose their wildcard meaning)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def user_list_query(search: str = "", role: str = "", active: str = ""):
    query = select(User).order_by(User.name)
    if search:
        term = contains_pattern(search)
        query = query.where(func.lower(User.name).like(term, escape="\\")
                            | func.lower(User.email).like(term, escape="\\"))
    if role in {r.value for r in Role}:
        query = query.where(User.role_rows.any(UserRole.role == role))
    if active in {"ja", "nee"}:
        query = query.where(User.active.is_(active == "ja"))
    return query


def email_in_use(email: str, exclude_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query) is not None


@service
def create_user(*, name: str, email: str, organisation_id: int, roles, password: str,
                must_change_password: bool = True, totp_secret: str | None = None) -> User:
    """Bootstrap only (`flask portal create-user` and the demo): the person at the console is
    trusted with the password. The beheerder's screens use create_account."""
    email = email.strip().lower()
    if email_in_use(email):
        raise DomainError(EMAIL_TAKEN, field="email")
    user = User(name=name.strip(), email=email, organisation_id=organisation_id,
                password_hash=passwords.hash_password(password),
                must_change_password=must_change_password, totp_secret=totp_secret)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    record("admin.user_created", Action.CREATE, object_type="user", object_id=user.id,
           detail={"roles": sorted(r.value for r in user.roles)})
    _commit_or_email_taken()
    return user


def _roles(values) -> list[str]:
    return sorted(Role(r).value for r in values)


@service
def create_account(*, name: str, email: str, organisation_id: int, roles,
                   actor: User) -> tuple[User, PowerProposal | None]:
    """A new account without a usable password. Roles that open dossiers wait for approval;
    the enrolment link goes to her own address once nothing waits any more."""
    email = email.strip().lower()
    if email_in_use(email):
        raise DomainError(EMAIL_TAKEN, field="email")
    requested = {Role(r) for r in roles}
    now_given = requested - powers.guarded_roles()
    user = User(name=name.strip(), email=email, organisation_id=organisation_id,
                password_hash=enrolment.unusable_password_hash(), must_change_password=False)
    user.set_roles(now_given)
    db.session.add(user)
    db.session.flush()
    record("admin.user_created", Action.CREATE, object_type="user", object_id=user.id,
           detail={"roles": _roles(now_given),
                   "proposed": _roles(requested - now_given)})
    proposal = None
    if requested != now_given:
        proposal = _propose(user, ProposalKind.NIEUW_ACCOUNT, actor,
                            {"roles_before": _roles(now_given), "roles_after": _roles(requested)})
    else:
        enrolment.issue(user, ProposalKind.NIEUW_ACCOUNT.value)
    _commit_or_email_taken()
    return user, proposal


@service
def update_user(user: User, *, name: str, email: str, organisation_id: int, roles,
                actor: User) -> PowerProposal | None:
    """Name and organisation change at once; a change of roles that gives a guarded role, or
    of the address of an account with one, becomes a proposal (returned) and waits."""
    email = email.strip().lower()
    wanted = {Role(r) for r in roles}
    if actor.id == user.id and wanted != set(user.roles):
        raise DomainError("U kunt uw eigen rollen niet wijzigen; vraag een andere beheerder.",
                          field="roles")
    if email_in_use(email, exclude_id=user.id):
        raise DomainError(EMAIL_TAKEN, field="email")
    before = set(user.roles)
    if Role.BEHEERDER in before and Role.BEHEERDER not in wanted:
        _keep_one_beheerder(user)
    user.name, user.organisation_id = name.strip(), organisation_id
    guarded = powers.needs_approval(before, wanted) or (
        email != user.email and powers.holds_guarded_role(before | wanted))
    proposal = None
    if guarded:
        proposal = _propose(user, ProposalKind.WIJZIGING, actor, {
            "roles_before": _roles(before), "roles_after": _roles(wanted),
            "email_before": user.email, "email_after": email})
    else:
        user.email = email
        user.set_roles(wanted)
    after = set(user.roles)
    record("admin.user_updated", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"roles_before": _roles(before), "roles_after": _roles(after)}
           if before != after else {})
    _commit_or_email_taken()
    return proposal


def _propose(user: User, kind: ProposalKind, actor: User, change: dict) -> PowerProposal:
    """The caller commits."""
    waiting = db.session.scalar(select(PowerProposal.id).where(
        PowerProposal.user_id == user.id, PowerProposal.kind == kind.value,
        PowerProposal.status == ProposalStatus.OPEN.value))
    if waiting is not None:
        raise DomainError(ALREADY_PROPOSED)
    proposal = PowerProposal(kind=kind.value, user_id=user.id, change=change,
                             proposed_by_id=actor.id)
    db.session.add(proposal)
    db.session.flush()
    record("admin.power_proposed", Action.CREATE, object_type="power_proposal",
           object_id=proposal.id, detail={"kind": kind.value, "user": user.id, **change})
    return proposal


@service
def propose_reset(user: User, kind: ProposalKind, actor: User) -> PowerProposal:
    """A reset of her password or second factor; nothing changes until it is approved."""
    if not user.active:
        raise DomainError("Dit account is gedeactiveerd; activeer het eerst.")
    proposal = _propose(user, kind, actor, {"email": user.email})
    db.session.commit()
    return proposal


def open_proposals():
    return db.session.scalars(select(PowerProposal)
                              .where(PowerProposal.status == ProposalStatus.OPEN.value)
                              .order_by(PowerProposal.proposed_at, PowerProposal.id)).all()


def decided_proposals(limit: int = 20):
    return db.session.scalars(select(PowerProposal)
                              .where(PowerProposal.status != ProposalStatus.OPEN.value)
                              .order_by(PowerProposal.decided_at.desc(), PowerProposal.id.desc())
                              .limit(limit)).all()


def proposals_about(user: User):
    return db.session.scalars(select(PowerProposal).where(PowerProposal.user_id == user.id)
                              .order_by(PowerProposal.proposed_at.desc(),
                                        PowerProposal.id.desc()).limit(10)).all()


@service
def decide(proposal: PowerProposal, actor: User, *, approve: bool, reason: str) -> None:
    """Approve (the change takes effect now) or reject; refused for her own proposal, one
    about her own account, one already decided, or without an approver role."""
    db.session.refresh(proposal, with_for_update=True)
    refusal = powers.decision_refusal(actor, proposal)
    if refusal:
        raise DomainError(refusal)
    if approve:
        _APPLY[ProposalKind(proposal.kind)](proposal)
    proposal.status = (ProposalStatus.GOEDGEKEURD if approve else ProposalStatus.AFGEWEZEN).value
    proposal.decided_by_id, proposal.decided_at = actor.id, enrolment.now()
    proposal.decision_reason = reason.strip()
    record("admin.power_approved" if approve else "admin.power_rejected", Action.UPDATE,
           object_type="power_proposal", object_id=proposal.id,
           detail={"kind": proposal.kind, "user": proposal.user_id,
                   "proposed_by": proposal.proposed_by_id, "reason": reason.strip()})
    _commit_or_email_taken()


def _apply_roles(proposal: PowerProposal) -> None:
    user = proposal.user
    change = proposal.change
    if set(user.roles) != proposal.roles_before or \
            user.email != change.get("email_before", user.email):
        raise DomainError(OUTDATED)
    if Role.BEHEERDER in proposal.roles_removed:
        _keep_one_beheerder(user)
    email = change.get("email_after", user.email)
    if email_in_use(email, exclude_id=user.id):
        raise DomainError(EMAIL_TAKEN)
    user.email = email
    user.set_roles(proposal.roles_after)
    record("admin.user_updated", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"roles_before": _roles(proposal.roles_before),
                   "roles_after": _roles(proposal.roles_after), "proposal": proposal.id})
    if proposal.kind == ProposalKind.NIEUW_ACCOUNT.value:
        enrolment.issue(user, proposal.kind)


def _apply_password_reset(proposal: PowerProposal) -> None:
    user = proposal.user
    user.password_hash = enrolment.unusable_password_hash()
    user.must_change_password = False
    user.failed_logins, user.locked_until = 0, None
    ended = sessions.end_all_sessions(user, "wachtwoord hersteld")
    record("admin.user_password_reset", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"sessions_ended": ended, "proposal": proposal.id})
    enrolment.issue(user, proposal.kind)


def _apply_second_factor_reset(proposal: PowerProposal) -> None:
    """She enrols a new authenticator through the link; her sessions end now."""
    user = proposal.user
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = 0
    ended = sessions.end_all_sessions(user, "tweede factor hersteld")
    record("admin.user_totp_reset", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"sessions_ended": ended, "proposal": proposal.id})
    enrolment.issue(user, proposal.kind)


_APPLY = {ProposalKind.NIEUW_ACCOUNT: _apply_roles, ProposalKind.WIJZIGING: _apply_roles,
          ProposalKind.WACHTWOORD: _apply_password_reset,
          ProposalKind.TWEEDE_FACTOR: _apply_second_factor_reset}


def _commit_or_email_taken() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # a concurrent request took the address
        db.session.rollback()
        raise DomainError(EMAIL_TAKEN, field="email") from error


def _keep_one_beheerder(user: User) -> None:
    # FOR UPDATE (PostgreSQL) keeps two beheerders from removing each other at the same time;
    # SQLite transactions already hold the write lock.
    others = db.session.scalars(
        select(User.id).where(
            User.id != user.id, User.active.is_(True),
            User.role_rows.any(UserRole.role == Role.BEHEERDER.value)).with_for_update()).all()
    if not others:
        raise DomainError("Dit is de laatste actieve functioneel beheerder; wijs eerst een "
                          "andere beheerder aan.")


@service
def set_active(user: User, active: bool, actor: User) -> None:
    if not active and user.id == actor.id:
        raise DomainError("U kunt uw eigen account niet deactiveren.")
    if not active and user.has_role(Role.BEHEERDER):
        _keep_one_beheerder(user)
    user.active = active
    ended = 0 if active else sessions.end_all_sessions(user, "gedeactiveerd")
    record("admin.user_activated" if active else "admin.user_deactivated", Action.UPDATE,
           object_type="user", object_id=user.id, detail={"sessions_ended": ended})
    db.session.commit()


def user_counts_by_organisation() -> dict[int, int]:
    rows = db.session.execute(select(User.organisation_id, func.count(User.id))
                              .group_by(User.organisation_id))
    return dict(rows.all())


def find_organisation(name: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower()))


@service
def save_organisation(organisation: Organisation | None, *, name: str, kind: str) -> Organisation:
    name = name.strip()
    clash = db.session.scalar(select(Organisation.id).where(
        func.lower(Organisation.name) == name.lower(),
        Organisation.id != (organisation.id if organisation else -1)))
    if clash:
        raise DomainError("Er bestaat al een organisatie met deze naam.", field="name")
    created = organisation is None
    organisation = organisation or Organisation()
    organisation.name, organisation.kind = name, kind
    db.session.add(organisation)
    db.session.flush()
    record("admin.organisation_created" if created else "admin.organisation_updated",
           Action.CREATE if created else Action.UPDATE, object_type="organisation",
           object_id=organisation.id)
    db.session.commit()
    return organisation
