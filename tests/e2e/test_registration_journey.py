"""The registratiecontactpersoon runs a tippelzone registration through its whole cycle in the
browser: request, decision, letter, pass, the daily expiry reminder (a real e-mail over
loopback SMTP), revocation at the client's own request, and the figures that then show it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from portal.clock import local_today
from portal.letters.templates import ensure_builtin_templates
from portal.registrations.reminders import SUBJECT, run_daily
from portal.roles import Role
from portal.templating import local_date
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_client
from tests.smtp_server import mail_settings

pytestmark = pytest.mark.e2e

WERKNAAM, LEGAL_NAME = "Roos", "Rosalie Verzonnen"



@pytest.fixture
def app(make_app, smtp):
    """The served app, sending its mail to the loopback SMTP server."""
    return make_app(**mail_settings(smtp))


def fact(page, section: str, term: str):
    """The value (dd) next to a term (dt) in a card of the registration page."""
    return page.locator(f'{section} dt:text-is("{term}") + dd')


def test_contact_person_runs_the_whole_registration_cycle(app, smtp, live_server, account,
                                                          browser_page, console_errors):
    contact = account(Role.REGISTRATIECONTACTPERSOON, name="Renate Bos")
    with app.app_context():
        ensure_builtin_templates()
        client_number = make_client(WERKNAAM, legal_name=LEGAL_NAME,
                                    date_of_birth=date(1990, 5, 14)).number
    today = local_today()
    valid_until = today + timedelta(days=20)
    number = f"TZ-{today.year}-001"
    page = browser_page
    log_in(page, live_server, contact)

    # Request.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Registraties", exact=True).click()
    expect(page.get_by_role("heading", name="Registraties tippelzone")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Nieuwe aanvraag", exact=True).click()
    expect(page.get_by_role("heading", name="Intake: een vrouw meldt zich")).to_be_visible()
    check_page(page)
    page.get_by_label("Werknaam", exact=True).fill(WERKNAAM.upper())
    page.get_by_label("Geboortedatum", exact=True).fill("1990-05-14")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Gevonden: dossier {client_number}")
    check_page(page)
    page.get_by_label("ID-controle: soort document", exact=True).fill("Paspoort")
    page.get_by_role("button", name="Intake vastleggen", exact=True).click()
    expect(page.get_by_text(f"Intake van {WERKNAAM} vastgelegd")).to_be_visible()
    expect(page.get_by_label("ID-controle: soort document", exact=True)).to_have_value("Paspoort")
    check_page(page)
    page.get_by_label("Aanvraagdatum", exact=True).fill(today.isoformat())
    page.get_by_label("Criterium", exact=True).fill("Meerderjarig en ingeschreven in Nijmegen")
    page.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(page.get_by_text(f"Aanvraag {number} is vastgelegd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Registratie {number} Aangevraagd")
    check_page(page)

    # Decision.
    page.get_by_role("link", name="In behandeling nemen", exact=True).click()
    expect(page.get_by_role("button", name="In behandeling nemen", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="In behandeling nemen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{number} In behandeling")
    check_page(page)
    page.get_by_role("link", name="Verlenen", exact=True).click()
    expect(page.get_by_label("Geldig tot en met", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label("Geldig tot en met", exact=True).fill(valid_until.isoformat())
    page.get_by_role("button", name="Registratie verlenen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{number} Verleend")
    expect(fact(page, "#gegevens-kop + dl", "Geldig tot en met")).to_have_text(
        local_date(valid_until))
    check_page(page)

    # Letter.
    page.get_by_role("link", name="Brief maken", exact=True).click()
    expect(page.get_by_role("link", name="Besluit: registratie verleend")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Besluit: registratie verleend").click()
    expect(page.get_by_role("button", name="Voorbeeld bekijken")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.locator(".letter-preview")
    expect(preview).to_contain_text(f"met nummer {number}")
    expect(preview).to_contain_text("registratie verleend")
    check_page(page)
    page.get_by_role("button", name="Brief maken en in het dossier zetten").click()
    expect(page.get_by_text(re.compile(r"Brief \S+ staat in het dossier\."))).to_be_visible()
    letters = page.locator("#brieven")
    expect(letters.get_by_role("heading", name="Brieven bij deze registratie")).to_be_visible()
    expect(letters.locator("tbody tr")).to_have_count(1)
    expect(letters.locator("tbody tr")).to_contain_text(f"registratie verleend ({number})")
    check_page(page)

    # Pass.
    page.get_by_role("button", name="Uitreiken van de pas vastleggen", exact=True).click()
    expect(page.get_by_text(f"{number}: pas uitgereikt.")).to_be_visible()
    expect(fact(page, "#pas", "Uitgereikt")).to_have_text(local_date(today))
    check_page(page)

    # Reminder: the morning job mails the contact person numbers and dates, never names.
    with app.app_context():
        assert run_daily() == {"verlopen": 0, "ingegaan": 0, "herinnerd": 1}
    [reminder] = smtp.messages
    assert reminder["To"] == contact.email and reminder["Subject"] == SUBJECT
    body = reminder.get_content()
    assert f"- {number}: geldig tot en met {valid_until:%d-%m-%Y}" in body
    assert WERKNAAM not in body and LEGAL_NAME not in body and client_number not in body
    [link] = re.findall(r"https?://\S+", body)
    path = urlsplit(link)
    assert path.path + "?" + path.query == "/registraties/?verloopt_binnen=30"
    page.goto(live_server + path.path + "?" + path.query)
    expect(page.get_by_role("heading", name="Registraties tippelzone")).to_be_visible()
    expect(page.get_by_label("Verloopt binnen (dagen)")).to_have_value("30")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    expect(row).to_contain_text(WERKNAAM)
    expect(row).to_contain_text("Verleend")
    expect(row).to_contain_text("Uitgereikt")
    check_page(page)
    row.get_by_role("link", name=number).click()
    expect(page.locator("#geschiedenis")).to_contain_text(
        f"Herinnering verstuurd: laatste geldige dag {local_date(valid_until)}")
    check_page(page)

    # Revocation at her own request; she hands in her pass.
    page.get_by_role("link", name="Intrekken", exact=True).click()
    expect(page.get_by_label("Op eigen verzoek", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label("Op eigen verzoek", exact=True).check()
    page.get_by_label("De pas is op deze datum ingeleverd", exact=True).check()
    page.get_by_role("button", name="Registratie intrekken", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{number} Ingetrokken")
    expect(fact(page, "#pas", "Ingeleverd")).to_have_text(local_date(today))
    history = page.locator("#geschiedenis")
    revoked = history.get_by_role("row").filter(has_text="Ingetrokken: op eigen verzoek")
    expect(revoked.get_by_role("cell")).to_have_text(
        [local_date(today), "Ingetrokken: op eigen verzoek", "Ingetrokken", "Renate Bos"])
    expect(history).to_contain_text("Pas ingeleverd")
    check_page(page)

    # The client's dossier shows the ended registration too.
    page.locator("#gegevens-kop + dl").get_by_role("link", name=WERKNAAM).click()
    dossier_row = page.locator("#registratie").get_by_role("row").filter(has_text=number)
    expect(dossier_row).to_contain_text("Ingetrokken")
    # An ended registration shows its end and reason, never its former validity.
    expect(dossier_row).to_contain_text(f"Ingetrokken op {local_date(today)} (op eigen verzoek)")
    expect(dossier_row).not_to_contain_text(local_date(valid_until))
    check_page(page)

    # Figures.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Registratiecijfers", exact=True).click()
    expect(page.get_by_role("heading", name="Registratiecijfers")).to_be_visible()
    check_page(page)

    def figure(label: str):
        return page.get_by_role("row").filter(
            has=page.get_by_role("cell", name=label, exact=True)).get_by_role("cell").nth(1)

    expect(figure("Aangevraagd")).to_have_text("1")
    expect(figure("Verleend")).to_have_text("1")
    expect(figure("Ingetrokken (totaal)")).to_have_text("1")
    expect(figure("Ingetrokken: op eigen verzoek")).to_have_text("1")
    expect(figure(f"Geldig op {local_date(today)}")).to_have_text("0")
    expect(page.get_by_text("1 registratie verleend")).to_contain_text(
        "1 ingetrokken, waarvan 1 op eigen verzoek")
    assert console_errors == []
