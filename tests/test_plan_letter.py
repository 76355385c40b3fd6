"""The plan van aanpak as a letter for the client: rendered in the house style from the
vastgestelde (or current) version, in her language, stored as a client letter of her dossier,
audited, downloadable as Word and (with LibreOffice) as an A4 PDF; only casemanagers of her
team make it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.clients.models import Client
from portal.documents.models import Document
from portal.extensions import db
from portal.letters import docx as letter_docx
from portal.letters.models import Letter, LetterTemplate
from portal.plans import letter as plan_letter
from portal.plans.models import PlanGoal
from portal.roles import Role
from tests import test_plans
from tests.conftest import log_in
from tests.test_plans import TODAY, add_action, add_goal, fix, plan_path, post, text_of

world = test_plans.world  # the same client, team and partner as the plan tests

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(autouse=True)
def _frozen(freeze_today):
    freeze_today(TODAY)


def _plan(app, client, world, own="Ik wil mijn schulden kwijt"):
    log_in(client, world["cm"])
    assert add_goal(client, world, own=own).status_code == 302
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id).order_by(PlanGoal.id.desc()))
    assert add_action(client, world, goal_id, f"organisatie:{world['ggd']}",
                      "Huisarts bellen").status_code == 302
    return goal_id


def _letters(app):
    with app.app_context():
        return db.session.scalars(select(Letter).order_by(Letter.id)).all()


def _word_text(app, item) -> str:
    from portal.documents import storage
    with app.app_context():
        content = b"".join(storage.stream(item.storage_key, item.sha256))
    assert not letter_docx.has_leftover_placeholders(content)
    return "\n".join(p.text for p in WordDocument(io.BytesIO(content)).paragraphs) + \
        letter_docx.plain_text(content)


def test_the_letter_of_the_fixed_version_lands_in_her_dossier(app, client, world):
    _plan(app, client, world)
    assert fix(client, world, TODAY - timedelta(days=2)).status_code == 302
    # A later change makes a concept version 2; the letter still shows version 1.
    assert add_goal(client, world, own="Een eigen kamer").status_code == 302
    page = text_of(client.get(plan_path(world, "/brief")))
    assert "Versie 1, vastgesteld op 13 juni 2026" in page
    assert "Nederlands, omdat de voorkeurstaal van de cliënt Nederlands is." in page
    response = post(client, plan_path(world, "/brief"), {})
    assert response.status_code == 302
    (item,) = _letters(app)
    text = _word_text(app, item)
    assert "Ik wil mijn schulden kwijt" in text and "Schuldhulp is gestart" in text
    assert "Huisarts bellen. Wie: GGD Gelderland-Zuid. Uiterlijk 1 juli 2026." in text
    assert "Dit is versie 1, die we op 13 juni 2026 samen hebben afgesproken." in text
    assert "Een eigen kamer" not in text and "Beste Roos" in text
    with app.app_context():
        document = db.session.get(Document, item.document_id)
        assert document.client_id == world["client_id"] and document.kind == "brief"
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "planbrief-nl"))
        assert template.active is False  # not offered in the general letter form
        events = {e.event for e in db.session.scalars(select(AuditEvent))}
        assert "letters.client_letter_created" in events
    page = text_of(client.get(plan_path(world, "/brief")))
    assert item.kenmerk in page
    download = client.get(plan_path(world, f"/brief/{item.id}/word"))
    assert download.status_code == 200 and download.data[:2] == b"PK"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "plans.plan_letter_downloaded")) is not None


def test_english_when_she_prefers_english_and_dutch_with_a_reason_otherwise(app, client,
                                                                           world):
    _plan(app, client, world)
    with app.app_context():
        db.session.get(Client, world["client_id"]).preferred_language = "Engels"
        db.session.commit()
    page = text_of(client.get(plan_path(world, "/brief")))
    assert "Engels, omdat de voorkeurstaal van de cliënt Engels is." in page
    assert "(er is nog geen vastgestelde versie)" in page
    assert post(client, plan_path(world, "/brief"), {}).status_code == 302
    text = _word_text(app, _letters(app)[0])
    assert "Dear Roos" in text and "In your words: Ik wil mijn schulden kwijt" in text
    assert "This is version 1. We have not yet agreed this version together." in text
    assert "By 1 July 2026." in text
    assert plan_letter.language_for(type("C", (), {"preferred_language": "Roemeens"})).code \
        == "nl"
    assert "alleen in het Nederlands en het Engels" in plan_letter.language_for(
        type("C", (), {"preferred_language": "Roemeens"})).reason
    assert plan_letter.language_for(object()).reason == \
        "Nederlands, omdat er geen voorkeurstaal is vastgelegd."


def test_no_plan_no_letter_and_nothing_stored(app, client, world):
    log_in(client, world["cm"])
    assert "nog geen plan met doelen" in text_of(client.get(plan_path(world, "/brief")))
    refused = post(client, plan_path(world, "/brief"), {})
    assert refused.status_code == 422
    assert "Er is nog geen plan met doelen om als brief te maken." in text_of(refused)
    assert _letters(app) == []


def test_only_casemanagers_of_her_team_make_or_fetch_it(app, client, world):
    _plan(app, client, world)
    assert post(client, plan_path(world, "/brief"), {}).status_code == 302
    (item,) = _letters(app)
    others = [world["ed"], world["people"][Role.PROCESREGISSEUR],
              world["people"][Role.DIAGNOSTICUS], world["people"][Role.NETWERKPARTNER]]
    for user in others:
        other = app.test_client()
        log_in(other, user)
        for tail in ("/brief", f"/brief/{item.id}/word", f"/brief/{item.id}/pdf"):
            assert other.get(plan_path(world, tail)).status_code == 403, (user, tail)
    assert client.get(plan_path(world, "/brief/999999/word")).status_code == 404
    with app.app_context():  # an unknown letter is an audited denial, like any other object
        denied = db.session.scalars(select(AuditEvent).where(
            AuditEvent.event == "access.denied", AuditEvent.object_type == "letter")).all()
        assert [(e.object_id, e.detail["status"]) for e in denied] == [("999999", 404)]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here")
def test_the_pdf_is_a4_without_placeholders_and_shows_her_goals(app, client, world, tmp_path):
    _plan(app, client, world, own="Ik wil een eigen kamer in Nijmegen")
    assert post(client, plan_path(world, "/brief"), {}).status_code == 302
    (item,) = _letters(app)
    response = client.get(plan_path(world, f"/brief/{item.id}/pdf"))
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    assert (round(float(size[1])), round(float(size[2]))) == (595, 842), info.stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Ik wil een eigen kamer in Nijmegen" in text and "Wat je wilt bereiken" in text
    assert "{{" not in text and "{%" not in text and "Stapteam Nijmegen" in text


def test_without_libreoffice_no_pdf_link_and_a_failed_conversion_is_said(app, client, world,
                                                                         monkeypatch):
    from portal.letters import pdf
    _plan(app, client, world)
    assert post(client, plan_path(world, "/brief"), {}).status_code == 302
    (item,) = _letters(app)
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    assert "PDF (" not in text_of(client.get(plan_path(world, "/brief")))
    assert client.get(plan_path(world, f"/brief/{item.id}/pdf")).status_code == 404
    monkeypatch.setattr(pdf, "soffice", lambda: "/bin/false")
    failed = client.get(plan_path(world, f"/brief/{item.id}/pdf"), follow_redirects=True)
    assert "LibreOffice kon de brief niet omzetten naar PDF." in text_of(failed)


def test_the_next_evaluation_is_the_reassessment_due_and_the_next_steps(app, client, world):
    from portal.plans.models import PlanAction, PlanEvaluation
    from tests.test_plan_outcomes import _assess
    _plan(app, client, world)
    with app.app_context():
        _assess(db.session.get(Client, world["client_id"]), world["cm"].id, TODAY,
                {"Financiën": 2})
        action = db.session.scalar(select(PlanAction))
        db.session.add(PlanEvaluation(action_id=action.id, evaluated_on=TODAY,
                                      result="Gebeld", next_step="Samen naar de huisarts",
                                      by_id=world["cm"].id))
        db.session.commit()
    assert post(client, plan_path(world, "/brief"), {}).status_code == 302
    text = _word_text(app, _letters(app)[0])
    assert "op alle levensgebieden rond 15 september 2026." in text
    assert "Volgende stap bij “Huisarts bellen”: Samen naar de huisarts" in text


def test_the_letter_opens_with_her_own_aanhef_and_an_older_template_is_brought_up(app, client,
                                                                                  world):
    _plan(app, client, world)
    with app.app_context():
        db.session.get(Client, world["client_id"]).salutation = "Lieve Roos"
        plan_letter.template_version("nl")
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "planbrief-nl"))
        template.builtin_version = None  # as an earlier release left it
        db.session.commit()
        versions_before = len(template.versions)
    assert post(client, plan_path(world, "/brief"), {}).status_code == 302
    text = _word_text(app, _letters(app)[0])
    assert "Lieve Roos," in text and "Beste Roos" not in text
    with app.app_context():
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "planbrief-nl"))
        assert len(template.versions) == versions_before + 1
        assert template.builtin_version is not None and template.active is False
