"""The template library over releases and at real sizes.

A database made by an earlier release gets the current built-in letters as new versions of
the same templates (letters made from the old versions keep them), the plain registration
letter is retired (inactive, kept), and `flask portal init` does it; a ~2 MB municipal
template with a logo passes the two-step upload, whose file waits server-side under a token
that only the uploading session can redeem; the registration letter preview shows the page.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from datetime import timedelta

import docx
import pytest
from PIL import Image
from sqlalchemy import select

from portal.auth.models import User
from portal.clock import local_today
from portal.database import utcnow
from portal.documents import storage
from portal.extensions import db
from portal.letters import builtin, services, staging
from portal.letters.models import (
    Letter,
    LetterTemplate,
    Purpose,
    TemplateUpload,
    TemplateVersion,
)
from portal.letters.templates import create_template, ensure_builtin_templates
from portal.roles import Role
from tests.conftest import csrf_token
from tests.factories import make_client, make_registration, make_user
from tests.test_letters import (
    NEW_TEMPLATE,
    count,
    docx_bytes,
    docx_text,
    field_error,
    kept_files,
    letter_form,
    page_text,
    person,
    stored_files,
    upload_template,
)

OLD = {  # what an earlier release made: US Letter, "Aan: ...", a few fields
    "informatiebrief-stapteam": ("Informatiebrief Stapteam 2.0", Purpose.PARTNERBRIEF,
                                 "Aan: {{ ontvanger.naam }}. Contact: {{ contactpersoon }}.",
                                 ["contactpersoon"]),
    "clientbrief-nl": ("Brief aan cliënt (eenvoudig Nederlands)", Purpose.CLIENTBRIEF,
                       "Beste {{ client.werknaam }}, {{ bericht }}", ["bericht"]),
    "registratiebrief": ("Registratiebrief tippelzone", Purpose.REGISTRATIEBRIEF,
                         "Aan: {{ client.naam }}. {{ besluit }}", ["besluit"]),
}


def _earlier_release(app) -> int:
    """Templates as the first release stored them, and one letter made from one of them."""
    with app.app_context():
        for key, (name, purpose, text, names) in OLD.items():
            create_template(name=name, purpose=purpose, language="nl", data=docx_bytes(text),
                            fields=[{"name": n, "label": n.capitalize(), "type": "tekst",
                                     "required": True} for n in names],
                            actor=None, builtin_key=key)
        actor = make_user(Role.CASEMANAGER, name="Carla Casemanager")
        client = make_client("Roos", casemanagers=[actor])
        old = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "clientbrief-nl")).current
        return services.create_client_letter(db.session.get(User, actor.id), old,
                                             {"bericht": "Tot dinsdag."}, "Oude brief",
                                             client).id


def test_an_earlier_release_gets_the_current_builtins_without_losing_letters(app):
    letter_id = _earlier_release(app)
    with app.app_context():
        changed = ensure_builtin_templates()
        assert changed == len(builtin.BUILTINS) + 1  # 2 upgraded, the rest made, 1 retired
        assert ensure_builtin_templates() == 0  # the second start changes nothing
        rows = {t.builtin_key: t for t in db.session.scalars(select(LetterTemplate))}
        info = rows["informatiebrief-stapteam"]
        assert [v.number for v in info.versions] == [1, 2]
        assert info.builtin_version == builtin.RELEASE
        assert info.current.note == f"Ingebouwde versie {builtin.RELEASE} (huisstijl op A4)"
        item = next(b for b in builtin.BUILTINS if b.key == "informatiebrief-stapteam")
        assert info.current.fields == item.fields
        assert "Retouradres" in docx_text(b"".join(storage.stream(info.current.storage_key,
                                                                  info.current.sha256)))
        client_letter = rows["clientbrief-nl"]
        assert client_letter.name == builtin.CLIENT_LETTER  # renamed with the release
        retired = rows["registratiebrief"]
        assert (retired.active, len(retired.versions)) == (False, 1)  # kept for history
        letter = db.session.get(Letter, letter_id)
        assert letter.template_version.number == 1  # the old letter keeps its version
        assert letter.template_version.template_id == client_letter.id
        old_text = docx_text(b"".join(storage.stream(letter.storage_key, letter.sha256)))
        assert "Beste Roos, Tot dinsdag." in old_text
        templates = len(rows)
    assert count(app, TemplateVersion) == templates + 2
    _, web = person(app, Role.BEHEERDER)
    library = page_text(web.get("/brieven/sjablonen"))
    assert "Registratiebrief tippelzone" in library and "niet meer in gebruik" in library


def test_flask_portal_init_upgrades_the_builtins(app):
    _earlier_release(app)
    result = app.test_cli_runner().invoke(args=["portal", "init", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "ingebouwde briefsjablonen aangemaakt of bijgewerkt" in result.output
    with app.app_context():
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "registratiebrief"))
        assert template.active is False
        assert {t.builtin_version for t in db.session.scalars(select(LetterTemplate)).all()
                if t.active} == {builtin.RELEASE}


def municipal_template(size_mb: float = 2.0) -> bytes:
    """A Word template with a logo of about `size_mb` (noise does not compress)."""
    side = int((size_mb * 1024 * 1024 / 3) ** 0.5)
    picture = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(
        picture, "PNG")
    document = docx.Document()
    document.add_picture(io.BytesIO(picture.getvalue()))
    document.add_paragraph("Geachte {{ ontvanger.naam }}, uw contactpersoon is "
                           "{{ contactpersoon }}. {{ kenmerk }}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_two_megabyte_template_passes_the_two_step_upload(app):
    data = municipal_template()
    assert len(data) > 2_000_000  # far above the 500 kB form-memory limit
    _, web = person(app, Role.BEHEERDER)
    saved = upload_template(web, name="Uitnodiging gemeente", purpose="partnerbrief", data=data)
    assert saved.status_code == 302, page_text(saved)[:1500]
    with app.app_context():
        version = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.name == "Uitnodiging gemeente")).current
        assert version.size == len(data)
        assert b"".join(storage.stream(version.storage_key, version.sha256)) == data
        rendered = services.render_letter(version, {"contactpersoon": "Renate Bos"},
                                          {"ontvanger": {"naam": "Anja"}}, "STAP/1",
                                          local_today())
    assert "Renate Bos" in docx_text(rendered)
    assert count(app, TemplateUpload) == 0 and len(kept_files(app)) == len(stored_files(app))


def test_a_staged_template_belongs_to_the_session_that_uploaded_it(app):
    _, first = person(app, Role.BEHEERDER)
    _, second = person(app, Role.BEHEERDER)
    data = docx_bytes("Uw contactpersoon is {{ contactpersoon }}.")
    form = {"name": "Proef", "purpose": "partnerbrief", "language": "nl"}
    proposal = first.post(NEW_TEMPLATE, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(first, NEW_TEMPLATE), **form,
        "file": (io.BytesIO(data), "proef.docx")})
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"',
                      proposal.get_data(as_text=True)).group(1)
    fields = {"fields-0-name": "contactpersoon", "fields-0-label": "Contactpersoon",
              "fields-0-type": "tekst"}
    stolen = second.post(NEW_TEMPLATE, data={"csrf_token": csrf_token(second, NEW_TEMPLATE),
                                             **form, "upload": token, **fields})
    assert stolen.status_code == 422 and field_error(stolen, "file") == "Kies een .docx-bestand."
    with app.app_context():  # a token older than the TTL is gone, with its file
        row = db.session.scalar(select(TemplateUpload))
        key = row.storage_key
        row.created_at = utcnow() - staging.TTL - timedelta(minutes=1)
        db.session.commit()
        assert staging.purge_expired() == 1
        assert not storage.path_for(key).exists()
    late = first.post(NEW_TEMPLATE, data={"csrf_token": csrf_token(first, NEW_TEMPLATE),
                                          **form, "upload": token, **fields})
    assert field_error(late, "file") == "Kies een .docx-bestand."
    assert count(app, LetterTemplate) == 0


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftoppm"),
                    reason="needs LibreOffice and poppler")
def test_the_registration_letter_preview_shows_the_first_page(app):
    ids = {}
    with app.app_context():
        ensure_builtin_templates()
        ids = {t.builtin_key: t.id for t in db.session.scalars(select(LetterTemplate))}
    contact, web = person(app, Role.REGISTRATIECONTACTPERSOON)
    with app.app_context():
        client = make_client("Mira", legal_name="Maria Verhoeven")
        ref = make_registration(client, contact.id, status="verleend").ref
    url = f"/registraties/{ref}/brief?sjabloon={ids['besluit-verleend']}"
    response = web.post(url, data=letter_form(csrf_token(web, url),
                                              {"onderwerp": "Besluit", "besluit": "Verleend."},
                                              subject="Besluit", action="voorbeeld"))
    html = response.get_data(as_text=True)
    assert 'src="data:image/png;base64,' in html, page_text(response)[:1500]
    assert 'alt="Eerste pagina van de brief' in html
    assert "Maria Verhoeven" in page_text(response)
