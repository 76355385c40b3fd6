"""Status changes: processing, the decision, revocation and lapse, and what the daily job
does (expiry, a renewal taking effect, the reminder note). Every change goes through
`transition`, which refuses what `lifecycle.TRANSITIONS` does not allow and names both
statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from portal.audit.models import Action
from portal.clock import local_today
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations.lifecycle import AUTOMATIC_ONLY, RENEWABLE, TRANSITIONS, RevocationReason
from portal.registrations.lifecycle import RegistrationStatus as S
from portal.registrations.models import Registration
from portal.registrations.services.common import (
    add_months,
    audit,
    default_valid_until,
    locked,
    log_event,
    not_future,
)
from portal.registrations.services.paperwork import return_pass
from portal.registrations.services.requests import renewal_of
from portal.templating import local_date
from portal.transactions import service

# Reason code of a registration that lapsed because its renewal was granted; the figures count
# these apart from other lapses.
RENEWED = "hernieuwd"
AUTOMATIC_MESSAGE = ("Een registratie verloopt vanzelf na de laatste geldige dag; dat legt u "
                     "niet met de hand vast.")


def check_transition(registration: Registration, target: S, actor) -> None:
    current = registration.status_enum
    if target not in TRANSITIONS[current]:
        raise DomainError(f"Van '{current.label}' kan de registratie niet naar "
                          f"'{target.label}'.", field="status")
    if target in AUTOMATIC_ONLY and actor is not None:
        raise DomainError(AUTOMATIC_MESSAGE, field="status")


@service
def transition(registration: Registration, target: S, actor, on: date, description: str,
               reason_code: str | None = None) -> None:
    check_transition(registration, target, actor)
    current = registration.status_enum
    registration.status = target.value
    if current == S.VERLEEND:
        registration.valid_client_id = None
        registration.ended_on = on
    log_event(registration, actor, "status", on, description, to_status=target, from_status=current,
              reason_code=reason_code)
    audit("status_changed", Action.UPDATE, registration,
          {"from": current.value, "to": target.value,
           **({"reason": reason_code} if reason_code else {})})


@service
def start_processing(actor, registration: Registration, on: date, note: str = "") -> None:
    registration = locked(registration)
    not_future(on, "on", "datum")
    if on < registration.requested_on:
        raise DomainError("De behandeling begint niet vóór de aanvraagdatum.", field="on")
    transition(registration, S.IN_BEHANDELING, actor, on,
               "In behandeling genomen" + (f": {note.strip()}" if note.strip() else ""))
    db.session.commit()


@dataclass(frozen=True)
class Decision:
    decided_on: date
    decision_kenmerk: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    reason: str = ""


@service
def grant(actor, registration: Registration, decision: Decision) -> None:
    """Verleend: needs the ID check and criterion. The registration takes the client's one
    valid place at once, unless it is a renewal that starts later: then the registration it
    continues stays valid until the renewal starts (the daily job hands the place over)."""
    registration = locked(registration)
    check_transition(registration, S.VERLEEND, actor)
    _check_decision(registration, decision)
    if not (registration.id_check_document and registration.criterion):
        raise DomainError("Leg eerst het criterium en de ID-controle vast voordat u de "
                          "registratie verleent.", field="status")
    valid_from = decision.valid_from or decision.decided_on
    _check_valid_from(registration, decision.decided_on, valid_from)
    valid_until = decision.valid_until or default_valid_until(valid_from)
    _check_valid_until(valid_from, valid_until)
    transition(registration, S.VERLEEND, actor, decision.decided_on,
               f"Verleend, geldig van {local_date(valid_from)} tot en met "
               f"{local_date(valid_until)}"
               + (f" ({decision.reason.strip()})" if decision.reason.strip() else ""))
    registration.decided_on, registration.valid_from = decision.decided_on, valid_from
    registration.valid_until = valid_until
    registration.decision_kenmerk = (decision.decision_kenmerk or "").strip() or None
    if not _starts_later_than_its_predecessor(registration):
        _take_valid_place(actor, registration)
    _tell_requester(actor, registration)
    db.session.commit()


def _tell_requester(actor, registration: Registration) -> None:
    """The contact person who recorded the request hears of the decision (unless she took it)."""
    from portal.notifications import services as notifications

    notifications.notify(registration.created_by_id, notifications.Kind.REGISTRATION_DECIDED,
                         client_id=registration.client_id, object_id=registration.id,
                         actor=actor)


MAX_START_DELAY = timedelta(days=92)


MAX_VALIDITY_MONTHS = 60


def _check_valid_from(registration: Registration, decided_on: date, valid_from: date) -> None:
    if valid_from < registration.requested_on:
        raise DomainError("De ingangsdatum ligt niet vóór de aanvraagdatum.",
                          field="valid_from")
    previous = registration.previous
    if previous is not None and previous.status_enum not in RENEWABLE:
        raise DomainError(f"De registratie die deze hernieuwing voortzet ({previous.number}) "
                          f"is {previous.status_enum.label.lower()}; wijs deze aanvraag af en "
                          "vraag zo nodig een nieuwe registratie aan.", field="status")
    if previous is not None and previous.status_enum == S.VERLEEND:
        first_free_day = previous.valid_until + timedelta(days=1)
        if valid_from > first_free_day:
            raise DomainError("Een hernieuwing sluit aan op de vorige registratie: de "
                              f"ingangsdatum ligt uiterlijk op {local_date(first_free_day)}.",
                              field="valid_from")
    elif valid_from > decided_on + MAX_START_DELAY:
        raise DomainError("De ingangsdatum ligt hoogstens drie maanden na het besluit.",
                          field="valid_from")


def _check_valid_until(valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from:
        raise DomainError("'Geldig tot' ligt niet vóór de ingangsdatum.", field="valid_until")
    if valid_until < local_today():
        raise DomainError("Deze registratie zou al verlopen zijn; kies een latere einddatum.",
                          field="valid_until")
    if valid_until >= add_months(valid_from, MAX_VALIDITY_MONTHS):
        raise DomainError("Een registratie is hoogstens vijf jaar geldig.", field="valid_until")


def _starts_later_than_its_predecessor(registration: Registration) -> bool:
    """A granted renewal whose predecessor is still valid until the renewal starts."""
    previous = registration.previous
    return (previous is not None and previous.status_enum == S.VERLEEND
            and registration.valid_from > local_today())


def _take_valid_place(actor, registration: Registration) -> None:
    """Give the registration the client's one valid place; the registration it renews (if it
    holds the place) becomes vervallen, replaced. Anyone else holding it is refused."""
    holder = db.session.scalar(select(Registration).where(
        Registration.valid_client_id == registration.client_id).with_for_update())
    if holder is not None and holder.id != registration.id:
        if holder.id != registration.previous_id:
            raise DomainError(f"Deze cliënt heeft al een geldige registratie ({holder.number}). "
                              "Een nieuwe kan alleen als hernieuwing daarvan.", field="status")
        transition(holder, S.VERVALLEN, actor,
                   max(registration.valid_from, registration.decided_on),
                   f"Vervangen door hernieuwing {registration.number}", reason_code=RENEWED)
        db.session.flush()  # free the place before the renewal takes it
    registration.valid_client_id = registration.client_id
    db.session.flush()


@service
def refuse(actor, registration: Registration, decision: Decision) -> None:
    registration = locked(registration)
    _check_decision(registration, decision)
    if not decision.reason.strip():
        raise DomainError("Geef de reden van de afwijzing.", field="reason")
    transition(registration, S.AFGEWEZEN, actor, decision.decided_on,
               f"Afgewezen: {decision.reason.strip()}")
    registration.decided_on = decision.decided_on
    registration.decision_kenmerk = (decision.decision_kenmerk or "").strip() or None
    _tell_requester(actor, registration)
    db.session.commit()


def _check_decision(registration: Registration, decision: Decision) -> None:
    not_future(decision.decided_on, "decided_on", "besluitdatum")
    if decision.decided_on < registration.requested_on:
        raise DomainError("De besluitdatum ligt niet vóór de aanvraagdatum.", field="decided_on")
    processing = max((e.on_date for e in registration.events
                      if e.to_status == S.IN_BEHANDELING.value), default=None)
    if processing and decision.decided_on < processing:
        raise DomainError("De besluitdatum ligt niet vóór de start van de behandeling.",
                          field="decided_on")


@service
def revoke(actor, registration: Registration, *, on: date, reason: RevocationReason,
           explanation: str = "", pass_returned: bool = False) -> None:
    """Ingetrokken, with one of the four reasons (eigen verzoek, voorwaarden, ...)."""
    registration = locked(registration)
    _check_end_date(registration, on)
    transition(registration, S.INGETROKKEN, actor, on,
               f"Ingetrokken: {reason.label.lower()}"
               + (f" ({explanation.strip()})" if explanation.strip() else ""),
               reason_code=reason.value)
    registration.end_reason = reason.value
    if pass_returned:
        return_pass(actor, registration, on)
    db.session.commit()


@service
def lapse(actor, registration: Registration, *, on: date, reason: str) -> None:
    """Vervallen: the registration no longer applies for another reason than the four."""
    registration = locked(registration)
    _check_end_date(registration, on)
    if not reason.strip():
        raise DomainError("Geef de reden waarom de registratie vervalt.", field="reason")
    transition(registration, S.VERVALLEN, actor, on, f"Vervallen: {reason.strip()}")
    db.session.commit()


def _check_end_date(registration: Registration, on: date) -> None:
    not_future(on, "on", "datum")
    if registration.decided_on and on < registration.decided_on:
        raise DomainError("Deze datum ligt vóór het besluit.", field="on")
    renewal = renewal_of(registration)
    if renewal is not None and (renewal.status_enum.is_open_request
                                or renewal.valid_client_id is None
                                and renewal.status_enum == S.VERLEEND):
        raise DomainError(f"Hernieuwing {renewal.number} loopt nog of moet nog ingaan; wijs "
                          "die eerst af of trek die in.", field="status")


@service
def mark_expired(registration: Registration) -> None:
    """Verleend -> verlopen the day after the last valid day; the caller commits."""
    check_transition(registration, S.VERLOPEN, None)
    last_day = registration.valid_until
    transition(registration, S.VERLOPEN, None, last_day + timedelta(days=1),
               f"Verlopen: geldig tot en met {local_date(last_day)}")


@service
def take_effect(registration: Registration) -> None:
    """A renewal granted ahead of time starts today: it takes the client's valid place from
    the registration it continues. The caller commits."""
    _take_valid_place(None, registration)
    log_event(registration, None, "ingang", registration.valid_from,
              f"Ingegaan op {local_date(registration.valid_from)}")
    audit("took_effect", Action.UPDATE, registration)


def note_reminder(registration: Registration, today: date) -> None:
    registration.reminded_for = registration.valid_until
    log_event(registration, None, "herinnering", today,
              f"Herinnering verstuurd: laatste geldige dag {local_date(registration.valid_until)}")
