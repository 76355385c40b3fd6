"""The contact person's intake (issue 13 item 5, issue 14 item 2): a woman who applies in
person is found by werknaam and date of birth or gets a minimal new dossier; only the intake
opens her identity and registration documents, and only an open intake starts a request."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.clients.models import Client
from portal.extensions import db
from portal.registrations.models import Registration, RegistrationIntake
from tests.factories import make_document
from tests.test_registration_views import (
    INTAKE,
    NEW,
    TODAY,
    audit,
    browser,
    count,
    day,
    field_error,
    intake_form,
    iso,
    make_staff,
    page_text,
    post,
    request_form,
    seed_client,
    seed_roos,
    shown_after,
    take_intake,
)


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def staff(app):
    return make_staff(app)


@pytest.fixture
def roos(app, staff):
    return seed_roos(app, staff)


NEW_WOMAN = {"werknaam": "Nadia", "date_of_birth": "1998-02-11", "legal_name": "Nadia Fictief",
             "applied_on": iso(0), "id_check_document": "Paspoort", "id_check_date": iso(0),
             "reason": "Zij meldt zich voor een registratie", "action": "vastleggen"}


def intakes(app) -> list[tuple]:
    with app.app_context():
        return [(i.client_id, i.reason, i.id_check_document, i.id_check_date, i.created_dossier,
                 i.registration_id, i.recorded_by_id)
                for i in db.session.scalars(select(RegistrationIntake)
                                            .order_by(RegistrationIntake.id))]


def client_named(app, werknaam: str) -> Client | None:
    with app.app_context():
        return db.session.scalar(select(Client).where(Client.werknaam == werknaam))


def test_a_woman_without_a_dossier_gets_a_minimal_one_that_procesregie_sees(app, staff):
    rita = browser(app, staff.rita)
    searched = post(rita, INTAKE, {**NEW_WOMAN, "action": "zoeken"})
    assert searched.status_code == 200
    assert "Niet gevonden:" in page_text(searched)
    assert audit(app, "registrations.intake_searched")[0]["detail"] == {"matches": 0}

    made = post(rita, INTAKE, NEW_WOMAN)
    nadia = client_named(app, "Nadia")
    assert made.location == f"{NEW}?client={nadia.ref}"
    assert f"Intake van Nadia vastgelegd; nieuw dossier {nadia.number} aangemaakt." in \
        shown_after(rita, made)
    assert (nadia.legal_name, nadia.date_of_birth, nadia.status, nadia.id_check_document,
            nadia.id_check_by_id) == ("Nadia Fictief", date(1998, 2, 11), "aangemeld",
                                      "Paspoort", staff.rita.id)
    assert intakes(app) == [(nadia.id, "Zij meldt zich voor een registratie", "Paspoort",
                             day(0), True, None, staff.rita.id)]
    [event] = audit(app, "registrations.intake_recorded")
    assert (event["client_id"], event["detail"]["new_dossier"]) == (nadia.id, True)

    # The request form starts from the intake; the request uses it up.
    requested = post(rita, f"{NEW}?client={nadia.ref}", request_form(requested_on=iso(0),
                                                                     id_check_date=iso(0)))
    assert requested.status_code == 302
    with app.app_context():
        registration = db.session.scalar(select(Registration))
    assert intakes(app)[0][5] == registration.id
    assert post(rita, f"{NEW}?client={nadia.ref}", request_form()).location == \
        f"{INTAKE}?client={nadia.ref}"

    # Procesregie finds the new dossier without casemanager on Vandaag.
    vandaag = page_text(browser(app, staff.petra).get("/"))
    assert "Dossiers zonder casemanager" in vandaag and f"Nadia ({nadia.number})" in vandaag


def test_without_a_match_the_legal_name_is_needed_and_nothing_is_stored(app, staff):
    rita = browser(app, staff.rita)
    refused = post(rita, INTAKE, {**NEW_WOMAN, "legal_name": ""})
    assert refused.status_code == 422
    assert field_error(refused, "legal_name") == (
        "Er is geen dossier met deze werknaam en geboortedatum. Vul de officiële naam in om "
        "een nieuw dossier aan te maken.")
    assert client_named(app, "Nadia") is None and intakes(app) == []
    assert audit(app, "registrations.intake_recorded") == []


def test_refused_intake_fields_get_a_dutch_message(app, staff):
    rita = browser(app, staff.rita)
    for overrides, field, message in (
            ({"id_check_document": ""}, "id_check_document", "Vul in welk ID-bewijs u zag."),
            ({"date_of_birth": iso(1)}, "date_of_birth", "De geboortedatum ligt niet in de "
                                                         "toekomst."),
            ({"id_check_date": iso(1)}, "id_check_date",
             "De datum van de ID-controle ligt niet in de toekomst."),
            ({"werknaam": " "}, "werknaam", "Vul de werknaam in.")):
        refused = post(rita, INTAKE, {**NEW_WOMAN, **overrides})
        assert refused.status_code == 422, overrides
        assert field_error(refused, field) == message
    assert client_named(app, "Nadia") is None and intakes(app) == []


def test_the_search_needs_werknaam_and_date_of_birth_exactly(app, staff, roos):
    rita = browser(app, staff.rita)
    found = post(rita, INTAKE, {"werknaam": " roos ", "date_of_birth": "1990-03-14",
                                "action": "zoeken"})
    assert "Gevonden:" in page_text(found)
    assert f"dossier {roos.number} (Roos)" in page_text(found)
    assert "Maria Verhoeven" not in page_text(found)
    other_day = post(rita, INTAKE, {"werknaam": "Roos", "date_of_birth": "1990-03-15",
                                    "action": "zoeken"})
    assert "Niet gevonden:" in page_text(other_day)
    missing = post(rita, INTAKE, {"werknaam": "Roos", "date_of_birth": "", "action": "zoeken"})
    assert field_error(missing, "date_of_birth") == "Vul een geldige datum in."

    # Recording the intake for the match uses her dossier; no second dossier is made.
    made = post(rita, INTAKE, intake_form(roos, werknaam="ROOS"))
    assert made.location == f"{NEW}?client={roos.ref}"
    assert count(app, Client) == 1 and intakes(app)[0][:1] == (roos.id,)


def test_two_dossiers_with_the_same_werknaam_and_birth_date_are_not_guessed(app, staff):
    for _ in range(2):
        seed_client(app, "Nadia", date_of_birth=date(1998, 2, 11))
    rita = browser(app, staff.rita)
    refused = post(rita, INTAKE, NEW_WOMAN)
    assert refused.status_code == 422
    assert "meerdere dossiers met deze werknaam en geboortedatum" in page_text(refused)
    assert intakes(app) == []


def test_from_her_dossier_the_id_must_match_and_only_then_identity_shows(app, staff, roos):
    rita = browser(app, staff.rita)
    dossier = page_text(rita.get(f"/clienten/{roos.ref}"))
    assert f'href="{INTAKE}?client={roos.ref}"' in dossier and "Maria Verhoeven" not in dossier
    refused = post(rita, f"{INTAKE}?client={roos.ref}",
                   intake_form(roos, date_of_birth="1991-03-14"))
    assert refused.status_code == 422
    assert field_error(refused, "date_of_birth").startswith(
        "De geboortedatum komt niet overeen met dit dossier.")
    assert "Maria Verhoeven" not in page_text(refused) and intakes(app) == []
    take_intake(rita, roos)
    assert "Maria Verhoeven" in page_text(rita.get(f"/clienten/{roos.ref}"))


def test_registration_documents_need_an_intake(app, staff, roos):
    """Issue 14: she opened registration documents of clients without a registration."""
    with app.app_context():
        document = make_document(db.session.get(Client, roos.id), staff.anna.id,
                                 kind="registratiedocument")
        ref = document.ref
    rita = browser(app, staff.rita)
    assert rita.get(f"/documenten/{ref}").status_code == 404
    assert "Registratiedocument" not in page_text(rita.get(f"/clienten/{roos.ref}"))
    take_intake(rita, roos)
    assert rita.get(f"/documenten/{ref}").status_code == 200
