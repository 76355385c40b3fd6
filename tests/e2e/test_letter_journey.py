"""The procesregisseur fills in the Informatiebrief, adds the leaflet from the attachment
library, previews it, confirms the list, the number of recipients and the attachments, sends it
and sees every recipient as verzonden; the loopback SMTP server receives each letter (as PDF
when LibreOffice is installed) with the leaflet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.letters import pdf
from portal.letters.templates import ensure_builtin_templates
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_partner_list
from tests.letter_factories import leaflet_pdf, make_attachment
from tests.smtp_server import mail_settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(make_app, smtp):
    """The served app, sending its mail to the loopback SMTP server."""
    return make_app(**mail_settings(smtp))


def test_informatiebrief_to_the_partner_list(app, smtp, live_server, account, browser_page,
                                             console_errors):
    regisseur = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
    with app.app_context():
        ensure_builtin_templates()
        make_partner_list(4, name="Netwerkpartners")
        make_attachment("Folder Stapteam", filename="folder-stapteam.pdf")
    page = browser_page
    log_in(page, live_server, regisseur)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Brief aan partners").click()
    expect(page.get_by_role("link", name="Informatiebrief Stapteam 2.0")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Informatiebrief Stapteam 2.0").click()
    expect(page.get_by_label("Onderwerp van de e-mail", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label("Onderwerp van de e-mail", exact=True).fill("Stapteam 2.0")
    page.get_by_label("Onderwerp", exact=True).fill("Informatie over Stapteam 2.0")
    page.get_by_label("Contactpersoon registraties").fill("Renate Bos")
    page.get_by_label("Telefoon contactpersoon").fill("024 329 9999")
    page.get_by_label("Team en bereikbaarheid").fill("Het Stapteam is er op dinsdagavond.")
    page.get_by_label("Verzendlijst").select_option(label="Netwerkpartners (4)")
    page.get_by_label("Folder Stapteam (PDF)").check()
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.locator(".letter-preview")
    expect(preview).to_contain_text("Renate Bos")
    expect(preview).to_contain_text("Folder Stapteam")  # the Bijlagen line
    expect(preview).to_contain_text("Het Stapteam is er op dinsdagavond.")
    if pdf.available():  # the first page as a picture, from the same render
        expect(page.get_by_alt_text("Eerste pagina van de brief")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Versturen naar de verzendlijst").click()
    expect(page.get_by_role("heading", name="Versturen bevestigen")).to_be_visible()
    expect(page.get_by_text("4 contactpersonen, elk met een eigen brief")).to_be_visible()
    expect(page.get_by_text("1: Folder Stapteam (folder-stapteam.pdf)")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Ja, verstuur 4 brieven").click()
    expect(page.get_by_text("4 brieven staan klaar om te verzenden.")).to_be_visible()
    expect(page.get_by_text("4 van 4 verzonden")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    for index in range(4):
        expect(rows.nth(index)).to_contain_text("verzonden")
    check_page(page)
    assert console_errors == []
    wanted = "application/pdf" if pdf.available() else "application/vnd.openxmlformats"
    assert len(smtp.received) == 4
    for item in smtp.received:
        letter, leaflet = list(item.message.iter_attachments())
        assert letter.get_content_type().startswith(wanted)
        assert (leaflet.get_filename(), leaflet.get_content()) == ("folder-stapteam.pdf",
                                                                   leaflet_pdf())


def test_beheerder_saves_the_house_style(app, live_server, account, browser_page,
                                         console_errors):
    beheerder = account(Role.BEHEERDER, name="Bea Beheer")
    page = browser_page
    log_in(page, live_server, beheerder)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Briefsjablonen").click()
    page.get_by_role("link", name="Huisstijl van brieven").click()
    expect(page.get_by_role("heading", name="Huisstijl van brieven")).to_be_visible()
    check_page(page)
    page.get_by_label("Naam van de ondertekenaar").fill("M. Bakker")
    page.get_by_role("button", name="Huisstijl opslaan").click()
    expect(page.get_by_text("De huisstijl is opgeslagen")).to_be_visible()
    expect(page.get_by_label("Naam van de ondertekenaar")).to_have_value("M. Bakker")
    check_page(page)
    assert console_errors == []


def test_beheerder_uploads_a_template_and_edits_the_proposed_fields(
        app, live_server, account, browser_page, console_errors, tmp_path):
    from portal.extensions import db
    from portal.letters.models import LetterTemplate
    from tests.test_letters import docx_bytes

    beheerder = account(Role.BEHEERDER, name="Bea Beheer")
    upload = tmp_path / "uitnodiging.docx"
    upload.write_bytes(docx_bytes("Beste {{ ontvanger.naam }}, op {{ overleg_datum }} praten "
                                  "we over {{ onderwerp }}. {{ kenmerk }}"))
    page = browser_page
    log_in(page, live_server, beheerder)
    page.goto(f"{live_server}/brieven/sjablonen/nieuw")
    page.get_by_label("Naam", exact=True).fill("Uitnodiging overleg")
    page.get_by_label("Doel").select_option("partnerbrief")
    page.get_by_label("Word-sjabloon (.docx)").set_input_files(str(upload))
    page.get_by_role("button", name="Bestand lezen en velden voorstellen").click()
    expect(page.get_by_text("Het portaal vond deze plaatshouders")).to_be_visible()
    expect(page.locator("#fields-1-type")).to_have_value("datum")
    check_page(page)
    page.locator("#fields-1-label").fill("Datum van het overleg")
    page.locator("#fields-0-required").uncheck()
    page.get_by_role("button", name="Sjabloon opslaan").click()
    expect(page.get_by_text("Sjabloon 'Uitnodiging overleg' is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="Datum van het overleg")).to_be_visible()
    check_page(page)
    assert console_errors == []
    with app.app_context():
        template = db.session.query(LetterTemplate).filter_by(name="Uitnodiging overleg").one()
        assert template.current.fields == [
            {"name": "onderwerp", "label": "Onderwerp", "type": "tekst", "required": False},
            {"name": "overleg_datum", "label": "Datum van het overleg", "type": "datum",
             "required": True}]


def test_beheerder_adds_and_deactivates_an_attachment(app, live_server, account, browser_page,
                                                      console_errors, tmp_path):
    beheerder = account(Role.BEHEERDER, name="Bea Beheer")
    leaflet = tmp_path / "folder.pdf"
    leaflet.write_bytes(leaflet_pdf())
    page = browser_page
    log_in(page, live_server, beheerder)
    page.goto(f"{live_server}/brieven/sjablonen")
    page.get_by_role("link", name="Bijlagen voor brieven").click()
    expect(page.get_by_role("heading", name="Bijlagen voor brieven")).to_be_visible()
    check_page(page)
    page.get_by_label("Titel (zo staat de bijlage in de brief)").fill("Folder Stapteam")
    page.get_by_label("PDF-bestand").set_input_files(str(leaflet))
    page.get_by_role("button", name="Bijlage toevoegen").click()
    expect(page.get_by_text("Bijlage 'Folder Stapteam' staat in de bibliotheek.")).to_be_visible()
    expect(page.get_by_role("cell", name="aangeboden")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=re.compile(r"^Uitzetten.*Folder Stapteam")).click()
    expect(page.get_by_role("cell", name="uitgezet")).to_be_visible()
    check_page(page)
    assert console_errors == []
