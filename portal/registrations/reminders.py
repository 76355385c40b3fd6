"""The daily registration check: expire what ended, start renewals granted ahead of time,
remind the contact person of what will end.

Run by the job queue every night (`registrations.tasks.registrations_daily`) and by
`flask portal registrations-daily`. Reminder e-mails name no client: numbers, dates and a link.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, selectinload

from portal import jobs
from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.queries import staff_with_role
from portal.clock import local_today
from portal.extensions import db
from portal.letters import tasks
from portal.letters.models import OutboxMessage
from portal.letters.outbox import new_message_id
from portal.registrations import settings
from portal.registrations.lifecycle import RegistrationStatus
from portal.registrations.models import Registration
from portal.registrations.services import mark_expired, note_reminder, take_effect
from portal.roles import Role

log = logging.getLogger(__name__)
SUBJECT = "Stapportaal: registraties die binnenkort verlopen"


def run_daily(today: date | None = None) -> dict[str, int]:
    today = today or local_today()
    expired = expire_due(today)
    started = start_due(today)
    reminded = send_expiry_reminders(today)
    return {"verlopen": expired, "ingegaan": started, "herinnerd": reminded}


def start_due(today: date) -> int:
    """Renewals granted ahead of time whose first day has come take the valid place."""
    due = db.session.scalars(select(Registration).where(
        Registration.status == RegistrationStatus.VERLEEND.value,
        Registration.valid_client_id.is_(None), Registration.valid_from <= today)
        .order_by(Registration.valid_from, Registration.id)
        .options(selectinload(Registration.events)).with_for_update()).all()
    for registration in due:
        take_effect(registration)
    db.session.commit()
    return len(due)


def expire_due(today: date) -> int:
    """Verleend registrations whose last valid day has passed become verlopen (one commit)."""
    due = db.session.scalars(select(Registration).where(
        Registration.status == RegistrationStatus.VERLEEND.value,
        Registration.valid_until < today).order_by(Registration.id)
        .options(selectinload(Registration.events)).with_for_update()).all()
    for registration in due:
        mark_expired(registration)
    db.session.commit()
    return len(due)


def expiring_within(today: date, days: int):
    """Verleend registrations ending within `days` that no renewal continues yet."""
    renewal = aliased(Registration)
    return (select(Registration).where(
        Registration.status == RegistrationStatus.VERLEEND.value,
        Registration.valid_until >= today,
        Registration.valid_until <= today + timedelta(days=days),
        ~exists().where(renewal.previous_id == Registration.id,
                        renewal.status != RegistrationStatus.AFGEWEZEN.value)))


def send_expiry_reminders(today: date) -> int:
    """One e-mail per contact person listing registrations newly inside the reminder window.

    Each registration is reminded once per end date (a renewal's new date is reminded again).
    """
    days = settings.current().reminder_days
    due = db.session.scalars(expiring_within(today, days).where(
        (Registration.reminded_for.is_(None)) | (Registration.reminded_for
                                                 != Registration.valid_until))
        .order_by(Registration.valid_until, Registration.number)
        .options(selectinload(Registration.events))
        .with_for_update()).all()  # a second run at the same moment waits, then finds none
    recipients = staff_with_role(Role.REGISTRATIECONTACTPERSOON)
    if due and not recipients:
        log.warning("%d registrations end within %d days, but no active registratie"
                    "contactpersoon with an e-mail address receives the reminder", len(due), days)
    if not due or not recipients:
        db.session.commit()
        return 0
    body = reminder_body(due, days)
    for user in recipients:
        db.session.add(_message(user.email, body))
    for registration in due:
        note_reminder(registration, today)
    db.session.flush()
    record("registrations.reminder_queued", Action.EXECUTE, object_type="registration",
           detail={"numbers": [r.number for r in due], "recipients": len(recipients)})
    jobs.after_commit(tasks.deliver_outbox)
    db.session.commit()
    return len(due)


def reminder_body(due: list[Registration], days: int) -> str:
    lines = [f"De volgende registraties verlopen binnen {days} dagen:", ""]
    lines += [f"- {r.number}: geldig tot en met {r.valid_until:%d-%m-%Y}" for r in due]
    lines += ["", "Bekijk ze in het Stapportaal:", workspace_link(days), "",
              "Deze e-mail noemt bewust geen namen.", "", "Stapportaal"]
    return "\n".join(lines)


def workspace_link(days: int) -> str:
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return f"{base}/registraties/?verloopt_binnen={days}"


def _message(recipient: str, body: str) -> OutboxMessage:
    return OutboxMessage(recipient=recipient, subject=SUBJECT, body=body,
                         message_id=new_message_id())
