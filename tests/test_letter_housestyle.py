"""House style, addressed partner letters, decision letters per status, one-line headers and
templates that switch escaping off (issue 12), through the real routes."""

from __future__ import annotations

import io
import re
import struct
import zlib
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.clock import local_today
from portal.extensions import db
from portal.letters import housestyle, services
from portal.letters.models import HouseStyle, Letter, LetterTemplate
from portal.partners.models import PartnerContact
from portal.registrations.models import Registration
from portal.roles import OrganisationKind, Role
from portal.templating import local_date
from tests.conftest import csrf_token
from tests.factories import make_client, make_organisation, make_registration
from tests.test_letters import (
    builtin_ids,
    docx_bytes,
    docx_text,
    field_error,
    letter_form,
    page_text,
    person,
    preview_of,
    upload_template,
)

STYLE_URL = "/brieven/huisstijl"
STYLE = {"organisation": "Gemeente Nijmegen", "letterhead": "Stapteam\nAfdeling Zorg",
         "team": "Stapteam Nijmegen", "team_address": "Postbus 7777\n6500 ZZ Nijmegen",
         "postal_address": "Postbus 7777, 6500 ZZ Nijmegen",
         "visiting_address": "Stadhuis, Burchtstraat 1, Nijmegen", "phone": "024 000 00 00",
         "email": "stap@nijmegen.invalid", "website": "www.nijmegen.nl",
         "signer_name": "M. Bakker", "signer_function": "afdelingshoofd Zorg",
         "objection_address": "Het college van B&W\nPostbus 7777\n6500 ZZ Nijmegen",
         "font": "Verdana"}


def png(width: int = 4, height: int = 2) -> bytes:
    """A tiny valid PNG (grey pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def save_style(web, logo: tuple[bytes, str] | None = None, **changes):
    token = csrf_token(web, STYLE_URL)
    data = {"csrf_token": token, **STYLE, **changes}
    if logo:
        data["logo"] = (io.BytesIO(logo[0]), logo[1])
    return web.post(STYLE_URL, data=data, content_type="multipart/form-data")


def test_beheerder_sets_the_house_style_once_and_every_letter_uses_it(app):
    _, web = person(app, Role.BEHEERDER)
    page = page_text(web.get(STYLE_URL))
    assert "nog niet opgeslagen" in page and 'value="Gemeente Nijmegen"' in page
    refused = save_style(web, logo=(b"%PDF-1.4 geen plaatje", "logo.png"))
    assert refused.status_code == 422
    assert field_error(refused, "logo") == "Het logo moet een PNG- of JPEG-afbeelding zijn."
    broken = save_style(web, signer_name="M.\nBakker")
    assert field_error(broken, "signer_name") == "Gebruik één regel, zonder regeleinde (Enter)."
    with app.app_context():
        assert db.session.scalar(select(HouseStyle)) is None  # nothing saved on refusal
    saved = save_style(web, logo=(png(), "logo.png"))
    assert saved.status_code == 302
    assert "Er is een logo opgeslagen." in page_text(web.get(STYLE_URL))
    builtin_ids(app)
    with app.app_context():
        style = db.session.scalar(select(HouseStyle))
        assert (style.signer_name, style.font, style.logo) == ("M. Bakker", "Verdana", png())
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "letters.house_style_saved")) is not None
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "besluit-verleend"))
        client = make_client("Roos", legal_name="Rosa de Vries")
        content = services.render_letter(
            template.current, {"onderwerp": "Besluit", "besluit": "Zie hieronder.",
                               "aanvraagdatum": local_today(), "besluitdatum": local_today()},
            services.client_context(client, formal=True), "STAP/2026/0001", local_today())
    text = docx_text(content)
    footer = "".join(zipped(content, "word/footer1.xml").decode().split("<w:t")[1:])
    assert "Burchtstraat 1" in footer and "Postbus 7777, 6500 ZZ Nijmegen" in footer
    for expected in ("M. Bakker", "afdelingshoofd Zorg", "Postbus 7777",
                     "Het college van B&W", "p/a Stapteam Nijmegen", "Rosa de Vries"):
        assert expected in text, expected
    assert b"word/media/" in content  # the logo went into the letter
    assert b'w:ascii="Verdana"' in zipped(content, "word/styles.xml")
    # Removing the logo leaves letters without one.
    assert save_style(web, remove_logo="y").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(HouseStyle)).logo is None


def zipped(content: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def test_other_roles_do_not_reach_the_house_style(app):
    for role in (Role.PROCESREGISSEUR, Role.CASEMANAGER, Role.REGISTRATIECONTACTPERSOON):
        _, web = person(app, role)
        assert web.get(STYLE_URL).status_code == 403, role


def test_partner_contact_has_department_address_and_aanhef_used_in_her_letter(app):
    _, web = person(app, Role.PROCESREGISSEUR)
    with app.app_context():
        police = make_organisation("Politie Oost-Nederland", kind=OrganisationKind.PARTNER)
        police_id = police.id
    url = "/partners/contact/nieuw"
    form = {"csrf_token": csrf_token(web, url), "organisation_id": str(police_id),
            "name": "Anja Jansen", "email": "anja@politie-oost.nl", "active": "y",
            "department": "Team Zeden", "postal_address": "Postbus 9000\r\n 6500 GA Nijmegen \r\n",
            "salutation": "Geachte mevrouw Jansen,"}
    saved = web.post(url, data=form)
    assert saved.status_code == 302, page_text(saved)[-3000:]
    ids = builtin_ids(app)
    with app.app_context():
        contact = db.session.scalar(select(PartnerContact))
        assert (contact.department, contact.postal_address, contact.salutation) == (
            "Team Zeden", "Postbus 9000\n6500 GA Nijmegen", "Geachte mevrouw Jansen")
        assert contact.address_lines == ["Anja Jansen", "Team Zeden", "Politie Oost-Nederland",
                                         "Postbus 9000", "6500 GA Nijmegen"]
        template = db.session.get(LetterTemplate, ids["informatiebrief-stapteam"])
        text = docx_text(services.render_letter(
            template.current, {"onderwerp": "Stapteam", "contactpersoon": "R", "telefoon": "1",
                               "team": "Wij"}, services.contact_context(contact),
            "STAP/2026/0009", local_today()))
    assert "Anja Jansen\nTeam Zeden\nPolitie Oost-Nederland\nPostbus 9000\n6500 GA Nijmegen" \
        in text
    assert "Geachte mevrouw Jansen," in text
    form["salutation"] = "Geachte\r\nmevrouw"
    form["csrf_token"] = csrf_token(web, url)
    refused = web.post(url, data=form)
    assert field_error(refused, "salutation") == "Gebruik één regel voor de aanhef."


def test_a_subject_with_a_line_break_is_refused_on_the_form(app):
    ids = builtin_ids(app)
    _, web = person(app, Role.PROCESREGISSEUR)
    url = f"/brieven/partners/nieuw?sjabloon={ids['informatiebrief-stapteam']}"
    values = {"onderwerp": "Stapteam\r\nBcc: iedereen@example.invalid", "contactpersoon": "R",
              "telefoon": "1", "team": "Wij"}
    response = web.post(url, data=letter_form(csrf_token(web, url), values,
                                              subject="Start\nBcc: x@example.invalid",
                                              action="voorbeeld"))
    assert field_error(response, "subject") == "Gebruik één regel, zonder regeleinde (Enter)."
    assert field_error(response, "f_onderwerp") == "Gebruik één regel, zonder regeleinde (Enter)."
    assert preview_of(response) is None


def test_a_template_that_switches_escaping_off_is_refused_at_upload(app):
    _, web = person(app, Role.BEHEERDER)
    data = docx_bytes("{% autoescape false %}{{ x }}{% endautoescape %}")
    response = upload_template(web, name="Ontsnapt", purpose="partnerbrief", data=data)
    assert response.status_code == 422
    assert "zet het beveiligen van ingevulde tekst uit" in page_text(response)
    split = docx_bytes(("{%", " autoescape ", "false %}{{ x }}{% endautoescape %}"))
    assert "zet het beveiligen" in page_text(upload_template(
        web, name="Ontsnapt 2", purpose="partnerbrief", data=split))
    with app.app_context():
        assert db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.name.like("Ontsnapt%"))) is None


def _registration(app, status: str, contact_person) -> str:
    with app.app_context():
        client = make_client("Mira", legal_name="Maria Verhoeven")
        registration = make_registration(client, contact_person.id, status=status,
                                         valid_until=local_today() + timedelta(days=300))
        registration.decision_kenmerk = "NIJ/TZ/077"
        db.session.commit()
        return registration.ref


def _decision_preview(web, ref: str, template_id: int, values: dict) -> str:
    url = f"/registraties/{ref}/brief?sjabloon={template_id}"
    response = web.post(url, data=letter_form(csrf_token(web, url), values,
                                              subject="Besluit", action="voorbeeld"))
    return unescape(preview_of(response) or page_text(response))


def test_decision_letters_read_as_decisions_per_status(app):
    ids = builtin_ids(app)
    renate, web = person(app, Role.REGISTRATIECONTACTPERSOON, name="Renate Registratie")
    today = local_date(local_today())

    granted = _registration(app, "verleend", renate)
    choose = page_text(web.get(f"/registraties/{granted}/brief"))
    first = choose.index("Besluit: registratie verleend")
    assert first < choose.index("Besluit: registratie afgewezen") and "past bij de status" in choose
    assert "Registratiebrief tippelzone" not in choose  # the retired plain letter
    text = _decision_preview(web, granted, ids["besluit-verleend"],
                             {"onderwerp": "Besluit op uw aanvraag", "besluit": "Ons besluit."})
    with app.app_context():
        row = db.session.scalar(select(Registration).where(Registration.ref == granted))
        valid_until = local_date(row.valid_until)
    for expected in ("Maria Verhoeven", "p/a Stapteam Nijmegen", "Geachte Maria Verhoeven,",
                     "Besluit-kenmerk | NIJ/TZ/077", f"geldig tot en met {valid_until}",
                     "namens het college van burgemeester en wethouders",
                     "binnen zes weken", f"verstuurd op {today}", "Contactpersoon | Renate"):
        assert expected in text, expected
    assert "Aan:" not in text

    revoked = _registration(app, "ingetrokken", renate)
    text = _decision_preview(web, revoked, ids["besluit-ingetrokken"],
                             {"onderwerp": "Intrekking", "besluit": "Ons besluit."})
    assert f"De intrekking gaat in op {today}" in text and "Reden: op eigen verzoek." in text
    assert "geldig tot" not in text and "bezwaar maken" in text and "NIJ/TZ/077" in text

    refused = _registration(app, "afgewezen", renate)
    url = f"/registraties/{refused}/brief?sjabloon={ids['besluit-afgewezen']}"
    without_grounds = web.post(url, data=letter_form(
        csrf_token(web, url), {"onderwerp": "Afwijzing", "besluit": "Ons besluit."},
        subject="Besluit", action="voorbeeld"))
    assert field_error(without_grounds, "f_gronden") == \
        "Vul 'Waarom de aanvraag is afgewezen' in."
    text = _decision_preview(web, refused, ids["besluit-afgewezen"],
                             {"onderwerp": "Afwijzing", "besluit": "Ons besluit.",
                              "gronden": "U woont niet in Nijmegen."})
    assert "U woont niet in Nijmegen." in text and "zes weken" in text

    made = web.post(url, data=letter_form(
        csrf_token(web, url), {"onderwerp": "Afwijzing", "besluit": "Ons besluit.",
                               "gronden": "U woont niet in Nijmegen."},
        subject="Besluit", action="maken"))
    assert made.status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        assert letter.values["besluit_kenmerk"] == "NIJ/TZ/077"


def test_house_style_defaults_until_saved(app):
    with app.app_context():
        style = housestyle.current()
        assert style.id is None and style.organisation == "Gemeente Nijmegen"
        assert housestyle.team_address_lines()[0] == "p/a Stapteam Nijmegen"


def test_sending_asks_for_a_confirmation_naming_list_recipients_and_attachment(app):
    from portal.letters.models import Mailing
    from tests.factories import INFORMATIEBRIEF_VALUES
    from tests.test_letters import count, partner_setup, partner_url

    setup = partner_setup(app)
    _, web = person(app, Role.PROCESREGISSEUR)
    url = partner_url(setup["templates"]["informatiebrief-stapteam"])
    asked = web.post(url, data=letter_form(csrf_token(web, url), INFORMATIEBRIEF_VALUES,
                                           subject="Stapteam 2.0", action="versturen",
                                           list_id=setup["list_id"]))
    page = page_text(asked)
    assert asked.status_code == 200 and "Versturen bevestigen" in page
    assert "<dd>Ketenpartners</dd>" in page and "3 contactpersonen" in page
    assert "Ja, verstuur 3 brieven" in page and "Brief bij elke e-mail" in page
    assert "Geen bijlagen uit de bibliotheek" in page
    assert count(app, Mailing) == 0  # nothing is sent before the confirmation
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert hidden["bevestigd"] == "ja" and hidden["f_onderwerp"] == \
        INFORMATIEBRIEF_VALUES["onderwerp"]
    sent = web.post(url, data={**hidden, "actie": "versturen"})
    assert sent.status_code == 302 and count(app, Mailing) == 1
