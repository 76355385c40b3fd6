"""Client letters in her language, at the address she chose, with her aanhef.

The language table maps what people type ("Engels", "english", "Roemeens", "ro-RO") to ISO
639-1 codes; a client letter is offered once per letter, in her language where a template
exists in it, else in Dutch with the reason on the page; a beheerder adds a third language by
uploading a template of the same name. The letter address (p/a the team or her own) and the
aanhef are kept as identity data: a casemanager sets them, the procesregisseur and the
ervaringsdeskundige neither see nor change them.
"""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from portal.clients.models import Client
from portal.extensions import db
from portal.letters import languages
from portal.letters.models import Letter, LetterTemplate
from portal.plans import letter as plan_letter
from portal.roles import Role
from tests.conftest import csrf_token
from tests.test_letters import (
    CLIENT_VALUES,
    client_setup,
    client_url,
    docx_bytes,
    docx_text,
    field_error,
    make_client_letter,
    page_text,
    person,
    preview_of,
    upload_template,
)


@pytest.fixture
def app(make_app):
    return make_app(LETTER_MAIL_PDF=False)


@pytest.mark.parametrize(("typed", "code"), [
    ("Nederlands", "nl"), ("dutch", "nl"), ("Engels", "en"), ("English", "en"),
    (" ENGLISH ", "en"), ("en-GB", "en"), ("Roemeens", "ro"), ("Romanian", "ro"),
    ("română", "ro"), ("Bulgaars", "bg"), ("Spaans", "es"), ("español", "es"),
    ("Oekraïens", "uk"), ("Thai", "th"), ("pl", "pl"), ("Klingon", None), ("", None),
    ("xx", None)])
def test_language_names_in_dutch_english_and_their_own_map_to_iso_codes(typed, code):
    assert languages.code_for(typed) == code


def test_the_choice_says_which_language_and_why():
    assert languages.choose("English", {"nl", "en"}) == languages.Choice(
        "en", "Engels, omdat de voorkeurstaal van de cliënt English is.")
    romanian = languages.choose("Roemeens", {"nl", "en"})
    assert romanian.code == "nl" and romanian.fallback
    assert romanian.reason == ("Nederlands: de voorkeurstaal van de cliënt is Roemeens, en de "
                               "brief bestaat alleen in het Nederlands en het Engels.")
    assert languages.choose("Roemeens", {"nl", "en", "ro"}).code == "ro"
    assert languages.choose("", {"nl"}).reason == \
        "Nederlands, omdat er geen voorkeurstaal is vastgelegd."
    assert "geen taal die het portaal kent" in languages.choose("Klingon", {"nl"}).reason
    assert not languages.choose("Nederlands", {"nl"}).fallback
    # the plan letter chooses through the same table
    assert plan_letter.language_for(type("C", (), {"preferred_language": "english"})).code == "en"
    assert plan_letter.language_for(type("C", (), {"preferred_language": "ro"})).code == "nl"


def _set_client(app, client_id: int, **fields) -> None:
    with app.app_context():
        client = db.session.get(Client, client_id)
        for name, value in fields.items():
            setattr(client, name, value)
        db.session.commit()


def test_her_language_picks_the_template_and_a_fallback_is_explained(app):
    setup = client_setup(app)
    ids, ref = setup["templates"], setup["ref"]
    _, web = setup["author"]
    _set_client(app, setup["client_id"], preferred_language="English")
    choose = page_text(web.get(client_url(ref)))
    assert f"sjabloon={ids['clientbrief-en']}" in choose
    assert f"sjabloon={ids['clientbrief-nl']}" not in choose and "Engels</span>" in choose
    page = page_text(web.get(client_url(ref, ids["clientbrief-en"])))
    assert "Taal van de brief:</span> Engels, omdat de voorkeurstaal van de cliënt English is." \
        in page
    assert f'sjabloon={ids["clientbrief-nl"]}">Nederlands</a>' in page  # the other language
    dutch_anyway = page_text(web.get(client_url(ref, ids["clientbrief-nl"])))
    assert "Nederlands, omdat u deze taal koos; haar voorkeurstaal kiest Engels" in dutch_anyway

    _set_client(app, setup["client_id"], preferred_language="Roemeens")
    choose = page_text(web.get(client_url(ref)))
    assert f"sjabloon={ids['clientbrief-nl']}" in choose
    page = page_text(web.get(client_url(ref, ids["clientbrief-nl"])))
    assert ("Nederlands: de voorkeurstaal van de cliënt is Roemeens, en de brief bestaat alleen "
            "in het Nederlands en het Engels.") in page

    # a third language: the beheerder uploads the same letter in Romanian
    _, beheer = person(app, Role.BEHEERDER)
    romanian = docx_bytes("{{ aanhef }}, {{ bericht }} {{ kenmerk }} {{ datum }}")
    saved = upload_template(beheer, name="Brief aan cliënt (eenvoudige taal)",
                            purpose="clientbrief", language="ro", data=romanian)
    assert saved.status_code == 302, page_text(saved)[:1000]
    with app.app_context():
        ro_id = db.session.scalar(select(LetterTemplate.id).where(LetterTemplate.language == "ro"))
    choose = page_text(web.get(client_url(ref)))
    assert f"sjabloon={ro_id}" in choose and f"sjabloon={ids['clientbrief-nl']}" not in choose
    assert "Roemeens</span>" in choose
    page = page_text(web.get(client_url(ref, ro_id)))
    assert "Roemeens, omdat de voorkeurstaal van de cliënt Roemeens is." in page
    assert "<dt>Taal</dt><dd>Roemeens</dd>" in page_text(beheer.get(f"/brieven/sjablonen/{ro_id}"))


def test_her_own_address_and_aanhef_go_on_her_letters(app):
    setup = client_setup(app)
    ids, ref = setup["templates"], setup["ref"]
    _, assigned = setup["assigned"]
    edit = f"/clienten/{ref}/bewerken"
    form_page = page_text(assigned.get(edit))
    assert "Adres voor brieven" in form_page and "Aanhef in brieven" in form_page
    base = {"csrf_token": csrf_token(assigned, edit), "werknaam": "Roos",
            "preferred_language": "Nederlands", "legal_name": "Rosa de Vries"}
    missing = assigned.post(edit, data={**base, "letters_to": "eigen"})
    assert field_error(missing, "postal_address") == \
        "Vul het eigen postadres in, of kies p/a het Stapteam."
    saved = assigned.post(edit, data={**base, "letters_to": "eigen",
                                      "postal_address": "Lange Hezelstraat 1\n6511 CA Nijmegen",
                                      "salutation": "Lieve Roos"})
    assert saved.status_code == 302
    dossier = page_text(assigned.get(f"/clienten/{ref}"))
    assert "Lange Hezelstraat 1" in dossier and "Lieve Roos" in dossier

    preview, made = make_client_letter(assigned, ref, ids["clientbrief-nl"], CLIENT_VALUES,
                                       "Afspraak")
    shown = unescape(preview_of(preview) or "")
    assert "Roos\nLange Hezelstraat 1\n6511 CA Nijmegen" in shown and "Lieve Roos," in shown
    assert "p/a Stapteam" not in shown
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        from portal.documents import storage
        text = docx_text(b"".join(storage.stream(letter.storage_key, letter.sha256)))
    assert "Lange Hezelstraat 1" in text and "Lieve Roos," in text

    # back to p/a the team (the default); her own aanhef stays
    assigned.post(edit, data={**base, "csrf_token": csrf_token(assigned, edit),
                              "letters_to": "team", "postal_address": "Lange Hezelstraat 1",
                              "salutation": "Lieve Roos"})
    shown = unescape(preview_of(make_client_letter(assigned, ref, ids["clientbrief-nl"],
                                                   CLIENT_VALUES, "Afspraak")[0]) or "")
    assert "p/a Stapteam Nijmegen" in shown and "Lange Hezelstraat" not in shown


def test_a_decision_keeps_a_formal_aanhef_only(app):
    from portal.letters import services

    roos = Client(werknaam="Roos", legal_name="Rosa de Vries", salutation="Lieve Roos")
    with app.app_context():
        assert services.client_context(roos, formal=True)["aanhef"] == "Geachte Rosa de Vries"
        assert services.client_context(roos)["aanhef"] == "Lieve Roos"
        roos.salutation = "Geachte mevrouw De Vries"
        assert services.client_context(roos, formal=True)["aanhef"] == \
            "Geachte mevrouw De Vries"
        roos.salutation = None
        assert services.client_context(roos, language="en")["aanhef"] == "Dear Roos"


@pytest.mark.parametrize("role", [Role.PROCESREGISSEUR, Role.ERVARINGSDESKUNDIGE])
def test_others_neither_see_nor_change_her_letter_address(app, role):
    setup = client_setup(app)
    ref = setup["ref"]
    _set_client(app, setup["client_id"], letters_to="eigen", salutation="Lieve Roos",
                postal_address="Geheime Straat 9\n6511 AA Nijmegen")
    _, web = person(app, role)
    dossier = page_text(web.get(f"/clienten/{ref}"))
    assert "Geheime Straat" not in dossier and "Lieve Roos" not in dossier
    assert "Adres voor brieven" not in dossier
    edit = f"/clienten/{ref}/bewerken"
    page = web.get(edit)
    if page.status_code == 200:  # procesregie edits the basics, never these fields
        assert "Geheime Straat" not in page_text(page)
        assert "Adres voor brieven" not in page_text(page)
        web.post(edit, data={"csrf_token": csrf_token(web, edit), "werknaam": "Roos",
                             "preferred_language": "Nederlands", "letters_to": "team",
                             "postal_address": "Ergens anders 1", "salutation": "Hoi"})
    with app.app_context():
        client = db.session.get(Client, setup["client_id"])
        assert (client.letters_to, client.postal_address, client.salutation) == (
            "eigen", "Geheime Straat 9\n6511 AA Nijmegen", "Lieve Roos")
