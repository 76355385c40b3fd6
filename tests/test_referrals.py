"""Aanmeldingen en signalen through the real test client and database.

A netwerkpartner or team member submits an aanmelding or signaal and follows it; the
procesregisseur lists, triages or turns it into a dossier; the submitter may withdraw it while
it is still open. Each test checks the stored rows and the audit trail, not only the answer.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent, Outcome
from portal.auth.models import User
from portal.clients.models import Client
from portal.clock import local_today
from portal.database import utcnow
from portal.extensions import db
from portal.notifications.models import Notification
from portal.referrals.models import Referral
from portal.roles import Role
from portal.templating import local_date
from tests.conftest import csrf_token, log_in
from tests.factories import make_client, make_referral, make_user

NEW = "/aanmeldingen/nieuw"
MINE = "/aanmeldingen/mijn"
TRIAGE_LIST = "/aanmeldingen/"


# --- helpers ---------------------------------------------------------------------------


def detail_url(referral_id: int) -> str:
    return f"/aanmeldingen/{referral_id}"


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def error_next_to(response, field_id: str) -> str | None:
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', text_of(response), re.S)
    return match.group(1).strip() if match else None


def listed_ids(response) -> set[int]:
    return {int(n) for n in re.findall(r'href="/aanmeldingen/(\d+)"', text_of(response))}


def path_of(response) -> str:
    return urlsplit(response.location).path


def post_with_token(client, page: str, action: str, data: dict | None = None):
    """POST to action with the CSRF token taken from a page this user may open."""
    return client.post(action, data={"csrf_token": csrf_token(client, page), **(data or {})})


def referral_form(**overrides) -> dict:
    data = {"kind": "aanmelding", "werknaam": "Roos",
            "aanleiding": "Zij slaapt sinds een week buiten bij het station.",
            "doel": "Graag contact met het Stapteam over onderdak.",
            "partners_involved": "GGD, Bindkracht"}
    data.update(overrides)
    return data


def submit(client, **overrides):
    return post_with_token(client, NEW, NEW, referral_form(**overrides))


def second_browser(app, account):
    other = app.test_client()
    response = log_in(other, account)
    assert response.status_code == 302, text_of(response)[:300]
    return other


def referral_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Referral.id)))


def client_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Client.id)))


def load_referral(app, referral_id: int) -> dict:
    with app.app_context():
        r = db.session.get(Referral, referral_id)
        return {"kind": r.kind, "submitted_by_id": r.submitted_by_id,
                "organisation_id": r.organisation_id, "received_on": r.received_on,
                "aanleiding": r.aanleiding, "doel": r.doel,
                "partners_involved": r.partners_involved, "werknaam": r.werknaam,
                "client_id": r.client_id, "triage_outcome": r.triage_outcome,
                "triage_note": r.triage_note, "triaged_by_id": r.triaged_by_id,
                "triaged_at": r.triaged_at, "withdrawn_at": r.withdrawn_at,
                "destroy_after": r.destroy_after}


def only_referral_id(app) -> int:
    with app.app_context():
        ids = db.session.scalars(select(Referral.id)).all()
    assert len(ids) == 1, ids
    return ids[0]


def organisation_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.get(User, user_id).organisation_id


def seed_referral(app, submitter_id: int, **fields) -> int:
    with app.app_context():
        return make_referral(submitter_id, **fields).id


def seed_client(app, werknaam: str) -> tuple[int, str]:
    with app.app_context():
        made = make_client(werknaam)
        return made.id, made.number


def events(app, name: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == name).order_by(AuditEvent.seq)).all()
        db.session.expunge_all()
        return rows


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture
def partner(account):
    return account(Role.NETWERKPARTNER, name="Petra GGD", email="petra@ggd.test")


@pytest.fixture
def other_partner(account):
    return account(Role.NETWERKPARTNER, name="Olga Bindkracht", email="olga@bindkracht.test")


@pytest.fixture
def regisseur(account):
    return account(Role.PROCESREGISSEUR, name="Renske ZVH", email="renske@zvh.test")


@pytest.fixture
def casemanager(account):
    return account(Role.CASEMANAGER, name="Carla Iriszorg", email="carla@iriszorg.test")


# --- 1. a partner submits ----------------------------------------------------------------


def test_partner_submission_is_stored_with_her_organisation_and_today(app, partner, login):
    client = login(partner)
    response = submit(client, kind="signaal")
    assert response.status_code == 302
    stored = load_referral(app, only_referral_id(app))
    assert stored["kind"] == "signaal"
    assert stored["submitted_by_id"] == partner.id
    assert stored["organisation_id"] == organisation_of(app, partner.id)
    assert stored["received_on"] == local_today()
    assert stored["werknaam"] == "Roos"
    assert stored["aanleiding"].startswith("Zij slaapt")
    assert stored["doel"].startswith("Graag contact")
    assert stored["partners_involved"] == "GGD, Bindkracht"
    assert stored["triage_outcome"] is None and stored["withdrawn_at"] is None


def test_partner_submission_is_audited_as_submitted(app, partner, login):
    submit(login(partner))
    referral_id = only_referral_id(app)
    [event] = events(app, "referrals.submitted")
    assert event.user_id == partner.id
    assert event.object_type == "referral" and event.object_id == str(referral_id)
    assert event.action == "C" and event.outcome == Outcome.SUCCESS
    assert event.detail == {"kind": "aanmelding"}


def test_partner_is_sent_to_her_referral_which_waits_for_triage(app, partner, login):
    client = login(partner)
    response = submit(client)
    referral_id = only_referral_id(app)
    assert path_of(response) == detail_url(referral_id)
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Wacht op triage" in text_of(page)
    assert "Uw aanmelding is ontvangen." in text_of(page)


@pytest.mark.parametrize(("missing", "message"), [
    ("aanleiding", "Beschrijf de aanleiding."),
    ("doel", "Beschrijf het doel of de vraag."),
])
def test_missing_required_text_is_named_next_to_the_field_and_nothing_is_stored(
        app, partner, login, missing, message):
    response = submit(login(partner), **{missing: "   "})
    assert response.status_code == 200
    assert error_next_to(response, missing) == message
    assert referral_count(app) == 0
    assert events(app, "referrals.submitted") == []


def test_partner_form_has_no_client_number_field(partner, login):
    page = login(partner).get(NEW)
    assert page.status_code == 200
    assert 'name="client_number"' not in text_of(page)
    assert "Cliëntnummer" not in text_of(page)


def test_client_number_posted_by_a_partner_is_ignored(app, partner, login):
    _, number = seed_client(app, "Lotte")
    response = submit(login(partner), client_number=number)
    assert response.status_code == 302
    assert load_referral(app, only_referral_id(app))["client_id"] is None


# --- 2. a casemanager links a signaal to a known client ---------------------------------


def test_casemanager_form_offers_the_client_number_field(casemanager, login):
    page = login(casemanager).get(NEW)
    assert 'name="client_number"' in text_of(page)


def test_casemanager_links_a_signaal_to_an_existing_client_by_number(app, casemanager, login):
    client_id, number = seed_client(app, "Lotte")
    response = submit(login(casemanager), kind="signaal", werknaam="", client_number=number)
    referral_id = only_referral_id(app)
    assert path_of(response) == detail_url(referral_id)
    stored = load_referral(app, referral_id)
    assert stored["kind"] == "signaal" and stored["client_id"] == client_id
    assert stored["werknaam"] is None
    [event] = events(app, "referrals.submitted")
    assert event.client_id == client_id


def test_client_number_is_matched_without_regard_to_case_or_spaces(app, casemanager, login):
    client_id, number = seed_client(app, "Lotte")
    submit(login(casemanager), client_number=f" {number.lower()} ")
    assert load_referral(app, only_referral_id(app))["client_id"] == client_id


def test_unknown_client_number_is_refused_and_nothing_stored(app, casemanager, login):
    seed_client(app, "Lotte")
    response = submit(login(casemanager), client_number="C-1999-0999")
    assert response.status_code == 200
    assert error_next_to(response, "client_number") == "Er is geen cliënt met dit nummer."
    assert "het formulier is niet verstuurd" in text_of(response)
    assert referral_count(app) == 0
    assert events(app, "referrals.submitted") == []


# --- 3. a partner sees her own and nothing else ----------------------------------------


def test_mine_lists_only_her_own_submissions(app, partner, other_partner, login):
    own = [seed_referral(app, partner.id, werknaam=n) for n in ("Roos", "Iris")]
    foreign = seed_referral(app, other_partner.id, werknaam="Vera")
    page = login(partner).get(MINE)
    assert page.status_code == 200
    assert listed_ids(page) == set(own)
    assert foreign not in listed_ids(page)
    assert "Vera" not in text_of(page)


def test_another_partners_referral_answers_404_and_is_audited(app, partner, other_partner,
                                                             login):
    foreign = seed_referral(app, other_partner.id, aanleiding="Geheime aanleiding van Olga")
    response = login(partner).get(detail_url(foreign))
    assert response.status_code == 404
    assert "Geheime aanleiding" not in text_of(response)
    denied = [e for e in events(app, "access.denied") if e.user_id == partner.id]
    assert len(denied) == 1
    assert denied[0].object_type == "referral" and denied[0].object_id == str(foreign)
    assert denied[0].outcome == Outcome.DENIED and denied[0].detail["status"] == 404
    assert events(app, "referrals.viewed") == []


def test_team_member_who_did_not_submit_gets_404(app, partner, casemanager, login):
    foreign = seed_referral(app, partner.id)
    assert login(casemanager).get(detail_url(foreign)).status_code == 404


def test_partner_is_forbidden_the_triage_list(app, partner, login):
    seed_referral(app, partner.id)
    response = login(partner).get(TRIAGE_LIST)
    assert response.status_code == 403
    assert events(app, "referrals.listed") == []
    assert [e.detail["status"] for e in events(app, "access.denied")] == [403]


def test_partner_cannot_triage_even_her_own_referral(app, partner, login):
    own = seed_referral(app, partner.id)
    client = login(partner)
    response = post_with_token(client, MINE, f"{detail_url(own)}/triage",
                               {"outcome": "opgepakt"})
    assert response.status_code == 403
    assert load_referral(app, own)["triage_outcome"] is None


# --- 4. procesregie lists and triages --------------------------------------------------


@pytest.fixture
def three_states(app, partner, regisseur):
    """One open, one triaged and one withdrawn referral, by id."""
    return {
        "open": seed_referral(app, partner.id, werknaam="Open"),
        "getrieerd": seed_referral(app, partner.id, werknaam="Getrieerd",
                                   triage_outcome="advies", triaged_by_id=regisseur.id,
                                   triaged_at=datetime.now(UTC)),
        "ingetrokken": seed_referral(app, partner.id, werknaam="Ingetrokken",
                                     withdrawn_at=datetime.now(UTC),
                                     destroy_after=local_today() + timedelta(days=42)),
    }


def test_triage_list_shows_open_referrals_by_default(three_states, regisseur, login):
    page = login(regisseur).get(TRIAGE_LIST)
    assert page.status_code == 200
    assert listed_ids(page) == {three_states["open"]}
    assert 'href="/aanmeldingen/?stand=open" aria-current="page"' in text_of(page)


@pytest.mark.parametrize(("stand", "expected"), [
    ("open", {"open"}),
    ("getrieerd", {"getrieerd"}),
    ("ingetrokken", {"ingetrokken"}),
    ("alle", {"open", "getrieerd", "ingetrokken"}),
])
def test_triage_list_tabs_filter_by_state(three_states, regisseur, login, stand, expected):
    page = login(regisseur).get(f"{TRIAGE_LIST}?stand={stand}")
    assert page.status_code == 200
    assert listed_ids(page) == {three_states[name] for name in expected}


def test_triage_list_shows_submitter_and_organisation(app, partner, regisseur, login):
    seed_referral(app, partner.id)
    page = text_of(login(regisseur).get(TRIAGE_LIST))
    assert "Petra GGD" in page


def triage(client, referral_id: int, outcome: str, note: str = ""):
    return post_with_token(client, detail_url(referral_id), f"{detail_url(referral_id)}/triage",
                           {"outcome": outcome, "note": note})


@pytest.mark.parametrize("outcome", ["opgepakt", "doorverwezen", "advies", "afgewezen"])
def test_triage_stores_outcome_note_actor_and_time(app, partner, regisseur, login, outcome):
    referral_id = seed_referral(app, partner.id)
    before = datetime.now(UTC)
    response = triage(login(regisseur), referral_id, outcome, "Besproken in het casusoverleg.")
    after = datetime.now(UTC)
    assert path_of(response) == detail_url(referral_id)
    stored = load_referral(app, referral_id)
    assert stored["triage_outcome"] == outcome
    assert stored["triage_note"] == "Besproken in het casusoverleg."
    assert stored["triaged_by_id"] == regisseur.id
    assert before - timedelta(seconds=1) <= stored["triaged_at"] <= after + timedelta(seconds=1)


def test_triage_is_audited(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id)
    triage(login(regisseur), referral_id, "doorverwezen")
    [event] = events(app, "referrals.triaged")
    assert event.user_id == regisseur.id and event.object_id == str(referral_id)
    assert event.action == "U" and event.detail == {"outcome": "doorverwezen"}


def test_partner_sees_the_triage_outcome_on_her_referral(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id)
    triage(login(regisseur), referral_id, "doorverwezen", "Doorverwezen naar de GGD.")
    page = second_browser(app, partner).get(detail_url(referral_id))
    assert page.status_code == 200
    text = text_of(page)
    assert "Doorverwezen" in text and "Wacht op triage" not in text
    assert "Doorverwezen naar de GGD." in text
    assert "Triage vastleggen" not in text


def test_second_triage_is_refused_and_keeps_the_first(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id)
    client = login(regisseur)
    triage(client, referral_id, "advies")
    response = triage(client, referral_id, "afgewezen")
    assert path_of(response) == detail_url(referral_id)
    assert "Deze aanmelding is al getrieerd." in text_of(client.get(response.location))
    assert load_referral(app, referral_id)["triage_outcome"] == "advies"
    assert len(events(app, "referrals.triaged")) == 1


def test_triage_without_outcome_is_refused(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id)
    client = login(regisseur)
    response = triage(client, referral_id, "")
    assert path_of(response) == detail_url(referral_id)
    assert "Kies de uitkomst van de triage." in text_of(client.get(response.location))
    stored = load_referral(app, referral_id)
    assert stored["triage_outcome"] is None and stored["triaged_by_id"] is None
    assert events(app, "referrals.triaged") == []


def test_triage_of_a_withdrawn_referral_is_refused(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id, withdrawn_at=datetime.now(UTC))
    client = login(regisseur)
    response = triage(client, referral_id, "advies")
    assert "Deze aanmelding is ingetrokken." in text_of(client.get(response.location))
    assert load_referral(app, referral_id)["triage_outcome"] is None


# --- 5. from aanmelding to dossier -----------------------------------------------------


def to_dossier(client, referral_id: int, casemanager_ids=None):
    """Dossier aanmaken en oppakken, assigned to these casemanagers (a new one if None)."""
    if casemanager_ids is None:
        with client.application.app_context():
            casemanager_ids = [make_user(Role.CASEMANAGER).id]
    return post_with_token(client, detail_url(referral_id), f"{detail_url(referral_id)}/dossier",
                           {"casemanager_ids": [str(i) for i in casemanager_ids]})


def test_to_client_opens_an_aangemeld_dossier_and_picks_up_the_referral(app, partner,
                                                                         regisseur, login):
    referral_id = seed_referral(app, partner.id, werknaam="Jasmijn")
    browser = login(regisseur)
    response = to_dossier(browser, referral_id)
    stored = load_referral(app, referral_id)
    with app.app_context():
        made = db.session.get(Client, stored["client_id"])
        werknaam, status, ref = made.werknaam, made.status, made.ref
    assert (werknaam, status) == ("Jasmijn", "aangemeld")
    assert stored["triage_outcome"] == "opgepakt"
    assert stored["triaged_by_id"] == regisseur.id
    assert response.status_code == 302 and path_of(response) == f"/clienten/{ref}"
    assert "Jasmijn" in text_of(browser.get(response.location))
    assert [e.client_id for e in events(app, "clients.created")] == [stored["client_id"]]


def test_to_client_without_werknaam_is_refused_and_creates_no_client(app, partner, regisseur,
                                                                      login):
    referral_id = seed_referral(app, partner.id, werknaam=None)
    client = login(regisseur)
    response = to_dossier(client, referral_id)
    assert path_of(response) == detail_url(referral_id)
    assert "noemt geen werknaam of roepnaam" in text_of(client.get(response.location))
    assert client_count(app) == 0
    stored = load_referral(app, referral_id)
    assert stored["client_id"] is None and stored["triage_outcome"] is None


def test_to_client_of_a_triaged_referral_creates_no_client(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id, werknaam="Jasmijn", triage_outcome="advies")
    client = login(regisseur)
    response = to_dossier(client, referral_id)
    assert "al getrieerd" in text_of(client.get(response.location))
    assert client_count(app) == 0


def test_to_client_assigns_the_casemanagers_and_carries_the_intake(app, partner, regisseur,
                                                                   casemanager, login):
    referral_id = seed_referral(app, partner.id, werknaam="Jasmijn",
                                partners_involved="GGD, Bindkracht")
    browser = login(regisseur)
    response = to_dossier(browser, referral_id, [casemanager.id])
    stored = load_referral(app, referral_id)
    with app.app_context():
        made = db.session.get(Client, stored["client_id"])
        assert [u.id for u in made.casemanagers] == [casemanager.id]
        told = db.session.scalars(select(Notification)).all()
        assert [(n.user_id, n.kind) for n in told] == [(casemanager.id, "aanmelding_toegewezen")]
    carla = app.test_client()
    log_in(carla, casemanager)
    page = text_of(carla.get(response.location))
    assert "Intake: aanmelding" in page and "GGD, Bindkracht" in page
    assert "Zorgen over haar gezondheid" in page and "Contact leggen" in page
    assert "Een aanmelding is aan u toegewezen: Jasmijn" in text_of(carla.get("/meldingen/"))


def test_to_client_without_casemanager_is_refused(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id, werknaam="Jasmijn")
    client = login(regisseur)
    response = to_dossier(client, referral_id, [])
    assert "Kies de casemanager(s) die haar oppakken." in text_of(client.get(response.location))
    assert client_count(app) == 0


# --- 6. withdrawing --------------------------------------------------------------------


def withdraw(client, page: str, referral_id: int):
    return post_with_token(client, page, f"{detail_url(referral_id)}/intrekken")


def test_submitter_withdraws_her_open_referral(app, partner, login):
    referral_id = seed_referral(app, partner.id)
    response = withdraw(login(partner), detail_url(referral_id), referral_id)
    assert path_of(response) == detail_url(referral_id)
    stored = load_referral(app, referral_id)
    assert stored["withdrawn_at"] is not None
    assert stored["destroy_after"] == local_today() + timedelta(days=42)
    [event] = events(app, "referrals.withdrawn")
    assert event.user_id == partner.id
    assert event.detail == {"destroy_after": stored["destroy_after"].isoformat()}


def test_withdrawn_referral_shows_its_state_and_destruction_date(app, partner, login):
    referral_id = seed_referral(app, partner.id)
    client = login(partner)
    withdraw(client, detail_url(referral_id), referral_id)
    text = text_of(client.get(detail_url(referral_id)))
    assert "Ingetrokken" in text
    assert local_date(local_today() + timedelta(days=42)) in text
    assert "Melding intrekken" not in text


def test_withdrawal_follows_the_configured_retention(make_app):
    app = make_app(REFERRAL_RETENTION_DAYS=7)
    with app.app_context():
        submitter = make_user(Role.NETWERKPARTNER)
        referral_id = make_referral(submitter.id).id
    browser = second_browser(app, submitter)
    withdraw(browser, detail_url(referral_id), referral_id)
    assert load_referral(app, referral_id)["destroy_after"] == local_today() + timedelta(days=7)


def test_withdrawal_message_does_not_promise_six_weeks_when_retention_differs(make_app):
    app = make_app(REFERRAL_RETENTION_DAYS=7)
    with app.app_context():
        submitter = make_user(Role.NETWERKPARTNER)
        open_id = make_referral(submitter.id).id
        other_id = make_referral(submitter.id).id
    browser = second_browser(app, submitter)
    response = withdraw(browser, detail_url(open_id), open_id)
    after_withdrawal = text_of(browser.get(response.location))
    assert local_date(local_today() + timedelta(days=7)) in after_withdrawal
    assert "zes weken" not in after_withdrawal
    assert "zes weken" not in text_of(browser.get(detail_url(other_id)))


def test_withdraw_button_is_offered_only_while_open(app, partner, login):
    open_id = seed_referral(app, partner.id)
    triaged_id = seed_referral(app, partner.id, triage_outcome="advies")
    client = login(partner)
    assert "Melding intrekken" in text_of(client.get(detail_url(open_id)))
    assert "Melding intrekken" not in text_of(client.get(detail_url(triaged_id)))


def test_withdrawing_a_triaged_referral_is_refused(app, partner, login):
    referral_id = seed_referral(app, partner.id, triage_outcome="opgepakt")
    client = login(partner)
    response = withdraw(client, MINE, referral_id)
    assert path_of(response) == detail_url(referral_id)
    assert "Deze aanmelding is al getrieerd." in text_of(client.get(response.location))
    stored = load_referral(app, referral_id)
    assert stored["withdrawn_at"] is None and stored["destroy_after"] is None
    assert events(app, "referrals.withdrawn") == []


def test_another_partner_cannot_withdraw_it(app, partner, other_partner, login):
    referral_id = seed_referral(app, partner.id)
    response = withdraw(login(other_partner), MINE, referral_id)
    assert response.status_code == 404
    assert load_referral(app, referral_id)["withdrawn_at"] is None


def test_regisseur_cannot_withdraw_someone_elses_referral(app, partner, regisseur, login):
    referral_id = seed_referral(app, partner.id)
    response = withdraw(login(regisseur), detail_url(referral_id), referral_id)
    assert response.status_code == 404
    assert load_referral(app, referral_id)["withdrawn_at"] is None
    denied = [e for e in events(app, "access.denied") if e.user_id == regisseur.id]
    assert [(e.object_id, e.detail["status"]) for e in denied] == [(str(referral_id), 404)]


def test_regisseur_sees_no_withdraw_button_on_someone_elses_referral(app, partner, regisseur,
                                                                      login):
    referral_id = seed_referral(app, partner.id)
    text = text_of(login(regisseur).get(detail_url(referral_id)))
    assert "Triage vastleggen" in text
    assert "Melding intrekken" not in text


# --- 7. reads are audited --------------------------------------------------------------


def test_reading_a_referral_is_audited_as_viewed(app, partner, login):
    referral_id = seed_referral(app, partner.id)
    login(partner).get(detail_url(referral_id))
    [event] = events(app, "referrals.viewed")
    assert event.user_id == partner.id and event.action == "R"
    assert event.object_type == "referral" and event.object_id == str(referral_id)


def test_triage_list_is_audited_with_the_ids_shown(app, three_states, regisseur, login):
    login(regisseur).get(TRIAGE_LIST)
    [event] = events(app, "referrals.listed")
    assert event.user_id == regisseur.id and event.action == "R"
    assert event.detail["referral_ids"] == [three_states["open"]]


def test_own_list_is_audited_as_own_listed(app, partner, login):
    own = seed_referral(app, partner.id)
    login(partner).get(MINE)
    [event] = events(app, "referrals.own_listed")
    assert event.user_id == partner.id
    assert event.detail["referral_ids"] == [own]
    assert events(app, "referrals.listed") == []


# --- 8. roles without aanmeldingen -----------------------------------------------------


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PRIVACYFUNCTIONARIS, Role.DIAGNOSTICUS,
                                  Role.REGISTRATIECONTACTPERSOON])
def test_roles_outside_the_flow_are_forbidden_the_form(app, account, login, role):
    client = login(account(role))
    assert client.get(NEW).status_code == 403
    response = post_with_token(client, "/", NEW, referral_form())
    assert response.status_code == 403
    assert referral_count(app) == 0


def test_purge_referrals_destroys_only_overdue_withdrawn_ones(app):
    with app.app_context():
        partner = make_user(Role.NETWERKPARTNER)
        overdue = make_referral(partner.id, withdrawn_at=utcnow(),
                                destroy_after=local_today() - timedelta(days=1)).id
        waiting = make_referral(partner.id, withdrawn_at=utcnow(),
                                destroy_after=local_today() + timedelta(days=10)).id
        open_one = make_referral(partner.id).id
    result = app.test_cli_runner().invoke(args=["portal", "purge-referrals"])
    assert result.exit_code == 0 and "1 ingetrokken aanmelding(en) vernietigd." in result.output
    with app.app_context():
        remaining = {r.id for r in db.session.scalars(select(Referral))}
        destroyed = db.session.scalars(select(AuditEvent).where(
            AuditEvent.event == "referrals.destroyed")).all()
    assert remaining == {waiting, open_one}
    assert [e.object_id for e in destroyed] == [str(overdue)]
