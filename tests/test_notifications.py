"""Notifications: made where things happen, shown only while the reader may see their object,
marked read one by one or all at once, and an opt-in daily digest without client data."""

from __future__ import annotations

import re

from sqlalchemy import delete, select, update

from portal.auth.models import User
from portal.clients.models import client_casemanagers
from portal.documents import services as document_services
from portal.extensions import db
from portal.letters.models import OutboxMessage, OutboxStatus
from portal.notifications import digest
from portal.notifications.models import Notification
from portal.registrations import services as registrations
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_client, make_document, make_registration, make_user
from tests.test_attention import failed_mailing


def released_report(app):
    with app.app_context():
        cm = make_user(Role.CASEMANAGER, name="Carla")
        colleague = make_user(Role.CASEMANAGER, name="Olga")
        doctor = make_user(Role.DIAGNOSTICUS, name="Dokter")
        roos = make_client("Roos", casemanagers=[cm], diagnosticus_id=doctor.id)
        report = make_document(roos, doctor.id, kind="diagnostiekrapport", title="Verslag")
        document_services.release(report, db.session.get(User, doctor.id))
        return cm, colleague, roos.id


def listing(client) -> str:
    response = client.get("/meldingen/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_release_tells_the_assigned_casemanager_only(app, client):
    cm, colleague, _ = released_report(app)
    log_in(client, cm)
    assert "Diagnostiekrapport vrijgegeven: Verslag over Roos" in listing(client)
    other = app.test_client()
    log_in(other, colleague)
    assert "Verslag" not in listing(other)
    with app.app_context():
        assert db.session.scalar(select(Notification.user_id)) == cm.id


def test_the_notification_disappears_when_her_access_ends(app, client):
    cm, _, client_id = released_report(app)
    log_in(client, cm)
    assert "(1<span" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(delete(client_casemanagers).where(
            client_casemanagers.c.client_id == client_id))
        db.session.commit()
    page = listing(client)
    assert "Verslag" not in page and "U heeft geen meldingen." in page
    assert "ongelezen" not in page


def test_mark_read_and_mark_all_read(app, client):
    cm, colleague, _ = released_report(app)
    with app.app_context():
        from portal.notifications.services import Kind, notify

        roos_id = db.session.scalar(select(Notification.client_id))
        notify(cm.id, Kind.ASSIGNED, client_id=roos_id)
        db.session.commit()
        first, second = db.session.scalars(select(Notification.id).order_by(Notification.id))
    log_in(client, cm)
    token = csrf_token(client, "/meldingen/")
    assert client.post(f"/meldingen/{first}/gelezen", data={"csrf_token": token}).status_code \
        == 302
    with app.app_context():
        assert db.session.get(Notification, first).read_at is not None
        assert db.session.get(Notification, second).read_at is None
    other = app.test_client()
    log_in(other, colleague)
    assert other.post(f"/meldingen/{second}/gelezen",
                      data={"csrf_token": csrf_token(other, "/meldingen/")}).status_code == 404
    client.post("/meldingen/alles-gelezen", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(Notification.id).where(
            Notification.read_at.is_(None))) is None


UNREAD = re.compile(r'\((\d+)<span class="visually-hidden"> ongelezen</span>\)')


def unread_on(client, path: str) -> int:
    """The unread count the menu of this page shows (0 when it shows none)."""
    response = client.get(path)
    assert response.status_code == 200
    found = UNREAD.search(response.get_data(as_text=True))
    return int(found.group(1)) if found else 0


def _assigned(app, user_id: int) -> None:
    """A notification for her, made by someone else's work (no form of hers)."""
    with app.app_context():
        from portal.notifications.services import Kind, notify

        notify(user_id, Kind.ASSIGNED, client_id=db.session.scalar(select(Notification.client_id)))
        db.session.commit()


def test_the_menu_keeps_her_unread_count_a_while_and_her_notifications_page_counts_afresh(
        app, client):
    """Counting every page would cost each page a statement: the count is kept on her
    session with the Vandaag count; her notifications page and her own forms count again."""
    cm, _, _ = released_report(app)
    log_in(client, cm)
    assert unread_on(client, "/clienten/caseload") == 1
    _assigned(app, cm.id)
    assert unread_on(client, "/clienten/caseload") == 1  # kept
    assert unread_on(client, "/meldingen/") == 2  # the list and its badge agree
    assert unread_on(client, "/clienten/caseload") == 2  # kept from there
    _assigned(app, cm.id)
    token = csrf_token(client, "/clienten/caseload")
    assert client.post("/meldingen/alles-gelezen", data={"csrf_token": token}).status_code == 302
    assert unread_on(client, "/clienten/caseload") == 0  # her form made the page count again


def test_a_stale_unread_count_is_counted_again(make_app):
    app = make_app(ATTENTION_COUNT_SECONDS=0)
    client = app.test_client()
    cm, _, _ = released_report(app)
    log_in(client, cm)
    assert unread_on(client, "/clienten/caseload") == 1
    _assigned(app, cm.id)
    assert unread_on(client, "/clienten/caseload") == 2


def test_her_registration_request_decided(app, client):
    with app.app_context():
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        colleague = make_user(Role.REGISTRATIECONTACTPERSOON, name="Collega Balie")
        roos = make_client("Roos")
        registration = make_registration(roos, desk.id, status="in_behandeling")
        registrations.refuse(db.session.get(User, colleague.id), registration,
                             registrations.Decision(decided_on=registration.requested_on,
                                                    reason="Criterium niet gehaald"))
        number = registration.number
    log_in(client, desk)
    assert f"Besluit over registratie {number}: afgewezen door Collega Balie" in listing(client)


def test_her_mailing_failed_once(app, client):
    with app.app_context():
        pr = make_user(Role.PROCESREGISSEUR)
        mailing = failed_mailing(pr.id, recipients=2, failed=0)
        db.session.execute(update(OutboxMessage).values(status=OutboxStatus.VERZENDEN.value))
        db.session.commit()
        for message in db.session.scalars(select(OutboxMessage)):
            message.status = OutboxStatus.MISLUKT.value
            db.session.commit()
        assert len(db.session.scalars(select(Notification)).all()) == 1
    log_in(client, pr)
    page = listing(client)
    assert "Verzending ‘Stapteam 2.0’ is niet bij alle ontvangers aangekomen." in page
    assert f"/brieven/verzendingen/{mailing.id}" in page


def test_digest_is_off_by_default_and_carries_counts_only(app, client):
    cm, _, _ = released_report(app)
    with app.app_context():
        assert digest.send_digests() == 0
    log_in(client, cm)
    token = csrf_token(client, "/meldingen/")
    client.post("/meldingen/samenvatting", data={"csrf_token": token, "daily_digest": "y"})
    with app.app_context():
        assert digest.send_digests() == 1
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == db.session.get(User, cm.id).email
        assert "1 vrijgegeven diagnostiekrapporten" in message.body
        assert "/meldingen/" in message.body
        for secret in ("Roos", "C-2026", "Verslag"):
            assert secret not in message.body
        assert digest.send_digests() == 0  # nothing new since the last digest
