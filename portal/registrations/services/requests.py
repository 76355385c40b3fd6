"""Requests: a new registration, a renewal of one, and changes to a request's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.audit.models import Action
from portal.clients.models import Client
from portal.clock import local_today
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations.lifecycle import (
    OPEN_REQUEST_STATUSES,
    RENEWABLE,
    RegistrationKind,
)
from portal.registrations.lifecycle import RegistrationStatus as S
from portal.registrations.models import Registration
from portal.registrations.services.common import (
    audit,
    check_personal_mode,
    locked,
    log_event,
    next_registration_number,
    not_future,
)
from portal.registrations.services.intake import open_intake
from portal.transactions import service


@dataclass(frozen=True)
class RequestData:
    requested_on: date
    criterion: str | None = None
    id_check_document: str | None = None
    id_check_date: date | None = None
    note: str | None = None
    decision_kenmerk: str | None = None  # None: not given (only a decided registration has one)


@service
def request_registration(actor, client: Client, data: RequestData) -> Registration:
    """Record a new request (kind nieuw) for a client; it starts from her open intake."""
    _check_new_request(client)
    intake = open_intake(client)
    if intake is None:
        raise DomainError("Leg eerst de intake vast: zoek of maak het dossier en noteer de "
                          "ID-controle. Daarna kunt u de aanvraag vastleggen.")
    registration = _new_request(actor, client, data, RegistrationKind.NIEUW)
    db.session.flush()
    intake.registration_id = registration.id
    audit("requested", Action.CREATE, registration, {"kind": registration.kind})
    db.session.commit()
    return registration


@service
def renew(actor, previous: Registration, data: RequestData) -> Registration:
    """A renewal is a new request linked to the registration it continues."""
    check_personal_mode()
    if previous.status_enum not in RENEWABLE:
        raise DomainError("Alleen een verleende of verlopen registratie kan worden hernieuwd.")
    _lock_client(previous.client_id)
    later = renewal_of(previous)
    if later:
        raise DomainError(f"Deze registratie is al hernieuwd met {later.number}.")
    valid = _valid_number(previous.client_id)
    if valid and valid != previous.number:
        raise DomainError(f"Deze cliënt heeft een geldige registratie ({valid}); hernieuw "
                          "die in plaats van deze.")
    _check_no_open_request(previous.client)
    registration = _new_request(actor, previous.client, data, RegistrationKind.HERNIEUWING,
                                previous=previous)
    log_event(previous, actor, "hernieuwing", data.requested_on,
              f"Hernieuwing aangevraagd: {registration.number}")
    audit("renewal_requested", Action.CREATE, registration, {"previous": previous.number})
    db.session.commit()
    return registration


def renewal_of(registration: Registration) -> Registration | None:
    """The renewal that continues this registration; a refused renewal does not count."""
    return db.session.scalar(select(Registration).where(
        Registration.previous_id == registration.id,
        Registration.status != S.AFGEWEZEN.value))


def _check_new_request(client: Client) -> None:
    check_personal_mode()
    _lock_client(client.id)
    valid = _valid_number(client.id)
    if valid:
        raise DomainError(f"Deze cliënt heeft al een geldige registratie ({valid}); vraag een "
                          "hernieuwing aan.")
    _check_no_open_request(client)


def _lock_client(client_id: int) -> None:
    """Serialise requests for one client (PostgreSQL row lock; SQLite serialises writers)."""
    db.session.execute(select(Client.id).where(Client.id == client_id).with_for_update())


def _valid_number(client_id: int) -> str | None:
    """The client's verleend registration (the valid one, or a renewal yet to start)."""
    return db.session.scalar(select(Registration.number).where(
        Registration.client_id == client_id, Registration.status == S.VERLEEND.value)
        .order_by(Registration.id))


def _check_no_open_request(client: Client) -> None:
    pending = db.session.scalar(select(Registration.number).where(
        Registration.client_id == client.id,
        Registration.status.in_([s.value for s in OPEN_REQUEST_STATUSES])))
    if pending:
        raise DomainError(f"Voor deze cliënt loopt al een aanvraag ({pending}).")


def _new_request(actor, client: Client, data: RequestData, kind: RegistrationKind,
                 previous: Registration | None = None) -> Registration:
    not_future(data.requested_on, "requested_on", "aanvraagdatum")
    registration = Registration(
        number=next_registration_number(data.requested_on.year), client_id=client.id,
        kind=kind.value, previous_id=previous.id if previous else None,
        status=S.AANGEVRAAGD.value, requested_on=data.requested_on, created_by_id=actor.id)
    _apply_details(registration, data, actor)
    db.session.add(registration)
    follows = f" (vervolg op {previous.number})" if previous else ""
    log_event(registration, actor, "aanvraag", data.requested_on,
              f"{kind.label} aangevraagd{follows}", to_status=S.AANGEVRAAGD)
    return registration


def _detail_values(data: RequestData, decided: bool) -> dict:
    if bool(data.id_check_document) != bool(data.id_check_date):
        raise DomainError("Vul bij de ID-controle zowel het soort document als de datum in.",
                          field="id_check_date")
    if data.id_check_date:
        not_future(data.id_check_date, "id_check_date", "datum van de ID-controle")
    return {"requested_on": data.requested_on,
            "criterion": (data.criterion or "").strip() or None,
            "id_check_document": (data.id_check_document or "").strip() or None,
            "id_check_date": data.id_check_date, "note": (data.note or "").strip() or None,
            # The besluit-kenmerk often arrives after the decision is recorded.
            **({"decision_kenmerk": (data.decision_kenmerk or "").strip() or None}
               if decided and data.decision_kenmerk is not None else {})}


def _apply_details(registration: Registration, data: RequestData, actor,
                   note_only: bool = False) -> list[str]:
    values = _detail_values(data, decided=registration.decided_on is not None)
    changed = [name for name, value in values.items() if getattr(registration, name) != value]
    if note_only and set(changed) - CHANGEABLE_AFTER_DECISION:
        raise DomainError(AFTER_DECISION_MESSAGE)
    for name in changed:
        setattr(registration, name, values[name])
    if {"id_check_document", "id_check_date"} & set(changed):
        registration.id_check_by_id = actor.id if registration.id_check_document else None
    return changed


def _check_request_date_change(registration: Registration, requested_on: date) -> None:
    """The number belongs to the request's year, and the request precedes what followed it."""
    if requested_on == registration.requested_on:
        return
    if requested_on.year != registration.requested_on.year:
        raise DomainError(f"Het registratienummer hoort bij {registration.requested_on.year}; "
                          "kies een aanvraagdatum in dat jaar.", field="requested_on")
    later = [e.on_date for e in registration.events if e.event == "status"]
    if later and requested_on > min(later):
        raise DomainError("De aanvraagdatum ligt niet na de behandeling.", field="requested_on")


FIELD_LABELS = {"requested_on": "aanvraagdatum", "criterion": "criterium",
                "id_check_document": "ID-controle", "id_check_date": "datum ID-controle",
                "note": "notitie", "decision_kenmerk": "besluit-kenmerk"}
CHANGEABLE_AFTER_DECISION = {"note", "decision_kenmerk"}
AFTER_DECISION_MESSAGE = "Na het besluit kunt u alleen de notitie en het besluit-kenmerk wijzigen."


@service
def update_details(actor, registration: Registration, data: RequestData) -> list[str]:
    """Change the request's data while it waits for a decision; after it, the note and the
    besluit-kenmerk."""
    registration = locked(registration)
    not_future(data.requested_on, "requested_on", "aanvraagdatum")
    _check_request_date_change(registration, data.requested_on)
    changed = _apply_details(registration, data, actor,
                             note_only=not registration.status_enum.is_open_request)
    if not changed:
        return []
    for event in registration.events:
        if event.event == "aanvraag":  # the figures count the request on this date
            event.on_date = registration.requested_on
    log_event(registration, actor, "gegevens", local_today(),
              "Gegevens gewijzigd: " + ", ".join(FIELD_LABELS[name] for name in changed))
    audit("updated", Action.UPDATE, registration, {"fields": changed})
    db.session.commit()
    return changed
