"""The audit trail: fields, same-transaction writes, append-only storage and the hash chain."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.audit.models import Action, AuditEvent, Outcome
from portal.audit.services import record, verify_chain
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_token, log_in, submit_password


def all_events(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


@contextmanager
def tampering_allowed():
    """Switch off the append-only triggers, as an attacker with database access would."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
    db.session.commit()
    try:
        yield
    finally:
        if dialect == "postgresql":
            db.session.execute(
                text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change"))
            db.session.commit()


def write_events(app, count: int) -> None:
    with app.app_context():
        for number in range(count):
            record("test.event", Action.READ, object_type="test", object_id=number)
        db.session.commit()


def test_login_event_has_the_nen7513_fields(client, account, app):
    user = account(Role.CASEMANAGER)
    log_in(client, user)
    [event] = [e for e in all_events(app) if e.event == "auth.login"]
    assert event.user_id == user.id and event.user_name == user.email
    assert event.role == "casemanager" and event.organisation.startswith("Organisatie")
    assert event.action == "E" and event.outcome == "gelukt" and event.object_type == "session"
    assert event.source_ip == "127.0.0.1"
    assert event.occurred_at.tzinfo is not None and event.occurred_at.utcoffset().seconds == 0


def test_failed_login_and_logout_are_recorded(client, account, app):
    user = account(Role.CASEMANAGER)
    submit_password(client, user, password="Dit-is-het-niet-123")
    log_in(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    names = [e.event for e in all_events(app)]
    assert names == ["auth.login_failed", "auth.login", "auth.logout"]


def test_event_is_part_of_the_callers_transaction(app):
    with app.app_context():
        record("test.rolled_back", Action.UPDATE)
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent.id)) is None


def test_chain_of_untouched_events_verifies(app):
    write_events(app, 5)
    with app.app_context():
        checked, problems = verify_chain()
    assert (checked, problems) == (5, [])


def test_events_cannot_be_updated_or_deleted(app):
    write_events(app, 2)
    with app.app_context():
        for statement in ("UPDATE audit_events SET outcome = 'gelukt'",
                          "DELETE FROM audit_events"):
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert len(db.session.scalars(select(AuditEvent)).all()) == 2


def test_verify_names_an_edited_event(app):
    write_events(app, 5)
    with app.app_context(), tampering_allowed():
        db.session.execute(text("UPDATE audit_events SET user_name = 'iemand-anders' "
                                "WHERE seq = 3"))
        db.session.commit()
        checked, problems = verify_chain()
    assert checked == 5
    assert [(p.seq, p.message) for p in problems] == [(3, "gebeurtenis 3 is gewijzigd")]


def test_verify_names_a_deleted_event(app):
    write_events(app, 5)
    with app.app_context(), tampering_allowed():
        db.session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
        db.session.commit()
        _, problems = verify_chain()
    assert [(p.seq, p.message) for p in problems] == [(2, "gebeurtenis 2 ontbreekt (verwijderd)")]


def test_verify_detects_a_recomputed_hash_that_breaks_the_link(app):
    write_events(app, 3)
    with app.app_context(), tampering_allowed():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.seq == 2)).one()
        event.outcome = Outcome.DENIED.value
        from portal.audit.services import event_hash
        event.hash = event_hash(event)  # a careful forger recomputes this event's hash ...
        db.session.commit()
        _, problems = verify_chain()
    # ... but the next event still points at the original hash.
    assert [(p.seq, p.message) for p in problems] == [
        (3, "verwijzing naar vorige gebeurtenis klopt niet")]


def test_audit_verify_command_exit_codes(app):
    write_events(app, 3)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["portal", "audit-verify"])
    assert ok.exit_code == 0 and "Auditketen intact: 3 gebeurtenissen" in ok.output
    with app.app_context(), tampering_allowed():
        db.session.execute(text("UPDATE audit_events SET event = 'verborgen' WHERE seq = 2"))
        db.session.commit()
    broken = runner.invoke(args=["portal", "audit-verify"])
    assert broken.exit_code == 1
    assert "gebeurtenis 2 is gewijzigd (volgnummer 2)" in broken.output


def test_concurrent_writers_keep_one_unbroken_chain(app):
    def writer():
        with app.app_context():
            for number in range(10):
                record("test.concurrent", Action.CREATE, object_id=number)
                db.session.commit()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        checked, problems = verify_chain()
    assert (checked, problems) == (40, [])
    assert [e.seq for e in all_events(app)] == list(range(1, 41))


def test_privacyfunctionaris_reads_and_filters_the_log_and_is_logged(client, account, app):
    auditor = account(Role.PRIVACYFUNCTIONARIS)
    write_events(app, 3)
    log_in(client, auditor)
    page = client.get("/audit/?actie=R&uitkomst=gelukt").get_data(as_text=True)
    rows = page.split("<tbody>")[1]
    assert rows.count('<td data-label="Gebeurtenis" class="breakable">test.event</td>') == 3
    assert "Ingelogd" not in rows
    viewed = [e for e in all_events(app) if e.event == "audit.log_viewed"]
    assert viewed[-1].user_id == auditor.id
    assert viewed[-1].detail["filters"] == {"actie": "R", "uitkomst": "gelukt"}


def test_saved_head_reveals_deleted_newest_events(app):
    write_events(app, 5)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["portal", "audit-verify"])
    head = first.output.rsplit("Eindpunt om elders te bewaren: ", 1)[1].strip()
    assert head.startswith("5:")
    with app.app_context(), tampering_allowed():
        db.session.execute(text("DELETE FROM audit_events WHERE seq >= 4"))
        db.session.commit()
    assert runner.invoke(args=["portal", "audit-verify"]).exit_code == 0  # chain alone: fine
    anchored = runner.invoke(args=["portal", "audit-verify", "--expect-head", head])
    assert anchored.exit_code == 1 and "bewaard eindpunt 5 ontbreekt" in anchored.output
    malformed = runner.invoke(args=["portal", "audit-verify", "--expect-head", "vijf:abc"])
    assert malformed.exit_code == 2 and "volgnummer:hash" in malformed.output


def test_rehashing_without_the_key_is_detected(app):
    import hashlib

    from portal.audit.services import _canonical

    write_events(app, 3)
    with app.app_context(), tampering_allowed():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.seq == 3)).one()
        event.outcome = Outcome.DENIED.value
        event.hash = hashlib.sha256(_canonical(event)).hexdigest()  # a forger without the key
        db.session.commit()
        _, problems = verify_chain()
    assert [(p.seq, p.message) for p in problems] == [(3, "gebeurtenis 3 is gewijzigd")]
