"""Tippelzone registrations through the real test client and database.

Who opens which registration page and what a dossier shows of a registration (and of the
client's identity); the whole cycle over HTTP (request by client number, processing, grant
with default dates, pass, letter from the built-in template, revocation, figures and CSV);
transitions the lifecycle refuses; the workspace (filters, search, counts, pagination and a
fixed number of SQL statements); the audit trail of every read and change; anonymous day
passes and the beheerder's settings; CSRF. Today is frozen at 15 June 2026, so dates and the
default period of the figures (the calendar year) are fixed. The same tests run on SQLite and,
with PORTAL_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.clients.models import Client, JournalEntry, Traject
from portal.documents import storage
from portal.documents.models import Document
from portal.extensions import db
from portal.letters.docx import plain_text
from portal.letters.models import Letter, LetterTemplate
from portal.letters.templates import ensure_builtin_templates
from portal.registrations.models import DayPassEvening, Registration, RegistrationSettings
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.database import counted_statements
from tests.factories import make_client, make_document, make_registration, make_user

TODAY = date(2026, 6, 15)
WORKSPACE = "/registraties/"
NEW = "/registraties/nieuw"
INTAKE = "/registraties/intake"
DAY_PASSES = "/registraties/dagpassen"
FIGURES = "/registraties/cijfers"
FIGURES_CSV = "/registraties/cijfers.csv"
SETTINGS = "/registraties/instellingen"
ROOS_IDENTITY = ("Maria Verhoeven", "14 maart 1990")
NEVER_FOR_REGISTRATIE = ("06 1234 5678", "Dakloos", "Anna de Vries", "Eva Peters",
                         "Time-out huis De Linde", "Samen koffie gedronken", "Statusgeschiedenis")


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def iso(offset: int) -> str:
    return day(offset).isoformat()


# --- reading pages ----------------------------------------------------------------------------


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str | None:
    """The error text shown next to one form field, or None."""
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else None


def section(response, anchor: str) -> str | None:
    """The HTML of one page section (by its id), or None when the page lacks it."""
    html = page_text(response)
    start = html.find(f'<section id="{anchor}"')
    return None if start < 0 else html[start:html.index("</section>", start)]


def listed_numbers(response) -> list[str]:
    """Registration numbers linked from the workspace table, in display order."""
    return re.findall(r'<td><a href="/registraties/[^"/]+">([^<]+)</a></td>',
                      response.get_data(as_text=True))


def count_shown(response, label: str) -> int:
    """A number from the workspace counts (`<dt>label</dt><dd>n</dd>`, possibly a link)."""
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(?:<a [^>]*>)?(\d+)", page_text(response))
    assert match, label
    return int(match.group(1))


def menu(response) -> list[str]:
    nav = page_text(response).split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def preview_of(response) -> str:
    match = re.search(r'<pre class="letter-preview">(.*?)</pre>', page_text(response), re.S)
    assert match, "no preview on the page"
    return match.group(1)


def figures_shown(rows: dict[str, str], *labels: str) -> dict[str, int]:
    return {label: int(rows[label]) for label in labels}


def csv_rows(response) -> dict[str, str]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.removeprefix("\ufeff").split("\r\n")
    assert lines[1] == "Onderdeel;Aantal"
    return dict(line.split(";") for line in lines[2:] if line)


# --- acting as someone --------------------------------------------------------------------------


def browser(app, account):
    """A separate test client with this account logged in (one browser per person)."""
    web = app.test_client()
    response = log_in(web, account)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return web


def post(web, url: str, data: dict | None = None, page: str = "/"):
    """POST with the CSRF token of a page the user may open; None values are left out."""
    values = {k: v for k, v in (data or {}).items() if v is not None}
    return web.post(url, data={"csrf_token": csrf_token(web, page), **values})


def shown_after(web, response) -> str:
    """The page a redirect leads to (with its flash messages)."""
    assert response.status_code in (302, 303), page_text(response)[:2000]
    return page_text(web.get(response.location))


def statuses(web, requests) -> dict[str, int]:
    return {f"{method} {url}": web.open(url, method=method).status_code
            for method, url in requests}


def registration_pages(ref: str) -> list[tuple[str, str]]:
    """Everything only the registratiecontactpersoon opens."""
    base = f"/registraties/{ref}"
    return [("GET", WORKSPACE), ("GET", INTAKE), ("POST", INTAKE), ("GET", base),
            ("GET", f"{base}/wijzigen"), ("POST", f"{base}/wijzigen"),
            ("GET", f"{base}/status/ingetrokken"), ("POST", f"{base}/status/ingetrokken"),
            ("POST", f"{base}/pas/uitgereikt"), ("GET", f"{base}/hernieuwen"),
            ("GET", f"{base}/brief"), ("GET", DAY_PASSES), ("POST", DAY_PASSES)]


FIGURE_PAGES = [("GET", FIGURES), ("GET", FIGURES_CSV)]


def request_form(**overrides) -> dict:
    """The request form with the values make_registration uses (so 'nothing changed')."""
    data = {"requested_on": iso(-10),
            "criterion": "Meerderjarig, ingeschreven", "id_check_document": "Paspoort",
            "id_check_date": iso(-10), "note": ""}
    data.update(overrides)
    return data


def intake_form(client, **overrides) -> dict:
    """The intake for an existing client, as the contact person fills it in."""
    born = client.date_of_birth or date(1990, 1, 1)
    data = {"werknaam": client.werknaam, "date_of_birth": born.isoformat(), "legal_name": "",
            "applied_on": iso(-10), "id_check_document": "Paspoort", "id_check_date": iso(-10),
            "reason": "Zij meldt zich voor een registratie", "action": "vastleggen"}
    data.update(overrides)
    return data


def take_intake(web, client, **overrides):
    made = post(web, f"{INTAKE}?client={client.ref}", intake_form(client, **overrides))
    assert made.status_code == 302, page_text(made)[:2000]
    assert made.location == f"{NEW}?client={client.ref}"
    return made


def ask(web, client, **overrides):
    """A request the way she starts one: the intake, then the request form."""
    take_intake(web, client)
    return post(web, f"{NEW}?client={client.ref}", request_form(**overrides))


def change(web, ref: str, target: str, data: dict):
    return post(web, f"/registraties/{ref}/status/{target}", data)


def pass_event(web, ref: str, event_name: str, on: str):
    return post(web, f"/registraties/{ref}/pas/{event_name}", {"on": on})


def settings_form(**overrides) -> dict:
    data = {"personal_mode": "y", "day_pass_mode": "y", "day_pass_max": "20",
            "validity_months": "12", "reminder_days": "30"}
    data.update(overrides)
    return data


# --- the database -------------------------------------------------------------------------------


def seed_client(app, werknaam: str, **fields) -> SimpleNamespace:
    with app.app_context():
        row = make_client(werknaam, **fields)
        return SimpleNamespace(id=row.id, ref=row.ref, number=row.number, werknaam=row.werknaam,
                               date_of_birth=row.date_of_birth)


def seed_registration(app, found, actor, **kwargs) -> SimpleNamespace:
    """A registration made through the real services (make_registration)."""
    with app.app_context():
        row = make_registration(db.session.get(Client, found.id), actor.id, **kwargs)
        return SimpleNamespace(id=row.id, ref=row.ref, number=row.number)


def stored(app, ref: str) -> SimpleNamespace:
    """The registration's columns and its history as (event, to_status, date, description)."""
    with app.app_context():
        row = db.session.scalar(select(Registration).where(Registration.ref == ref))
        values = {column.key: getattr(row, column.key) for column in Registration.__table__.columns}
        values["events"] = [(e.event, e.to_status, e.on_date, e.description) for e in row.events]
        return SimpleNamespace(**values)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audit(app, name: str) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                  .order_by(AuditEvent.seq))
        return [{"user_id": r.user_id, "action": r.action, "object_type": r.object_type,
                 "object_id": r.object_id, "client_id": r.client_id, "detail": r.detail}
                for r in rows]


def registratiebrief_id(app, key: str = "besluit-verleend") -> int:
    """A built-in decision letter (the plain 'Registratiebrief tippelzone' is retired)."""
    with app.app_context():
        ensure_builtin_templates()
        return db.session.scalar(select(LetterTemplate.id).where(
            LetterTemplate.builtin_key == key))


def make_staff(app) -> SimpleNamespace:
    with app.app_context():
        return SimpleNamespace(
            rita=make_user(Role.REGISTRATIECONTACTPERSOON, name="Rita Visser"),
            petra=make_user(Role.PROCESREGISSEUR, name="Petra Hendriks"),
            anna=make_user(Role.CASEMANAGER, name="Anna de Vries"),
            carla=make_user(Role.CASEMANAGER, name="Carla Smit"),
            eva=make_user(Role.ERVARINGSDESKUNDIGE, name="Eva Peters"),
            dana=make_user(Role.DIAGNOSTICUS, name="Dana Mulder"))


@pytest.fixture
def staff(app):
    return make_staff(app)


@pytest.fixture
def roos(app, staff):
    return seed_roos(app, staff)


def seed_roos(app, staff) -> SimpleNamespace:
    """An actief client of Anna with identity, contact data, a time-out traject, a diagnostiek
    traject of Dana (so Dana may open the dossier) and a journaal note."""
    found = seed_client(app, "Roos", casemanagers=[staff.anna], legal_name="Maria Verhoeven",
                        date_of_birth=date(1990, 3, 14), phone="06 1234 5678",
                        woonsituatie="dakloos", id_check_document="Identiteitskaart",
                        id_check_date=day(-40), ervaringsdeskundige_id=staff.eva.id,
                        diagnosticus_id=staff.dana.id)
    with app.app_context():
        db.session.add_all([
            Traject(client_id=found.id, kind="time-out", status="lopend",
                    provider="Time-out huis De Linde"),
            JournalEntry(client_id=found.id, author_id=staff.anna.id, entry_date=day(-2),
                         text="Samen koffie gedronken", confidential=False)])
        db.session.commit()
    return found


# --- 1. access per role ---------------------------------------------------------------------------


def test_registratiecontactpersoon_opens_every_registration_page(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    lila = seed_client(app, "Lila")
    waiting = seed_registration(app, lila, staff.rita)
    rita = browser(app, staff.rita)
    opened = statuses(rita, [
        ("GET", WORKSPACE), ("GET", INTAKE), ("GET", f"{INTAKE}?client={lila.ref}"),
        ("GET", f"/registraties/{granted.ref}"), ("GET", f"/registraties/{granted.ref}/wijzigen"),
        ("GET", f"/registraties/{waiting.ref}/status/in_behandeling"),
        ("GET", f"/registraties/{granted.ref}/status/ingetrokken"),
        ("GET", f"/registraties/{granted.ref}/status/vervallen"),
        ("GET", f"/registraties/{granted.ref}/hernieuwen"),
        ("GET", f"/registraties/{granted.ref}/brief"),
        ("GET", DAY_PASSES), ("GET", FIGURES), ("GET", FIGURES_CSV)])
    assert {url: code for url, code in opened.items() if code != 200} == {}
    assert rita.get(SETTINGS).status_code == 403
    entries = menu(rita.get("/"))
    assert {"Registraties", "Dagpassen", "Registratiecijfers"} <= set(entries)
    assert "Registratie-instellingen" not in entries


def test_procesregisseur_gets_figures_and_the_status_in_the_dossier_only(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    petra = browser(app, staff.petra)
    assert statuses(petra, FIGURE_PAGES) == {"GET /registraties/cijfers": 200,
                                             "GET /registraties/cijfers.csv": 200}
    refused = statuses(petra, [*registration_pages(granted.ref), ("GET", SETTINGS)])
    assert {url: code for url, code in refused.items() if code != 403} == {}
    shown = section(petra.get(f"/clienten/{roos.ref}"), "registratie")
    assert granted.number in shown and "Verleend" in shown and "5 juni 2026" in shown
    assert "/registraties/" not in shown  # no link to the registration, no request button
    entries = menu(petra.get("/"))
    assert "Registratiecijfers" in entries
    assert not {"Registraties", "Dagpassen", "Registratie-instellingen"} & set(entries)
    assert [e["user_id"] for e in audit(app, "registrations.figures_viewed")] == [staff.petra.id]
    assert stored(app, granted.ref).status == "verleend"


def test_casemanager_sees_the_status_only_of_her_own_clients(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    anna, carla = browser(app, staff.anna), browser(app, staff.carla)
    shown = section(anna.get(f"/clienten/{roos.ref}"), "registratie")
    assert granted.number in shown and "Verleend" in shown
    assert "/registraties/" not in shown
    other = carla.get(f"/clienten/{roos.ref}")
    assert other.status_code == 200
    assert section(other, "registratie") is None
    assert granted.number not in page_text(other)
    for web in (anna, carla):
        refused = statuses(web, [*registration_pages(granted.ref), *FIGURE_PAGES,
                                 ("GET", SETTINGS)])
        assert {url: code for url, code in refused.items() if code != 403} == {}
    assert stored(app, granted.ref).status == "verleend"


@pytest.mark.parametrize("role", [Role.ERVARINGSDESKUNDIGE, Role.DIAGNOSTICUS, Role.BEHEERDER,
                                  Role.PRIVACYFUNCTIONARIS, Role.NETWERKPARTNER])
def test_other_roles_see_no_registration_and_get_403(app, account, staff, roos, role):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    user = {Role.ERVARINGSDESKUNDIGE: staff.eva, Role.DIAGNOSTICUS: staff.dana}.get(role) \
        or account(role)
    web = browser(app, user)
    requests = [*registration_pages(granted.ref), *FIGURE_PAGES]
    if role != Role.BEHEERDER:
        requests.append(("GET", SETTINGS))
    refused = statuses(web, requests)
    assert {url: code for url, code in refused.items() if code != 403} == {}
    dossier = web.get(f"/clienten/{roos.ref}")
    if role in (Role.ERVARINGSDESKUNDIGE, Role.DIAGNOSTICUS):
        assert dossier.status_code == 200
        assert section(dossier, "registratie") is None
        assert granted.number not in page_text(dossier)
    else:
        assert dossier.status_code == 403
    if role == Role.BEHEERDER:
        assert web.get(SETTINGS).status_code == 200
        assert "Registratie-instellingen" in menu(web.get("/"))
    denied = [e["detail"]["status"] for e in audit(app, "access.denied")]
    assert denied.count(403) == len(requests) + (dossier.status_code == 403)
    assert audit(app, "registrations.viewed") == audit(app, "registrations.listed") == []
    row = stored(app, granted.ref)
    assert (row.status, row.pass_issued_on, len(row.events)) == ("verleend", None, 3)


def test_registration_that_does_not_exist_answers_404(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    token = csrf_token(rita, "/")
    for url in ("/registraties/onbekend", "/registraties/onbekend/wijzigen",
                "/registraties/onbekend/status/in_behandeling", "/registraties/onbekend/brief",
                "/registraties/onbekend/hernieuwen"):
        assert rita.get(url).status_code == 404, url
    assert rita.post("/registraties/onbekend/pas/uitgereikt",
                     data={"csrf_token": token, "on": iso(0)}).status_code == 404
    denied = audit(app, "access.denied")
    assert [(e["object_type"], e["object_id"], e["detail"]["status"]) for e in denied] == [
        ("registration", "onbekend", 404)] * 6
    assert rita.get(f"{NEW}?client=onbekend").status_code == 404
    assert rita.get(f"{INTAKE}?client=onbekend").status_code == 404
    assert rita.post(f"/registraties/{granted.ref}/pas/weggegooid",
                     data={"csrf_token": token, "on": iso(0)}).status_code == 404
    assert stored(app, granted.ref).pass_issued_on is None


def test_registratiecontactpersoon_sees_identity_only_of_clients_with_an_intake(
        app, staff, roos):
    lila = seed_client(app, "Lila", legal_name="Lotte Jansen", date_of_birth=date(1995, 7, 2),
                       id_check_document="Rijbewijs", id_check_date=day(-3),
                       phone="06 5555 0000", casemanagers=[staff.anna])
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    registration_page = rita.get(f"/registraties/{granted.ref}")
    roos_page = rita.get(f"/clienten/{roos.ref}")
    lila_page = rita.get(f"/clienten/{lila.ref}")
    for page in (registration_page, roos_page):
        for shown in ROOS_IDENTITY:
            assert shown in page_text(page)
    assert "Paspoort" in page_text(roos_page)  # the intake's ID check, now in the dossier
    for hidden in ("Lotte Jansen", "2 juli 1995", "Officiële naam", "Geboortedatum",
                   "Rijbewijs", "06 5555 0000"):
        assert hidden not in page_text(lila_page)
    assert "Geen registratie voor de tippelzone." in section(lila_page, "registratie")
    for page in (registration_page, roos_page, lila_page):
        for hidden in NEVER_FOR_REGISTRATIE:
            assert hidden not in page_text(page)
    for page in (roos_page, lila_page):
        for anchor in ("trajecten", "journaal", "status"):
            assert section(page, anchor) is None
    sections = [e["detail"]["sections"] for e in audit(app, "clients.viewed")]
    assert "identiteit" in sections[0] and "identiteit" not in sections[1]

    # Her intake for Lila (the dossier's button) opens Lila's identity to her.
    made = ask(rita, lila)
    assert made.status_code == 302
    assert stored(app, made.location.rsplit("/", 1)[1]).client_id == lila.id
    assert "Lotte Jansen" in page_text(rita.get(f"/clienten/{lila.ref}"))


def test_registration_letters_are_written_from_the_registration_only(app, staff):
    """From the dossier she would type the number and dates herself (and see the legal name
    of a client without a registration): the dossier letter route is not hers."""
    lila = seed_client(app, "Lila", legal_name="Lotte Jansen")
    template_id = registratiebrief_id(app)
    rita = browser(app, staff.rita)
    url = f"/brieven/client/{lila.ref}/nieuw?sjabloon={template_id}"
    assert rita.get(url).status_code == 403
    preview = post(rita, url, {"subject": "Registratie", "actie": "voorbeeld",
                               "f_onderwerp": "Registratie", "f_registratienummer": "-",
                               "f_besluit": "Nog geen besluit."})
    assert preview.status_code == 403
    assert "Lotte Jansen" not in page_text(preview)
    assert "Brief maken" not in page_text(rita.get(f"/clienten/{lila.ref}"))


def test_colleague_contact_person_opens_the_registration_letter(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    made = write_letter(browser(app, staff.rita), granted.ref, registratiebrief_id(app), "maken",
                        "Registratie", onderwerp="Registratie", besluit="U bent geregistreerd.")
    assert made.status_code == 302
    with app.app_context():
        colleague = make_user(Role.REGISTRATIECONTACTPERSOON, name="Renate Bos")
    renate = browser(app, colleague)
    page = renate.get(f"/registraties/{granted.ref}")
    link = re.search(r'href="(/documenten/[^"]+)">Openen', section(page, "brieven"))
    assert link, "the letter is not listed"
    assert renate.get(link.group(1)).status_code == 200
    assert "Registratie (STAP/2026/0001)" in section(page, "documenten")


# --- 2. the whole cycle over HTTP ---------------------------------------------------------------


def test_a_request_without_an_open_intake_goes_to_the_intake(app, staff, roos):
    rita = browser(app, staff.rita)
    assert rita.get(NEW).location == INTAKE
    refused = post(rita, f"{NEW}?client={roos.ref}", request_form())
    assert refused.location == f"{INTAKE}?client={roos.ref}"
    assert "Een nieuwe aanvraag begint met de intake" in shown_after(rita, refused)
    assert count(app, Registration) == 0
    assert audit(app, "registrations.requested") == []


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"requested_on": iso(1)}, "requested_on", "De aanvraagdatum ligt niet in de toekomst."),
    ({"id_check_date": iso(1)}, "id_check_date",
     "De datum van de ID-controle ligt niet in de toekomst."),
    ({"id_check_document": ""}, "id_check_date",
     "Vul bij de ID-controle zowel het soort document als de datum in."),
    ({"requested_on": ""}, "requested_on", "Vul een geldige datum in."),
    ({"requested_on": "15-06-2026"}, "requested_on", "Ongeldige datum."),
], ids=["future-request", "future-id-check", "id-check-without-document", "no-date",
        "not-a-date"])
def test_refused_request_shows_a_dutch_message_and_stores_nothing(app, staff, roos, overrides,
                                                                  field, message):
    rita = browser(app, staff.rita)
    take_intake(rita, roos)
    response = post(rita, f"{NEW}?client={roos.ref}", request_form(**overrides))
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert "het formulier is niet verstuurd" in page_text(response)
    assert count(app, Registration) == 0
    assert audit(app, "registrations.requested") == []
    accepted = post(rita, f"{NEW}?client={roos.ref}", request_form())
    assert stored(app, accepted.location.rsplit("/", 1)[1]).number == "TZ-2026-001"


def write_letter(web, ref: str, template_id: int, action: str, subject: str, **values):
    url = f"/registraties/{ref}/brief?sjabloon={template_id}"
    fields = {f"f_{name}": value for name, value in values.items()}
    return post(web, url, {"subject": subject, "actie": action, **fields}, page=url)


def test_full_cycle_from_request_to_revocation_and_figures(app, staff, roos):
    rita = browser(app, staff.rita)

    # The intake, the request, then in behandeling.
    take_intake(rita, roos, applied_on=iso(-14), id_check_date=iso(-14))
    made = post(rita, f"{NEW}?client={roos.ref}", request_form(requested_on=iso(-14),
                                                             id_check_date=iso(-14)))
    ref = made.location.removeprefix("/registraties/")
    assert "Aanvraag TZ-2026-001 is vastgelegd." in shown_after(rita, made)
    row = stored(app, ref)
    assert (row.number, row.client_id, row.kind, row.status, row.requested_on, row.criterion,
            row.id_check_document, row.id_check_date, row.id_check_by_id, row.created_by_id) == (
        "TZ-2026-001", roos.id, "nieuw", "aangevraagd", day(-14), "Meerderjarig, ingeschreven",
        "Paspoort", day(-14), staff.rita.id, staff.rita.id)
    assert change(rita, ref, "in_behandeling", {"on": iso(-13), "note": "Compleet"}) \
        .status_code == 302
    assert stored(app, ref).status == "in_behandeling"

    # Grant with empty dates: they default to the decision date plus twelve months.
    assert f'value="{iso(0)}"' in page_text(rita.get(f"/registraties/{ref}/status/verleend"))
    granted = change(rita, ref, "verleend", {"decided_on": iso(-10), "decision_kenmerk": "B-77",
                                             "valid_from": "", "valid_until": "", "reason": ""})
    assert "Registratie TZ-2026-001 is verleend." in shown_after(rita, granted)
    row = stored(app, ref)
    assert (row.status, row.decided_on, row.valid_from, row.valid_until, row.valid_client_id,
            row.decision_kenmerk) == ("verleend", day(-10), day(-10), date(2027, 6, 4), roos.id,
                                      "B-77")
    detail = page_text(rita.get(f"/registraties/{ref}"))
    for fact in ("<dt>Besluitdatum</dt><dd>5 juni 2026</dd>",
                 "<dt>Ingangsdatum</dt><dd>5 juni 2026</dd>",
                 "<dt>Geldig tot en met</dt><dd>4 juni 2027</dd>",
                 "<dt>Besluit-kenmerk</dt><dd>B-77</dd>"):
        assert fact in detail

    # The pass is handed out.
    issued = pass_event(rita, ref, "uitgereikt", iso(-7))
    assert issued.location == f"/registraties/{ref}#pas"
    assert "TZ-2026-001: pas uitgereikt." in shown_after(rita, issued)
    assert stored(app, ref).pass_issued_on == day(-7)

    # A letter from the built-in template: the registration fills number and dates.
    template_id = registratiebrief_id(app)
    choose = page_text(rita.get(f"/registraties/{ref}/brief"))
    assert f'sjabloon={template_id}">Besluit: registratie verleend</a>' in choose
    form = page_text(rita.get(f"/registraties/{ref}/brief?sjabloon={template_id}"))
    assert 'value="Besluit op uw aanvraag: registratie verleend (TZ-2026-001)"' in form
    values = {"onderwerp": "Registratie verleend", "besluit": "U bent geregistreerd.",
              "registratienummer": "TZ-VALS-999"}  # not a form field: ignored
    preview = preview_of(write_letter(rita, ref, template_id, "voorbeeld", "Registratie",
                                      **values))
    for line in ("Geachte Maria Verhoeven,", "met nummer TZ-2026-001",
                 "De registratie gaat in op 5 juni 2026 en is geldig tot en met 4 juni 2027.",
                 "Datum | 15 juni 2026"):
        assert line in preview
    assert "TZ-VALS" not in preview
    assert count(app, Letter) == 0  # a preview stores nothing
    letter_made = write_letter(rita, ref, template_id, "maken", "Registratie", **values)
    assert letter_made.location == f"/registraties/{ref}#brieven"
    assert "Brief STAP/2026/0001 staat in het dossier." in shown_after(rita, letter_made)
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        document = db.session.get(Document, letter.document_id)
        text = plain_text(b"".join(storage.stream(letter.storage_key, letter.sha256)))
        assert (letter.registration_id, letter.client_id, letter.kenmerk) == (
            row.id, roos.id, "STAP/2026/0001")
        assert (document.kind, document.client_id, document.title, document.confidential) == (
            "registratiedocument", roos.id, "Registratie (STAP/2026/0001)", True)
    assert "met nummer TZ-2026-001" in text and "4 juni 2027" in text
    page = rita.get(f"/registraties/{ref}")
    assert "STAP/2026/0001" in section(page, "brieven")
    assert "Registratie (STAP/2026/0001)" in section(page, "documenten")
    assert "Brief STAP/2026/0001: Registratie" in section(page, "geschiedenis")
    assert "Registratie (STAP/2026/0001)" in section(rita.get(f"/clienten/{roos.ref}"),
                                                     "documenten")
    [created] = audit(app, "letters.client_letter_created")
    assert (created["client_id"], created["object_id"]) == (roos.id, str(letter.id))

    # Revoked on her own request; the pass comes back the same day.
    revoked = change(rita, ref, "ingetrokken", {"on": iso(-3), "reason": "eigen_verzoek",
                                                "explanation": "Stopt", "pass_returned": "y"})
    assert revoked.status_code == 302
    row = stored(app, ref)
    assert (row.status, row.end_reason, row.ended_on, row.pass_returned_on,
            row.valid_client_id) == ("ingetrokken", "eigen_verzoek", day(-3), day(-3), None)
    assert [(e[0], e[1], e[2]) for e in row.events] == [
        ("aanvraag", "aangevraagd", day(-14)), ("status", "in_behandeling", day(-13)),
        ("status", "verleend", day(-10)), ("pas", None, day(-7)), ("brief", None, day(0)),
        ("status", "ingetrokken", day(-3)), ("pas", None, day(-3))]
    assert "Ingetrokken: op eigen verzoek (Stopt)" in row.events[5][3]

    # Figures and CSV count one issued and one revoked on her own request.
    figures = page_text(rita.get(FIGURES))
    assert ("1 registratie verleend van 1 januari 2026 tot en met 31 december 2026, "
            "1 ingetrokken, waarvan 1 op eigen verzoek.") in figures
    export = rita.get(FIGURES_CSV)
    assert export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"] == (
        'attachment; filename="registratiecijfers-2026-01-01-2026-12-31.csv"')
    assert export.get_data().decode("utf-8").startswith(
        "\ufeffPeriode;1 januari 2026 t/m 31 december 2026\r\n")
    assert figures_shown(csv_rows(export), "Aangevraagd", "Verleend", "Afgewezen",
                         "Ingetrokken (totaal)", "Ingetrokken: op eigen verzoek",
                         "Ingetrokken: overlijden", "Vervallen",
                         "Geldig op 15 juni 2026") == {
        "Aangevraagd": 1, "Verleend": 1, "Afgewezen": 0, "Ingetrokken (totaal)": 1,
        "Ingetrokken: op eigen verzoek": 1, "Ingetrokken: overlijden": 0, "Vervallen": 0,
        "Geldig op 15 juni 2026": 0}

    # Every change has its audit event about this registration and client.
    changes = [(name, e["action"], e["detail"]) for name in (
        "registrations.requested", "registrations.status_changed", "registrations.pass_issued",
        "registrations.pass_returned") for e in audit(app, name)
        if (e["object_type"], e["object_id"], e["client_id"], e["user_id"]) == (
            "registration", str(row.id), roos.id, staff.rita.id)]
    number = {"number": "TZ-2026-001"}
    assert changes == [
        ("registrations.requested", "C", {**number, "kind": "nieuw"}),
        ("registrations.status_changed", "U", {**number, "from": "aangevraagd",
                                               "to": "in_behandeling"}),
        ("registrations.status_changed", "U", {**number, "from": "in_behandeling",
                                               "to": "verleend"}),
        ("registrations.status_changed", "U", {**number, "from": "verleend",
                                               "to": "ingetrokken", "reason": "eigen_verzoek"}),
        ("registrations.pass_issued", "U", number),
        ("registrations.pass_returned", "U", number)]


def test_refusal_and_its_letter_without_validity_paragraph(app, staff, roos):
    waiting = seed_registration(app, roos, staff.rita, status="in_behandeling")
    rita = browser(app, staff.rita)
    url = f"/registraties/{waiting.ref}/status/afgewezen"
    no_reason = post(rita, url, {"decided_on": iso(0), "reason": " "})
    assert no_reason.status_code == 422
    assert field_error(no_reason, "reason") == "Geef de reden van de afwijzing."
    before_request = post(rita, url, {"decided_on": iso(-11), "reason": "Te vroeg"})
    assert field_error(before_request, "decided_on") == (
        "De besluitdatum ligt niet vóór de aanvraagdatum.")
    assert stored(app, waiting.ref).status == "in_behandeling"
    refused = post(rita, url, {"decided_on": iso(0), "reason": "Niet ingeschreven in Nijmegen"})
    assert refused.status_code == 302
    row = stored(app, waiting.ref)
    assert (row.status, row.decided_on, row.valid_from, row.valid_until, row.valid_client_id) \
        == ("afgewezen", day(0), None, None, None)
    assert row.events[-1][3] == "Afgewezen: Niet ingeschreven in Nijmegen"

    template_id = registratiebrief_id(app, "besluit-afgewezen")
    form = page_text(rita.get(f"/registraties/{waiting.ref}/brief?sjabloon={template_id}"))
    assert 'value="Besluit op uw aanvraag: registratie afgewezen (TZ-2026-001)"' in form
    values = {"onderwerp": "Afwijzing", "besluit": "Wij wijzen uw aanvraag af.",
              "gronden": "Niet ingeschreven in Nijmegen."}
    preview = preview_of(write_letter(rita, waiting.ref, template_id, "voorbeeld", "Afwijzing",
                                      **values))
    assert "(nummer TZ-2026-001)" in preview
    assert "Wij wijzen uw aanvraag af." in preview
    assert "gaat in op" not in preview and "geldig tot en met" not in preview
    made = write_letter(rita, waiting.ref, template_id, "maken", "Afwijzing", **values)
    assert made.status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        text = plain_text(b"".join(storage.stream(letter.storage_key, letter.sha256)))
        assert letter.registration_id == row.id
    assert "Wij wijzen uw aanvraag af." in text and "geldig tot en met" not in text


def test_transition_the_lifecycle_does_not_allow_is_refused_via_the_url(app, staff, roos):
    waiting = seed_registration(app, roos, staff.rita)
    lila = seed_client(app, "Lila")
    granted = seed_registration(app, lila, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    before = [stored(app, r.ref) for r in (waiting, granted)]
    audited = len(audit(app, "registrations.status_changed"))
    form = {"on": iso(0), "decided_on": iso(0), "reason": "eigen_verzoek"}
    for registration, target, message in [
        (waiting, "verleend", "Van 'Aangevraagd' kan de registratie niet naar 'Verleend'."),
        (waiting, "ingetrokken", "Van 'Aangevraagd' kan de registratie niet naar 'Ingetrokken'."),
        (granted, "verlopen", "Een registratie verloopt vanzelf na de laatste geldige dag; dat "
                              "legt u niet met de hand vast."),
        (granted, "afgewezen", "Van 'Verleend' kan de registratie niet naar 'Afgewezen'."),
        (granted, "aangevraagd", "Van 'Verleend' kan de registratie niet naar 'Aangevraagd'."),
    ]:
        url = f"/registraties/{registration.ref}/status/{target}"
        for method in ("GET", "POST"):
            response = rita.get(url) if method == "GET" else post(rita, url, form)
            assert response.status_code == 303, url
            assert response.location == f"/registraties/{registration.ref}"
            assert message in shown_after(rita, response)
    assert rita.get(f"/registraties/{waiting.ref}/status/gestolen").status_code == 404
    assert post(rita, f"/registraties/{waiting.ref}/status/gestolen", form).status_code == 404
    no_pass = pass_event(rita, waiting.ref, "uitgereikt", iso(0))
    assert "Een pas wordt alleen uitgereikt bij een verleende registratie." in shown_after(
        rita, no_pass)
    assert [stored(app, r.ref) for r in (waiting, granted)] == before
    assert len(audit(app, "registrations.status_changed")) == audited
    assert audit(app, "registrations.pass_issued") == []


def test_edit_before_the_decision_and_only_the_note_after_it(app, staff, roos):
    lila = seed_client(app, "Lila")
    waiting = seed_registration(app, lila, staff.rita)
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    url = f"/registraties/{waiting.ref}/wijzigen"
    assert 'value="Meerderjarig, ingeschreven"' in page_text(rita.get(url))
    edited = post(rita, url, request_form(criterion="Ingeschreven in Nijmegen", note="Belt"))
    assert "De gegevens zijn opgeslagen." in shown_after(rita, edited)
    row = stored(app, waiting.ref)
    assert (row.criterion, row.note) == ("Ingeschreven in Nijmegen", "Belt")
    assert row.events[-1][3] == "Gegevens gewijzigd: criterium, notitie"
    unchanged = post(rita, url, request_form(criterion="Ingeschreven in Nijmegen", note="Belt"))
    assert "Er was niets gewijzigd." in shown_after(rita, unchanged)
    assert [(e["object_id"], e["client_id"], e["detail"]) for e in audit(
        app, "registrations.updated")] == [(str(waiting.id), lila.id, {
            "number": waiting.number, "fields": ["criterion", "note"]})]

    decided = f"/registraties/{granted.ref}/wijzigen"
    after_decision = "Na het besluit kunt u alleen de notitie en het besluit-kenmerk wijzigen."
    assert after_decision in page_text(rita.get(decided))
    refused = post(rita, decided, request_form(criterion="Iets anders"))
    assert after_decision in page_text(refused)
    assert stored(app, granted.ref).criterion == "Meerderjarig, ingeschreven"
    noted = post(rita, decided, request_form(note="Pas kwijt gemeld"))
    assert noted.status_code == 302
    assert stored(app, granted.ref).note == "Pas kwijt gemeld"
    assert "Besluit-kenmerk" in page_text(rita.get(decided))
    kenmerk = post(rita, decided, request_form(note="Pas kwijt gemeld",
                                               decision_kenmerk="NIJ/2026/TZ/77"))
    assert kenmerk.status_code == 302
    assert stored(app, granted.ref).decision_kenmerk == "NIJ/2026/TZ/77"
    assert "Besluit-kenmerk" not in page_text(rita.get(url))  # no decision yet


def test_renewal_is_a_new_request_that_continues_the_registration(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend", valid_until=day(20))
    rita = browser(app, staff.rita)
    url = f"/registraties/{granted.ref}/hernieuwen"
    form = page_text(rita.get(url))
    assert "Hernieuwing van TZ-2026-001 aanvragen" in form
    assert 'value="Meerderjarig, ingeschreven"' in form
    made = post(rita, url, request_form(requested_on=iso(0), id_check_date=iso(0)))
    assert "Hernieuwing TZ-2026-002 is aangevraagd." in shown_after(rita, made)
    renewal_ref = made.location.rsplit("/", 1)[1]
    renewal = stored(app, renewal_ref)
    assert (renewal.kind, renewal.previous_id, renewal.status, renewal.client_id) == (
        "hernieuwing", granted.id, "aangevraagd", roos.id)
    assert stored(app, granted.ref).events[-1] == (
        "hernieuwing", None, day(0), "Hernieuwing aangevraagd: TZ-2026-002")
    [audited] = audit(app, "registrations.renewal_requested")
    assert (audited["object_id"], audited["client_id"], audited["detail"]) == (
        str(renewal.id), roos.id, {"number": "TZ-2026-002", "previous": "TZ-2026-001"})
    previous_page = rita.get(f"/registraties/{granted.ref}")
    assert "TZ-2026-002</a> (aangevraagd)" in page_text(previous_page)
    assert "Hernieuwing aanvragen" not in page_text(previous_page)
    again = post(rita, url, request_form(requested_on=iso(0), id_check_date=iso(0)))
    assert "Deze registratie is al hernieuwd met TZ-2026-002." in page_text(again)
    assert count(app, Registration) == 2

    # The form suggests the day after the previous one ends; granted with empty dates it is
    # valid from the decision date and the previous one is replaced at once.
    assert change(rita, renewal_ref, "in_behandeling", {"on": iso(0)}).status_code == 302
    assert f'id="valid_from" name="valid_from" type="date" value="{iso(21)}"' in page_text(
        rita.get(f"/registraties/{renewal_ref}/status/verleend"))
    assert change(rita, renewal_ref, "verleend", {"decided_on": iso(0), "valid_from": "",
                                                  "valid_until": ""}).status_code == 302
    previous = stored(app, granted.ref)
    assert (previous.status, previous.ended_on, previous.valid_client_id) == (
        "vervallen", day(0), None)
    assert previous.events[-1][3] == "Vervangen door hernieuwing TZ-2026-002"
    renewal = stored(app, renewal_ref)
    assert (renewal.status, renewal.valid_from, renewal.valid_until, renewal.valid_client_id) \
        == ("verleend", day(0), date(2027, 6, 14), roos.id)
    assert figures_shown(csv_rows(rita.get(FIGURES_CSV)), "Verleend", "Vervallen",
                         "Vervangen door hernieuwing", "Geldig op 15 juni 2026") == {
        "Verleend": 2, "Vervallen": 0, "Vervangen door hernieuwing": 1,
        "Geldig op 15 juni 2026": 1}


def test_second_request_while_one_is_valid_or_open_is_refused(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    lila = seed_client(app, "Lila")
    waiting = seed_registration(app, lila, staff.rita)
    rita = browser(app, staff.rita)
    for client, message in (
            (roos, f"Deze cliënt heeft al een geldige registratie ({granted.number}); "
                   "vraag een hernieuwing aan."),
            (lila, f"Voor deze cliënt loopt al een aanvraag ({waiting.number}).")):
        response = ask(rita, client)
        assert message in page_text(response)
    assert count(app, Registration) == 2
    assert len(audit(app, "registrations.requested")) == 2


def test_second_request_is_answered_with_422(app, staff, roos):
    seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    assert ask(rita, roos).status_code == 422


def test_refused_renewal_does_not_block_a_new_renewal(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend", valid_until=day(20))
    rita = browser(app, staff.rita)
    url = f"/registraties/{granted.ref}/hernieuwen"
    first = post(rita, url, request_form(requested_on=iso(0), id_check_date=iso(0)))
    first_ref = first.location.rsplit("/", 1)[1]
    change(rita, first_ref, "in_behandeling", {"on": iso(0)})
    change(rita, first_ref, "afgewezen", {"decided_on": iso(0), "reason": "Stukken ontbreken"})
    assert stored(app, first_ref).status == "afgewezen"
    second = post(rita, url, request_form(requested_on=iso(0), id_check_date=iso(0)))
    assert second.status_code == 302
    assert stored(app, second.location.rsplit("/", 1)[1]).kind == "hernieuwing"
    assert "Hernieuwing aanvragen" not in page_text(rita.get(f"/registraties/{granted.ref}"))


def test_personal_mode_off_also_blocks_renewals(app, staff, account, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    assert post(browser(app, account(Role.BEHEERDER)), SETTINGS,
                settings_form(personal_mode=None)).status_code == 302
    rita = browser(app, staff.rita)
    post(rita, f"/registraties/{granted.ref}/hernieuwen",
         request_form(requested_on=iso(0), id_check_date=iso(0)))
    assert count(app, Registration) == 1


# --- 3. the workspace --------------------------------------------------------------------------


WORKSPACE_CASES = {
    "": ["noor", "jade", "iris", "lila", "roos"],
    "status=verleend": ["noor", "lila", "roos"],
    "status=aangevraagd": ["iris"],
    "status=onzin": ["noor", "jade", "iris", "lila", "roos"],
    "verloopt_binnen=0": ["noor"],
    "verloopt_binnen=30": ["noor", "roos"],
    "verloopt_binnen=90": ["noor", "roos", "lila"],
    "verloopt_binnen=90&status=aangevraagd": [],
    "verloopt_binnen=veel": ["noor", "jade", "iris", "lila", "roos"],
    "zoek=tz-2026-003": ["iris"],
    "zoek=TZ-2026": ["noor", "jade", "iris", "lila", "roos"],
    "zoek=LIL": ["lila"],
    "zoek=%25": [],
    "zoek=jade&status=verleend": [],
}


def test_workspace_filters_search_and_counts(app, staff):
    names = ("roos", "lila", "iris", "jade", "noor")
    kinds = {"roos": {"status": "verleend", "valid_until": day(10)},
             "lila": {"status": "verleend", "valid_until": day(60)},
             "iris": {"status": "aangevraagd"}, "jade": {"status": "afgewezen"},
             "noor": {"status": "verleend", "valid_until": day(0)}}
    numbers = {name: seed_registration(app, seed_client(app, name.title()), staff.rita,
                                       **kinds[name]).number for name in names}
    rita = browser(app, staff.rita)
    wrong = {}
    for query, expected in WORKSPACE_CASES.items():
        shown = listed_numbers(rita.get(f"{WORKSPACE}?{query}"))
        if shown != [numbers[name] for name in expected]:
            wrong[query] = shown
    assert wrong == {}
    page = rita.get(WORKSPACE)
    assert "<caption>5 registraties</caption>" in page_text(page)
    assert "Lila" in page_text(page)  # the werknaam, never the legal name
    assert {label: count_shown(page, label) for label in (
        "Aangevraagd", "In behandeling", "Verleend", "Afgewezen", "Ingetrokken",
        "Geldig op 15 juni 2026", "Wachten op een besluit", "Verlopen binnen 30 dagen")} == {
        "Aangevraagd": 1, "In behandeling": 0, "Verleend": 3, "Afgewezen": 1, "Ingetrokken": 0,
        "Geldig op 15 juni 2026": 3, "Wachten op een besluit": 1,
        "Verlopen binnen 30 dagen": 2}


def test_workspace_paginates_and_keeps_the_filters(make_app):
    app = make_app(PAGE_SIZE=2)
    staff = make_staff(app)
    registrations = [seed_registration(app, seed_client(app, f"Werknaam {n}"), staff.rita)
                     for n in range(5)]
    numbers = [r.number for r in reversed(registrations)]
    rita = browser(app, staff.rita)
    first = rita.get(f"{WORKSPACE}?zoek=werknaam")
    assert listed_numbers(first) == numbers[:2]
    assert "Pagina 1 van 3" in page_text(first)
    assert 'href="/registraties/?page=2&zoek=werknaam" rel="next"' in page_text(first)
    assert listed_numbers(rita.get(f"{WORKSPACE}?zoek=werknaam&page=2")) == numbers[2:4]
    assert listed_numbers(rita.get(f"{WORKSPACE}?page=3")) == numbers[4:]
    assert listed_numbers(rita.get(f"{WORKSPACE}?page=99")) == numbers[4:]
    listed = audit(app, "registrations.listed")
    assert [e["detail"] for e in listed[:2]] == [
        {"filters": {"zoek": "werknaam"}, "page": 1,
         "registration_ids": [r.id for r in reversed(registrations)][:2]},
        {"filters": {"zoek": "werknaam"}, "page": 2,
         "registration_ids": [r.id for r in reversed(registrations)][2:4]}]
    assert listed[3]["detail"]["page"] == 3


def add_registrations(app, amount: int, actor_id: int, start: int = 0) -> None:
    """Many clients at once, each with one registration (aangevraagd, verleend, ingetrokken)."""
    with app.app_context():
        for n in range(start, start + amount):
            client = Client(werknaam=f"Werknaam {n:04d}", number=f"C-2025-{n + 1:04d}",
                            status="actief")
            db.session.add(client)
            db.session.flush()
            status = ("aangevraagd", "verleend", "ingetrokken")[n % 3]
            decided = status != "aangevraagd"
            db.session.add(Registration(
                number=f"TZ-2025-{n + 1:04d}", client_id=client.id, status=status,
                requested_on=day(-100), created_by_id=actor_id,
                decided_on=day(-90) if decided else None,
                valid_from=day(-90) if decided else None,
                valid_until=day(n % 60) if decided else None,
                valid_client_id=client.id if status == "verleend" else None,
                pass_issued_on=day(-80) if decided else None,
                pass_returned_on=day(-5) if status == "ingetrokken" else None))
        db.session.commit()


@pytest.mark.parametrize("query", ["", "?status=verleend&zoek=tz",
                                   "?verloopt_binnen=30&page=2"])
def test_workspace_statements_do_not_grow_with_the_registrations(app, staff, query):
    rita = browser(app, staff.rita)
    rita.get(WORKSPACE)  # warm up: session activity and lazy configuration
    add_registrations(app, 6, staff.rita.id)
    with counted_statements(app) as small:
        assert rita.get(WORKSPACE + query).status_code == 200
    add_registrations(app, 120, staff.rita.id, start=6)
    with counted_statements(app) as large:
        page = rita.get(WORKSPACE + query)
    assert page.status_code == 200 and listed_numbers(page)
    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= 20


# --- 4. audit of reads ------------------------------------------------------------------------


def test_every_registration_read_is_audited(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    rita.get(f"{WORKSPACE}?status=verleend&zoek=TZ")
    rita.get(f"/registraties/{granted.ref}")
    rita.get(f"{FIGURES}?van=2026-01-01&tot=2026-03-31")
    rita.get(f"{FIGURES_CSV}?van=2026-04-01&tot=2026-02-01")  # swapped into order
    rita.get(f"{DAY_PASSES}?van=2026-06-01&tot=juni")
    own = {"user_id": staff.rita.id}
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    assert audit(app, "registrations.listed") == [{
        **own, "action": "R", "object_type": "registration", "object_id": None,
        "client_id": None, "detail": {"filters": {"status": "verleend", "zoek": "TZ"},
                                      "page": 1, "registration_ids": [granted.id]}}]
    assert audit(app, "registrations.viewed") == [{
        **own, "action": "R", "object_type": "registration", "object_id": str(granted.id),
        "client_id": roos.id, "detail": {}}]
    assert audit(app, "registrations.figures_viewed") == [{
        **own, "action": "R", "object_type": "registration", "object_id": None,
        "client_id": None, "detail": {"from": "2026-01-01", "to": "2026-03-31"}}]
    assert audit(app, "registrations.figures_exported") == [{
        **own, "action": "E", "object_type": "registration", "object_id": None,
        "client_id": None, "detail": {"from": "2026-02-01", "to": "2026-04-01"}}]
    assert audit(app, "registrations.day_passes_viewed") == [{
        **own, "action": "R", "object_type": "day_pass_evening", "object_id": None,
        "client_id": None, "detail": {**year, "from": "2026-06-01"}}]


# --- 5. day passes and settings ---------------------------------------------------------------


def evenings(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(DayPassEvening).order_by(DayPassEvening.evening))
        return [(r.evening, r.passes, r.updated_by_id) for r in rows]


def test_day_passes_are_recorded_per_evening_up_to_the_cap(app, staff):
    rita = browser(app, staff.rita)
    assert "hoogstens <strong>20</strong>" in page_text(rita.get(DAY_PASSES))
    made = post(rita, DAY_PASSES, {"evening": iso(-1), "passes": "12"})
    assert made.location == DAY_PASSES
    assert "Op 14 juni 2026 staan nu 12 dagpassen." in shown_after(rita, made)
    assert evenings(app) == [(day(-1), 12, staff.rita.id)]
    for data, field, message in [
        ({"evening": iso(-1), "passes": "21", "mode": "vervangen"}, "passes",
         "Per avond mogen hoogstens 20 dagpassen worden uitgereikt."),
        ({"evening": iso(-1), "passes": "9", "mode": "optellen"}, "passes",
         "Per avond mogen hoogstens 20 dagpassen worden uitgereikt."),
        ({"evening": iso(-1), "passes": "8"}, "mode",
         "Voor deze avond zijn al 12 dagpassen vastgelegd. Kies of u dit aantal optelt bij het "
         "eerdere aantal of het eerdere aantal vervangt."),
        ({"evening": iso(-1), "passes": "-1"}, "passes", "Vul een aantal van nul of meer in."),
        ({"evening": iso(-1), "passes": ""}, "passes", "Vul het aantal uitgereikte dagpassen in."),
        ({"evening": iso(1), "passes": "3"}, "evening",
         "Kies een avond die al is geweest of vandaag.")]:
        refused = post(rita, DAY_PASSES, data)
        assert refused.status_code == 422, data
        assert field_error(refused, field) == message
    assert post(rita, DAY_PASSES, {"evening": iso(-1), "passes": "8",
                                   "mode": "optellen"}).status_code == 302
    assert evenings(app) == [(day(-1), 20, staff.rita.id)]
    assert "Totaal: <strong>20</strong> dagpassen op 1 avond." in page_text(rita.get(DAY_PASSES))
    assert [(e["action"], e["object_type"], e["detail"]) for e in audit(
        app, "registrations.day_passes_recorded")] == [
        ("C", "day_pass_evening", {"evening": "2026-06-14", "before": None, "after": 12,
                                   "mode": "eerste"}),
        ("U", "day_pass_evening", {"evening": "2026-06-14", "before": 12, "after": 20,
                                   "mode": "optellen"})]
    history = page_text(rita.get(DAY_PASSES))
    assert "Geschiedenis: elke invoer per avond" in history
    assert "Opgeteld" in history and "Eerste invoer" in history
    assert csv_rows(rita.get(FIGURES_CSV))["Dagpassen uitgereikt"] == "20"


def test_day_passes_switched_off_show_a_warning_and_change_nothing(make_app):
    app = make_app(REGISTRATION_MODES=["persoonlijk"])
    rita = browser(app, make_staff(app).rita)
    page = page_text(rita.get(DAY_PASSES))
    assert "anonieme dagpassen staan uit" in page
    assert 'name="passes"' not in page
    posted = post(rita, DAY_PASSES, {"evening": iso(-1), "passes": "5"})
    assert posted.status_code == 200
    assert "anonieme dagpassen staan uit" in page_text(posted)
    assert evenings(app) == []
    assert audit(app, "registrations.day_passes_recorded") == []


def test_settings_need_at_least_one_mode_and_valid_numbers(app, account):
    beheer = browser(app, account(Role.BEHEERDER))
    page = page_text(beheer.get(SETTINGS))  # the defaults from the configuration
    for mode in ("personal_mode", "day_pass_mode"):
        assert f'<input checked id="{mode}" name="{mode}" type="checkbox" value="y">' in page
    assert 'id="day_pass_max" max="500" min="1" name="day_pass_max" required type="number" ' \
        'value="20"' in page
    [viewed] = audit(app, "registrations.settings_viewed")
    assert (viewed["action"], viewed["object_type"]) == ("R", "registration_settings")
    for data, field, message in [
        (settings_form(personal_mode=None, day_pass_mode=None), "personal_mode",
         "Kies minstens één werkwijze: persoonlijke registraties, anonieme dagpassen of beide."),
        (settings_form(day_pass_max="0"), "day_pass_max", "Kies een aantal tussen 1 en 500."),
        (settings_form(validity_months="61"), "validity_months", "Kies tussen 1 en 60 maanden."),
    ]:
        refused = post(beheer, SETTINGS, data)
        assert refused.status_code == 422
        assert field_error(refused, field) == message
    assert count(app, RegistrationSettings) == 0
    assert audit(app, "registrations.settings_changed") == []
    assert len(audit(app, "registrations.settings_viewed")) == 1  # a POST is no new view


def test_changed_settings_are_what_the_pages_enforce(app, staff, account, roos):
    waiting = seed_registration(app, roos, staff.rita, status="in_behandeling")
    beheerder = account(Role.BEHEERDER)
    saved = post(browser(app, beheerder), SETTINGS,
                 settings_form(day_pass_max="25", validity_months="6"))
    assert saved.location == SETTINGS
    [changed] = audit(app, "registrations.settings_changed")
    assert (changed["user_id"], changed["object_type"]) == (beheerder.id,
                                                            "registration_settings")
    assert (changed["detail"]["before"]["day_pass_max"],
            changed["detail"]["after"]["day_pass_max"]) == (20, 25)
    rita = browser(app, staff.rita)
    assert "hoogstens <strong>25</strong>" in page_text(rita.get(DAY_PASSES))
    assert post(rita, DAY_PASSES, {"evening": iso(0), "passes": "25"}).status_code == 302
    too_many = post(rita, DAY_PASSES, {"evening": iso(0), "passes": "26", "mode": "vervangen"})
    assert field_error(too_many, "passes") == (
        "Per avond mogen hoogstens 25 dagpassen worden uitgereikt.")
    assert evenings(app) == [(day(0), 25, staff.rita.id)]
    grant = f"/registraties/{waiting.ref}/status/verleend"
    assert "Leeg: 6 maanden vanaf de ingangsdatum" in page_text(rita.get(grant))
    assert post(rita, grant, {"decided_on": iso(0)}).status_code == 302
    assert stored(app, waiting.ref).valid_until == date(2026, 12, 14)


def test_personal_mode_off_blocks_new_requests(app, staff, account, roos):
    saved = post(browser(app, account(Role.BEHEERDER)), SETTINGS,
                 settings_form(personal_mode=None))
    assert saved.status_code == 302
    rita = browser(app, staff.rita)
    workspace = page_text(rita.get(WORKSPACE))
    assert "persoonlijke registraties staan uit" in workspace
    assert f'href="{INTAKE}"' not in workspace
    assert "persoonlijke registraties staan uit" in page_text(rita.get(INTAKE))
    refused = post(rita, f"{INTAKE}?client={roos.ref}", intake_form(roos))
    assert ("Persoonlijke registraties staan uit; de beheerder kan ze aanzetten bij de "
            "registratie-instellingen.") in page_text(refused)
    assert count(app, Registration) == 0
    assert audit(app, "registrations.requested") == []


# --- 6. CSRF ----------------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused_and_changes_nothing(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    before = stored(app, granted.ref)
    for url, data in [
        (f"/registraties/{granted.ref}/status/ingetrokken",
         {"on": iso(0), "reason": "eigen_verzoek"}),
        (f"/registraties/{granted.ref}/pas/uitgereikt", {"on": iso(0)}),
        (f"/registraties/{granted.ref}/wijzigen", request_form(note="Zonder token")),
        (DAY_PASSES, {"evening": iso(0), "passes": "3"}),
    ]:
        response = rita.post(url, data={k: v for k, v in data.items() if v is not None})
        assert response.status_code == 400, url
        assert "Het formulier is verlopen of ongeldig." in page_text(response)
    assert stored(app, granted.ref) == before
    assert evenings(app) == []
    assert len(audit(app, "access.csrf_refused")) == 4


# --- Review follow-ups ---------------------------------------------------------------------------

def test_form_and_letter_pages_are_audited_as_views(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    template_id = registratiebrief_id(app)
    for url in (f"/registraties/{granted.ref}/wijzigen", f"/registraties/{granted.ref}/hernieuwen",
                f"/registraties/{granted.ref}/status/ingetrokken",
                f"/registraties/{granted.ref}/brief?sjabloon={template_id}"):
        assert rita.get(url).status_code == 200, url
    preview = write_letter(rita, granted.ref, template_id, "voorbeeld", "Registratie",
                           onderwerp="Registratie", besluit="U bent geregistreerd.")
    assert "Maria Verhoeven" in preview_of(preview)
    pages = [(e["object_id"], e["client_id"], e["detail"].get("page"))
             for e in audit(app, "registrations.viewed")]
    assert pages == [(str(granted.id), roos.id, page) for page in (
        "wijzigen", "hernieuwen", "status:ingetrokken", "brief",
        "brief", "brief-voorbeeld")]  # write_letter reads the form (its CSRF token) first


def test_confidential_registration_documents_are_shared_only_once_she_has_a_registration(
        app, staff):
    lila = seed_client(app, "Lila", casemanagers=[staff.anna])
    with app.app_context():
        document = make_document(db.session.get(Client, lila.id), staff.anna.id,
                                 kind="registratiedocument", confidential=True,
                                 title="Kopie verblijfsvergunning")
        document_ref = document.ref
    rita = browser(app, staff.rita)
    assert rita.get(f"/documenten/{document_ref}").status_code == 404
    assert "Kopie verblijfsvergunning" not in page_text(rita.get(f"/clienten/{lila.ref}"))
    seed_registration(app, lila, staff.rita)
    assert rita.get(f"/documenten/{document_ref}").status_code == 200
    assert "Kopie verblijfsvergunning" in page_text(rita.get(f"/clienten/{lila.ref}"))


def test_revocation_asks_about_the_pass_only_when_one_is_out(app, staff, roos):
    granted = seed_registration(app, roos, staff.rita, status="verleend")
    rita = browser(app, staff.rita)
    form = f"/registraties/{granted.ref}/status/ingetrokken"
    assert "De pas is op deze datum ingeleverd" not in page_text(rita.get(form))
    assert pass_event(rita, granted.ref, "uitgereikt", iso(0)).status_code == 302
    assert "De pas is op deze datum ingeleverd" in page_text(rita.get(form))
    assert pass_event(rita, granted.ref, "ingeleverd", iso(0)).status_code == 302
    assert "De pas is op deze datum ingeleverd" not in page_text(rita.get(form))
    revoked = change(rita, granted.ref, "ingetrokken", {"on": iso(0), "reason": "vertrek"})
    assert revoked.status_code == 302
    assert stored(app, granted.ref).status == "ingetrokken"


def test_request_button_in_the_dossier_only_when_a_request_is_possible(app, staff, roos):
    rita = browser(app, staff.rita)
    dossier = f"/clienten/{roos.ref}"
    assert "Registratie aanvragen" in section(rita.get(dossier), "registratie")
    seed_registration(app, roos, staff.rita, status="verleend")
    assert "Registratie aanvragen" not in section(rita.get(dossier), "registratie")
    lila = seed_client(app, "Lila")
    assert "Registratie aanvragen" in section(rita.get(f"/clienten/{lila.ref}"), "registratie")
    with app.app_context():
        beheerder = make_user(Role.BEHEERDER)
    assert post(browser(app, beheerder), SETTINGS, settings_form(personal_mode="")
                ).status_code == 302
    assert "Registratie aanvragen" not in section(rita.get(f"/clienten/{lila.ref}"),
                                                  "registratie")


def test_day_passes_after_midnight_default_to_the_evening_before(app, staff, monkeypatch):
    import portal.clock as clock

    night = datetime(2026, 6, 16, 1, 30, tzinfo=clock.AMSTERDAM)

    class NightClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return night.astimezone(tz) if tz else night.replace(tzinfo=None)

    monkeypatch.setattr(clock, "datetime", NightClock)
    page = page_text(browser(app, staff.rita).get(DAY_PASSES))
    assert re.search(r'<input[^>]*id="evening"[^>]*value="2026-06-15"', page)
