"""The retention run (issue 14 item 7): the monthly list proposes what is past its term, the
privacyfunctionaris holds items (a legal hold on the client) and approves the rest, and
executing destroys exactly the approved items still due; old audit events go behind a
checkpoint from which the chain still verifies, and nothing else can delete an event."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from portal.audit.models import AuditCheckpoint, AuditEvent
from portal.audit.services import verify_chain
from portal.clients.models import Client, JournalEntry
from portal.clients.services import add_journal_entry
from portal.documents import storage
from portal.documents.models import Document
from portal.extensions import db
from portal.privacy import retention
from portal.privacy.models import DestructionItem, DestructionList, DestructionRecord, LegalHold
from portal.privacy.tasks import propose_destruction_list_monthly
from portal.registrations.models import Registration
from portal.roles import Role
from tests.factories import make_client, make_document, make_registration
from tests.test_documents import browser
from tests.test_registration_views import field_error, page_text, post

TODAY = date(2042, 3, 1)  # 15 years after closing 2026 dossiers; audit events of 2026 are old


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def archive(app, account):
    """A dossier closed in 2026 (due), one closed in 2030 (not due), an open one with a
    diagnostics report past its term and one within it; the 2030 one has a registration
    refused in 2031, past its two years."""
    officer = account(Role.PRIVACYFUNCTIONARIS, name="Pim Privacy")
    carla = account(Role.CASEMANAGER)
    contact = account(Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        from portal.auth.models import User

        author = db.session.get(User, carla.id)
        old = make_client("Oud", casemanagers=[carla], closed_at=date(2026, 6, 30),
                          status="afgesloten")
        add_journal_entry(old, author, entry_date=date(2026, 6, 1), text="Afsluitend gesprek",
                          confidential=False)
        old_letter = make_document(old, carla.id, retention_until=date(2041, 6, 30))
        recent = make_client("Recent", casemanagers=[carla], closed_at=date(2030, 1, 10),
                             status="afgesloten")
        active = make_client("Actief", casemanagers=[carla], status="actief")
        report = make_document(active, carla.id, kind="diagnostiekrapport",
                               retention_until=date(2041, 12, 31))
        kept = make_document(active, carla.id, kind="diagnostiekrapport",
                             retention_until=date(2046, 5, 1))
        registration = make_registration(recent, contact.id, status="afgewezen",
                                         requested_on=date(2031, 1, 5))
        registration.decided_on = date(2031, 2, 1)
        db.session.commit()
        ids = {"old": old.id, "recent": recent.id, "active": active.id, "report": report.id,
               "kept": kept.id, "registration": registration.id,
               "old_key": old_letter.versions[0].storage_key,
               "report_key": report.versions[0].storage_key}
    return {"officer": officer, "carla": carla, "ids": ids}


def items(app, list_id: int) -> list[tuple[str, str, int]]:
    with app.app_context():
        return [(i.category, i.root_table, i.root_id) for i in db.session.scalars(
            select(DestructionItem).where(DestructionItem.list_id == list_id)
            .order_by(DestructionItem.id))]


def propose(app) -> int:
    with app.app_context():
        return retention.propose().id


def test_the_list_proposes_what_is_past_its_term_and_nothing_within_it(app, archive):
    ids = archive["ids"]
    list_id = propose(app)
    proposed = items(app, list_id)
    newest_seq = _newest_audit_seq(app)
    assert proposed[:3] == [("dossier", "clients", ids["old"]),
                            ("diagnostiek", "documents", ids["report"]),
                            ("registratie", "registrations", ids["registration"])]
    assert proposed[3][:2] == ("audit", "audit_events") and proposed[3][2] <= newest_seq
    assert len(proposed) == 4
    with app.app_context():
        assert retention.propose() is None  # one list a month
        assert propose_destruction_list_monthly.call_local() is None


def _newest_audit_seq(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEvent.seq)))


def test_executing_destroys_exactly_the_approved_items_still_due(app, archive):
    ids = archive["ids"]
    list_id = propose(app)
    [registration_item] = [i for i in _item_rows(app, list_id) if i.category == "registratie"]
    web = browser(app, archive["officer"])
    page = f"/privacy/vernietigingslijst/{list_id}"
    empty = post(web, f"/privacy/vernietigingslijst/onderdeel/{registration_item.id}/aanhouden",
                 {"reason": ""}, page=page)
    assert empty.status_code == 422
    assert field_error(empty, "reason") == "Schrijf waarom dit bewaard moet blijven."
    held = post(web, f"/privacy/vernietigingslijst/onderdeel/{registration_item.id}/aanhouden",
                {"reason": "Bezwaar tegen de weigering loopt"}, page=page)
    assert held.status_code == 302
    # Past its term after the list was made: not on the list, so it stays.
    with app.app_context():
        late = make_document(db.session.get(Client, ids["active"]), archive["carla"].id,
                             kind="diagnostiekrapport", retention_until=date(2042, 2, 1))
        late_id, documents_before = late.id, db.session.scalar(select(func.count(Document.id)))
    executed = post(web, f"/privacy/vernietigingslijst/{list_id}/uitvoeren", page=page)
    assert executed.status_code == 302
    assert "3 onderdeel/onderdelen vernietigd" in page_text(web.get(executed.location))

    with app.app_context():
        assert db.session.get(Client, ids["old"]) is None
        assert db.session.scalar(select(func.count(JournalEntry.id)).where(
            JournalEntry.client_id == ids["old"])) == 0
        assert db.session.get(Document, ids["report"]) is None
        for survivor in (ids["kept"], late_id):
            assert db.session.get(Document, survivor) is not None
        assert db.session.get(Client, ids["recent"]) is not None
        assert db.session.get(Registration, ids["registration"]) is not None  # held
        assert db.session.scalar(select(func.count(Document.id))) == documents_before - 2
        hold = db.session.scalar(select(LegalHold).where(LegalHold.client_id == ids["recent"]))
        assert hold.reason == "Bezwaar tegen de weigering loopt"
        keys = storage.stored_keys()
        assert ids["old_key"] not in keys and ids["report_key"] not in keys
        records = db.session.scalars(select(DestructionRecord).order_by(
            DestructionRecord.id)).all()
        assert [r.ground for r in records] == ["bewaartermijn"] * 3
        assert records[0].counts["dossier"] == 1 and len(records[1].file_hashes) == 1
        # The chain verifies from the checkpoint; the events it covers are gone.
        checkpoint = db.session.scalar(select(AuditCheckpoint))
        assert db.session.scalar(select(func.min(AuditEvent.seq))) == checkpoint.seq + 1
        checked, problems = verify_chain()
        assert problems == [] and checked > 0
    again = post(web, f"/privacy/vernietigingslijst/{list_id}/uitvoeren", page=page)
    assert "al uitgevoerd" in page_text(web.get(again.location))


def _item_rows(app, list_id: int) -> list[DestructionItem]:
    with app.app_context():
        return db.session.scalars(select(DestructionItem).where(
            DestructionItem.list_id == list_id)).all()


def test_an_item_no_longer_due_is_skipped_with_the_reason(app, archive):
    list_id = propose(app)
    with app.app_context():
        reopened = db.session.get(Client, archive["ids"]["old"])
        reopened.closed_at, reopened.status = None, "actief"
        db.session.commit()
        proposal = db.session.get(DestructionList, list_id)
        from portal.auth.models import User

        retention.execute(proposal, db.session.get(User, archive["officer"].id))
        [dossier] = [i for i in proposal.items if i.category == "dossier"]
        assert dossier.state == "overgeslagen" and "Niet meer voorbij" in dossier.reason
        assert db.session.get(Client, archive["ids"]["old"]) is not None


def test_only_events_behind_a_checkpoint_can_be_deleted(app, archive):
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(text("DELETE FROM audit_events WHERE seq = 1"))
        db.session.rollback()
    list_id = propose(app)
    with app.app_context():
        from portal.auth.models import User

        retention.execute(db.session.get(DestructionList, list_id),
                          db.session.get(User, archive["officer"].id))
        newest = db.session.scalar(select(func.max(AuditEvent.seq)))
        with pytest.raises(DBAPIError):
            db.session.execute(text("DELETE FROM audit_events WHERE seq = :seq"),
                               {"seq": newest})
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(text("DELETE FROM audit_checkpoints"))
        db.session.rollback()


def test_a_checkpoint_the_chain_does_not_record_fails_verification(app, archive):
    with app.app_context():
        first = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq).limit(1))
        db.session.add(AuditCheckpoint(seq=first.seq, hash=first.hash, destroyed=1))
        db.session.commit()
        _checked, problems = verify_chain()
    assert [p.message for p in problems] == [
        f"controlepunt bij gebeurtenis {first.seq} staat niet in de keten"]


def test_the_officer_sees_the_lists_and_can_propose_one(app, archive):
    web = browser(app, archive["officer"])
    made = post(web, "/privacy/vernietigingslijst/voorstellen", page="/privacy/vernietigingslijst")
    assert made.status_code == 302
    shown = page_text(web.get(made.location))
    assert "Dossier gesloten op 30-06-2026" in shown and "Lijst goedkeuren" in shown
    listing = page_text(web.get("/privacy/vernietigingslijst"))
    assert "maart 2042" in listing and "Wacht op uw besluit" in listing
    with app.app_context():
        assert db.session.scalar(select(func.count(DestructionList.id))) == 1


def test_an_open_list_is_on_the_officers_start_page(app, archive):
    propose(app)
    html = page_text(browser(app, archive["officer"]).get("/"))
    assert "Vernietigingslijst wacht op uw besluit" in html
    assert "Vernietigingslijst maart 2042" in html


def test_a_renewal_stays_when_the_registration_it_renewed_is_destroyed(app, archive, account):
    contact = account(Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        recent = db.session.get(Client, archive["ids"]["recent"])
        renewal = make_registration(recent, contact.id, status="verleend",
                                    requested_on=date(2042, 1, 10),
                                    valid_until=date(2042, 12, 31))
        renewal.previous_id = archive["ids"]["registration"]
        db.session.commit()
        renewal_id = renewal.id
    list_id = propose(app)
    assert ("registratie", "registrations", archive["ids"]["registration"]) in items(app, list_id)
    with app.app_context():
        from portal.auth.models import User

        retention.execute(db.session.get(DestructionList, list_id),
                          db.session.get(User, archive["officer"].id))
        assert db.session.get(Registration, archive["ids"]["registration"]) is None
        kept = db.session.get(Registration, renewal_id)
        assert kept is not None and kept.previous_id is None and kept.status == "verleend"
