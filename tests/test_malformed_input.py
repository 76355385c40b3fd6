"""Regressions: the malformed inputs testers found answering 500 now get a 4xx or are ignored,
always with a Dutch page; letter templates that fail while rendering are refused in Dutch."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import docx as word
import pytest
from sqlalchemy import select

from portal.converters import MAX_ID, REFUSED_TEXT, parse_day, parse_id
from portal.extensions import db
from portal.letters import docx
from portal.letters.models import LetterTemplate, Purpose
from portal.letters.templates import create_template
from portal.refusal import DomainError
from portal.roles import Role
from tests.conftest import csrf_token
from tests.factories import make_partner_list, make_referral

HUGE = "9" * 25


def word_file(*paragraphs: str) -> bytes:
    document = word.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def signed_in(app, client, account, login):
    """signed_in(role) logs the fixture client in as a new user with that role."""

    def _as(role: Role):
        login(account(role))
        return client

    return _as


# --- ?page= ----------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["²", "١٢", "1e25", HUGE, "-3", "NaN", "inf", "0"])
@pytest.mark.parametrize("role, path", [
    (Role.CASEMANAGER, "/clienten/"), (Role.PRIVACYFUNCTIONARIS, "/audit/"),
    (Role.BEHEERDER, "/beheer/gebruikers"), (Role.PROCESREGISSEUR, "/aanmeldingen/"),
    (Role.REGISTRATIECONTACTPERSOON, "/registraties/"),
])
def test_a_malformed_page_number_shows_the_first_page(signed_in, role, path, page):
    response = signed_in(role).get(path, query_string={"page": page})
    assert response.status_code == 200, text_of(response)[:300]


def test_a_far_page_shows_the_last_page(signed_in):
    response = signed_in(Role.CASEMANAGER).get("/clienten/?page=99999")
    assert response.status_code == 200


# --- ids in paths and filters ----------------------------------------------------------------

@pytest.mark.parametrize("ident", [HUGE, str(2**63), str(2**31), "²", "٣", "-1", "0"])
def test_an_impossible_id_in_a_path_is_not_found(app, signed_in, ident):
    web = signed_in(Role.PROCESREGISSEUR)
    response = web.get(f"/aanmeldingen/{ident}")
    assert response.status_code == 404
    assert "Niet gevonden" in text_of(response)
    assert web.post(f"/aanmeldingen/{ident}/triage").status_code == 404


def test_the_largest_id_is_an_ordinary_not_found(signed_in):
    response = signed_in(Role.PROCESREGISSEUR).get(f"/aanmeldingen/{MAX_ID}")
    assert response.status_code == 404 and "Niet gevonden" in text_of(response)


def test_a_real_id_still_opens(app, account, login):
    user = account(Role.PROCESREGISSEUR)
    with app.app_context():
        referral = make_referral(user.id)
    assert login(user).get(f"/aanmeldingen/{referral.id}").status_code == 200


def test_an_overlong_ref_is_not_found(signed_in):
    web = signed_in(Role.CASEMANAGER)
    response = web.get("/clienten/" + "x" * 5000)
    assert response.status_code == 404 and "Niet gevonden" in text_of(response)


def test_an_overlong_client_ref_in_a_query_is_not_found(signed_in):
    response = signed_in(Role.REGISTRATIECONTACTPERSOON).get(
        "/registraties/nieuw", query_string={"client": "x" * 5000})
    assert response.status_code == 404 and "Niet gevonden" in text_of(response)


@pytest.mark.parametrize("value", [HUGE, "²", "٣", "-1", "NaN"])
def test_an_impossible_client_id_in_the_audit_filter_is_ignored(signed_in, value):
    response = signed_in(Role.PRIVACYFUNCTIONARIS).get("/audit/", query_string={"client": value})
    assert response.status_code == 200, text_of(response)[:300]


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv", "/audit/afdrukken",
                                  "/audit/inzageverslag", "/audit/inzageverslag.docx"])
@pytest.mark.parametrize("value", ["1" * 20, HUGE, "²", "C-2026-\x00", "%_", "x" * 5000])
def test_hostile_audit_filters_answer_in_dutch(signed_in, path, value):
    """Issue 14: a 20-digit id gave a 500; every filter now works or says why."""
    query = {key: value for key in ("client", "persoon", "rol", "organisatie", "gebeurtenis",
                                    "actie", "uitkomst", "van", "tot", "page")}
    response = signed_in(Role.PRIVACYFUNCTIONARIS).get(path, query_string=query,
                                                        follow_redirects=True)
    assert response.status_code in (200, 400), text_of(response)[:300]


@pytest.mark.parametrize("value", [HUGE, "²", "1e25"])
def test_an_impossible_team_filter_is_ignored(signed_in, value):
    response = signed_in(Role.PROCESREGISSEUR).get(
        "/clienten/", query_string={"casemanager": value, "organisation": value})
    assert response.status_code == 200, text_of(response)[:300]


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [{"van": "9999-12-31"}, {"tot": "9999-12-31"},
                                   {"van": "0001-01-01", "tot": "9999-12-31"},
                                   {"van": "2026-02-30"}, {"tot": "31-12-2026"}])
def test_an_impossible_date_in_the_audit_filter_is_ignored(signed_in, query):
    response = signed_in(Role.PRIVACYFUNCTIONARIS).get("/audit/", query_string=query)
    assert response.status_code == 200, text_of(response)[:300]


@pytest.mark.parametrize("path", ["/registraties/cijfers", "/registraties/cijfers.csv",
                                  "/registraties/dagpassen"])
def test_far_dates_in_a_period_are_answered(signed_in, path):
    web = signed_in(Role.REGISTRATIECONTACTPERSOON)
    for query in ({"van": "9999-12-31"}, {"van": "0001-01-01", "tot": "9999-12-31"}):
        assert web.get(path, query_string=query).status_code == 200


def test_the_parsers_refuse_what_is_not_an_id_or_a_day():
    assert [parse_id(v) for v in ("12", " 12 ", "²", "٣", HUGE, str(MAX_ID + 1), "0", "-1",
                                  "1e3", "")] == [12, 12, *[None] * 8]
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_day("2026-02-28") == date(2026, 2, 28)
    assert [parse_day(v) for v in ("9999-12-31", "0001-01-01", "2026-02-30", "20260228",
                                   "٢٠٢٦-٠٢-٢٨")] == [None] * 5


# --- NUL bytes and other text no database stores ---------------------------------------------

@pytest.mark.parametrize("value", ["a\x00b", "\x00", "x\x07"])
def test_a_nul_byte_in_a_query_is_refused_in_dutch(signed_in, value):
    response = signed_in(Role.CASEMANAGER).get("/clienten/", query_string={"zoek": value})
    assert response.status_code == 400 and REFUSED_TEXT in text_of(response)


def test_a_nul_byte_in_a_path_is_refused_in_dutch(signed_in):
    response = signed_in(Role.CASEMANAGER).get("/clienten/ab%00cd")
    assert response.status_code == 400 and REFUSED_TEXT in text_of(response)


def test_a_nul_byte_in_a_form_is_refused_before_anything_is_stored(app, signed_in):
    web = signed_in(Role.PROCESREGISSEUR)
    token = csrf_token(web, "/clienten/nieuw")
    response = web.post("/clienten/nieuw", data={"csrf_token": token, "werknaam": "Ro\x00os"})
    assert response.status_code == 400 and REFUSED_TEXT in text_of(response)
    with app.app_context():
        from portal.clients.models import Client
        assert db.session.scalar(select(Client).where(Client.werknaam.like("Ro%"))) is None


def test_tabs_and_line_breaks_are_ordinary_text(signed_in):
    response = signed_in(Role.CASEMANAGER).get("/clienten/", query_string={"zoek": "a\tb\r\nc"})
    assert response.status_code == 200


# --- letter templates ------------------------------------------------------------------------

PARTNER_FIELDS = [{"name": "aantal", "label": "Aantal", "type": "getal", "required": True}]


def _upload(app, text: str, fields=PARTNER_FIELDS):
    with app.app_context():
        return create_template(name="Proef", purpose=Purpose.PARTNERBRIEF, language="nl",
                               data=word_file(text), fields=fields, actor=None)


@pytest.mark.parametrize("text, named", [
    ("{{ aantal }} {{ range(1000000) }}", "te groot getal"),
    ("{{ aantal }} {{ ontvanger.geboortedatum }}", "geboortedatum"),
    ("{{ aantal }} {{ 'x' * 100000000 }}", "tekens tekst"),
    ("{{ aantal }} {{ 1 / 0 }}", "deelt door nul"),
])
def test_a_template_that_fails_while_rendering_is_refused_at_upload(app, text, named):
    with pytest.raises(DomainError) as refused:
        _upload(app, text)
    assert refused.value.field == "file"
    assert named in refused.value.message and "voorbeeldwaarden" in refused.value.message
    with app.app_context():
        assert db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.name == "Proef")) is None


def test_the_upload_view_shows_the_refusal_in_dutch(signed_in):
    web = signed_in(Role.BEHEERDER)
    token = csrf_token(web, "/brieven/sjablonen/nieuw")
    form = {"csrf_token": token, "name": "Proef", "purpose": "partnerbrief", "language": "nl"}
    proposal = web.post("/brieven/sjablonen/nieuw", content_type="multipart/form-data", data={
        **form, "file": (io.BytesIO(word_file("{{ aantal }} {{ range(1000000) }}")), "p.docx")})
    staged = re.search(r'name="upload" type="hidden" value="([^"]+)"', text_of(proposal))
    # the confirming step of an upload: the staged file with the field list accepted
    response = web.post("/brieven/sjablonen/nieuw", data={
        **form, "upload": staged.group(1), "fields-0-name": "aantal", "fields-0-label": "Aantal",
        "fields-0-type": "getal", "fields-0-required": "y"})
    assert 400 <= response.status_code < 500
    assert "te groot getal" in text_of(response)


def _preview(app, signed_in, text: str, aantal: str):
    template = _upload(app, text)
    with app.app_context():
        distribution_list = make_partner_list(1)
    web = signed_in(Role.PROCESREGISSEUR)
    url = f"/brieven/partners/nieuw?sjabloon={template.id}"
    return web.post(url, data={"csrf_token": csrf_token(web, url), "subject": "Proef",
                               "actie": "voorbeeld", "f_aantal": aantal,
                               "list_id": distribution_list.id})


def test_a_template_failing_on_the_values_gives_a_dutch_message_at_preview(app, signed_in):
    response = _preview(app, signed_in, "{% for i in range(aantal|int) %}.{% endfor %}",
                        "1000000")
    assert response.status_code < 500
    assert "te groot getal" in text_of(response)
    assert 'class="letter-preview"' not in text_of(response)


def test_the_preview_still_works_for_sensible_values(app, signed_in):
    response = _preview(app, signed_in, "Aantal: {{ aantal }}", "12")
    assert response.status_code == 200 and "Aantal: 12" in text_of(response)


@pytest.mark.parametrize("number", ["NaN", "inf", "1e999999", "-Infinity"])
def test_a_getal_field_takes_only_ordinary_numbers(app, signed_in, number):
    response = _preview(app, signed_in, "Aantal: {{ aantal }}", number)
    assert response.status_code < 500
    assert "Vul een gewoon getal in" in text_of(response)


def test_rendering_stops_at_the_time_limit():
    endless = word_file("{% for i in range(99999) %}{% for j in range(99999) %}"
                        "{% endfor %}{% endfor %}")
    with pytest.raises(docx.RenderError, match="langer dan 0.3 seconden"):
        docx.render(endless, {}, docx.Limits(seconds=0.3))


def test_rendering_stops_at_the_output_limit():
    chatty = word_file("{% for i in range(50000) %}regel {{ i }} {% endfor %}")
    with pytest.raises(docx.RenderError, match="meer dan 20.000 tekens"):
        docx.render(chatty, {}, docx.Limits(max_chars=20_000))  # the Word XML counts too
    assert docx.render(word_file("{{ naam }}"), {"naam": "Roos"}, docx.Limits(max_chars=20_000))


@pytest.mark.parametrize("text", ["{{ '%999999999s' % 1 }}", "{{ '{:999999999}'.format(1) }}",
                                  "{{ 'x'|center(999999999) }}", "{{ 'ab' * 99999999 }}"])
def test_one_huge_expression_is_refused_before_it_runs(text):
    with pytest.raises(docx.RenderError, match="tekens tekst"):
        docx.render(word_file(text), {})


def test_the_limits_come_from_the_configuration(make_app):
    app = make_app(LETTER_RENDER_SECONDS=3, LETTER_RENDER_MAX_CHARS=2000)
    assert docx.Limits.from_config(app.config) == docx.Limits(seconds=3, max_chars=2000)
    assert docx.Limits.from_config(make_app().config) == docx.Limits()


def test_the_builtin_templates_pass_the_trial_render(app):
    from portal.letters.templates import ensure_builtin_templates

    with app.app_context():
        assert ensure_builtin_templates() >= 3


def test_a_datum_field_takes_only_sensible_dates(app, signed_in):
    template = _upload(app, "Op {{ dag }}", fields=[
        {"name": "dag", "label": "Dag", "type": "datum", "required": True}])
    with app.app_context():
        distribution_list = make_partner_list(1)
    web = signed_in(Role.PROCESREGISSEUR)
    url = f"/brieven/partners/nieuw?sjabloon={template.id}"
    response = web.post(url, data={"csrf_token": csrf_token(web, url), "subject": "Proef",
                                   "actie": "voorbeeld", "f_dag": "9999-12-31",
                                   "list_id": distribution_list.id})
    assert response.status_code < 500
    assert "Vul een datum tussen 1900 en 2199 in." in text_of(response)


# --- budget amounts ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount", ["NaN", "inf", "-Infinity", "1e999999", "1e9", HUGE, "0x1F",
                                    "1_000", "12,345", "-5", "€ -1", "1,2,3"])
def test_a_malformed_begroting_is_refused_in_dutch_and_nothing_is_stored(app, signed_in,
                                                                         amount):
    from portal.budget.models import BudgetPost, Subsidy
    from tests.test_budget_figures import ensure_budget_posts

    with app.app_context():
        ensure_budget_posts()
        post_id = db.session.scalar(select(BudgetPost.id).where(BudgetPost.code == "overig"))
    web = signed_in(Role.PROCESREGISSEUR)
    response = web.post("/budget/nieuw", data={
        "csrf_token": csrf_token(web, "/budget/nieuw"), "name": "Proef", "funder": "Gemeente",
        "start_date": "2026-01-01", "end_date": "2026-12-31", f"post_{post_id}": amount})
    assert response.status_code == 422
    assert "het formulier is niet verstuurd" in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(Subsidy)) is None


@pytest.mark.parametrize("amount", ["NaN", "inf", "1e999999", HUGE, "0,001", "--5", "5-"])
def test_a_malformed_budget_entry_is_refused_in_dutch_and_nothing_is_booked(app, signed_in,
                                                                            amount):
    from portal.budget.models import BudgetEntry
    from portal.roles import Role as R
    from tests.factories import make_user
    from tests.test_budget_figures import make_subsidy, post_id

    with app.app_context():
        subsidy = make_subsidy(make_user(R.PROCESREGISSEUR).id, overig="100")
        overig = post_id("overig")
    web = signed_in(Role.PROCESREGISSEUR)
    url = f"/budget/{subsidy.id}/boeking"
    response = web.post(url, data={"csrf_token": csrf_token(web, url), "amount": amount,
                                   "invoice_date": "2026-01-05", "post_id": overig,
                                   "description": "Proef"})
    assert response.status_code == 422
    assert "het formulier is niet verstuurd" in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(BudgetEntry)) is None


def test_a_subsidy_period_in_a_far_year_is_refused(app, signed_in):
    from tests.test_budget_figures import ensure_budget_posts

    with app.app_context():
        ensure_budget_posts()
    web = signed_in(Role.PROCESREGISSEUR)
    response = web.post("/budget/nieuw", data={
        "csrf_token": csrf_token(web, "/budget/nieuw"), "name": "Proef", "funder": "Gemeente",
        "start_date": "0001-01-01", "end_date": "9999-12-31"})
    assert response.status_code == 422
    assert "Vul een datum tussen 2000 en 2100 in." in text_of(response)
