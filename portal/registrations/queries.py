"""Read queries of the registration workspace: filtered list and counts, fixed statement count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.admin.services import contains_pattern
from portal.clients.models import Client
from portal.documents.models import Document, DocumentKind
from portal.extensions import db
from portal.letters.models import Letter
from portal.registrations.lifecycle import OPEN_REQUEST_STATUSES, RegistrationStatus
from portal.registrations.models import Registration, RegistrationEvent

MAX_DAYS = 366


@dataclass(frozen=True)
class WorkspaceFilters:
    status: str = ""
    verloopt_binnen: str = ""
    zoek: str = ""

    @classmethod
    def from_args(cls, args) -> WorkspaceFilters:
        return cls(**{name: (args.get(name) or "").strip()[:80]
                      for name in cls.__dataclass_fields__})

    @property
    def days(self) -> int | None:
        text = self.verloopt_binnen  # ASCII digits only: "²".isdigit() holds too
        return min(int(text), MAX_DAYS) if text.isascii() and text.isdigit() else None

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def workspace_query(filters: WorkspaceFilters, today: date):
    """The ids of the registrations the filters select, in list order (workspace_rows shows
    them)."""
    query = select(Registration.id).join(Client, Client.id == Registration.client_id)
    if filters.status in {s.value for s in RegistrationStatus}:
        query = query.where(Registration.status == filters.status)
    if filters.days is not None:
        query = query.where(Registration.status == RegistrationStatus.VERLEEND.value,
                            Registration.valid_until >= today,
                            Registration.valid_until <= today + timedelta(days=filters.days))
    if filters.zoek:
        term = contains_pattern(filters.zoek)
        query = query.where(or_(func.lower(Registration.number).like(term, escape="\\"),
                                func.lower(Client.werknaam).like(term, escape="\\")))
    return query.order_by(*_workspace_order(filters))


def workspace_rows(filters: WorkspaceFilters):
    """rows(ids) for the workspace's pagination: each registration with its client's name."""
    def rows(ids):
        return (select(Registration, Client.werknaam, Client.ref.label("client_ref"))
                .join(Client, Client.id == Registration.client_id)
                .where(Registration.id.in_(ids)).order_by(*_workspace_order(filters)))
    return rows


def _workspace_order(filters: WorkspaceFilters) -> tuple:
    if filters.days is not None:
        return Registration.valid_until, Registration.id
    return (Registration.id.desc(),)


def status_counts() -> dict[str, int]:
    return dict(db.session.execute(select(Registration.status, func.count())
                                   .group_by(Registration.status)).all())


@dataclass(frozen=True)
class Summary:
    valid_now: int
    waiting: int
    expiring: int


def summary(today: date, reminder_days: int) -> Summary:
    verleend = Registration.status == RegistrationStatus.VERLEEND.value
    row = db.session.execute(select(
        func.count().filter(verleend, Registration.valid_from <= today,
                            Registration.valid_until >= today),
        func.count().filter(Registration.status.in_([s.value for s in OPEN_REQUEST_STATUSES])),
        func.count().filter(verleend, Registration.valid_until >= today,
                            Registration.valid_until <= today + timedelta(days=reminder_days)),
    )).one()
    return Summary(*row)


def client_registrations(client_id: int) -> list[Registration]:
    return db.session.scalars(select(Registration).where(Registration.client_id == client_id)
                              .order_by(Registration.id.desc())).all()


def history(registration: Registration) -> list[RegistrationEvent]:
    """Newest first, with who did it, in one query."""
    return db.session.scalars(select(RegistrationEvent).where(
        RegistrationEvent.registration_id == registration.id)
        .options(selectinload(RegistrationEvent.by))
        .order_by(RegistrationEvent.id.desc())).all()


def registration_documents(client: Client, scope) -> list[Document]:
    """The client's registration documents within the user's document scope."""
    return db.session.scalars(select(Document).where(
        Document.client_id == client.id, Document.kind == DocumentKind.REGISTRATIEDOCUMENT.value,
        scope).order_by(Document.created_at.desc())).all()


def registration_letters(registration: Registration) -> list[Letter]:
    return db.session.scalars(select(Letter).where(Letter.registration_id == registration.id)
                              .options(selectinload(Letter.document))
                              .order_by(Letter.id.desc())).all()
