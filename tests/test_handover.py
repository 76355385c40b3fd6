"""Handover is its own action: recorded in the dossier (who, when, from, to, note), audited,
and told to the people added and removed; "Gegevens bewerken" no longer changes it."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.clients.models import AssignmentChange, Client
from portal.extensions import db
from portal.notifications.models import Notification
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_client, make_user


def setup(app):
    with app.app_context():
        people = {"anna": make_user(Role.CASEMANAGER, name="Anna Casemanager"),
                  "bea": make_user(Role.CASEMANAGER, name="Bea Casemanager"),
                  "eva": make_user(Role.ERVARINGSDESKUNDIGE, name="Eva Ervaring"),
                  "petra": make_user(Role.PROCESREGISSEUR, name="Petra Regie")}
        roos = make_client("Roos", casemanagers=[people["anna"]])
        return people, roos.ref, roos.id


def hand_over(browser, ref, data):
    token = csrf_token(browser, f"/clienten/{ref}/toewijzing")
    return browser.post(f"/clienten/{ref}/toewijzing", data={"csrf_token": token, **data})


def test_procesregie_hands_over_with_a_note(app, client):
    people, ref, client_id = setup(app)
    log_in(client, people["petra"])
    response = hand_over(client, ref, {"casemanager_ids": [str(people["bea"].id)],
                                       "ervaringsdeskundige_id": str(people["eva"].id),
                                       "note": "Anna gaat met verlof"})
    assert response.status_code == 302
    with app.app_context():
        roos = db.session.get(Client, client_id)
        assert [u.id for u in roos.casemanagers] == [people["bea"].id]
        assert roos.ervaringsdeskundige_id == people["eva"].id
        change = db.session.scalar(select(AssignmentChange))
        assert (change.from_casemanagers, change.to_casemanagers) == (
            "Anna Casemanager", "Bea Casemanager")
        assert (change.from_ervaringsdeskundige, change.to_ervaringsdeskundige) == (
            "", "Eva Ervaring")
        assert change.note == "Anna gaat met verlof" and change.by_id == people["petra"].id
        told = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
        assert told == {(people["bea"].id, "toegewezen"), (people["eva"].id, "toegewezen"),
                        (people["anna"].id, "niet_meer_toegewezen")}
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "clients.handed_over"))
        assert event.detail["removed"] == [people["anna"].id]
    page = client.get(f"/clienten/{ref}").get_data(as_text=True)
    assert "Overdrachten en toewijzingen" in page and "Anna gaat met verlof" in page


def test_a_handover_needs_a_change_and_a_note(app, client):
    people, ref, client_id = setup(app)
    log_in(client, people["anna"])
    same = hand_over(client, ref, {"casemanager_ids": [str(people["anna"].id)],
                                   "note": "Niets"})
    assert same.status_code == 200 and "Er verandert niets aan de toewijzing." in \
        same.get_data(as_text=True)
    silent = hand_over(client, ref, {"casemanager_ids": [str(people["bea"].id)], "note": ""})
    assert "Schrijf kort waarom de toewijzing verandert." in silent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AssignmentChange)) is None
        assert db.session.scalar(select(Notification)) is None
        assert [u.id for u in db.session.get(Client, client_id).casemanagers] == [
            people["anna"].id]


def test_the_new_casemanager_sees_the_notification_and_the_client_on_vandaag(app, client):
    people, ref, _ = setup(app)
    petra = app.test_client()
    log_in(petra, people["petra"])
    hand_over(petra, ref, {"casemanager_ids": [str(people["bea"].id)], "note": "Verlof"})
    log_in(client, people["bea"])
    home = client.get("/").get_data(as_text=True)
    assert "Nieuw aan u toegewezen" in home and "Roos" in home
    assert '(1<span class="visually-hidden"> ongelezen</span>)' in home
    listing = client.get("/meldingen/").get_data(as_text=True)
    assert "U bent toegewezen aan Roos" in listing and "door Petra Regie" in listing
