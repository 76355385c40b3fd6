"""Erasure on request (issue 14 item 7): the privacyfunctionaris erases everything of one
woman from the database, the file store, the search index and the outbox, leaving a
destruction record without content; a legal retention refuses it with its reason. Proved by
scanning every table of the database (search-index tables included) and the file store."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, inspect, select, text

from portal.audit.models import AuditEvent
from portal.audit.services import verify_chain
from portal.auth.models import User
from portal.clients.models import Client, JournalEntry, Traject
from portal.clients.services import add_journal_entry
from portal.database import utcnow
from portal.documents import storage
from portal.documents.integrity import check_storage
from portal.documents.models import Document
from portal.extensions import db
from portal.hours import services as hours
from portal.hours.kinds import ensure_default_kinds
from portal.letters.models import OutboxMessage
from portal.privacy.models import AvgRequest, DestructionRecord
from portal.roles import Role
from tests.factories import (
    make_avg_request,
    make_client,
    make_inzage_pack,
    make_legal_hold,
    make_referral,
    make_registration,
    minimal_pdf,
)
from tests.plan_factories import make_plan_letter
from tests.test_documents import browser, document_ref, search, upload
from tests.test_registration_views import field_error, page_text, post

TODAY = date(2027, 2, 10)
# What only the erased woman's data contains: none of it may survive anywhere.
CONTENT_MARKERS = ("Zwaluw", "Zwaantje Markeer", "06 9999 0000", "zwaluwnest", "ijsvogelkust",
                   "Kamer aan de Waal")


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def world(app, account):
    """Zwaluw, with something of every kind, beside Merel, whose data must stay whole."""
    officer = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
    carla = account(Role.CASEMANAGER, name="Carla de Vries")
    contact = account(Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        zwaluw = make_client("Zwaluw", casemanagers=[carla], legal_name="Zwaantje Markeer",
                             phone="06 9999 0000", status="actief")
        merel = make_client("Merel", casemanagers=[carla], status="actief")
        registration = _fill(zwaluw, carla.id, contact.id, marker="Zwaluwnest")
        _fill(merel, carla.id, contact.id, marker="Merelnest")
        ids = {"zwaluw": zwaluw.id, "merel": merel.id, "number": zwaluw.number,
               "ref": zwaluw.ref, "merel_ref": merel.ref,
               "registration": registration.number,
               "request": make_avg_request(zwaluw, officer.id, kind="verwijdering").id}
        make_inzage_pack(make_avg_request(zwaluw, officer.id), officer.id,
                         text="Werknaam: Zwaluw")  # an earlier inzage, not yet released
        lifted = make_legal_hold(zwaluw, officer.id, reason="Klacht, inmiddels afgehandeld")
        lifted.lifted_at, lifted.lifted_by_id, lifted.lift_reason = utcnow(), officer.id, "Klaar"
        db.session.commit()
    web = browser(app, carla)
    ids["documents"] = {
        name: document_ref(upload(web, ref, kind="brief", title=f"Verslag {name}",
                                  content=minimal_pdf(f"{name}nest bij de ijsvogelkust"
                                                      if name == "Zwaluw" else "Merelnest")))
        for name, ref in (("Zwaluw", ids["ref"]), ("Merel", ids["merel_ref"]))}
    return {"officer": officer, "carla": carla, "ids": ids, "carla_web": web}


def _fill(client, author_id: int, contact_id: int, marker: str):
    """A journal entry, a traject, a plan letter, a finished registration, an aanmelding,
    a reminder e-mail naming the registration and an hour booked on her."""
    author = db.session.get(User, author_id)
    add_journal_entry(client, author, entry_date=TODAY - timedelta(days=3),
                      text=f"{marker}: gesprek over een Kamer aan de Waal"
                      if marker == "Zwaluwnest" else f"{marker}: gesprek", confidential=False)
    db.session.add(Traject(client_id=client.id, kind="time-out", status="lopend"))
    db.session.commit()
    make_plan_letter(client, author_id)
    registration = make_registration(client, contact_id, status="afgewezen",
                                     requested_on=TODAY - timedelta(days=4 * 365))
    registration.decided_on = registration.requested_on + timedelta(days=20)  # long ago
    make_referral(author_id, client_id=client.id, aanleiding=f"{marker} zorgen")
    db.session.add(OutboxMessage(recipient="rcp@gemeente.test", subject="Herinnering",
                                 body=f"- {registration.number} en {client.number}",
                                 message_id=f"<{uuid4()}@stapportaal.test>"))
    db.session.commit()
    ensure_default_kinds()
    kind_id = db.session.execute(text("SELECT min(id) FROM hour_activity_kinds")).scalar()
    hours.record_entry(author, hours.EntryData(
        work_date=TODAY - timedelta(days=1), minutes=45, kind_id=kind_id,
        client_id=client.id, note=f"{marker} huisbezoek"))
    return registration


def erase(app, world, confirm: str | None = None):
    web = browser(app, world["officer"])
    request_id = world["ids"]["request"]
    return web, post(web, f"/privacy/verzoeken/{request_id}/wissen",
                     {"confirm_number": world["ids"]["number"] if confirm is None else confirm},
                     page=f"/privacy/verzoeken/{request_id}")


def every_table(app) -> list[str]:
    """Every table in the database, the search index's own tables included."""
    with app.app_context():
        return inspect(db.engine).get_table_names()


def rows_mentioning(app, markers, skip=()) -> dict[str, list[str]]:
    found = {}
    with app.app_context():
        for table in every_table(app):
            if table in skip or table == "alembic_version":
                continue
            rows = db.session.execute(text(f'SELECT * FROM "{table}"')).all()  # noqa: S608
            hits = [marker for row in rows for marker in markers
                    if marker.lower() in repr(tuple(row)).lower()]
            if hits:
                found[table] = sorted(set(hits))
    return found


def _audit_mentions(app, markers) -> list[str]:
    """The audit trail holds no content of hers; only the words staff searched for stay
    (who searched what is part of their own access trail)."""
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.event != "documents.searched")).all()
        return [event.event for event in events for marker in markers
                if marker.lower() in repr(event.detail).lower()]


def rows_pointing_at(app, client_id: int) -> dict[str, int]:
    """Rows whose foreign key points at this client, in every table that has one."""
    found = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == "clients" for fk in column.foreign_keys):
                    count = db.session.scalar(select(func.count()).select_from(table).where(
                        column == client_id))
                    if count:
                        found[f"{table.name}.{column.name}"] = count
    return found


def test_erasure_leaves_nothing_of_her_in_database_files_index_or_outbox(app, world):
    ids = world["ids"]
    with app.app_context():
        keys_before = storage.stored_keys()
    assert search(world["carla_web"], "ijsvogelkust")[0] == [ids["documents"]["Zwaluw"]]
    assert rows_mentioning(app, CONTENT_MARKERS), "the scan must see her data before"

    web, response = erase(app, world)
    assert response.status_code == 302
    shown = page_text(web.get(response.location))
    assert f"Alle gegevens van {ids['number']} zijn gewist" in shown

    # The database: no row points at her, and nothing she said or is called survives, in
    # any table, the full-text index's own tables included. Kept, with reasons: the audit
    # trail (art. 17(3)(b) AVG, NEN 7513) refers to her by id and number only; the AVG
    # register and the destruction record keep her number to account for the request.
    assert rows_pointing_at(app, ids["zwaluw"]) == {}
    assert rows_mentioning(app, CONTENT_MARKERS, skip={"audit_events"}) == {}
    assert _audit_mentions(app, CONTENT_MARKERS) == []
    assert rows_mentioning(app, (ids["number"], ids["ref"], ids["registration"]), skip={
        "audit_events", "avg_requests", "destruction_records"}) == {}
    # The search index and the file store.
    assert search(world["carla_web"], "ijsvogelkust")[0] == []
    with app.app_context():
        keys_after = storage.stored_keys()
        merel_keys = _stored_keys_of(ids["merel"])
        record = db.session.scalar(select(DestructionRecord))
        request_row = db.session.get(AvgRequest, ids["request"])
        storage_report = check_storage()
        assert db.session.get(Client, ids["zwaluw"]) is None
    gone = keys_before - keys_after
    # her upload, and her plan letter both as the letter and as its copy in the dossier
    assert keys_after < keys_before and len(gone) == 3 == len(record.file_hashes)
    assert merel_keys <= keys_after and not gone & merel_keys
    assert (storage_report.orphans, storage_report.missing) == ([], [])
    # Merel is whole: her document downloads, her journal, hours and reminder stay.
    assert world["carla_web"].get(
        f"/documenten/{ids['documents']['Merel']}/download/1").status_code == 200
    assert search(world["carla_web"], "merelnest")[0] == [ids["documents"]["Merel"]]
    with app.app_context():
        assert db.session.scalar(select(func.count(JournalEntry.id)).where(
            JournalEntry.client_id == ids["merel"])) == 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    # What is left: a record without content, the decided request, the unlinked hour.
    assert record.client_number == ids["number"] and record.approved_by_id == world[
        "officer"].id
    assert record.counts["dossier"] == 1 and record.counts["documenten"] == 2
    assert record.counts["urenboekingen (ontkoppeld)"] == 1
    assert (request_row.status, request_row.decision, request_row.client_id) == (
        "afgehandeld", "toegewezen", None)
    assert f"vernietigingsverklaring nr. {record.id}" in request_row.motivation
    _assert_hours_kept_without_her(app)


def _stored_keys_of(client_id: int) -> set[str]:
    from portal.documents.models import DocumentVersion

    return set(db.session.scalars(select(DocumentVersion.storage_key).join(Document).where(
        Document.client_id == client_id)))


def _assert_hours_kept_without_her(app) -> None:
    from portal.hours.models import TimeEntry

    with app.app_context():
        entries = db.session.scalars(select(TimeEntry).order_by(TimeEntry.id)).all()
    assert [(e.minutes, e.client_id is None, e.note is None) for e in entries] == [
        (45, True, True), (45, False, False)]


def test_the_audit_chain_verifies_after_erasure_and_records_it(app, world):
    _web, response = erase(app, world)
    assert response.status_code == 302
    with app.app_context():
        checked, problems = verify_chain()
        assert problems == [] and checked > 10
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "privacy.client_erased"))
        kept = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.client_id == world["ids"]["zwaluw"]))
    assert event.detail["files"] == 3 and kept > 3  # her trail is kept, named by id only


def test_a_wrong_confirmation_changes_nothing(app, world):
    _web, response = erase(app, world, confirm="C-1999-0001")
    assert response.status_code == 422
    assert field_error(response, "confirm_number") == (
        f"Typ het cliëntnummer {world['ids']['number']} om te bevestigen.")
    with app.app_context():
        assert db.session.get(Client, world["ids"]["zwaluw"]) is not None
        assert db.session.scalar(select(func.count(DestructionRecord.id))) == 0


def test_a_legal_hold_or_a_running_registration_refuses_erasure_with_its_reason(
        app, world, account):
    ids, contact = world["ids"], account(Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        zwaluw = db.session.get(Client, ids["zwaluw"])
        make_legal_hold(zwaluw, world["officer"].id, reason="Lopende klacht bij de rechter")
        make_registration(zwaluw, contact.id,
                          status="verleend", valid_until=TODAY + timedelta(days=90))
    web = browser(app, world["officer"])
    detail = page_text(web.get(f"/privacy/verzoeken/{ids['request']}"))
    assert "Wissen kan nu niet" in detail
    assert "Er geldt een bewaarplicht: Lopende klacht bij de rechter" in detail
    assert "loopt nog (verleend)" in detail
    assert "Het verzoek om verwijdering wordt afgewezen: Er geldt een bewaarplicht" in detail
    _web, response = erase(app, world)
    assert response.status_code == 422
    assert "Wissen kan niet: Er geldt een bewaarplicht" in page_text(response)
    with app.app_context():
        assert db.session.get(Client, ids["zwaluw"]) is not None
        assert db.session.scalar(select(func.count(DestructionRecord.id))) == 0


def test_a_recently_ended_registration_is_kept_for_its_term(app, world, account):
    contact = account(Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        zwaluw = db.session.get(Client, world["ids"]["zwaluw"])
        make_registration(zwaluw, contact.id,
                          status="ingetrokken", requested_on=TODAY - timedelta(days=200))
    _web, response = erase(app, world)
    assert response.status_code == 422
    assert "de gemeente bewaart die gegevens tot en met" in page_text(response)


def test_the_preview_lists_what_goes_and_only_the_officer_erases(app, world):
    web = browser(app, world["officer"])
    detail = page_text(web.get(f"/privacy/verzoeken/{world['ids']['request']}"))
    assert "Wat wordt gewist" in detail and "bestanden in de bestandsopslag" in detail
    carla = world["carla_web"]
    assert "Gegevens wissen" not in page_text(
        carla.get(f"/privacy/verzoeken/{world['ids']['request']}"))
    refused = post(carla, f"/privacy/verzoeken/{world['ids']['request']}/wissen",
                   {"confirm_number": world["ids"]["number"]})
    assert refused.status_code == 403


def test_holds_are_placed_and_lifted_with_a_reason(app, world):
    web = browser(app, world["officer"])
    missing = post(web, "/privacy/bewaarplicht", {"client_number": world["ids"]["number"],
                                                  "reason": " "})
    assert missing.status_code == 422
    assert field_error(missing, "reason") == "Schrijf waarom haar gegevens bewaard moeten blijven."
    placed = post(web, "/privacy/bewaarplicht", {"client_number": world["ids"]["number"],
                                                 "reason": "Inspectie vraagt het dossier op"})
    assert placed.status_code == 302
    listing = page_text(web.get("/privacy/bewaarplicht"))
    assert "Inspectie vraagt het dossier op" in listing
    with app.app_context():
        from portal.privacy.models import LegalHold

        hold = db.session.scalar(select(LegalHold).where(LegalHold.lifted_at.is_(None)))
    post(web, f"/privacy/bewaarplicht/{hold.id}/opheffen", {"reason": "Inspectie klaar"})
    with app.app_context():
        assert db.session.get(LegalHold, hold.id).lift_reason == "Inspectie klaar"
