"""User and organisation management; every function is one audited transaction."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth import passwords, sessions
from portal.auth.models import Organisation, User, UserRole
from portal.extensions import db
from portal.refusal import DomainError
from portal.roles import Role
from portal.transactions import service

EMAIL_TAKEN = "Er bestaat al een account met dit e-mailadres."


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


@service
def update_user(user: User, *, name: str, email: str, organisation_id: int, roles,
                actor: User | None = None) -> None:
    email = email.strip().lower()
    if actor is not None and actor.id == user.id and \
            {Role(r) for r in roles} != set(user.roles):
        raise DomainError("U kunt uw eigen rollen niet wijzigen; vraag een andere beheerder.",
                          field="roles")
    if email_in_use(email, exclude_id=user.id):
        raise DomainError(EMAIL_TAKEN, field="email")
    before = sorted(r.value for r in user.roles)
    if Role.BEHEERDER.value in before and Role.BEHEERDER.value not in roles:
        _keep_one_beheerder(user)
    user.name, user.email, user.organisation_id = name.strip(), email, organisation_id
    user.set_roles(roles)
    after = sorted(r.value for r in user.roles)
    record("admin.user_updated", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"roles_before": before, "roles_after": after} if before != after else {})
    _commit_or_email_taken()


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


@service
def reset_second_factor(user: User) -> None:
    """The user enrols a new authenticator at her next login; her sessions end now."""
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = 0
    ended = sessions.end_all_sessions(user, "tweede factor hersteld")
    record("admin.user_totp_reset", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"sessions_ended": ended})
    db.session.commit()


@service
def set_temporary_password(user: User, password: str) -> None:
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    ended = sessions.end_all_sessions(user, "wachtwoord hersteld")
    record("admin.user_password_reset", Action.UPDATE, object_type="user", object_id=user.id,
           detail={"sessions_ended": ended})
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
