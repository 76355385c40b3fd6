"""Tippelzone registrations through the real services and database (no mocks).

Covers every pair of statuses against `lifecycle.TRANSITIONS` (allowed moves leave a history
event and an audit event, refused ones a Dutch message and no trace), the rules around
requests, decisions, renewals, revocations, the pass and the registration number, the daily
job with a frozen clock (expiry, and reminder e-mails over a real loopback SMTP server or as
.eml files, which name no client), anonymous day passes with their cap, the figures per period
with their CSV export, and the validation of the registration settings. Two tests race two
sessions in threads (a request, a daily run) against a held lock.
"""

from __future__ import annotations

import csv
import dataclasses
import email
import email.policy
import io
import threading
import time
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from portal.audit.models import AuditEvent
from portal.audit.services import PG_CHAIN_LOCK
from portal.auth.models import User
from portal.clients.models import Client
from portal.clock import local_today
from portal.extensions import db
from portal.letters.models import OutboxMessage
from portal.refusal import DomainError
from portal.registrations import daypasses, figures, reminders, services, settings
from portal.registrations import tasks as registration_tasks
from portal.registrations.lifecycle import (
    TRANSITIONS,
    RegistrationKind,
    RegistrationStatus,
    RevocationReason,
    manual_next,
)
from portal.registrations.models import (
    DayPassEvening,
    Registration,
    RegistrationEvent,
    RegistrationSettings,
)
from portal.roles import Role
from portal.templating import local_date
from tests import database
from tests.conftest import csrf_token
from tests.factories import make_client, make_intake, make_user
from tests.smtp_server import LoopbackSMTP, mail_settings

S = RegistrationStatus
CRITERION = "Meerderjarig, ingeschreven in Nijmegen"
REFUSAL_REASON = "Geen inschrijving in de regio"
LAPSE_REASON = "Niet meer gezien op de zone"
BASE_URL = "https://stapportaal.nijmegen.test/"
EXPLAINED = "Niet meer in gebruik"


# --- fixtures ----------------------------------------------------------------------------------

@pytest.fixture
def ctx(app):
    """The test body runs inside the app's context (one session for the whole test)."""
    with app.app_context():
        yield app



@pytest.fixture
def mail_ctx(make_app, smtp):
    """An app that sends its mail to the loopback server, inside its context."""
    app = make_app(**mail_settings(smtp, PORTAL_BASE_URL=BASE_URL))
    with app.app_context():
        yield app


# --- helpers -----------------------------------------------------------------------------------

def dmy(day: date) -> str:
    """A date as the reminder e-mail writes it (the history uses local_date: 1 juni 2026)."""
    return f"{day:%d-%m-%Y}"


def contact_person(**kwargs) -> User:
    """A user with the role that works with registrations (and receives the reminders)."""
    return db.session.get(User, make_user(Role.REGISTRATIECONTACTPERSOON, **kwargs).id)


def request_data(on: date, **details) -> services.RequestData:
    values = {"criterion": CRITERION, "id_check_document": "Paspoort", "id_check_date": on,
              **details}
    return services.RequestData(requested_on=on, **values)


def ask(actor, client, on: date, **details) -> Registration:
    if services.open_intake(client) is None:
        make_intake(client, actor, applied_on=min(on, local_today()))
    return services.request_registration(actor, client, request_data(on, **details))


def decide(on: date, **fields) -> services.Decision:
    return services.Decision(decided_on=on, **fields)


def granted(actor, client, on: date, valid_until: date | None = None,
            decided_on: date | None = None) -> Registration:
    """Requested and taken into processing on `on`, granted on `decided_on` (default `on`)."""
    registration = ask(actor, client, on)
    services.start_processing(actor, registration, on)
    services.grant(actor, registration, decide(decided_on or on, valid_until=valid_until))
    return registration


def in_status(actor, status: S, client=None) -> Registration:
    """A registration of a new client, moved through the services to `status`; a verleend
    one is valid until today + 30 days."""
    today = local_today()
    client = client or make_client()
    registration = ask(actor, client, today - timedelta(days=10))
    if status == S.AANGEVRAAGD:
        return registration
    services.start_processing(actor, registration, today - timedelta(days=9))
    if status == S.IN_BEHANDELING:
        return registration
    if status == S.AFGEWEZEN:
        services.refuse(actor, registration, decide(today - timedelta(days=8),
                                                    reason=REFUSAL_REASON))
        return registration
    services.grant(actor, registration, decide(today - timedelta(days=8),
                                               valid_until=today + timedelta(days=30)))
    if status == S.VERLOPEN:
        reminders.expire_due(registration.valid_until + timedelta(days=1))
    elif status == S.INGETROKKEN:
        services.revoke(actor, registration, on=today - timedelta(days=7),
                        reason=RevocationReason.EIGEN_VERZOEK)
    elif status == S.VERVALLEN:
        services.lapse(actor, registration, on=today - timedelta(days=7), reason=LAPSE_REASON)
    assert registration.status == status
    return registration


def settings_change(**fields) -> settings.SettingsChange:
    """The configured defaults with some fields changed."""
    values = {"personal_mode": True, "day_pass_mode": True, "day_pass_max": 20,
              "validity_months": 12, "reminder_days": 30, **fields}
    return settings.SettingsChange(**values)


def refused(message: str, action, *args, **kwargs) -> DomainError:
    """Run a change that must be refused with exactly this message; roll back as a view does."""
    with pytest.raises(DomainError) as caught:
        action(*args, **kwargs)
    db.session.rollback()
    assert caught.value.message == message
    return caught.value


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def audit(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                   .order_by(AuditEvent.seq)))


def history(registration: Registration) -> list[RegistrationEvent]:
    return list(db.session.scalars(select(RegistrationEvent).where(
        RegistrationEvent.registration_id == registration.id).order_by(RegistrationEvent.id)))


def stored_row(registration_id: int) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration_id)


def stored(registration_id: int) -> dict:
    """What the database holds about a registration, read afresh, plus the audit length."""
    db.session.expire_all()
    row = db.session.get(Registration, registration_id)
    return {"status": row.status, "valid_client_id": row.valid_client_id,
            "ended_on": row.ended_on, "decided_on": row.decided_on,
            "end_reason": row.end_reason, "pass_returned_on": row.pass_returned_on,
            "events": count(RegistrationEvent, RegistrationEvent.registration_id == row.id),
            "audit": count(AuditEvent)}


def as_dict(event: RegistrationEvent) -> dict:
    return {"event": event.event, "from": event.from_status, "to": event.to_status,
            "reason": event.reason_code, "on": event.on_date, "description": event.description,
            "by": event.by_id}


# --- 1. every pair of statuses -------------------------------------------------------------------

def _expire(actor, registration, on):
    """What the daily job does for one registration (the only way to verlopen)."""
    services.mark_expired(registration)
    db.session.commit()


MOVES = {
    S.AANGEVRAAGD: None,  # only a new request starts there
    S.IN_BEHANDELING: lambda actor, reg, on: services.start_processing(actor, reg, on),
    S.VERLEEND: lambda actor, reg, on: services.grant(
        actor, reg, decide(on, valid_until=on + timedelta(days=60))),
    S.AFGEWEZEN: lambda actor, reg, on: services.refuse(actor, reg,
                                                        decide(on, reason=REFUSAL_REASON)),
    S.VERLOPEN: _expire,
    S.INGETROKKEN: lambda actor, reg, on: services.revoke(
        actor, reg, on=on, reason=RevocationReason.EIGEN_VERZOEK),
    S.VERVALLEN: lambda actor, reg, on: services.lapse(actor, reg, on=on, reason=LAPSE_REASON),
}

# (from, to) -> the history event the move leaves, given today and the old valid_until:
# (description, date, by the user (else the daily job), reason code)
ALLOWED = {
    (S.AANGEVRAAGD, S.IN_BEHANDELING): lambda t, vu: ("In behandeling genomen", t, True, None),
    (S.IN_BEHANDELING, S.VERLEEND): lambda t, vu: (
        f"Verleend, geldig van {local_date(t)} tot en met {local_date(t + timedelta(days=60))}",
        t, True, None),
    (S.IN_BEHANDELING, S.AFGEWEZEN): lambda t, vu: (f"Afgewezen: {REFUSAL_REASON}", t, True,
                                                    None),
    (S.VERLEEND, S.VERLOPEN): lambda t, vu: (f"Verlopen: geldig tot en met {local_date(vu)}",
                                             vu + timedelta(days=1), False, None),
    (S.VERLEEND, S.INGETROKKEN): lambda t, vu: ("Ingetrokken: op eigen verzoek", t, True,
                                                "eigen_verzoek"),
    (S.VERLEEND, S.VERVALLEN): lambda t, vu: (f"Vervallen: {LAPSE_REASON}", t, True, None),
}

REFUSED = [(source, target) for source in S for target in S
           if target not in TRANSITIONS[source] and MOVES[target] is not None]


def test_the_table_covers_every_transition_of_the_lifecycle():
    assert set(ALLOWED) == {(s, t) for s in S for t in TRANSITIONS[s]}
    assert all(MOVES[target] is not None for _, target in ALLOWED)
    assert len(ALLOWED) + len(REFUSED) + len(S) == len(S) ** 2  # + the moves to aangevraagd


@pytest.mark.parametrize(("source", "target"), list(ALLOWED),
                         ids=[f"{s.value}->{t.value}" for s, t in ALLOWED])
def test_allowed_transition_is_recorded_in_history_and_audit(ctx, source, target):
    actor = contact_person()
    registration = in_status(actor, source)
    today, old_valid_until = local_today(), registration.valid_until
    description, on, by_user, reason = ALLOWED[source, target](today, old_valid_until)
    before = stored(registration.id)

    MOVES[target](actor, registration, today)

    after = stored(registration.id)
    assert after["status"] == target
    assert after["events"] == before["events"] + 1
    assert as_dict(history(registration)[-1]) == {
        "event": "status", "from": source.value, "to": target.value, "reason": reason,
        "on": on, "description": description, "by": actor.id if by_user else None}
    change = audit("registrations.status_changed")[-1]
    assert (change.object_type, change.object_id, change.client_id) == (
        "registration", str(registration.id), registration.client_id)
    assert change.detail == {"number": registration.number, "from": source.value,
                             "to": target.value, **({"reason": reason} if reason else {})}
    if source == S.VERLEEND:  # the one-valid slot is freed and the end recorded
        assert (after["valid_client_id"], after["ended_on"]) == (None, on)
    if target == S.VERLEEND:
        assert after["valid_client_id"] == registration.client_id
        assert (registration.decided_on, registration.valid_from,
                registration.valid_until) == (today, today, today + timedelta(days=60))
    if target == S.INGETROKKEN:
        assert after["end_reason"] == "eigen_verzoek"


@pytest.mark.parametrize(("source", "target"), [
    pytest.param(s, t, id=f"{s.value}->{t.value}")
    for s, t in REFUSED])
def test_refused_transition_names_both_statuses_and_changes_nothing(ctx, source, target):
    actor = contact_person()
    registration = in_status(actor, source)
    before = stored(registration.id)

    refused(f"Van '{source.label}' kan de registratie niet naar '{target.label}'.",
            MOVES[target], actor, registration, local_today())

    assert stored(registration.id) == before


def test_a_user_cannot_move_a_registration_to_verlopen_by_hand(ctx):
    assert all(S.VERLOPEN not in manual_next(status) for status in S)
    assert manual_next(S.VERLEEND) == [S.INGETROKKEN, S.VERVALLEN]
    actor = contact_person()
    registration = in_status(actor, S.VERLEEND)
    before = stored(registration.id)
    # _transition is the one gate every status change passes; with a user it refuses verlopen.
    refused("Een registratie verloopt vanzelf na de laatste geldige dag; dat legt u niet met de "
            "hand vast.", services.transition, registration, S.VERLOPEN, actor, local_today(),
            "Met de hand verlopen")
    assert stored(registration.id) == before


def test_the_status_page_refuses_verlopen_by_hand(app, account, login):
    contact = account(Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        registration = in_status(db.session.get(User, contact.id), S.VERLEEND)
        ref, registration_id = registration.ref, registration.id
        before = stored(registration_id)
    browser = login(contact)
    page = f"/registraties/{ref}"
    response = browser.post(f"{page}/status/verlopen", data={
        "csrf_token": csrf_token(browser, page), "on": local_today().isoformat()})
    assert (response.status_code, response.location) == (303, page)
    assert services.AUTOMATIC_MESSAGE in unescape(browser.get(page).get_data(as_text=True))
    with app.app_context():
        after = stored(registration_id)
        assert (after["status"], after["events"]) == (S.VERLEEND, before["events"])


# --- 2. rules ----------------------------------------------------------------------------------

def test_request_is_recorded_with_number_history_and_audit(ctx, freeze_today):
    freeze_today(date(2026, 5, 20))
    actor, client = contact_person(), make_client()
    registration = ask(actor, client, date(2026, 5, 18), criterion="  " + CRITERION + "  ",
                       note=" Komt via de huiskamer ")
    assert (registration.number, registration.kind, registration.status) == (
        "TZ-2026-001", RegistrationKind.NIEUW, S.AANGEVRAAGD)
    assert (registration.criterion, registration.note, registration.id_check_by_id) == (
        CRITERION, "Komt via de huiskamer", actor.id)
    assert [as_dict(e) for e in history(registration)] == [{
        "event": "aanvraag", "from": None, "to": "aangevraagd", "reason": None,
        "on": date(2026, 5, 18), "description": "Nieuw aangevraagd", "by": actor.id}]
    [requested] = audit("registrations.requested")
    assert (requested.object_id, requested.client_id, requested.detail) == (
        str(registration.id), client.id, {"number": "TZ-2026-001", "kind": "nieuw"})


def test_grant_needs_the_criterion_and_the_id_check(ctx):
    actor, today = contact_person(), local_today()
    registration = ask(actor, make_client(), today, criterion=None, id_check_document=None,
                       id_check_date=None)
    services.start_processing(actor, registration, today)
    missing = ("Leg eerst het criterium en de ID-controle vast voordat u de registratie "
               "verleent.")
    refused(missing, services.grant, actor, registration, decide(today))
    services.update_details(actor, registration, request_data(
        today, id_check_document=None, id_check_date=None))
    refused(missing, services.grant, actor, registration, decide(today))
    assert registration.status == S.IN_BEHANDELING and registration.id_check_by_id is None
    refused("Vul bij de ID-controle zowel het soort document als de datum in.",
            services.update_details, actor, registration,
            request_data(today, id_check_date=None))

    assert services.update_details(actor, registration, request_data(today)) == [
        "id_check_document", "id_check_date"]
    services.grant(actor, registration, decide(today))
    assert registration.status == S.VERLEEND and registration.id_check_by_id == actor.id


def test_dates_in_the_future_are_refused(ctx, freeze_today):
    freeze_today(date(2026, 5, 20))
    actor, tomorrow, today = contact_person(), date(2026, 5, 21), date(2026, 5, 20)
    client = make_client()
    refused("De aanvraagdatum ligt niet in de toekomst.", ask, actor, client, tomorrow,
            id_check_date=today)
    refused("De datum van de ID-controle ligt niet in de toekomst.", ask, actor, client, today,
            id_check_date=tomorrow)
    assert count(Registration) == 0
    registration = ask(actor, client, today)  # today itself is fine
    refused("De datum ligt niet in de toekomst.", services.start_processing, actor,
            registration, tomorrow)
    services.start_processing(actor, registration, today)
    refused("De besluitdatum ligt niet in de toekomst.", services.grant, actor, registration,
            decide(tomorrow))
    refused("De besluitdatum ligt niet in de toekomst.", services.refuse, actor, registration,
            decide(tomorrow, reason=REFUSAL_REASON))
    services.grant(actor, registration, decide(today))
    refused("De datum ligt niet in de toekomst.", services.pass_issued, actor, registration,
            tomorrow)
    refused("De datum ligt niet in de toekomst.", services.revoke, actor, registration,
            on=tomorrow, reason=RevocationReason.VERTREK)
    refused("De datum ligt niet in de toekomst.", services.lapse, actor, registration,
            on=tomorrow, reason=LAPSE_REASON)
    assert stored(registration.id)["status"] == S.VERLEEND


def test_decision_dates_follow_the_request(ctx):
    actor, today = contact_person(), local_today()
    day = today - timedelta(days=20)
    registration = ask(actor, make_client(), day)
    refused("De behandeling begint niet vóór de aanvraagdatum.", services.start_processing,
            actor, registration, day - timedelta(days=1))
    services.start_processing(actor, registration, day)
    for action in (services.grant, services.refuse):
        refused("De besluitdatum ligt niet vóór de aanvraagdatum.", action, actor, registration,
                decide(day - timedelta(days=1), reason=REFUSAL_REASON))
    refused("Geef de reden van de afwijzing.", services.refuse, actor, registration,
            decide(day, reason="   "))
    refused("'Geldig tot' ligt niet vóór de ingangsdatum.", services.grant, actor, registration,
            decide(day, valid_from=day + timedelta(days=5), valid_until=day + timedelta(days=4)))
    refused("Deze registratie zou al verlopen zijn; kies een latere einddatum.", services.grant,
            actor, registration, decide(day, valid_until=today - timedelta(days=1)))
    services.grant(actor, registration, decide(day + timedelta(days=2), valid_until=today,
                                               decision_kenmerk=" BS/2026/17 "))
    assert (registration.decided_on, registration.valid_from, registration.valid_until,
            registration.decision_kenmerk) == (day + timedelta(days=2), day + timedelta(days=2),
                                               today, "BS/2026/17")
    for action, extra in ((services.revoke, {"reason": RevocationReason.VOORWAARDEN}),
                          (services.lapse, {"reason": LAPSE_REASON})):
        refused("Deze datum ligt vóór het besluit.", action, actor, registration,
                on=day + timedelta(days=1), **extra)
    refused("Geef de reden waarom de registratie vervalt.", services.lapse, actor, registration,
            on=today, reason=" ")
    assert stored(registration.id)["status"] == S.VERLEEND


def test_default_validity_follows_the_settings(ctx, freeze_today):
    freeze_today(date(2026, 1, 1))
    actor = contact_person()
    registration = granted(actor, make_client(), date(2026, 1, 1))
    assert (registration.valid_from, registration.valid_until) == (date(2026, 1, 1),
                                                                   date(2026, 12, 31))
    assert history(registration)[-1].description == (
        "Verleend, geldig van 1 januari 2026 tot en met 31 december 2026")
    settings.update(actor, settings_change(validity_months=6))
    later = ask(actor, make_client(), date(2026, 1, 1))
    services.start_processing(actor, later, date(2026, 1, 1))
    services.grant(actor, later, decide(date(2026, 1, 1), valid_from=date(2026, 3, 15)))
    assert (later.valid_from, later.valid_until) == (date(2026, 3, 15), date(2026, 9, 14))


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 1), 12, date(2027, 1, 1)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
])
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert services.add_months(day, months) == expected


def test_default_validity_from_a_late_day_of_the_month_runs_to_the_end_of_the_month(make_app):
    with make_app(REGISTRATION_VALIDITY_MONTHS=1).app_context():
        assert services.default_valid_until(date(2026, 1, 28)) == date(2026, 2, 27)
        assert services.default_valid_until(date(2026, 1, 31)) == date(2026, 2, 28)
    with make_app(REGISTRATION_VALIDITY_MONTHS=12).app_context():
        assert services.default_valid_until(date(2028, 2, 29)) == date(2029, 2, 28)


def test_a_client_holds_at_most_one_valid_registration(ctx):
    actor, client = contact_person(), make_client()
    first = in_status(actor, S.VERLEEND, client)
    refused(f"Deze cliënt heeft al een geldige registratie ({first.number}); vraag een "
            "hernieuwing aan.", ask, actor, client, local_today())
    assert count(Registration) == 1
    # The unique valid_client_id holds even when a row is written past the services.
    db.session.add(Registration(
        number="TZ-HANDMATIG", client_id=client.id, status=S.VERLEEND.value,
        valid_client_id=client.id, requested_on=local_today(), created_by_id=actor.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert count(Registration, Registration.valid_client_id == client.id) == 1


def test_a_client_has_at_most_one_open_request(ctx):
    actor, client, today = contact_person(), make_client(), local_today()
    first = ask(actor, client, today)
    pending = f"Voor deze cliënt loopt al een aanvraag ({first.number})."
    refused(pending, ask, actor, client, today)
    services.start_processing(actor, first, today)
    refused(pending, ask, actor, client, today)
    assert ask(actor, make_client(), today).number == f"TZ-{today.year}-002"  # not held up
    services.refuse(actor, first, decide(today, reason=REFUSAL_REASON))
    assert ask(actor, client, today).number == f"TZ-{today.year}-003"


def test_renewal_is_linked_once_and_granting_it_ends_the_previous(ctx, freeze_today):
    freeze_today(date(2026, 6, 1))
    actor, client = contact_person(), make_client()
    previous = granted(actor, client, date(2026, 5, 20), valid_until=date(2026, 6, 30))
    renewal = services.renew(actor, previous, request_data(date(2026, 6, 1)))

    assert (renewal.number, renewal.kind, renewal.previous_id, renewal.status) == (
        "TZ-2026-002", RegistrationKind.HERNIEUWING, previous.id, S.AANGEVRAAGD)
    assert history(renewal)[0].description == "Hernieuwing aangevraagd (vervolg op TZ-2026-001)"
    assert as_dict(history(previous)[-1]) == {
        "event": "hernieuwing", "from": None, "to": None, "reason": None,
        "on": date(2026, 6, 1), "description": "Hernieuwing aangevraagd: TZ-2026-002",
        "by": actor.id}
    assert audit("registrations.renewal_requested")[0].detail == {
        "number": "TZ-2026-002", "previous": "TZ-2026-001"}
    refused("Deze registratie is al hernieuwd met TZ-2026-002.", services.renew, actor,
            previous, request_data(date(2026, 6, 1)))

    services.start_processing(actor, renewal, date(2026, 6, 1))
    services.grant(actor, renewal, decide(date(2026, 6, 1)))
    assert (previous.status, previous.valid_client_id, previous.ended_on) == (
        S.VERVALLEN, None, date(2026, 6, 1))
    assert as_dict(history(previous)[-1]) == {
        "event": "status", "from": "verleend", "to": "vervallen", "reason": services.RENEWED,
        "on": date(2026, 6, 1), "description": "Vervangen door hernieuwing TZ-2026-002",
        "by": actor.id}
    assert (renewal.status, renewal.valid_client_id, renewal.valid_until) == (
        S.VERLEEND, client.id, date(2027, 5, 31))
    assert [e.detail["to"] for e in audit("registrations.status_changed")][-2:] == [
        "verleend", "vervallen"]
    refused("Alleen een verleende of verlopen registratie kan worden hernieuwd.",
            services.renew, actor, previous, request_data(date(2026, 6, 1)))


def test_only_a_verleend_or_verlopen_registration_can_be_renewed(ctx):
    actor, today = contact_person(), local_today()
    for status in (S.AANGEVRAAGD, S.IN_BEHANDELING, S.AFGEWEZEN, S.INGETROKKEN, S.VERVALLEN):
        registration = in_status(actor, status)
        refused("Alleen een verleende of verlopen registratie kan worden hernieuwd.",
                services.renew, actor, registration, request_data(today))
    assert count(Registration, Registration.kind == RegistrationKind.HERNIEUWING) == 0

    expired = in_status(actor, S.VERLOPEN)
    renewal = services.renew(actor, expired, request_data(today))
    services.start_processing(actor, renewal, today)
    services.grant(actor, renewal, decide(today))
    assert (expired.status, renewal.status, renewal.previous_id) == (
        S.VERLOPEN, S.VERLEEND, expired.id)


def test_renewal_waits_for_an_open_request_and_never_makes_two_valid(ctx):
    actor, client, today = contact_person(), make_client(), local_today()
    expired = in_status(actor, S.VERLOPEN, client)
    fresh = ask(actor, client, today)
    refused(f"Voor deze cliënt loopt al een aanvraag ({fresh.number}).", services.renew, actor,
            expired, request_data(today))
    services.start_processing(actor, fresh, today)
    services.grant(actor, fresh, decide(today))
    # Now that a newer registration is valid, the old one can no longer be renewed.
    refused(f"Deze cliënt heeft een geldige registratie ({fresh.number}); hernieuw die in "
            "plaats van deze.", services.renew, actor, expired, request_data(today))
    assert stored(fresh.id)["status"] == S.VERLEEND


def test_an_old_registration_cannot_be_renewed_while_another_is_valid(ctx):
    actor, client, today = contact_person(), make_client(), local_today()
    expired = in_status(actor, S.VERLOPEN, client)
    valid = granted(actor, client, today)
    with pytest.raises(DomainError, match=valid.number):
        services.renew(actor, expired, request_data(today))


def test_a_renewal_granted_ahead_of_time_starts_when_the_previous_ends(ctx, freeze_today):
    freeze_today(date(2026, 12, 1))
    actor, client = contact_person(), make_client()
    previous = granted(actor, client, date(2026, 1, 1), valid_until=date(2026, 12, 31),
                       decided_on=date(2026, 1, 1))
    renewal = services.renew(actor, previous, request_data(date(2026, 12, 1)))
    services.start_processing(actor, renewal, date(2026, 12, 1))
    refused("Een hernieuwing sluit aan op de vorige registratie: de ingangsdatum ligt "
            "uiterlijk op 1 januari 2027.", services.grant, actor, renewal,
            decide(date(2026, 12, 1), valid_from=date(2027, 1, 2)))
    services.grant(actor, renewal, decide(date(2026, 12, 1), valid_from=date(2027, 1, 1)))
    assert (renewal.status, renewal.valid_client_id, renewal.valid_until) == (
        S.VERLEEND, None, date(2027, 12, 31))
    assert (previous.status, previous.valid_client_id) == (S.VERLEEND, client.id)
    refused("Hernieuwing TZ-2026-002 loopt nog of moet nog ingaan; wijs die eerst af of trek "
            "die in.", services.revoke, actor, previous, on=date(2026, 12, 1),
            reason=RevocationReason.VERTREK)
    for day in (date(2026, 12, 15), date(2026, 12, 31)):
        freeze_today(day)
        assert reminders.run_daily(day) == {"verlopen": 0, "ingegaan": 0, "herinnerd": 0}
    freeze_today(date(2027, 1, 1))
    assert reminders.run_daily(date(2027, 1, 1)) == {
        "verlopen": 1, "ingegaan": 1, "herinnerd": 0}
    assert (stored(previous.id)["status"], stored(renewal.id)["valid_client_id"]) == (
        S.VERLOPEN, client.id)
    assert history(renewal)[-1].description == "Ingegaan op 1 januari 2027"
    assert stored_row(previous.id).valid_until + timedelta(days=1) == stored_row(
        renewal.id).valid_from  # no day without a registration
    assert stored_row(renewal.id).is_valid_on(date(2027, 1, 1))


COUNTER_ROW = "SELECT id FROM sequences WHERE name = 'registratie' FOR UPDATE"
AUDIT_CHAIN = f"SELECT pg_advisory_xact_lock({PG_CHAIN_LOCK})"


def race(app, lock_sql: str, *works) -> list:
    """Run each work in its own thread, app context, session and connection while another
    transaction holds a lock (PostgreSQL: `lock_sql`; SQLite: the write lock of BEGIN
    IMMEDIATE), release it once all are waiting, and return what each work returned or the
    message of its DomainError."""
    outcome: list = []

    def run(work) -> None:
        with app.app_context():
            try:
                outcome.append(work())
            except DomainError as error:
                outcome.append(error.message)

    db.session.commit()  # the test's own session holds nothing
    blocker = db.engine.connect()
    if database.using_postgres():
        blocker.execute(text(lock_sql))
    else:
        blocker.begin()
    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    try:
        for thread in threads:
            thread.start()
        _wait_for_waiters(len(works))
    finally:
        blocker.rollback()
        blocker.close()
    for thread in threads:
        thread.join(timeout=20)
    return outcome


def _wait_for_waiters(expected: int) -> None:
    if not database.using_postgres():
        time.sleep(0.3)  # SQLite: they wait in BEGIN IMMEDIATE (busy timeout 10 s)
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with db.engine.connect() as probe:
            if probe.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")) >= expected:
                return
        time.sleep(0.02)
    raise AssertionError("the works never waited for the lock")


def test_two_simultaneous_requests_leave_one_open_request(ctx):
    actor, client, today = contact_person(), make_client(), local_today()
    ask(actor, make_client(), today)  # the year's counter row exists
    actor_id, client_id = actor.id, client.id

    def request() -> str:
        return ask(db.session.get(User, actor_id), db.session.get(Client, client_id),
                   today).number

    outcome = race(ctx, COUNTER_ROW, request, request)
    assert count(Registration, Registration.client_id == client_id) == 1
    number = f"TZ-{today.year}-002"
    assert sorted(outcome) == [number, f"Voor deze cliënt loopt al een aanvraag ({number})."]


@pytest.mark.parametrize("reason", list(RevocationReason), ids=lambda r: r.value)
def test_revocation_reason_is_stored_and_audited(ctx, reason):
    actor, today = contact_person(), local_today()
    registration = in_status(actor, S.VERLEEND)
    services.revoke(actor, registration, on=today, reason=reason, explanation=f" {EXPLAINED} ")
    assert (registration.status, registration.end_reason, registration.end_reason_label,
            registration.ended_on) == (S.INGETROKKEN, reason.value, reason.label, today)
    event = history(registration)[-1]
    assert (event.reason_code, event.description) == (
        reason.value, f"Ingetrokken: {reason.label.lower()} ({EXPLAINED})")
    assert audit("registrations.status_changed")[-1].detail["reason"] == reason.value


def test_revocation_can_record_the_returned_pass(ctx):
    actor, today = contact_person(), local_today()
    without_pass = in_status(actor, S.VERLEEND)
    before = stored(without_pass.id)
    refused("Er is geen pas uitgereikt die kan worden ingeleverd.", services.revoke, actor,
            without_pass, on=today, reason=RevocationReason.VOORWAARDEN, pass_returned=True)
    assert stored(without_pass.id) == before

    registration = in_status(actor, S.VERLEEND)
    services.pass_issued(actor, registration, today - timedelta(days=5))
    services.revoke(actor, registration, on=today, reason=RevocationReason.VOORWAARDEN,
                    pass_returned=True)
    assert (registration.status, registration.pass_returned_on) == (S.INGETROKKEN, today)
    assert [(e.event, e.description) for e in history(registration)[-2:]] == [
        ("status", "Ingetrokken: niet (meer) voldaan aan de voorwaarden"),
        ("pas", "Pas ingeleverd")]
    assert audit("registrations.pass_returned")[0].object_id == str(registration.id)


def test_the_pass_is_issued_once_when_verleend_and_returned_after(ctx):
    actor, today = contact_person(), local_today()
    waiting = in_status(actor, S.IN_BEHANDELING)
    refused("Een pas wordt alleen uitgereikt bij een verleende registratie.",
            services.pass_issued, actor, waiting, today)
    registration = in_status(actor, S.VERLEEND)
    decided = registration.decided_on
    refused("Er is geen pas uitgereikt die kan worden ingeleverd.", services.pass_returned,
            actor, registration, today)
    refused("De pas wordt niet vóór het besluit uitgereikt.", services.pass_issued, actor,
            registration, decided - timedelta(days=1))
    services.pass_issued(actor, registration, decided + timedelta(days=1))
    refused(f"De pas is al uitgereikt op {local_date(decided + timedelta(days=1))}.",
            services.pass_issued, actor, registration, today)
    refused("De pas wordt niet ingeleverd vóór de uitreiking.", services.pass_returned, actor,
            registration, decided)
    services.pass_returned(actor, registration, today)
    refused(f"De pas is al ingeleverd op {local_date(today)}.", services.pass_returned, actor,
            registration, today)
    assert (registration.pass_issued_on, registration.pass_returned_on) == (
        decided + timedelta(days=1), today)
    assert [(e.event, e.on_date, e.description, e.by_id) for e in history(registration)[-2:]] == [
        ("pas", decided + timedelta(days=1), "Pas uitgereikt", actor.id),
        ("pas", today, "Pas ingeleverd", actor.id)]
    assert [len(audit(f"registrations.pass_{what}")) for what in ("issued", "returned")] == [1, 1]
    revoked = in_status(actor, S.INGETROKKEN)
    refused("Een pas wordt alleen uitgereikt bij een verleende registratie.",
            services.pass_issued, actor, revoked, today)


def test_details_change_while_open_and_only_the_note_after_the_decision(ctx):
    actor, today = contact_person(), local_today()
    registration = in_status(actor, S.IN_BEHANDELING)
    day = registration.requested_on
    assert services.update_details(actor, registration, request_data(
        day, criterion="Meerderjarig", note="Gebeld")) == ["criterion", "note"]
    assert (history(registration)[-1].event, history(registration)[-1].description) == (
        "gegevens", "Gegevens gewijzigd: criterium, notitie")
    assert audit("registrations.updated")[-1].detail == {
        "number": registration.number, "fields": ["criterion", "note"]}
    events = stored(registration.id)["events"]
    assert services.update_details(actor, registration, request_data(
        day, criterion="Meerderjarig", note="Gebeld")) == []
    assert stored(registration.id)["events"] == events

    services.grant(actor, registration, decide(today))
    after_decision = "Na het besluit kunt u alleen de notitie en het besluit-kenmerk wijzigen."
    for change in ({"criterion": CRITERION}, {"id_check_document": "ID-kaart"},
                   {"requested_on": day - timedelta(days=1)}):
        data = {"criterion": "Meerderjarig", "note": "Gebeld", **change}
        refused(after_decision, services.update_details, actor, registration,
                request_data(data.pop("requested_on", day), **data))
    assert services.update_details(actor, registration, request_data(
        day, criterion="Meerderjarig", note="Pas opgehaald")) == ["note"]
    assert (registration.note, registration.criterion) == ("Pas opgehaald", "Meerderjarig")
    # The besluit-kenmerk often arrives after the decision was recorded.
    assert services.update_details(actor, registration, request_data(
        day, criterion="Meerderjarig", note="Pas opgehaald",
        decision_kenmerk=" NIJ/2026/TZ/77 ")) == ["decision_kenmerk"]
    assert registration.decision_kenmerk == "NIJ/2026/TZ/77"
    assert history(registration)[-1].description == "Gegevens gewijzigd: besluit-kenmerk"


def test_the_request_date_stays_in_its_number_year_and_before_the_processing(
        ctx, freeze_today):
    freeze_today(date(2027, 1, 20))
    actor = contact_person()
    registration = ask(actor, make_client(), date(2027, 1, 5))
    assert registration.number.startswith("TZ-2027-")
    refused("Het registratienummer hoort bij 2027; kies een aanvraagdatum in dat jaar.",
            services.update_details, actor, registration, request_data(date(2026, 12, 30)))
    services.start_processing(actor, registration, date(2027, 1, 10))
    refused("De aanvraagdatum ligt niet na de behandeling.", services.update_details, actor,
            registration, request_data(date(2027, 1, 12)))
    assert services.update_details(actor, registration, request_data(
        date(2027, 1, 8), id_check_date=date(2027, 1, 5))) == ["requested_on"]


def test_numbers_are_gap_free_per_year(ctx, freeze_today):
    freeze_today(date(2026, 1, 5))
    actor, today = contact_person(), date(2026, 1, 5)
    refused("De aanvraagdatum ligt niet in de toekomst.", ask, actor, make_client(),
            today + timedelta(days=1))
    refused("Vul bij de ID-controle zowel het soort document als de datum in.", ask, actor,
            make_client(), today, id_check_date=None)  # refused after the number was drawn
    numbers = [ask(actor, make_client(), today).number for _ in range(3)]
    numbers.append(ask(actor, make_client(), date(2025, 12, 30)).number)
    numbers.append(ask(actor, make_client(), today).number)
    previous = granted(actor, make_client(), date(2025, 12, 31))
    numbers += [previous.number, services.renew(actor, previous, request_data(today)).number]
    assert numbers == ["TZ-2026-001", "TZ-2026-002", "TZ-2026-003", "TZ-2025-001",
                       "TZ-2026-004", "TZ-2025-002", "TZ-2026-005"]
    db.session.add(Registration(number="TZ-2026-001", client_id=make_client().id,
                                requested_on=today, created_by_id=actor.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_number_format_is_configurable(make_app):
    with make_app(REGISTRATION_NUMBER_FORMAT="REG/{year}/{number:05d}").app_context():
        actor, today = contact_person(), local_today()
        assert [ask(actor, make_client(), today).number for _ in range(2)] == [
            f"REG/{today.year}/00001", f"REG/{today.year}/00002"]


# --- 3. automatic expiry -------------------------------------------------------------------------

def test_expiry_the_day_after_the_last_valid_day(ctx, freeze_today):
    freeze_today(date(2026, 3, 1))
    actor, client = contact_person(), make_client()
    registration = granted(actor, client, date(2026, 2, 20), valid_until=date(2026, 3, 31))
    missed = granted(actor, make_client(), date(2026, 2, 20), valid_until=date(2026, 3, 28))

    freeze_today(date(2026, 3, 31))  # the job did not run on 29 and 30 March
    assert reminders.run_daily() == {"verlopen": 1, "ingegaan": 0, "herinnerd": 1}
    assert stored(registration.id)["status"] == S.VERLEEND
    assert registration.is_valid_on(date(2026, 3, 31))
    assert (missed.status, missed.ended_on, history(missed)[-1].on_date) == (
        S.VERLOPEN, date(2026, 3, 29), date(2026, 3, 29))

    freeze_today(date(2026, 4, 1))
    assert registration_tasks.registrations_daily.call_local() == {
        "verlopen": 1, "ingegaan": 0, "herinnerd": 0}
    after = stored(registration.id)
    assert (after["status"], after["valid_client_id"], after["ended_on"]) == (
        S.VERLOPEN, None, date(2026, 4, 1))
    assert as_dict(history(registration)[-1]) == {
        "event": "status", "from": "verleend", "to": "verlopen", "reason": None,
        "on": date(2026, 4, 1), "description": "Verlopen: geldig tot en met 31 maart 2026",
        "by": None}
    change = audit("registrations.status_changed")[-1]
    assert (change.user_id, change.object_id, change.detail["to"]) == (
        None, str(registration.id), "verlopen")

    assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 0}
    assert stored(registration.id) == after
    assert ask(actor, client, date(2026, 4, 1)).status == S.AANGEVRAAGD  # the slot is free


# --- 4. reminders ------------------------------------------------------------------------------

def listed(message) -> list[str]:
    return [line for line in message.get_content().splitlines() if line.startswith("- ")]


def reminder_line(registration: Registration) -> str:
    return f"- {registration.number}: geldig tot en met {dmy(registration.valid_until)}"


def sent_since(smtp: LoopbackSMTP, seen: int) -> list:
    return smtp.received[seen:]


DISTINCT_CLIENTS = [("Zonnebloem", "Johanna Kwakernaak"), ("Margriet", "Wilhelmina Pels"),
                    ("Klaproos", "Theodora Bijl"), ("Lelietje", "Cornelia Haverkamp"),
                    ("Korenbloem", "Geertruida Smulders"), ("Boterbloem", "Anneke Vos"),
                    ("Vergeetmenietje", "Petronella Dekker")]


def test_reminders_go_once_to_each_active_contact_person_and_name_no_client(
        mail_ctx, smtp, freeze_today):
    freeze_today(date(2026, 5, 20))
    actor = contact_person()
    colleague = contact_person()
    contact_person(active=False)
    make_user(Role.CASEMANAGER)
    clients = [make_client(werknaam, legal_name=legal) for werknaam, legal in DISTINCT_CLIENTS]
    day = date(2026, 5, 10)
    today_edge = granted(actor, clients[0], day, valid_until=date(2026, 6, 1))
    window_edge = granted(actor, clients[1], day, valid_until=date(2026, 7, 1))
    outside = granted(actor, clients[2], day, valid_until=date(2026, 7, 2))
    ask(actor, clients[3], day)
    revoked = granted(actor, clients[4], day, valid_until=date(2026, 6, 10))
    services.revoke(actor, revoked, on=date(2026, 5, 20), reason=RevocationReason.VERTREK)
    lapsed = granted(actor, clients[5], day, valid_until=date(2026, 6, 15))
    services.lapse(actor, lapsed, on=date(2026, 5, 20), reason=LAPSE_REASON)
    granted(actor, clients[6], day, valid_until=date(2026, 5, 31))  # expires first

    freeze_today(date(2026, 6, 1))
    assert reminders.run_daily() == {"verlopen": 1, "ingegaan": 0, "herinnerd": 2}
    received = smtp.received
    assert sorted(r.rcpt_tos for r in received) == sorted([(actor.email,), (colleague.email,)])
    link = "https://stapportaal.nijmegen.test/registraties/?verloopt_binnen=30"
    for item in received:
        message = item.message
        assert message["Subject"] == reminders.SUBJECT
        assert listed(message) == [reminder_line(today_edge), reminder_line(window_edge)]
        assert "De volgende registraties verlopen binnen 30 dagen:" in message.get_content()
        assert link in message.get_content().splitlines()
        text = message.as_string() + message.get_content()
        for client in clients:
            for personal in (client.werknaam, client.legal_name, client.number):
                assert personal not in text
    assert [(m.status, m.delivered_as) for m in db.session.scalars(select(OutboxMessage))] == [
        ("verzonden", "smtp")] * 2
    assert (today_edge.reminded_for, history(today_edge)[-1].event,
            history(today_edge)[-1].by_id) == (date(2026, 6, 1), "herinnering", None)
    [queued] = audit("registrations.reminder_queued")
    assert queued.detail == {"numbers": [today_edge.number, window_edge.number],
                             "recipients": 2}

    # The same day: nothing new.
    assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 0}
    freeze_today(date(2026, 6, 2))  # next day: only the one that just came within 30 days
    seen = len(smtp.received)
    assert reminders.run_daily() == {"verlopen": 1, "ingegaan": 0, "herinnerd": 1}
    assert [listed(r.message) for r in sent_since(smtp, seen)] == [[reminder_line(outside)]] * 2
    seen = len(smtp.received)
    assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 0}

    renewal = services.renew(actor, window_edge, request_data(date(2026, 6, 2)))
    services.start_processing(actor, renewal, date(2026, 6, 2))
    services.grant(actor, renewal, decide(date(2026, 6, 2), valid_until=date(2026, 6, 25)))
    assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 1}
    assert [listed(r.message) for r in sent_since(smtp, seen)] == [[reminder_line(renewal)]] * 2
    assert len(smtp.received) == 6


def test_reminder_without_a_mail_server_becomes_an_eml_file(ctx, freeze_today):
    freeze_today(date(2026, 6, 1))
    actor = contact_person()
    settings.update(actor, settings_change(day_pass_mode=False, reminder_days=14))
    inside = granted(actor, make_client("Zonnebloem"), date(2026, 5, 1),
                     valid_until=date(2026, 6, 15))
    granted(actor, make_client(), date(2026, 5, 1), valid_until=date(2026, 6, 16))

    assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 1}
    [path] = (Path(ctx.instance_path) / "outbox").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert (message["To"], message["Subject"]) == (actor.email, reminders.SUBJECT)
    assert listed(message) == [reminder_line(inside)]
    base = ctx.config["PORTAL_BASE_URL"].rstrip("/")
    assert f"{base}/registraties/?verloopt_binnen=14" in message.get_content().splitlines()
    assert "Zonnebloem" not in message.as_string()
    assert db.session.scalar(select(OutboxMessage.delivered_as)) == "eml"


def test_reminders_wait_until_there_is_a_contact_person(ctx, freeze_today, caplog):
    freeze_today(date(2026, 6, 1))
    casemanager = db.session.get(User, make_user(Role.CASEMANAGER).id)
    registration = granted(casemanager, make_client(), date(2026, 5, 1),
                           valid_until=date(2026, 6, 20))
    with caplog.at_level("WARNING", logger="portal.registrations.reminders"):
        assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 0}
    assert "no active registratiecontactpersoon" in caplog.text
    assert (registration.reminded_for, count(OutboxMessage)) == (None, 0)
    contact = contact_person()
    freeze_today(date(2026, 6, 2))
    assert reminders.run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 1}
    assert db.session.scalars(select(OutboxMessage.recipient)).all() == [contact.email]
    assert registration.reminded_for == date(2026, 6, 20)


def test_two_simultaneous_daily_runs_send_each_reminder_once(ctx, freeze_today):
    freeze_today(date(2026, 6, 1))
    actor = contact_person()
    granted(actor, make_client(), date(2026, 5, 1), valid_until=date(2026, 6, 20))

    def daily_run() -> dict:
        return reminders.run_daily(date(2026, 6, 1))

    outcome = race(ctx, AUDIT_CHAIN, daily_run, daily_run)
    assert sorted(r["herinnerd"] for r in outcome) == [0, 1]
    assert count(OutboxMessage) == 1


# --- 5. day passes -----------------------------------------------------------------------------

def day_pass_rows() -> list[tuple[date, int]]:
    db.session.expire_all()
    return [(row.evening, row.passes) for row in db.session.scalars(
        select(DayPassEvening).order_by(DayPassEvening.evening))]


def test_day_passes_are_capped_and_corrected_without_personal_data(ctx, freeze_today):
    freeze_today(date(2026, 5, 20))
    actor, colleague = contact_person(), contact_person()
    today, yesterday = date(2026, 5, 20), date(2026, 5, 19)
    assert daypasses.record_evening(actor, yesterday, 20).passes == 20
    audit_length = count(AuditEvent)
    refused("Per avond mogen hoogstens 20 dagpassen worden uitgereikt.",
            daypasses.record_evening, actor, date(2026, 5, 18), 21)
    refused("Per avond mogen hoogstens 20 dagpassen worden uitgereikt.",
            daypasses.record_evening, actor, yesterday, 21, daypasses.EntryMode.REPLACE)
    refused("Per avond mogen hoogstens 20 dagpassen worden uitgereikt.",
            daypasses.record_evening, actor, yesterday, 1, daypasses.EntryMode.ADD)
    refused("Voor deze avond zijn al 20 dagpassen vastgelegd. Kies of u dit aantal optelt bij "
            "het eerdere aantal of het eerdere aantal vervangt.",
            daypasses.record_evening, actor, yesterday, 3)
    refused("Kies een avond die al is geweest of vandaag.", daypasses.record_evening, actor,
            today + timedelta(days=1), 3)
    refused("Vul een aantal van nul of meer in.", daypasses.record_evening, actor, today, -1)
    assert day_pass_rows() == [(yesterday, 20)]
    assert count(AuditEvent) == audit_length

    row = daypasses.record_evening(colleague, yesterday, 12, daypasses.EntryMode.REPLACE)
    daypasses.record_evening(actor, today, 0)
    assert day_pass_rows() == [(yesterday, 12), (today, 0)]
    assert row.updated_by_id == colleague.id
    recorded = audit("registrations.day_passes_recorded")
    assert [(e.action, e.object_type, e.client_id, e.detail) for e in recorded] == [
        ("C", "day_pass_evening", None,
         {"evening": "2026-05-19", "before": None, "after": 20, "mode": "eerste"}),
        ("U", "day_pass_evening", None,
         {"evening": "2026-05-19", "before": 20, "after": 12, "mode": "vervangen"}),
        ("C", "day_pass_evening", None,
         {"evening": "2026-05-20", "before": None, "after": 0, "mode": "eerste"})]
    entries = daypasses.entries_between(yesterday, yesterday)
    assert [(e.mode, e.entered, e.total_after) for e in entries] == [
        ("vervangen", 12, 12), ("eerste", 20, 20)]

    settings.update(actor, settings_change(day_pass_max=30))
    daypasses.record_evening(actor, today, 30, daypasses.EntryMode.REPLACE)
    refused("Per avond mogen hoogstens 30 dagpassen worden uitgereikt.",
            daypasses.record_evening, actor, today, 31, daypasses.EntryMode.REPLACE)
    settings.update(actor, settings_change(day_pass_mode=False))
    refused("Anonieme dagpassen staan uit; de beheerder kan ze aanzetten bij de "
            "registratie-instellingen.", daypasses.record_evening, actor, today, 1)
    assert day_pass_rows() == [(yesterday, 12), (today, 30)]

    db.session.add(DayPassEvening(evening=date(2026, 5, 1), passes=-1,
                                  updated_by_id=actor.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- 6. figures --------------------------------------------------------------------------------

def build_history(freeze_today) -> None:
    """Two quarters of 2026: requests, decisions, every ending and day passes."""
    freeze_today(date(2026, 1, 10))
    actor = contact_person()
    jan = [granted(actor, make_client(), date(2026, 1, 5), decided_on=date(2026, 1, 10)),
           granted(actor, make_client(), date(2026, 1, 6), valid_until=date(2026, 2, 28),
                   decided_on=date(2026, 1, 10))]
    refused_one = ask(actor, make_client(), date(2026, 1, 7))
    services.start_processing(actor, refused_one, date(2026, 1, 7))
    services.refuse(actor, refused_one, decide(date(2026, 1, 10), reason=REFUSAL_REASON))
    lapsing = granted(actor, make_client(), date(2026, 1, 8), decided_on=date(2026, 1, 10))

    freeze_today(date(2026, 3, 5))
    assert reminders.run_daily()["verlopen"] == 1  # jan[1], dated 1 March
    for evening, passes in ((2, 12), (3, 20), (4, 0)):
        daypasses.record_evening(actor, date(2026, 3, evening), passes)
    freeze_today(date(2026, 3, 30))
    march = ask(actor, make_client(), date(2026, 3, 30))

    freeze_today(date(2026, 4, 15))
    services.start_processing(actor, march, date(2026, 4, 1))
    services.grant(actor, march, decide(date(2026, 4, 15)))
    services.revoke(actor, jan[0], on=date(2026, 4, 15), reason=RevocationReason.EIGEN_VERZOEK)
    april = [granted(actor, make_client(), date(2026, 4, day), decided_on=date(2026, 4, 15))
             for day in (2, 3)]
    freeze_today(date(2026, 4, 20))
    services.revoke(actor, march, on=date(2026, 4, 20), reason=RevocationReason.VOORWAARDEN)

    freeze_today(date(2026, 5, 15))
    services.revoke(actor, april[0], on=date(2026, 5, 1), reason=RevocationReason.OVERLIJDEN)
    services.revoke(actor, april[1], on=date(2026, 5, 2), reason=RevocationReason.VERTREK)
    services.lapse(actor, lapsing, on=date(2026, 5, 10), reason=LAPSE_REASON)
    may = granted(actor, make_client(), date(2026, 5, 12))
    renewal = services.renew(actor, may, request_data(date(2026, 5, 14)))
    services.start_processing(actor, renewal, date(2026, 5, 14))
    services.grant(actor, renewal, decide(date(2026, 5, 14)))
    ask(actor, make_client(), date(2026, 5, 14))
    for evening, passes in ((date(2026, 4, 10), 5), (date(2026, 5, 1), 7)):
        daypasses.record_evening(actor, evening, passes)


def figures_as_dict(result: figures.Figures) -> dict:
    return {"requested": result.requested, "issued": result.issued, "refused": result.refused,
            "revoked": {reason.value: n for reason, n in result.revoked.items()},
            "expired": result.expired, "lapsed": result.lapsed, "renewed": result.renewed,
            "valid_now": result.valid_now,
            "day_passes": (result.day_passes, result.day_pass_evenings,
                           result.day_pass_busiest)}


def no_revocations(**counts) -> dict:
    return {reason.value: counts.get(reason.value, 0) for reason in RevocationReason}


def test_figures_count_per_period_from_the_history(ctx, freeze_today):
    build_history(freeze_today)
    today = date(2026, 5, 15)
    first = figures.figures_for(date(2026, 1, 1), date(2026, 3, 31), today)
    second = figures.figures_for(date(2026, 4, 1), date(2026, 6, 30), today)
    year = figures.figures_for(date(2026, 1, 1), date(2026, 12, 31), today)

    assert figures_as_dict(first) == {
        "requested": 5, "issued": 3, "refused": 1, "revoked": no_revocations(), "expired": 1,
        "lapsed": 0, "renewed": 0, "valid_now": 1, "day_passes": (32, 2, 20)}
    assert figures_as_dict(second) == {
        "requested": 5, "issued": 5, "refused": 0,
        "revoked": no_revocations(eigen_verzoek=1, voorwaarden=1, overlijden=1, vertrek=1),
        "expired": 0, "lapsed": 1, "renewed": 1, "valid_now": 1, "day_passes": (12, 2, 7)}
    assert second.revoked_total == 4
    assert figures_as_dict(year) == {
        "requested": 10, "issued": 8, "refused": 1,
        "revoked": no_revocations(eigen_verzoek=1, voorwaarden=1, overlijden=1, vertrek=1),
        "expired": 1, "lapsed": 1, "renewed": 1, "valid_now": 1, "day_passes": (44, 4, 20)}
    assert figures.figures_for(date(2026, 1, 1), date(2026, 3, 31),
                               date(2026, 5, 13)).valid_now == 0  # the renewal starts 14 May

    text = figures.as_csv(second)
    assert text.startswith("\ufeff")
    assert text == "\ufeff" + "".join(f"{line}\r\n" for line in [
        "Periode;1 april 2026 t/m 30 juni 2026", "Onderdeel;Aantal", "Aangevraagd;5", "Verleend;5",
        "Afgewezen;0", "Ingetrokken (totaal);4", "Ingetrokken: op eigen verzoek;1",
        "Ingetrokken: niet (meer) voldaan aan de voorwaarden;1", "Ingetrokken: overlijden;1",
        "Ingetrokken: vertrek uit de regio;1", "Verlopen;0", "Vervallen;1",
        "Vervangen door hernieuwing;1",
        "Geldig op 15 mei 2026;1", "Dagpassen uitgereikt;12", "Avonden met dagpassen;2",
        "Meeste dagpassen op één avond;7"])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert ["Ingetrokken: op eigen verzoek", "1"] in rows


# --- 7. settings -------------------------------------------------------------------------------

def test_settings_default_to_the_configuration(make_app):
    app = make_app(REGISTRATION_MODES=["dagpas"], DAY_PASS_MAX=5,
                   REGISTRATION_VALIDITY_MONTHS=6, REGISTRATION_REMINDER_DAYS=14)
    with app.app_context():
        current = settings.current()
        assert (current.personal_mode, current.day_pass_mode, current.day_pass_max,
                current.validity_months, current.reminder_days) == (False, True, 5, 6, 14)
        assert count(RegistrationSettings) == 0
        actor = contact_person()
        refused("Persoonlijke registraties staan uit; de beheerder kan ze aanzetten bij de "
                "registratie-instellingen.", ask, actor, make_client(), local_today())
        refused("Per avond mogen hoogstens 5 dagpassen worden uitgereikt.",
                daypasses.record_evening, actor, local_today(), 6)
        assert services.default_valid_until(date(2026, 1, 1)) == date(2026, 6, 30)


SETTINGS_REFUSALS = [
    ({"personal_mode": False, "day_pass_mode": False}, "personal_mode",
     "Kies minstens één werkwijze: persoonlijke registraties, anonieme dagpassen of beide."),
    *[({"day_pass_max": n}, "day_pass_max",
       "Het maximum aantal dagpassen per avond ligt tussen 1 en 500.") for n in (0, 501)],
    *[({"validity_months": n}, "validity_months",
       "De geldigheid ligt tussen 1 en 60 maanden.") for n in (0, 61)],
    *[({"reminder_days": n}, "reminder_days",
       "De herinneringstermijn ligt tussen 1 en 365 dagen.") for n in (0, 366)],
]


def test_settings_update_is_validated_with_dutch_messages(ctx):
    actor = contact_person()
    for fields, field, message in SETTINGS_REFUSALS:
        error = refused(message, settings.update, actor, settings_change(**fields))
        assert error.field == field, fields
    assert count(RegistrationSettings) == 0
    assert audit("registrations.settings_changed") == []

    low = settings.update(actor, settings_change(day_pass_mode=False, day_pass_max=1,
                                                 validity_months=1, reminder_days=1))
    high = settings.update(actor, settings_change(personal_mode=False, day_pass_max=500,
                                                  validity_months=60, reminder_days=365))
    assert low.id == high.id and count(RegistrationSettings) == 1
    current = settings.current()
    assert (current.personal_mode, current.day_pass_mode, current.day_pass_max,
            current.validity_months, current.reminder_days, current.updated_by_id) == (
        False, True, 500, 60, 365, actor.id)
    changes = audit("registrations.settings_changed")
    assert [c.detail["after"] for c in changes] == [
        dataclasses.asdict(settings_change(day_pass_mode=False, day_pass_max=1,
                                           validity_months=1, reminder_days=1)),
        dataclasses.asdict(settings_change(personal_mode=False, day_pass_max=500,
                                           validity_months=60, reminder_days=365))]
    assert changes[0].detail["before"] == dataclasses.asdict(settings_change())
    assert changes[1].detail["before"] == changes[0].detail["after"]
