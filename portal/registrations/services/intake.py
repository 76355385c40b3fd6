"""The contact person's intake: a woman who applies in person is found by werknaam and date of
birth, or gets a minimal new dossier; the ID document seen and the reason are recorded.

Only an intake opens the woman's identity to the contact person and only an open intake (one
that has not started a request yet) starts a new request. A dossier made here has no
casemanager, so procesregie finds it on Vandaag among the dossiers without casemanager.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.clients import services as client_services
from portal.clients.models import Client
from portal.extensions import db
from portal.refusal import DomainError
from portal.registrations.models import RegistrationIntake
from portal.registrations.services.common import check_personal_mode, not_future
from portal.transactions import service


@dataclass(frozen=True)
class Applicant:
    werknaam: str
    date_of_birth: date


@dataclass(frozen=True)
class IntakeData:
    applicant: Applicant
    applied_on: date
    reason: str
    id_check_document: str
    id_check_date: date
    legal_name: str | None = None  # needed only for a new dossier


def find_applicant(applicant: Applicant) -> list[Client]:
    """Dossiers with exactly this werknaam (any case) and date of birth; nothing looser, so the
    search reveals no other woman."""
    return list(db.session.scalars(
        select(Client).where(func.lower(Client.werknaam) == applicant.werknaam.strip().lower(),
                             Client.date_of_birth == applicant.date_of_birth)
        .order_by(Client.id).limit(2)))


def open_intake(client: Client) -> RegistrationIntake | None:
    """The newest intake of this client that has not started a request yet."""
    return db.session.scalar(
        select(RegistrationIntake).where(RegistrationIntake.client_id == client.id,
                                         RegistrationIntake.registration_id.is_(None))
        .order_by(RegistrationIntake.id.desc()).limit(1))


@service
def record_intake(actor, data: IntakeData, client: Client | None = None) -> RegistrationIntake:
    """Record the intake for `client` (chosen from her dossier), else for the dossier that
    matches werknaam and date of birth, else for a new minimal dossier."""
    check_personal_mode()
    _check_dates(data)
    created = False
    if client is None:
        client, created = _found_or_new(actor, data)
    else:
        _confirm_identity(client, data)
    client.id_check_document, client.id_check_date = data.id_check_document, data.id_check_date
    client.id_check_by_id = actor.id
    intake = RegistrationIntake(
        client_id=client.id, applied_on=data.applied_on, reason=data.reason.strip(),
        id_check_document=data.id_check_document.strip(), id_check_date=data.id_check_date,
        created_dossier=created, recorded_by_id=actor.id)
    db.session.add(intake)
    db.session.flush()
    record("registrations.intake_recorded", Action.CREATE, object_type="registration_intake",
           object_id=intake.id, client_id=client.id,
           detail={"new_dossier": created, "reason": intake.reason})
    db.session.commit()
    return intake


def _check_dates(data: IntakeData) -> None:
    not_future(data.applied_on, "applied_on", "datum van de aanmelding")
    not_future(data.id_check_date, "id_check_date", "datum van de ID-controle")
    not_future(data.applicant.date_of_birth, "date_of_birth", "geboortedatum")


def _found_or_new(actor, data: IntakeData) -> tuple[Client, bool]:
    matches = find_applicant(data.applicant)
    if len(matches) > 1:
        raise DomainError("Er zijn meerdere dossiers met deze werknaam en geboortedatum. Vraag "
                          "procesregie welk dossier bij haar hoort.", field="werknaam")
    if matches:
        return matches[0], False
    if not (data.legal_name or "").strip():
        raise DomainError("Er is geen dossier met deze werknaam en geboortedatum. Vul de "
                          "officiële naam in om een nieuw dossier aan te maken.",
                          field="legal_name")
    client = client_services.add_client(
        actor, werknaam=data.applicant.werknaam.strip(), legal_name=data.legal_name.strip(),
        date_of_birth=data.applicant.date_of_birth)
    return client, True


def _confirm_identity(client: Client, data: IntakeData) -> None:
    """From her dossier: the ID document must belong to this dossier."""
    if client.werknaam.strip().lower() != data.applicant.werknaam.strip().lower():
        raise DomainError("De werknaam komt niet overeen met dit dossier.", field="werknaam")
    if client.date_of_birth is None:
        client.date_of_birth = data.applicant.date_of_birth
    elif client.date_of_birth != data.applicant.date_of_birth:
        raise DomainError("De geboortedatum komt niet overeen met dit dossier. Controleer het "
                          "ID-bewijs, of vraag procesregie om het dossier te controleren.",
                          field="date_of_birth")
    if not client.legal_name and (data.legal_name or "").strip():
        client.legal_name = data.legal_name.strip()
