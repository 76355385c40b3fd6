"""Registration changes: request, decision, pass, revocation, renewal; one audited commit each.

Every change adds a RegistrationEvent (date, description, user) to the registration's history
and an audit event. Status changes go through `_transition`, which refuses anything
`lifecycle.TRANSITIONS` does not allow, with a message that names both statuses.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.models import Client
from portal.clock import local_today
from portal.errors import DomainError
from portal.extensions import db
from portal.letters import services as letter_services
from portal.registrations import settings
from portal.registrations.lifecycle import (
    AUTOMATIC_ONLY,
    OPEN_REQUEST_STATUSES,
    RENEWABLE,
    TRANSITIONS,
    RegistrationKind,
    RegistrationStatus,
    RevocationReason,
)
from portal.registrations.models import Registration, RegistrationEvent
from portal.sequences import next_value
from portal.templating import local_date

S = RegistrationStatus
# Reason code of a registration that lapsed because its renewal was granted; the figures count
# these apart from other lapses.
RENEWED = "hernieuwd"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(valid_from: date) -> date:
    """The last valid day: the day before the same day `validity_months` later; when that
    month is shorter (31 Jan + 1 month), its last day (28/29 Feb)."""
    same_day_later = add_months(valid_from, settings.current().validity_months)
    if same_day_later.day != valid_from.day:  # clamped to the month's last day
        return same_day_later
    return same_day_later - timedelta(days=1)


def next_registration_number(year: int) -> str:
    number = next_value("registratie", year)
    return current_app.config["REGISTRATION_NUMBER_FORMAT"].format(year=year, number=number)


def _not_future(day: date | None, field: str, what: str) -> None:
    if day is None:
        raise DomainError(f"Vul de {what} in.", field=field)
    if day > local_today():
        raise DomainError(f"De {what} ligt niet in de toekomst.", field=field)


def _log(registration: Registration, actor, event: str, on: date, description: str, *,
         to_status: S | None = None, from_status: S | None = None,
         reason_code: str | None = None) -> RegistrationEvent:
    entry = RegistrationEvent(
        event=event, on_date=on, description=description, by_id=actor.id if actor else None,
        to_status=to_status.value if to_status else None,
        from_status=from_status.value if from_status else None, reason_code=reason_code)
    registration.events.append(entry)
    return entry


def _audit(event: str, action: Action, registration: Registration,
           detail: dict | None = None) -> None:
    db.session.flush()
    record(f"registrations.{event}", action, object_type="registration",
           object_id=registration.id, client_id=registration.client_id,
           detail={"number": registration.number, **(detail or {})})


def _locked(registration: Registration) -> Registration:
    """Re-read the row under a lock so two users cannot both move it (PostgreSQL; SQLite
    serialises writers already)."""
    return db.session.scalar(select(Registration).where(Registration.id == registration.id)
                             .with_for_update().execution_options(populate_existing=True))


# --- Requests --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestData:
    requested_on: date
    criterion: str | None = None
    id_check_document: str | None = None
    id_check_date: date | None = None
    note: str | None = None


def request_registration(actor, client: Client, data: RequestData) -> Registration:
    """Record a new request (kind nieuw) for a client."""
    _check_new_request(client)
    registration = _new_request(actor, client, data, RegistrationKind.NIEUW)
    _audit("requested", Action.CREATE, registration, {"kind": registration.kind})
    db.session.commit()
    return registration


def renew(actor, previous: Registration, data: RequestData) -> Registration:
    """A renewal is a new request linked to the registration it continues."""
    _check_personal_mode()
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
    _log(previous, actor, "hernieuwing", data.requested_on,
         f"Hernieuwing aangevraagd: {registration.number}")
    _audit("renewal_requested", Action.CREATE, registration, {"previous": previous.number})
    db.session.commit()
    return registration


def renewal_of(registration: Registration) -> Registration | None:
    """The renewal that continues this registration; a refused renewal does not count."""
    return db.session.scalar(select(Registration).where(
        Registration.previous_id == registration.id,
        Registration.status != S.AFGEWEZEN.value))


def _check_personal_mode() -> None:
    if not settings.current().personal_mode:
        raise DomainError("Persoonlijke registraties staan uit; de beheerder kan ze aanzetten "
                          "bij de registratie-instellingen.")


def _check_new_request(client: Client) -> None:
    _check_personal_mode()
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
    return db.session.scalar(select(Registration.number).where(
        Registration.valid_client_id == client_id))


def _check_no_open_request(client: Client) -> None:
    pending = db.session.scalar(select(Registration.number).where(
        Registration.client_id == client.id,
        Registration.status.in_([s.value for s in OPEN_REQUEST_STATUSES])))
    if pending:
        raise DomainError(f"Voor deze cliënt loopt al een aanvraag ({pending}).")


def _new_request(actor, client: Client, data: RequestData, kind: RegistrationKind,
                 previous: Registration | None = None) -> Registration:
    _not_future(data.requested_on, "requested_on", "aanvraagdatum")
    registration = Registration(
        number=next_registration_number(data.requested_on.year), client_id=client.id,
        kind=kind.value, previous_id=previous.id if previous else None,
        status=S.AANGEVRAAGD.value, requested_on=data.requested_on, created_by_id=actor.id)
    _apply_details(registration, data, actor)
    db.session.add(registration)
    _log(registration, actor, "aanvraag", data.requested_on,
         f"{kind.label} aangevraagd" + (f" (vervolg op {previous.number})" if previous else ""),
         to_status=S.AANGEVRAAGD)
    return registration


def _detail_values(data: RequestData) -> dict:
    if bool(data.id_check_document) != bool(data.id_check_date):
        raise DomainError("Vul bij de ID-controle zowel het soort document als de datum in.",
                          field="id_check_date")
    if data.id_check_date:
        _not_future(data.id_check_date, "id_check_date", "datum van de ID-controle")
    return {"requested_on": data.requested_on,
            "criterion": (data.criterion or "").strip() or None,
            "id_check_document": (data.id_check_document or "").strip() or None,
            "id_check_date": data.id_check_date, "note": (data.note or "").strip() or None}


def _apply_details(registration: Registration, data: RequestData, actor,
                   note_only: bool = False) -> list[str]:
    values = _detail_values(data)
    changed = [name for name, value in values.items() if getattr(registration, name) != value]
    if note_only and set(changed) - {"note"}:
        raise DomainError("Na het besluit kunt u alleen de notitie nog wijzigen.")
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
                "note": "notitie"}


def update_details(actor, registration: Registration, data: RequestData) -> list[str]:
    """Change the request's data while it waits for a decision; the note at any time."""
    registration = _locked(registration)
    _not_future(data.requested_on, "requested_on", "aanvraagdatum")
    _check_request_date_change(registration, data.requested_on)
    changed = _apply_details(registration, data, actor,
                             note_only=not registration.status_enum.is_open_request)
    if not changed:
        return []
    _log(registration, actor, "gegevens", local_today(),
         "Gegevens gewijzigd: " + ", ".join(FIELD_LABELS[name] for name in changed))
    _audit("updated", Action.UPDATE, registration, {"fields": changed})
    db.session.commit()
    return changed


# --- Status transitions ----------------------------------------------------------------------

def _check_transition(registration: Registration, target: S, actor) -> None:
    current = registration.status_enum
    if target not in TRANSITIONS[current]:
        raise DomainError(f"Van '{current.label}' kan de registratie niet naar "
                          f"'{target.label}'.", field="status")
    if target in AUTOMATIC_ONLY and actor is not None:
        raise DomainError("Een registratie verloopt vanzelf na de laatste geldige dag; dat "
                          "legt u niet met de hand vast.", field="status")


def _transition(registration: Registration, target: S, actor, on: date, description: str,
                reason_code: str | None = None) -> None:
    _check_transition(registration, target, actor)
    current = registration.status_enum
    registration.status = target.value
    if current == S.VERLEEND:
        registration.valid_client_id = None
        registration.ended_on = on
    _log(registration, actor, "status", on, description, to_status=target, from_status=current,
         reason_code=reason_code)
    _audit("status_changed", Action.UPDATE, registration,
           {"from": current.value, "to": target.value,
            **({"reason": reason_code} if reason_code else {})})


def start_processing(actor, registration: Registration, on: date, note: str = "") -> None:
    registration = _locked(registration)
    _not_future(on, "on", "datum")
    if on < registration.requested_on:
        raise DomainError("De behandeling begint niet vóór de aanvraagdatum.", field="on")
    _transition(registration, S.IN_BEHANDELING, actor, on,
                "In behandeling genomen" + (f": {note.strip()}" if note.strip() else ""))
    db.session.commit()


@dataclass(frozen=True)
class Decision:
    decided_on: date
    decision_kenmerk: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    reason: str = ""


def grant(actor, registration: Registration, decision: Decision) -> None:
    """Verleend: needs the ID check and criterion. A renewal ends the registration it
    continues on the decision date (vervallen, replaced), so the client never holds two valid
    registrations; the renewal's validity runs from its own ingangsdatum."""
    registration = _locked(registration)
    _check_transition(registration, S.VERLEEND, actor)
    _check_decision(registration, decision)
    if not (registration.id_check_document and registration.criterion):
        raise DomainError("Leg eerst het criterium en de ID-controle vast voordat u de "
                          "registratie verleent.", field="status")
    valid_from = decision.valid_from or decision.decided_on
    valid_until = decision.valid_until or default_valid_until(valid_from)
    if valid_until < valid_from:
        raise DomainError("'Geldig tot' ligt niet vóór de ingangsdatum.", field="valid_until")
    if valid_until < local_today():
        raise DomainError("Deze registratie zou al verlopen zijn; kies een latere einddatum.",
                          field="valid_until")
    if registration.previous_id and valid_from > decision.decided_on:
        raise DomainError("Een hernieuwing gaat uiterlijk op de besluitdatum in: de vorige "
                          "registratie eindigt dan, zodat er geen dagen zonder registratie "
                          "zijn.", field="valid_from")
    _end_replaced_registration(actor, registration, decision.decided_on)
    _transition(registration, S.VERLEEND, actor, decision.decided_on,
                f"Verleend, geldig van {local_date(valid_from)} tot en met "
                f"{local_date(valid_until)}"
                + (f" ({decision.reason.strip()})" if decision.reason.strip() else ""))
    registration.decided_on, registration.valid_from = decision.decided_on, valid_from
    registration.valid_until = valid_until
    registration.decision_kenmerk = (decision.decision_kenmerk or "").strip() or None
    registration.valid_client_id = registration.client_id
    db.session.flush()
    db.session.commit()


def _end_replaced_registration(actor, registration: Registration, on: date) -> None:
    valid = db.session.scalar(select(Registration).where(
        Registration.valid_client_id == registration.client_id).with_for_update())
    if valid is None:
        return
    if valid.id != registration.previous_id:
        raise DomainError(f"Deze cliënt heeft al een geldige registratie ({valid.number}). "
                          "Een nieuwe kan alleen als hernieuwing daarvan.", field="status")
    _transition(valid, S.VERVALLEN, actor, on,
                f"Vervangen door hernieuwing {registration.number}", reason_code=RENEWED)
    db.session.flush()  # free the one-valid slot before the renewal takes it


def refuse(actor, registration: Registration, decision: Decision) -> None:
    registration = _locked(registration)
    _check_decision(registration, decision)
    if not decision.reason.strip():
        raise DomainError("Geef de reden van de afwijzing.", field="reason")
    _transition(registration, S.AFGEWEZEN, actor, decision.decided_on,
                f"Afgewezen: {decision.reason.strip()}")
    registration.decided_on = decision.decided_on
    registration.decision_kenmerk = (decision.decision_kenmerk or "").strip() or None
    db.session.commit()


def _check_decision(registration: Registration, decision: Decision) -> None:
    _not_future(decision.decided_on, "decided_on", "besluitdatum")
    if decision.decided_on < registration.requested_on:
        raise DomainError("De besluitdatum ligt niet vóór de aanvraagdatum.", field="decided_on")


def revoke(actor, registration: Registration, *, on: date, reason: RevocationReason,
           explanation: str = "", pass_returned: bool = False) -> None:
    """Ingetrokken, with one of the four reasons (eigen verzoek, voorwaarden, ...)."""
    registration = _locked(registration)
    _check_end_date(registration, on)
    _transition(registration, S.INGETROKKEN, actor, on,
                f"Ingetrokken: {reason.label.lower()}"
                + (f" ({explanation.strip()})" if explanation.strip() else ""),
                reason_code=reason.value)
    registration.end_reason = reason.value
    if pass_returned:
        _pass_returned(actor, registration, on)
    db.session.commit()


def lapse(actor, registration: Registration, *, on: date, reason: str) -> None:
    """Vervallen: the registration no longer applies for another reason than the four."""
    registration = _locked(registration)
    _check_end_date(registration, on)
    if not reason.strip():
        raise DomainError("Geef de reden waarom de registratie vervalt.", field="reason")
    _transition(registration, S.VERVALLEN, actor, on, f"Vervallen: {reason.strip()}")
    db.session.commit()


def _check_end_date(registration: Registration, on: date) -> None:
    _not_future(on, "on", "datum")
    if registration.decided_on and on < registration.decided_on:
        raise DomainError("Deze datum ligt vóór het besluit.", field="on")


# --- The pass --------------------------------------------------------------------------------

def pass_issued(actor, registration: Registration, on: date) -> None:
    registration = _locked(registration)
    if registration.status_enum != S.VERLEEND:
        raise DomainError("Een pas wordt alleen uitgereikt bij een verleende registratie.")
    if registration.pass_issued_on:
        raise DomainError(f"De pas is al uitgereikt op {local_date(registration.pass_issued_on)}.")
    _not_future(on, "on", "datum")
    if on < registration.decided_on:
        raise DomainError("De pas wordt niet vóór het besluit uitgereikt.", field="on")
    registration.pass_issued_on = on
    _log(registration, actor, "pas", on, "Pas uitgereikt")
    _audit("pass_issued", Action.UPDATE, registration)
    db.session.commit()


def pass_returned(actor, registration: Registration, on: date) -> None:
    registration = _locked(registration)
    _pass_returned(actor, registration, on)
    db.session.commit()


def _pass_returned(actor, registration: Registration, on: date) -> None:
    if not registration.pass_issued_on:
        raise DomainError("Er is geen pas uitgereikt die kan worden ingeleverd.")
    if registration.pass_returned_on:
        raise DomainError("De pas is al ingeleverd op "
                          f"{local_date(registration.pass_returned_on)}.")
    _not_future(on, "on", "datum")
    if on < registration.pass_issued_on:
        raise DomainError("De pas wordt niet ingeleverd vóór de uitreiking.", field="on")
    registration.pass_returned_on = on
    _log(registration, actor, "pas", on, "Pas ingeleverd")
    _audit("pass_returned", Action.UPDATE, registration)


# --- The daily job (no user) ----------------------------------------------------------------

def mark_expired(registration: Registration) -> None:
    """Verleend -> verlopen the day after the last valid day; the caller commits."""
    _check_transition(registration, S.VERLOPEN, None)
    last_day = registration.valid_until
    _transition(registration, S.VERLOPEN, None, last_day + timedelta(days=1),
                f"Verlopen: geldig tot en met {local_date(last_day)}")


def note_reminder(registration: Registration, today: date) -> None:
    registration.reminded_for = registration.valid_until
    _log(registration, None, "herinnering", today,
         f"Herinnering verstuurd: laatste geldige dag {local_date(registration.valid_until)}")


# --- Letters ---------------------------------------------------------------------------------

def create_letter(actor, registration: Registration, version, values: dict,
                  subject: str):
    """A registration letter: the registration's number and dates fill their placeholders
    whatever the form sent; filed in the dossier and noted in the registration's history."""
    values = {**values, **letter_values(registration)}

    def note(letter) -> None:
        _log(registration, actor, "brief", local_today(),
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
            "besluit_kenmerk": registration.decision_kenmerk or ""}


REGISTRATION_FIELDS = frozenset({"registratienummer", "aanvraagdatum", "besluitdatum",
                                 "ingangsdatum", "geldig_tot", "einddatum", "besluit_kenmerk"})
