"""The pass (handed out, handed in) and registration letters filled from the registration."""

from __future__ import annotations

from datetime import date

from portal.audit.models import Action
from portal.clock import local_today
from portal.extensions import db
from portal.letters import services as letter_services
from portal.refusal import DomainError
from portal.registrations.lifecycle import RegistrationStatus as S
from portal.registrations.lifecycle import RevocationReason
from portal.registrations.models import Registration
from portal.registrations.services.common import audit, locked, log_event, not_future
from portal.templating import local_date
from portal.transactions import service


@service
def pass_issued(actor, registration: Registration, on: date) -> None:
    registration = locked(registration)
    if registration.status_enum != S.VERLEEND:
        raise DomainError("Een pas wordt alleen uitgereikt bij een verleende registratie.")
    if registration.pass_issued_on:
        raise DomainError(f"De pas is al uitgereikt op {local_date(registration.pass_issued_on)}.")
    not_future(on, "on", "datum")
    if on < registration.decided_on:
        raise DomainError("De pas wordt niet vóór het besluit uitgereikt.", field="on")
    registration.pass_issued_on = on
    log_event(registration, actor, "pas", on, "Pas uitgereikt")
    audit("pass_issued", Action.UPDATE, registration)
    db.session.commit()


@service
def pass_returned(actor, registration: Registration, on: date) -> None:
    registration = locked(registration)
    return_pass(actor, registration, on)
    db.session.commit()


@service
def return_pass(actor, registration: Registration, on: date) -> None:
    if not registration.pass_issued_on:
        raise DomainError("Er is geen pas uitgereikt die kan worden ingeleverd.")
    if registration.pass_returned_on:
        raise DomainError("De pas is al ingeleverd op "
                          f"{local_date(registration.pass_returned_on)}.")
    not_future(on, "on", "datum")
    if on < registration.pass_issued_on:
        raise DomainError("De pas wordt niet ingeleverd vóór de uitreiking.", field="on")
    registration.pass_returned_on = on
    log_event(registration, actor, "pas", on, "Pas ingeleverd")
    audit("pass_returned", Action.UPDATE, registration)


def create_letter(actor, registration: Registration, version, values: dict,
                  subject: str):
    """A registration letter: the registration's number and dates fill their placeholders
    whatever the form sent; filed in the dossier and noted in the registration's history."""
    values = {**values, **letter_values(registration)}

    def note(letter) -> None:
        log_event(registration, actor, "brief", local_today(),
                  f"Brief {letter.kenmerk}: {subject.strip()}")

    return letter_services.create_client_letter(
        actor, version, values, subject, registration.client,
        registration_id=registration.id, within=note)


def letter_values(registration: Registration) -> dict:
    """Placeholders a registration letter takes from the registration, never from the form."""
    return {"registratienummer": registration.number,
            "aanvraagdatum": registration.requested_on,
            "besluitdatum": registration.decided_on,
            "ingangsdatum": registration.valid_from,
            "geldig_tot": registration.valid_until,
            "einddatum": registration.ended_on,
            "besluit_kenmerk": registration.decision_kenmerk or "",
            "reden": _reason(registration)}


def _reason(registration: Registration) -> str:
    try:
        return RevocationReason(registration.end_reason).label.lower()
    except ValueError:
        return registration.end_reason or ""


REGISTRATION_FIELDS = frozenset({"registratienummer", "aanvraagdatum", "besluitdatum",
                                 "ingangsdatum", "geldig_tot", "einddatum", "besluit_kenmerk",
                                 "reden"})
