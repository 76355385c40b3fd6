"""Letters and partners through the real test client, database, file store and .docx files.

The template library (uploads checked against their declared fields, refusals that store
nothing, versions and their downloads), the four built-in templates, escaping of form values
in the generated Word file, the partner mailing (form built from the template's fields,
preview without side effects, one personal letter per active list member with its own kenmerk,
the outbox written as .eml files when no mail server is set, the send log), client letters in
the dossier (confidential document, handed over once, who may write which kind), partner
contacts and distribution lists, and the audit events of all of it. Every generated letter is
read back with python-docx. The same tests run on SQLite and, with PORTAL_TEST_DATABASE_URL
set, on PostgreSQL.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import shutil
import zipfile
from datetime import date
from html import unescape
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from flask import Flask
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.clock import local_today
from portal.documents.models import Document, DocumentKind
from portal.extensions import db
from portal.letters import builtin, services
from portal.letters.models import (
    Letter,
    LetterTemplate,
    Mailing,
    OutboxMessage,
    TemplateUpload,
    TemplateVersion,
)
from portal.letters.templates import ensure_builtin_templates
from portal.partners import services as partner_services
from portal.partners.models import DistributionList, PartnerContact
from portal.refusal import DomainError
from portal.roles import OrganisationKind, Role
from portal.templating import local_date, local_datetime
from tests.conftest import csrf_token, log_in
from tests.factories import (
    INFORMATIEBRIEF_VALUES,
    Account,
    make_client,
    make_mailing,
    make_organisation,
    make_partner_list,
    make_registration,
    make_user,
)

# --- files ----------------------------------------------------------------------------------


def docx_bytes(*paragraphs: str | tuple[str, ...]) -> bytes:
    """A Word file; a tuple is one paragraph written as several runs (as Word splits text)."""
    document = docx.Document()
    for paragraph in paragraphs:
        p = document.add_paragraph()
        for run in (paragraph,) if isinstance(paragraph, str) else paragraph:
            p.add_run(run)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_macro(data: bytes) -> bytes:
    """The same Word file with a VBA project added (what a .docm carries)."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item.filename))
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    return target.getvalue()


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells, read back with python-docx."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def document_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def kept_files(app: Flask) -> list[Path]:
    """Stored files apart from templates waiting between the two upload steps."""
    with app.app_context():
        staged = set(db.session.scalars(select(TemplateUpload.storage_key)))
    return [path for path in stored_files(app) if path.name not in staged]


def outbox_files(app: Flask) -> list[Path]:
    folder = Path(app.instance_path) / "outbox"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


@pytest.fixture
def app(make_app):
    """These tests read the mailed letter as Word; test_outbox proves the PDF that goes out
    when LibreOffice is installed."""
    return make_app(LETTER_MAIL_PDF=False)


# --- HTTP helpers ---------------------------------------------------------------------------


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str | None:
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else None


def preview_of(response) -> str | None:
    match = re.search(r'<pre class="letter-preview">(.*?)</pre>',
                      response.get_data(as_text=True), re.S)
    return match.group(1) if match else None


def browser(app: Flask, account: Account):
    """A separate test client with this account logged in (one browser per person)."""
    other = app.test_client()
    response = log_in(other, account)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return other


def person(app: Flask, *roles: Role, **kwargs):
    with app.app_context():
        account = make_user(*roles, **kwargs)
    return account, browser(app, account)


NEW_TEMPLATE = "/brieven/sjablonen/nieuw"


HIDDEN_UPLOAD = re.compile(r'name="upload" type="hidden" value="([^"]*)"')


def proposed_rows(page) -> list[dict]:
    """The field rows the portal proposed on the page, as the beheerder would send them."""
    html = page.get_data(as_text=True)
    rows = []
    for index, name in re.findall(r'name="fields-(\d+)-name" type="hidden" value="([^"]*)"', html):
        label = re.search(rf'name="fields-{index}-label"[^>]*value="([^"]*)"', html)
        select_html = re.search(rf'name="fields-{index}-type">(.*?)</select>', html, re.S)
        kind = re.search(r'<option selected value="([^"]*)"', select_html.group(1))
        required = re.search(rf'<input checked[^>]*name="fields-{index}-required"', html)
        rows.append({"name": unescape(name), "label": unescape(label.group(1)),
                     "type": kind.group(1), "required": bool(required)})
    return rows


def row_data(rows: list[dict]) -> dict:
    data = {}
    for index, row in enumerate(rows):
        data |= {f"fields-{index}-name": row["name"], f"fields-{index}-label": row["label"],
                 f"fields-{index}-type": row["type"]}
        if row["required"]:
            data[f"fields-{index}-required"] = "y"
    return data


def upload_template(web, *, name: str, purpose: str, data: bytes, fields: list[dict] | None
                    = None, language: str = "nl", path: str = NEW_TEMPLATE, extra=None):
    """Upload in the portal's two steps: choose the file (the portal proposes the fields),
    then confirm the fields (as proposed, or as given here). Answers the last response."""
    form = {"name": name, "purpose": purpose, "language": language} | (extra or {})
    proposal = web.post(path, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web, path), **form,
        "file": (io.BytesIO(data), "sjabloon.docx")})
    hidden = HIDDEN_UPLOAD.search(proposal.get_data(as_text=True))
    if proposal.status_code != 200 or hidden is None:
        return proposal
    rows = proposed_rows(proposal) if fields is None else fields
    return web.post(path, data={"csrf_token": csrf_token(web, path), **form,
                                "upload": hidden.group(1), **row_data(rows)})


def builtin_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        ensure_builtin_templates()
        return {t.builtin_key: t.id for t in db.session.scalars(select(LetterTemplate))}


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audit_events(app: Flask, event: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)
                                  .order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return rows


def letter_form(token: str, values: dict, *, subject: str, action: str, **extra) -> dict:
    return {"csrf_token": token, "subject": subject, "actie": action,
            **{f"f_{name}": value for name, value in values.items()}, **extra}


# --- 1. template library --------------------------------------------------------------------

CONTACT_FIELD = [{"name": "contactpersoon", "label": "Contactpersoon registraties",
                  "type": "tekst", "required": True}]


def test_placeholder_split_across_runs_is_accepted_and_renders(app):
    beheerder, web = person(app, Role.BEHEERDER)
    data = docx_bytes("Geachte {{ ontvanger.naam }},",
                      ("Uw contactpersoon is {{ contact", "persoon }}."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # really split in the XML
        assert "{{ contactpersoon }}" not in archive.read("word/document.xml").decode()

    response = upload_template(web, name="Uitnodiging overleg", purpose="partnerbrief",
                               fields=CONTACT_FIELD, data=data)

    assert response.status_code == 302, page_text(response)[:2000]
    with app.app_context():
        template = db.session.scalar(select(LetterTemplate))
        assert response.location.endswith(f"/brieven/sjablonen/{template.id}")
        assert (template.name, template.purpose, template.language) == (
            "Uitnodiging overleg", "partnerbrief", "nl")
        version = template.current
        assert (version.number, version.uploaded_by_id) == (1, beheerder.id)
        assert version.fields == [{"name": "contactpersoon", "label": "Contactpersoon "
                                   "registraties", "type": "tekst", "required": True}]
        rendered = services.render_letter(
            version, {"contactpersoon": "Renate Bos"},
            {"ontvanger": {"naam": "Anja Jansen", "organisatie": "Politie", "email": ""}},
            "STAP/2026/0001", date(2026, 3, 2))
        template_id = template.id
    text = docx_text(rendered)
    assert "Uw contactpersoon is Renate Bos." in text
    assert "Geachte Anja Jansen," in text
    assert "{{" not in text and "}}" not in text
    assert len(stored_files(app)) == 1
    created = audit_events(app, "letters.template_created")
    assert [(e.user_id, e.object_id, e.detail) for e in created] == [
        (beheerder.id, str(template_id), {"version": 1})]
    detail = web.get(f"/brieven/sjablonen/{template_id}")
    assert detail.status_code == 200
    assert "Contactpersoon registraties" in page_text(detail)

    with app.app_context():
        list_id = make_partner_list(1).id
    _, regie = person(app, Role.PROCESREGISSEUR)
    url = partner_url(template_id)
    preview = regie.post(url, data=letter_form(
        csrf_token(regie, url), {"contactpersoon": "Renate Bos"}, subject="Overleg",
        action="voorbeeld", list_id=list_id))
    assert ">Contactpersoon registraties</label>" in page_text(preview)
    assert "Uw contactpersoon is Renate Bos." in unescape(preview_of(preview) or "")


REFUSALS = {
    "unfilled placeholder": dict(
        purpose="partnerbrief", fields=CONTACT_FIELD,
        data=docx_bytes("{{ contactpersoon }} belt u over {{ afspraak }}."),
        field="file", message="Deze plaatshouders vult het formulier niet: afspraak."),
    "unused field": dict(
        purpose="partnerbrief", fields=[*CONTACT_FIELD, {"name": "telefoon", "label": "Tel",
                                                         "type": "tekst", "required": False}],
        data=docx_bytes("Uw contactpersoon is {{ contactpersoon }}."),
        field="file", message="Deze velden gebruikt het sjabloon niet: telefoon."),
    "client data in a partner letter": dict(
        purpose="partnerbrief", fields=CONTACT_FIELD,
        data=docx_bytes("Over {{ client.werknaam }} belt {{ contactpersoon }}."),
        field="file", message="Een brief aan partners mag geen cliëntgegevens gebruiken "
                              "(client)."),
    "macro": dict(
        purpose="partnerbrief", fields=CONTACT_FIELD,
        data=with_macro(docx_bytes("Uw contactpersoon is {{ contactpersoon }}.")),
        field="file", message="Het Word-bestand bevat macro's."),
    "field name taken by the portal": dict(
        purpose="partnerbrief", fields=[*CONTACT_FIELD, {"name": "kenmerk", "label": "Kenmerk",
                                                         "type": "tekst", "required": True}],
        data=docx_bytes("{{ contactpersoon }} {{ kenmerk }}"),
        field="fields", message="'kenmerk' is geen geldige of vrije veldnaam"),
    "unknown field type": dict(
        purpose="clientbrief", fields=[{"name": "bericht", "label": "Bericht", "type": "kleur",
                                        "required": True}],
        data=docx_bytes("{{ bericht }}"),
        field="fields-0-type", message="Ongeldige keuze."),
    "empty label": dict(
        purpose="clientbrief", fields=[{"name": "bericht", "label": " ", "type": "lang",
                                        "required": True}],
        data=docx_bytes("{{ bericht }}"),
        field="fields-0-label", message="Geef het veld een label."),
}

JINJA_ERROR = dict(data=docx_bytes("{% if contactpersoon %}Beste {{ contactpersoon }},"),
                   field="file", message="De sjabloontekst bevat een fout")

def assert_refused(app: Flask, response, spec: dict, case: str) -> None:
    assert response.status_code == 422, (case, page_text(response)[:1500])
    assert spec["message"] in (field_error(response, spec["field"]) or ""), case
    assert "het formulier is niet verstuurd" in page_text(response), case
    assert count(app, LetterTemplate) == 0, case
    assert count(app, TemplateVersion) == 0, case
    assert kept_files(app) == [], case  # at most the staged file waits for a correction
    assert audit_events(app, "letters.template_created") == [], case


def test_refused_uploads_are_reported_in_dutch_and_store_nothing(app):
    _, web = person(app, Role.BEHEERDER)
    for case, spec in REFUSALS.items():
        response = upload_template(web, name="Geweigerd sjabloon", purpose=spec["purpose"],
                                   fields=spec["fields"], data=spec["data"])
        assert_refused(app, response, spec, case)


def test_jinja_syntax_error_is_reported_in_dutch_and_stores_nothing(app):
    _, web = person(app, Role.BEHEERDER)
    response = upload_template(web, name="Kapot sjabloon", purpose="partnerbrief",
                               fields=CONTACT_FIELD, data=JINJA_ERROR["data"])
    assert_refused(app, response, JINJA_ERROR, "jinja syntax error")


def test_new_version_keeps_the_old_one_and_both_download(app):
    beheerder, web = person(app, Role.BEHEERDER, name="Bea Beheer")
    first = docx_bytes("Beste {{ ontvanger.naam }}, bel {{ contactpersoon }}.")
    second = docx_bytes("Beste {{ ontvanger.naam }}, bel {{ contactpersoon }} op {{ telefoon }}.")
    assert upload_template(web, name="Bereikbaarheid", purpose="partnerbrief",
                           fields=CONTACT_FIELD, data=first).status_code == 302
    with app.app_context():
        template_id = db.session.scalar(select(LetterTemplate.id))
    path = f"/brieven/sjablonen/{template_id}"
    proposal = web.post(path, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web, path), "note": "Telefoonnummer erbij",
        "file": (io.BytesIO(second), "v2.docx")})
    # the labels of the current version are kept; the new placeholder gets a proposal
    assert proposed_rows(proposal) == [*CONTACT_FIELD, {"name": "telefoon", "label": "Telefoon",
                                                        "type": "tekst", "required": True}]
    assert count(app, TemplateVersion) == 1  # nothing stored before the fields are confirmed
    response = upload_template(web, name="", purpose="", data=second, path=path,
                               extra={"note": "Telefoonnummer erbij"})

    assert response.status_code == 302, page_text(response)[:1500]
    with app.app_context():
        versions = db.session.scalars(select(TemplateVersion).order_by(
            TemplateVersion.number)).all()
        assert [(v.number, v.note, [f["name"] for f in v.fields]) for v in versions] == [
            (1, "Eerste versie", ["contactpersoon"]),
            (2, "Telefoonnummer erbij", ["contactpersoon", "telefoon"])]
        assert db.session.get(LetterTemplate, template_id).current.number == 2
    assert len(kept_files(app)) == 2
    history = page_text(web.get(path))
    for number in (1, 2):
        assert f'href="/brieven/sjablonen/{template_id}/versies/{number}"' in history
        assert f"versie {number} (.docx)" in history
    assert "Telefoonnummer erbij" in history and "Bea Beheer" in history
    assert "Velden (versie 2)" in history

    for number, expected in ((1, first), (2, second)):
        download = web.get(f"{path}/versies/{number}")
        assert download.status_code == 200
        assert download.mimetype.endswith("wordprocessingml.document")
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.data == expected
    assert web.get(f"{path}/versies/3").status_code == 404
    assert [e.detail for e in audit_events(app, "letters.template_version_added")] == [
        {"version": 2}]
    assert beheerder.id in {e.user_id for e in audit_events(app, "letters.template_downloaded")}

    refused = upload_template(web, name="", purpose="", path=path, fields=CONTACT_FIELD,
                              data=docx_bytes("{{ contactpersoon }} {{ nieuw }}"))
    assert refused.status_code == 422
    assert "Deze plaatshouders vult het formulier niet: nieuw." in field_error(refused, "file")
    assert count(app, TemplateVersion) == 2
    assert len(kept_files(app)) == 2


def test_template_library_is_for_beheerders_only(app):
    some = builtin_ids(app)["informatiebrief-stapteam"]
    for role in (Role.PROCESREGISSEUR, Role.CASEMANAGER, Role.PRIVACYFUNCTIONARIS):
        _, web = person(app, role)
        for path in ("/brieven/sjablonen", NEW_TEMPLATE, f"/brieven/sjablonen/{some}",
                     f"/brieven/sjablonen/{some}/versies/1"):
            assert web.get(path).status_code == 403, (role, path)
        refused = web.post(NEW_TEMPLATE, content_type="multipart/form-data", data={
            "csrf_token": csrf_token(web, "/"), "name": "Stiekem", "purpose": "partnerbrief",
            "language": "nl", "file": (io.BytesIO(docx_bytes("{{ contactpersoon }}")), "x.docx")})
        assert refused.status_code == 403, role
    assert count(app, LetterTemplate) == len(BUILTIN_NAMES)


# --- 2. built-in templates ------------------------------------------------------------------

BUILTIN_NAMES = {
    "informatiebrief-stapteam": ("Informatiebrief Stapteam 2.0", "partnerbrief", "nl"),
    "clientbrief-nl": ("Brief aan cliënt (eenvoudige taal)", "clientbrief", "nl"),
    "clientbrief-en": ("Brief aan cliënt (eenvoudige taal)", "clientbrief", "en"),
    "besluit-verleend": ("Besluit: registratie verleend", "registratiebrief", "nl"),
    "besluit-afgewezen": ("Besluit: registratie afgewezen", "registratiebrief", "nl"),
    "besluit-ingetrokken": ("Besluit: registratie ingetrokken", "registratiebrief", "nl"),
    "registratie-verlopen": ("Registratie verlopen", "registratiebrief", "nl"),
}
SAMPLE_CLIENT = {"client": {"werknaam": "Roos", "naam": "Rosa de Vries", "nummer": "2026-0007",
                            "taal": "Nederlands"}}
SAMPLE_CONTACT = {"ontvanger": {"naam": "Anja Jansen", "organisatie": "Politie Oost-Nederland",
                                "email": "anja@politie.test"},
                  "aanhef": "Geachte Anja Jansen", "adres": "Anja Jansen, Politie Oost-Nederland"}


def sample_client(template: LetterTemplate) -> dict:
    """What the portal fills for Roos (unsaved): address p/a the team, aanhef in the
    template's language (formal, with her legal name, for a registration letter)."""
    from portal.clients.models import Client

    roos = Client(werknaam="Roos", legal_name="Rosa de Vries", number="2026-0007",
                  preferred_language="Nederlands")
    return services.client_context(roos, formal=template.purpose == "registratiebrief",
                                   language=template.language)


def sample_values(fields: list[dict]) -> dict:
    return {f["name"]: date(2026, 4, 1 + i) if f["type"] == "datum" else f"Waarde-{f['name']}"
            for i, f in enumerate(fields)}


def test_builtin_templates_exist_once_and_render_completely(app):
    with app.app_context():
        assert ensure_builtin_templates() == len(BUILTIN_NAMES)
        assert ensure_builtin_templates() == 0
        templates = db.session.scalars(select(LetterTemplate)).all()
        assert {t.builtin_version for t in templates} == {builtin.RELEASE}
        assert {t.builtin_key: (t.name, t.purpose, t.language) for t in templates} == \
            BUILTIN_NAMES
        assert all(len(t.versions) == 1 and t.current.uploaded_by_id is None
                   for t in templates)
        rendered = {}
        for template in templates:
            values = sample_values(template.current.fields)
            extra = sample_client(template) if template.purpose_enum.uses_client \
                else SAMPLE_CONTACT
            content = services.render_letter(template.current, values, extra,
                                             "STAP/2026/0042", date(2026, 3, 2))
            rendered[template.builtin_key] = (content, values)
    assert count(app, LetterTemplate) == len(BUILTIN_NAMES)
    assert len(stored_files(app)) == len(BUILTIN_NAMES)

    for key, (content, values) in rendered.items():
        text = docx_text(content)  # python-docx opens it
        for value in values.values():
            shown = local_date(value) if isinstance(value, date) else value
            assert shown in text, (key, shown)
        assert "STAP/2026/0042" in text and "2 maart 2026" in text, key
        for leftover in ("{{", "}}", "{%", "%}"):
            assert leftover not in text, (key, leftover)
    assert "Geachte Anja Jansen," in docx_text(rendered["informatiebrief-stapteam"][0])
    assert "Politie Oost-Nederland" in docx_text(rendered["informatiebrief-stapteam"][0])
    assert "Beste Roos," in docx_text(rendered["clientbrief-nl"][0])
    assert "Dear Roos," in docx_text(rendered["clientbrief-en"][0])

    _, web = person(app, Role.BEHEERDER)
    library = page_text(web.get("/brieven/sjablonen"))
    for name, _purpose, _language in BUILTIN_NAMES.values():
        assert name in library


# --- 3. safe rendering ----------------------------------------------------------------------

HOSTILE = {"contactpersoon": "A & B", "telefoon": "<script>x</script>", "team": "{{7*7}}"}


def partner_setup(app: Flask, *, active=("Anja Jansen", "Bram de Boer", "Chantal Kok"),
                  inactive=("Ingrid Oud",)) -> dict:
    """Built-in templates and one list with active and inactive partner contacts."""
    ids = builtin_ids(app)
    with app.app_context():
        police = make_organisation("Politie Oost-Nederland", kind=OrganisationKind.PARTNER)
        contacts = {}
        for name in (*active, *inactive):
            contact = partner_services.save_contact(
                None, organisation_id=police.id, name=name,
                email=f"{name.split()[0].lower()}@politie.test", active=name in active)
            contacts[name] = contact.id
        dlist = partner_services.save_list(None, name="Ketenpartners", description=None,
                                           member_ids=list(contacts.values()))
        return {"templates": ids, "list_id": dlist.id, "contacts": contacts}


def partner_url(template_id: int) -> str:
    return f"/brieven/partners/nieuw?sjabloon={template_id}"


def test_values_come_out_literally_and_the_xml_stays_well_formed(app):
    setup = partner_setup(app, active=("Anja Jansen",), inactive=())
    _, web = person(app, Role.PROCESREGISSEUR)
    url = partner_url(setup["templates"]["informatiebrief-stapteam"])
    values = {**INFORMATIEBRIEF_VALUES, **HOSTILE}

    preview = web.post(url, data=letter_form(csrf_token(web, url), values, subject="Test",
                                             action="voorbeeld", list_id=setup["list_id"]))
    shown = preview_of(preview)
    assert shown is not None, page_text(preview)[:1500]
    assert "A &amp; B" in shown and "&lt;script&gt;x&lt;/script&gt;" in shown
    assert "<script>" not in preview.get_data(as_text=True)
    assert "{{7*7}}" in unescape(shown) and "49" not in shown

    sent = web.post(url, data=letter_form(csrf_token(web, url), values, subject="Test",
                                          action="versturen", bevestigd="ja",
                                          list_id=setup["list_id"]))
    assert sent.status_code == 302
    [eml] = outbox_files(app)
    [attachment] = email.message_from_bytes(eml.read_bytes(),
                                            policy=email.policy.default).iter_attachments()
    content = attachment.get_content()
    text = docx_text(content)
    assert "A & B" in text and "<script>x</script>" in text and "{{7*7}}" in text
    assert "49" not in text
    xml = document_xml(content)
    parse_xml(xml)  # well-formed
    assert b"A &amp; B" in xml and b"&lt;script&gt;x&lt;/script&gt;" in xml
    assert b"<script>" not in xml

    with app.app_context():  # the client-letter path renders through the same sandbox
        version = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "clientbrief-nl")).current
        content = services.render_letter(
            version, {"onderwerp": "A & B", "bericht": "<script>x</script>",
                      "afzender": "{{7*7}}"},
            {"client": {**SAMPLE_CLIENT["client"], "werknaam": "Roos & <b>Co</b>"},
             "aanhef": "Beste Roos & <b>Co</b>"},
            "STAP/2026/0001", date(2026, 3, 2))
    text = docx_text(content)
    parse_xml(document_xml(content))
    for literal in ("A & B", "<script>x</script>", "{{7*7}}\nStapteam Nijmegen",
                    "Beste Roos & <b>Co</b>,"):
        assert literal in text
    assert "49" not in text


# --- 4. partner letters ---------------------------------------------------------------------

def test_partner_letter_form_preview_send_outbox_and_log(app):
    setup = partner_setup(app)
    ids = setup["templates"]
    procesregisseur, web = person(app, Role.PROCESREGISSEUR, name="Petra Procesregie")
    url = partner_url(ids["informatiebrief-stapteam"])

    choose = page_text(web.get("/brieven/partners/nieuw"))
    assert "Informatiebrief Stapteam 2.0" in choose
    assert "Brief aan cliënt" not in choose and "Registratiebrief" not in choose
    assert "Letter to client" not in choose

    form_page = web.get(url)
    form_text = page_text(form_page)
    for label in ("Onderwerp", "Contactpersoon registraties", "Telefoon contactpersoon",
                  "Team en bereikbaarheid", "Bijlagen", "Verzendlijst"):
        assert f">{label}</label>" in form_text, label
    assert 'name="f_team"' in form_text and "<textarea" in form_text
    assert "Ketenpartners (3)" in form_text  # only active members counted
    assert "instance/outbox/" in form_text and ".eml" in form_text
    assert "Versturen naar de verzendlijst" not in form_text  # only after a preview

    empty = web.post(url, data=letter_form(csrf_token(web, url), {}, subject="",
                                           action="voorbeeld", list_id=setup["list_id"]))
    assert field_error(empty, "subject") == "Vul een onderwerp in."
    assert field_error(empty, "f_contactpersoon") == "Vul 'Contactpersoon registraties' in."
    assert field_error(empty, "f_telefoon") == "Vul 'Telefoon contactpersoon' in."
    assert field_error(empty, "f_team") == "Vul 'Team en bereikbaarheid' in."
    assert field_error(empty, "f_bijlagen") is None  # not required
    assert preview_of(empty) is None

    values = dict(INFORMATIEBRIEF_VALUES)
    token = csrf_token(web, url)
    preview = web.post(url, data=letter_form(token, values, subject="Stapteam 2.0 start",
                                             action="voorbeeld", list_id=setup["list_id"]))
    year = local_today().year
    shown = unescape(preview_of(preview) or "")
    for value in values.values():
        assert value in shown
    assert "Geachte (naam ontvanger)," in shown and f"STAP/{year}/0000" in shown
    assert "Versturen naar de verzendlijst" in page_text(preview)
    assert (count(app, Letter), count(app, Mailing), count(app, OutboxMessage)) == (0, 0, 0)
    assert outbox_files(app) == []

    sent = web.post(url, data=letter_form(token, values, subject="Stapteam 2.0 start",
                                          action="versturen", bevestigd="ja",
                                          list_id=setup["list_id"]))

    assert sent.status_code == 302
    with app.app_context():
        mailing = db.session.scalar(select(Mailing))
        assert sent.location.endswith(f"/brieven/verzendingen/{mailing.id}")
        assert (mailing.subject, mailing.created_by_id, mailing.list_id) == (
            "Stapteam 2.0 start", procesregisseur.id, setup["list_id"])
        assert mailing.values == {"uw_kenmerk": "", "bijlagen": "", **values}
        letters = [(letter.kenmerk, letter.contact.name, letter.contact.email,
                    [(m.recipient, m.status, m.delivered_as) for m in letter.outbox])
                   for letter in mailing.letters]
        mailing_id, sent_at = mailing.id, local_datetime(mailing.created_at)
        version_id = mailing.template_version_id
    assert [row[1] for row in letters] == ["Anja Jansen", "Bram de Boer", "Chantal Kok"]
    assert [row[0] for row in letters] == [f"STAP/{year}/{n:04d}" for n in (1, 2, 3)]
    for _kenmerk, _name, address, outbox in letters:
        assert outbox == [(address, "verzonden", "eml")]
    assert count(app, OutboxMessage) == 3
    assert "ingrid@politie.test" not in {row[2] for row in letters}

    page = page_text(web.get(f"/brieven/verzendingen/{mailing_id}"))
    for kenmerk, name, address, _outbox in letters:
        assert kenmerk in page and f"{name} (Politie Oost-Nederland), {address}" in page
    assert "3 van 3 verzonden" in page
    assert ".eml-bestand" in page and "instance/outbox/" in page
    assert "Ingrid Oud" not in page
    assert "Informatiebrief Stapteam 2.0, versie 1" in page and "Petra Procesregie" in page

    emls = outbox_files(app)
    assert len(emls) == 3
    by_recipient = {}
    for path in emls:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename().endswith(".docx")
        assert attachment.get_content_type().endswith("wordprocessingml.document")
        by_recipient[message["To"]] = (message["Subject"], attachment.get_content())
    assert set(by_recipient) == {row[2] for row in letters}
    for kenmerk, name, address, _outbox in letters:
        subject, content = by_recipient[address]
        assert subject == f"Stapteam 2.0 start ({kenmerk})"
        text = docx_text(content)
        assert f"Geachte {name}," in text and f"{name}\nPolitie Oost-Nederland" in text
        assert kenmerk in text
        for value in values.values():
            assert value in text
        for other in {"Anja Jansen", "Bram de Boer", "Chantal Kok"} - {name}:
            assert other not in text

    log = page_text(web.get("/brieven/verzendingen"))
    assert f'href="/brieven/verzendingen/{mailing_id}"' in log
    assert sent_at in log and "Stapteam 2.0 start" in log
    assert "Informatiebrief Stapteam 2.0 v1" in log and "Petra Procesregie" in log
    assert "Ketenpartners" in log

    [queued] = audit_events(app, "letters.mailing_queued")
    assert (queued.user_id, queued.object_id, queued.detail) == (
        procesregisseur.id, str(mailing_id), {"letters": 3, "template_version": version_id})

    again = web.post(url, data=letter_form(csrf_token(web, url), values, subject="Herhaling",
                                           action="versturen", bevestigd="ja",
                                          list_id=setup["list_id"]))
    assert again.status_code == 302
    with app.app_context():
        kenmerken = db.session.scalars(select(Letter.kenmerk).order_by(Letter.id)).all()
    assert kenmerken == [f"STAP/{year}/{n:04d}" for n in range(1, 7)]
    assert len(outbox_files(app)) == 6


def test_kenmerk_follows_the_configured_format(make_app):
    app = make_app(LETTER_KENMERK_FORMAT="BRF-{year}-{number:05d}")
    with app.app_context():
        actor = make_user(Role.PROCESREGISSEUR)
        mailing = make_mailing(actor.id, recipients=2)
        kenmerken = [letter.kenmerk for letter in mailing.letters]
    year = local_today().year
    assert kenmerken == [f"BRF-{year}-00001", f"BRF-{year}-00002"]


def test_client_templates_never_go_to_a_partner_list(app):
    setup = partner_setup(app, active=("Anja Jansen",), inactive=())
    ids = setup["templates"]
    procesregisseur, web = person(app, Role.PROCESREGISSEUR)
    with app.app_context():
        actor = db.session.get(User, procesregisseur.id)
        dlist = db.session.get(DistributionList, setup["list_id"])
        for key in ("clientbrief-nl", "clientbrief-en", "besluit-verleend"):
            version = db.session.get(LetterTemplate, ids[key]).current
            with pytest.raises(DomainError, match="nooit naar een partnerlijst"):
                services.send_to_list(actor, services.MailingRequest(
                    version=version, values={"onderwerp": "x"}, subject="x",
                    distribution_list=dlist))
            db.session.rollback()

    url = partner_url(ids["clientbrief-nl"])
    offered = web.get(url)
    assert "Voorbeeld bekijken" not in page_text(offered)  # the chooser, not a form
    assert "Brief aan cliënt" not in page_text(offered)
    posted = web.post(url, data=letter_form(
        csrf_token(web, partner_url(ids["informatiebrief-stapteam"])),
        {"onderwerp": "x", "bericht": "y", "afzender": "z"}, subject="x", action="versturen",
        bevestigd="ja", list_id=setup["list_id"]))
    assert posted.status_code == 200
    assert (count(app, Mailing), count(app, Letter), count(app, OutboxMessage)) == (0, 0, 0)
    assert outbox_files(app) == []


def test_list_without_active_members_sends_nothing(app):
    setup = partner_setup(app, active=(), inactive=("Ingrid Oud", "Jan Weg"))
    _, web = person(app, Role.PROCESREGISSEUR)
    url = partner_url(setup["templates"]["informatiebrief-stapteam"])

    response = web.post(url, follow_redirects=True, data=letter_form(
        csrf_token(web, url), INFORMATIEBRIEF_VALUES, subject="Leeg", action="versturen",
        bevestigd="ja", list_id=setup["list_id"]))

    assert "Deze verzendlijst heeft geen actieve contactpersonen." in page_text(response)
    assert (count(app, Mailing), count(app, Letter), count(app, OutboxMessage)) == (0, 0, 0)
    assert outbox_files(app) == []

    for role in (Role.CASEMANAGER, Role.BEHEERDER, Role.REGISTRATIECONTACTPERSOON):
        _, other = person(app, role)
        assert other.get(url).status_code == 403, role
        assert other.post(url, data=letter_form(
            csrf_token(other, "/"), INFORMATIEBRIEF_VALUES, subject="Leeg",
            action="versturen", bevestigd="ja",
                                          list_id=setup["list_id"])).status_code == 403, role
    assert count(app, Mailing) == 0


# --- 5. client letters ----------------------------------------------------------------------

CLIENT_VALUES = {"onderwerp": "Je afspraak", "bericht": "We zien je dinsdag om 14.00 uur.",
                 "afzender": "Mirjam"}


def client_setup(app: Flask) -> dict:
    ids = builtin_ids(app)
    author, author_web = person(app, Role.CASEMANAGER, name="Carla Casemanager")
    assigned = person(app, Role.CASEMANAGER, name="Anouk Toegewezen")
    unassigned = person(app, Role.CASEMANAGER, name="Ursula Anders")
    with app.app_context():
        client = make_client("Roos", casemanagers=[assigned[0]], legal_name="Rosa de Vries")
        ref, client_id = client.ref, client.id
    return {"templates": ids, "ref": ref, "client_id": client_id, "author": (author, author_web),
            "assigned": assigned, "unassigned": unassigned}


def give_registration(app: Flask, client_id: int, contact_person_id: int) -> str:
    """A registration request, without which the contact person writes no registration letter
    (the letter carries the legal name)."""
    from portal.clients.models import Client

    with app.app_context():
        return make_registration(db.session.get(Client, client_id), contact_person_id).ref


def client_url(ref: str, template_id: int | None = None) -> str:
    return f"/brieven/client/{ref}/nieuw" + (f"?sjabloon={template_id}" if template_id else "")


def make_client_letter(web, ref: str, template_id: int, values: dict, subject: str):
    url = client_url(ref, template_id)
    token = csrf_token(web, url)
    preview = web.post(url, data=letter_form(token, values, subject=subject, action="voorbeeld"))
    made = web.post(url, data=letter_form(token, values, subject=subject, action="maken"))
    return preview, made


def test_client_letter_lands_confidential_in_the_dossier_and_is_handed_over_once(app):
    setup = client_setup(app)
    ref, ids = setup["ref"], setup["templates"]
    author, web = setup["author"]

    choose = page_text(web.get(client_url(ref)))
    # one letter in two languages is offered once, in her language (Nederlands)
    assert choose.count("Brief aan cliënt (eenvoudige taal)") == 1
    assert f"sjabloon={ids['clientbrief-nl']}" in choose
    assert f"sjabloon={ids['clientbrief-en']}" not in choose
    assert "Informatiebrief" not in choose and "Besluit" not in choose
    form_page = page_text(web.get(client_url(ref, ids["clientbrief-nl"])))
    for label in ("Onderwerp", "Bericht", "Afzender"):
        assert f">{label}</label>" in form_page
    assert "Verzendlijst" not in form_page and "instance/outbox/" not in form_page

    url = client_url(ref, ids["clientbrief-nl"])
    empty = web.post(url, data=letter_form(csrf_token(web, url), {}, subject="",
                                           action="maken"))
    assert field_error(empty, "f_bericht") == "Vul 'Bericht' in."
    assert count(app, Letter) == 0

    preview, made = make_client_letter(web, ref, ids["clientbrief-nl"], CLIENT_VALUES,
                                       "Afspraak dinsdag")
    shown = unescape(preview_of(preview) or "")
    assert "Beste Roos," in shown and "We zien je dinsdag om 14.00 uur." in shown
    assert "Brief maken en in het dossier zetten" in page_text(preview)

    assert made.status_code == 302 and f"/clienten/{ref}" in made.location
    year = local_today().year
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        document = db.session.get(Document, letter.document_id)
        assert (letter.kenmerk, letter.client_id, letter.contact_id, letter.mailing_id) == (
            f"STAP/{year}/0001", setup["client_id"], None, None)
        assert letter.values == {"uw_kenmerk": "", "bijlagen": "", **CLIENT_VALUES}
        assert letter.created_by_id == author.id
        assert (document.kind, document.confidential, document.author_id,
                document.client_id) == (DocumentKind.BRIEF.value, True, author.id,
                                        setup["client_id"])
        assert document.title == f"Afspraak dinsdag ({letter.kenmerk})"
        letter_id, kenmerk, doc_ref = letter.id, letter.kenmerk, document.ref
    assert count(app, Document) == 1 and count(app, OutboxMessage) == 0
    assert outbox_files(app) == []

    download = web.get(f"/documenten/{doc_ref}/download/1")
    assert download.status_code == 200
    text = docx_text(download.data)
    assert "Beste Roos," in text and kenmerk in text
    assert "We zien je dinsdag om 14.00 uur." in text and "Mirjam\nStapteam Nijmegen" in text
    assert setup["assigned"][1].get(f"/documenten/{doc_ref}").status_code == 200
    assert setup["unassigned"][1].get(f"/documenten/{doc_ref}").status_code == 404
    assert setup["unassigned"][1].get(f"/documenten/{doc_ref}/download/1").status_code == 404

    dossier = page_text(web.get(f"/clienten/{ref}"))
    section = dossier.split('id="brieven"', 1)[1].split("</section>", 1)[0]
    assert kenmerk in section and "Afspraak dinsdag" in section
    assert "Brief aan cliënt (eenvoudige taal) v1" in section
    assert f'action="/brieven/{letter_id}/uitgereikt"' in section

    token = csrf_token(web, f"/clienten/{ref}")
    first = web.post(f"/brieven/{letter_id}/uitgereikt", data={"csrf_token": token},
                     follow_redirects=True)
    assert f"Brief {kenmerk} is als uitgereikt vastgelegd." in page_text(first)
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        handed_over = (letter.handed_over_at, letter.handed_over_by_id)
    assert handed_over[0] is not None and handed_over[1] == author.id
    section = page_text(first).split('id="brieven"', 1)[1].split("</section>", 1)[0]
    assert f'action="/brieven/{letter_id}/uitgereikt"' not in section

    second = web.post(f"/brieven/{letter_id}/uitgereikt", data={"csrf_token": token},
                      follow_redirects=True)
    assert "Deze brief is al als uitgereikt vastgelegd." in page_text(second)
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert (letter.handed_over_at, letter.handed_over_by_id) == handed_over

    [created] = audit_events(app, "letters.client_letter_created")
    assert (created.user_id, created.client_id, created.object_id, created.detail["kenmerk"]) \
        == (author.id, setup["client_id"], str(letter_id), kenmerk)
    [handed] = audit_events(app, "letters.handed_over")
    assert (handed.user_id, handed.client_id, handed.object_id) == (
        author.id, setup["client_id"], str(letter_id))


def test_english_client_letter_uses_the_english_template(app):
    setup = client_setup(app)
    _, web = setup["author"]
    _, made = make_client_letter(web, setup["ref"], setup["templates"]["clientbrief-en"],
                                 {"onderwerp": "Your appointment", "bericht": "See you Tuesday.",
                                  "afzender": "Mirjam"}, "Appointment")
    assert made.status_code == 302
    with app.app_context():
        document = db.session.scalar(select(Document))
        doc_ref = document.ref
    text = docx_text(web.get(f"/documenten/{doc_ref}/download/1").data)
    assert "Dear Roos," in text and "See you Tuesday." in text and "Subject\nYour appointment" \
        in text



def test_unassigned_casemanager_does_not_see_the_confidential_letter_in_the_dossier(app):
    setup = client_setup(app)
    _, made = make_client_letter(setup["author"][1], setup["ref"],
                                 setup["templates"]["clientbrief-nl"], CLIENT_VALUES,
                                 "Uitslag onderzoek")
    assert made.status_code == 302
    assert "Uitslag onderzoek" in page_text(setup["assigned"][1].get(f"/clienten/{setup['ref']}"))
    dossier = page_text(setup["unassigned"][1].get(f"/clienten/{setup['ref']}"))
    assert "Uitslag onderzoek" not in dossier


def test_registratiecontactpersoon_writes_registration_letters_from_the_registration(app):
    """Not from the dossier: there she would type the number and dates herself. From the
    registration she gets only registratiebrief templates, filled with its own data."""
    setup = client_setup(app)
    ref, ids = setup["ref"], setup["templates"]
    registratie, web = person(app, Role.REGISTRATIECONTACTPERSOON)
    registration_ref = give_registration(app, setup["client_id"], registratie.id)
    for template_id in (None, ids["besluit-verleend"], ids["clientbrief-nl"]):
        assert web.get(client_url(ref, template_id)).status_code == 403
    assert "Brief maken" not in page_text(web.get(f"/clienten/{ref}"))

    letter_url = f"/registraties/{registration_ref}/brief"
    choose = page_text(web.get(letter_url))
    assert "Besluit: registratie verleend" in choose
    assert "Registratiebrief tippelzone" not in choose  # retired
    assert "Brief aan cliënt" not in choose
    assert "Informatiebrief" not in choose
    for key in ("clientbrief-nl", "clientbrief-en", "informatiebrief-stapteam"):
        page = page_text(web.get(f"{letter_url}?sjabloon={ids[key]}"))
        assert "Voorbeeld bekijken" not in page, key
    form_page = page_text(web.get(f"{letter_url}?sjabloon={ids['besluit-verleend']}"))
    assert ">Besluit</label>" in form_page
    for filled_by_the_portal in ("Registratienummer", "Ingangsdatum", "Geldig tot",
                                 "Aanvraagdatum", "Besluitdatum"):
        assert f">{filled_by_the_portal}</label>" not in form_page

    values = {"onderwerp": "Registratie tippelzone", "besluit": "U bent geregistreerd.",
              "registratienummer": "TZ-9999-999"}
    url = f"{letter_url}?sjabloon={ids['besluit-verleend']}"
    token = csrf_token(web, url)
    preview = web.post(url, data=letter_form(token, values, subject="Registratie",
                                             action="voorbeeld"))
    shown = unescape(preview_of(preview) or "")
    assert "Geachte Rosa de Vries," in shown and "TZ-9999-999" not in shown
    made = web.post(url, data=letter_form(token, values, subject="Registratie", action="maken"))
    assert made.status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        doc_ref = db.session.get(Document, letter.document_id).ref
        assert letter.registration_id is not None
    assert web.get(f"/documenten/{doc_ref}").status_code == 200

def test_ervaringsdeskundige_writes_no_letters_and_unknown_clients_are_not_found(app):
    setup = client_setup(app)
    ref, ids = setup["ref"], setup["templates"]
    _, made = make_client_letter(setup["author"][1], ref, ids["clientbrief-nl"], CLIENT_VALUES,
                                 "Afspraak")
    assert made.status_code == 302
    with app.app_context():
        letter_id = db.session.scalar(select(Letter.id))
    _, web = person(app, Role.ERVARINGSDESKUNDIGE)

    assert web.get(client_url(ref)).status_code == 403
    assert web.get(client_url(ref, ids["clientbrief-nl"])).status_code == 403
    dossier = web.get(f"/clienten/{ref}")
    assert dossier.status_code == 200 and 'id="brieven"' not in dossier.get_data(as_text=True)
    refused = web.post(f"/brieven/{letter_id}/uitgereikt",
                       data={"csrf_token": csrf_token(web, f"/clienten/{ref}")})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.get(Letter, letter_id).handed_over_at is None
    assert audit_events(app, "letters.handed_over") == []

    _, casemanager = setup["unassigned"]
    assert casemanager.get(client_url("onbekend", ids["clientbrief-nl"])).status_code == 404
    assert count(app, Letter) == 1


# --- 6. partners and distribution lists -----------------------------------------------------


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PROCESREGISSEUR])
def test_contacts_and_lists_are_kept_by_beheer_and_procesregie(app, role):
    with app.app_context():
        ggd = make_organisation("GGD Gelderland-Zuid", kind=OrganisationKind.PARTNER)
        org_id = ggd.id
    _, web = person(app, role)
    assert "Nog geen contactpersonen." in page_text(web.get("/partners/"))

    def new_contact(name, address, active=True):
        form = {"csrf_token": csrf_token(web, "/partners/contact/nieuw"),
                "organisation_id": str(org_id), "name": name, "email": address}
        if active:
            form["active"] = "y"
        return web.post("/partners/contact/nieuw", data=form)

    assert new_contact("Anja Jansen", "Anja.Jansen@GGDGZ.nl").status_code == 302
    assert new_contact("Bram de Boer", "bram@ggdgz.nl").status_code == 302
    assert new_contact("Ingrid Oud", "ingrid@ggdgz.nl", active=False).status_code == 302
    bad = new_contact("Fout Adres", "geen-adres")
    assert field_error(bad, "email") == "Vul een geldig e-mailadres in."
    with app.app_context():
        contacts = {c.name: (c.email, c.active, c.organisation_id, c.id)
                    for c in db.session.scalars(select(PartnerContact))}
    assert {name: row[:3] for name, row in contacts.items()} == {
        "Anja Jansen": ("anja.jansen@ggdgz.nl", True, org_id),
        "Bram de Boer": ("bram@ggdgz.nl", True, org_id),
        "Ingrid Oud": ("ingrid@ggdgz.nl", False, org_id)}
    overview = page_text(web.get("/partners/"))
    assert "Anja Jansen" in overview and "GGD Gelderland-Zuid" in overview
    assert "Niet actief" in overview

    members = [str(contacts[name][3]) for name in ("Anja Jansen", "Ingrid Oud")]
    created = web.post("/partners/lijsten/nieuw", data={
        "csrf_token": csrf_token(web, "/partners/lijsten/nieuw"), "name": "Zorgpartners",
        "description": "GGD en huisartsen", "member_ids": members})
    assert created.status_code == 302
    with app.app_context():
        dlist = db.session.scalar(select(DistributionList))
        assert (dlist.name, dlist.description) == ("Zorgpartners", "GGD en huisartsen")
        assert [m.name for m in dlist.members] == ["Anja Jansen", "Ingrid Oud"]
        assert [m.name for m in dlist.active_members] == ["Anja Jansen"]
        list_id = dlist.id
    overview = page_text(web.get("/partners/"))
    assert f'href="/partners/lijsten/{list_id}"' in overview and "GGD en huisartsen" in overview

    duplicate = web.post("/partners/lijsten/nieuw", data={
        "csrf_token": csrf_token(web, "/partners/lijsten/nieuw"), "name": "  zorgPARTNERS ",
        "member_ids": members[:1]})
    assert duplicate.status_code == 200
    assert field_error(duplicate, "name") == "Er bestaat al een verzendlijst met deze naam."
    assert count(app, DistributionList) == 1

    assert len(audit_events(app, "partners.contact_saved")) == 3
    assert len(audit_events(app, "partners.list_saved")) == 1


def test_partner_pages_are_closed_to_others(app):
    with app.app_context():
        dlist = make_partner_list(1, name="Bestaand")
        list_id, contact_id = dlist.id, dlist.members[0].id
    for role in (Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.REGISTRATIECONTACTPERSOON):
        _, web = person(app, role)
        for path in ("/partners/", "/partners/contact/nieuw", f"/partners/contact/{contact_id}",
                     "/partners/lijsten/nieuw", f"/partners/lijsten/{list_id}"):
            assert web.get(path).status_code == 403, (role, path)
        refused = web.post("/partners/lijsten/nieuw", data={
            "csrf_token": csrf_token(web, "/"), "name": "Stiekem"})
        assert refused.status_code == 403, role
    assert count(app, DistributionList) == 1


# --- PDF copies (LibreOffice, detected at run time) -----------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _mailing_for(app):
    regisseur, web = person(app, Role.PROCESREGISSEUR)
    with app.app_context():
        mailing = make_mailing(regisseur.id, recipients=1)
        return web, mailing.id, mailing.letters[0].id


@pytest.mark.skipif(SOFFICE is not None, reason="LibreOffice is installed: the PDF link shows")
def test_without_libreoffice_the_pdf_option_is_hidden_and_absent(app):
    web, mailing_id, letter_id = _mailing_for(app)
    page = web.get(f"/brieven/verzendingen/{mailing_id}").get_data(as_text=True)
    assert ".docx" in page and ">PDF<" not in page
    assert web.get(f"/brieven/{letter_id}/pdf").status_code == 404


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here")
def test_with_libreoffice_a_letter_converts_to_pdf(app):
    web, mailing_id, letter_id = _mailing_for(app)
    assert ">PDF<" in web.get(f"/brieven/verzendingen/{mailing_id}").get_data(as_text=True)
    response = web.get(f"/brieven/{letter_id}/pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")


def test_upload_proposes_the_fields_found_in_the_docx_and_stores_nothing_yet(app):
    _, web = person(app, Role.BEHEERDER)
    data = docx_bytes("{{ aanhef }} {{ client.werknaam }}, op {{ datum }} ({{ kenmerk }}):",
                      ("Afspraak op {{ afspraak_", "datum }} over {{ bedrag }} euro."),
                      "{{ toelichting }} {{ huisstijl.organisatie }} {{ adres }}",
                      "Bel {{ contact_persoon }}.")
    proposal = web.post(NEW_TEMPLATE, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web, NEW_TEMPLATE), "name": "Afspraak", "language": "nl",
        "purpose": "clientbrief", "file": (io.BytesIO(data), "afspraak.docx")})

    assert proposal.status_code == 200
    # what the portal fills itself (client, house style, address, aanhef, kenmerk, datum)
    # is not proposed; types are guessed from the names
    assert proposed_rows(proposal) == [
        {"name": "afspraak_datum", "label": "Afspraak datum", "type": "datum", "required": True},
        {"name": "bedrag", "label": "Bedrag", "type": "getal", "required": True},
        {"name": "contact_persoon", "label": "Contact persoon", "type": "tekst",
         "required": True},
        {"name": "toelichting", "label": "Toelichting", "type": "lang", "required": True}]
    assert "Sjabloon opslaan" in page_text(proposal)
    # the file waits encrypted under a token for the confirming step; no template yet
    assert count(app, LetterTemplate) == 0 and kept_files(app) == []
    assert len(stored_files(app)) == count(app, TemplateUpload) == 1

    edited = proposed_rows(proposal)
    edited[1] |= {"label": "Bedrag in euro", "required": False}
    saved = upload_template(web, name="Afspraak", purpose="clientbrief", data=data,
                            fields=edited)
    assert saved.status_code == 302, page_text(saved)[:1500]
    with app.app_context():
        fields = db.session.scalar(select(LetterTemplate)).current.fields
    assert fields[1] == {"name": "bedrag", "label": "Bedrag in euro", "type": "getal",
                         "required": False}


def test_confirming_without_a_file_or_with_a_broken_one_is_refused(app):
    _, web = person(app, Role.BEHEERDER)
    for hidden in ("", "onbekend-token"):
        response = web.post(NEW_TEMPLATE, data={
            "csrf_token": csrf_token(web, NEW_TEMPLATE), "name": "Leeg", "language": "nl",
            "purpose": "clientbrief", "upload": hidden})
        assert response.status_code == 422
        assert field_error(response, "file") == "Kies een .docx-bestand."
    assert count(app, LetterTemplate) == 0


def preview_page(app):
    """A beheerder uploads a one-field partner template; a procesregisseur previews it."""
    _, web = person(app, Role.BEHEERDER)
    assert upload_template(web, name="Uitnodiging", purpose="partnerbrief", fields=CONTACT_FIELD,
                           data=docx_bytes("Uw contactpersoon is {{ contactpersoon }}.")
                           ).status_code == 302
    with app.app_context():
        template_id = db.session.scalar(select(LetterTemplate.id))
        list_id = make_partner_list(1).id
    _, regie = person(app, Role.PROCESREGISSEUR)
    url = partner_url(template_id)
    return regie.post(url, data=letter_form(
        csrf_token(regie, url), {"contactpersoon": "Renate Bos"}, subject="Overleg",
        action="voorbeeld", list_id=list_id))


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftoppm"),
                    reason="needs LibreOffice and poppler")
def test_preview_shows_the_first_page_as_a_picture_of_the_same_render(app):
    import base64

    response = preview_page(app)
    html = response.get_data(as_text=True)
    image = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert image, page_text(response)[:1500]
    png = base64.b64decode(image.group(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert 'alt="Eerste pagina van de brief' in html
    assert "Uw contactpersoon is Renate Bos." in unescape(preview_of(response) or "")


def test_without_libreoffice_the_preview_says_so_and_shows_the_text(app, monkeypatch):
    from portal.letters import pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    response = preview_page(app)
    assert "data:image/png" not in response.get_data(as_text=True)
    assert "LibreOffice is niet geïnstalleerd op deze server" in page_text(response)
    assert "Uw contactpersoon is Renate Bos." in unescape(preview_of(response) or "")


def test_a_failed_conversion_shows_the_text_with_the_reason(app, monkeypatch):
    from portal.letters import pdf

    def broken(data, workdir=None):
        raise pdf.ConversionError("LibreOffice kon de brief niet omzetten naar PDF.")

    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "to_pdf", broken)
    response = preview_page(app)
    assert "LibreOffice kon de brief niet omzetten naar PDF. Hieronder staat de tekst" \
        in page_text(response)
    assert "Uw contactpersoon is Renate Bos." in unescape(preview_of(response) or "")
