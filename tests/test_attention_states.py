"""States that say what they are: an ended registration shows its end and reason, never its
former validity; the pass buttons read as actions."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import User
from portal.clock import local_today
from portal.extensions import db
from portal.registrations import services as registrations
from portal.registrations.lifecycle import RevocationReason
from portal.roles import Role
from tests.conftest import log_in
from tests.factories import make_client, make_registration, make_user


def test_a_revoked_registration_shows_its_end_not_its_validity(app, client):
    with app.app_context():
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        roos = make_client("Roos")
        valid_until = local_today() + timedelta(days=300)
        registration = make_registration(roos, desk.id, status="verleend",
                                         valid_until=valid_until)
        registrations.revoke(db.session.get(User, desk.id), registration, on=local_today(),
                             reason=RevocationReason.VOORWAARDEN)
        ref, shown_until = registration.ref, valid_until.strftime("%Y")
    log_in(client, desk)
    page = client.get(f"/registraties/{ref}").get_data(as_text=True)
    assert "<dt>Beëindigd</dt>" in page and "<dt>Geldig tot en met</dt>" not in page
    assert "Ingetrokken op" in page and "(niet (meer) voldaan aan de voorwaarden)" in page
    workspace = client.get("/registraties/").get_data(as_text=True)
    assert "Ingetrokken op" in workspace
    assert shown_until not in workspace.split("Ingetrokken op", 1)[1].split("</td>", 1)[0]


def test_a_lapsed_registration_names_its_reason_and_the_pass_buttons_are_actions(app, client):
    with app.app_context():
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        jet = make_client("Jet")
        lapsed = make_registration(jet, desk.id, status="vervallen")
        granted = make_registration(make_client("Mira"), desk.id, status="verleend")
        lapsed_ref, granted_ref = lapsed.ref, granted.ref
    log_in(client, desk)
    page = client.get(f"/registraties/{lapsed_ref}").get_data(as_text=True)
    assert "Vervallen op" in page and "Vervallen in test" in page
    granted_page = client.get(f"/registraties/{granted_ref}").get_data(as_text=True)
    assert ">Uitreiken van de pas vastleggen</button>" in granted_page
    assert "<dt>Uitgereikt</dt><dd>Nee</dd>" in granted_page
