"""Read queries for lists and counts: each runs a fixed number of statements per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import lazyload, load_only, selectinload

from portal import access
from portal.admin.services import contains_pattern
from portal.auth.models import Organisation, User, UserRole
from portal.clients.lifecycle import ClientStatus
from portal.clients.models import Client, JournalEntry, Traject, client_casemanagers
from portal.clock import local_today
from portal.converters import parse_id
from portal.extensions import db
from portal.registrations import settings as registration_settings
from portal.registrations.lifecycle import ENDED_STATUSES, RegistrationStatus
from portal.registrations.models import Registration
from portal.roles import Role


@dataclass(frozen=True)
class ClientFilters:
    status: str = ""
    casemanager: str = ""
    organisation: str = ""
    trajectsoort: str = ""
    zoek: str = ""

    @classmethod
    def from_args(cls, args) -> ClientFilters:
        return cls(**{name: (args.get(name) or "").strip()[:80]
                      for name in cls.__dataclass_fields__})

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def _filtered(query, filters: ClientFilters, user):
    if filters.status in {s.value for s in ClientStatus}:
        query = query.where(Client.status == filters.status)
    team_filters = access.can_filter_by_team(user)
    if team_filters and (casemanager := parse_id(filters.casemanager)):
        query = query.where(Client.casemanagers.any(User.id == casemanager))
    if team_filters and (organisation := parse_id(filters.organisation)):
        query = query.where(Client.casemanagers.any(User.organisation_id == organisation))
    if filters.trajectsoort in {k.value for k in access.visible_traject_kinds(user)}:
        query = query.where(Client.trajecten.any(Traject.kind == filters.trajectsoort))
    if filters.zoek:
        term = contains_pattern(filters.zoek)
        query = query.where(or_(func.lower(Client.werknaam).like(term, escape="\\"),
                                func.lower(Client.number).like(term, escape="\\")))
    return query


def _last_contact():
    return (select(func.max(JournalEntry.entry_date))
            .where(JournalEntry.client_id == Client.id).scalar_subquery())


def _registration_ends():
    """The last valid day of a registration that ends within the reminder window."""
    today = local_today()
    window_end = today + timedelta(days=registration_settings.current().reminder_days)
    return (select(func.min(Registration.valid_until))
            .where(Registration.client_id == Client.id,
                   Registration.status == RegistrationStatus.VERLEEND.value,
                   Registration.valid_until.between(today, window_end)).scalar_subquery())


def _registration_ended():
    """The end date of a registration that ended (expired, revoked, lapsed) recently."""
    since = local_today() - timedelta(days=current_app.config["ATTENTION_RECENT_DAYS"])
    return (select(func.max(Registration.ended_on))
            .where(Registration.client_id == Client.id, Registration.ended_on >= since,
                   Registration.status.in_(ENDED_STATUSES)).scalar_subquery())


# Lists and staff choices show a person's name only: her roles and organisation are loaded
# only if something asks for them, and her password hash and TOTP secrets never reach them.
NAMES_ONLY = (load_only(User.id, User.name, User.email, User.organisation_id, User.active),
              lazyload(User.role_rows), lazyload(User.organisation))
LIST_ORDER = (Client.werknaam, Client.id)


def overview_query(user, filters: ClientFilters):
    """The ids of the clients this user may see, filtered, in list order (list_rows shows
    them)."""
    return _filtered(select(Client.id).where(access.client_scope(user)), filters,
                     user).order_by(*LIST_ORDER)


def caseload_query(user, filters: ClientFilters):
    """Her own clients: assigned casemanager, assigned ervaringsdeskundige, or diagnosticus."""
    # IN over her assignments rather than EXISTS per client: the database starts from her
    # few hundred clients instead of testing all of them.
    own = []
    if user.has_role(Role.CASEMANAGER):
        own.append(Client.id.in_(select(client_casemanagers.c.client_id)
                                 .where(client_casemanagers.c.user_id == user.id)))
    if user.has_role(Role.ERVARINGSDESKUNDIGE):
        own.append(Client.ervaringsdeskundige_id == user.id)
    if user.has_role(Role.DIAGNOSTICUS):
        own.append(Client.id.in_(select(Traject.client_id)
                                 .where(Traject.diagnosticus_id == user.id)))
    return overview_query(user, filters).where(or_(*own))


def list_rows(ids):
    """The rows of a client list for ids chosen within the user's access: each client with
    the date of the last journaal entry and the registration signals (ending soon, ended
    recently) for the Aandacht column."""
    return (select(Client, _last_contact().label("last_contact"),
                   _registration_ends().label("registration_ends"),
                   _registration_ended().label("registration_ended"))
            .where(Client.id.in_(ids))
            .options(selectinload(Client.casemanagers).options(*NAMES_ONLY),
                     selectinload(Client.trajecten))
            .order_by(*LIST_ORDER))


def status_counts(user, filters: ClientFilters) -> dict[str, int]:
    query = _filtered(select(Client.status, func.count(Client.id))
                      .where(access.client_scope(user)).group_by(Client.status), filters, user)
    return dict(query_rows(query))


def organisation_counts(user, filters: ClientFilters) -> list[tuple[str, int]]:
    """Clients per organisation of their casemanager(s); a client with two counts in both."""
    if not access.can_filter_by_team(user):
        return []
    query = (select(Organisation.name, func.count(func.distinct(client_casemanagers.c.client_id)))
             .join(User, User.organisation_id == Organisation.id)
             .join(client_casemanagers, client_casemanagers.c.user_id == User.id)
             .join(Client, Client.id == client_casemanagers.c.client_id)
             .where(access.client_scope(user))
             .group_by(Organisation.name).order_by(Organisation.name))
    return list(query_rows(_filtered(query, filters, user)))


def query_rows(query):
    return db.session.execute(query).all()


def staff_with_role(role: Role) -> list[User]:
    return staff_by_role(role)[0]


def staff_by_role(*roles: Role) -> list[list[User]]:
    """The active users of each role, by name, in one statement (a form's staff lists)."""
    rows = db.session.execute(
        select(User, UserRole.role).join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role.in_([role.value for role in roles]))
        .options(*NAMES_ONLY).order_by(User.name, User.id))
    found: dict[str, list[User]] = {role.value: [] for role in roles}
    for user, role in rows:
        found[role].append(user)
    return [found[role.value] for role in roles]


def organisations_with_casemanagers() -> list[Organisation]:
    """Organisations with a user who has a client (a probe per user, not a scan of all
    assignments)."""
    has_clients = select(client_casemanagers.c.user_id).where(
        client_casemanagers.c.user_id == User.id).exists()
    return list(db.session.scalars(
        select(Organisation).where(Organisation.users.any(has_clients))
        .order_by(Organisation.name)))
