"""Amounts typed the Dutch way (portal/fields.py), through the flexbudget form over HTTP.

"250,50", "1.250,50" and "250.50" are stored as the amount the user meant and shown as
"€ 1.250,50"; NaN, infinity, exponents, negative and implausibly large amounts are refused
with a Dutch message next to the field, and nothing is stored.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import select

from portal.clients.forms import FLEXBUDGET_MAX
from portal.clients.models import Traject
from portal.extensions import db
from portal.fields import Refusal, euro, format_dutch_number, parse_dutch_number
from portal.roles import Role
from tests.conftest import csrf_token
from tests.factories import make_client


@pytest.fixture
def dossier(app, account, login):
    casemanager = account(Role.CASEMANAGER)
    with app.app_context():
        found = make_client(casemanagers=[casemanager])
        ref, client_id = found.ref, found.id
    return login(casemanager), ref, client_id


def _flexbudget(client, ref: str, amount: str):
    return client.post(f"/clienten/{ref}/trajecten", data={
        "csrf_token": csrf_token(client, f"/clienten/{ref}"), "kind": "flexbudget",
        "provider": "", "responsible_id": "", "diagnosticus_id": "", "start_date": "",
        "amount": amount, "purpose": "Borg voor een kamer", "approved_by": "Teamleider",
        "note": ""})


def _amounts(app, client_id: int) -> list[Decimal]:
    with app.app_context():
        return list(db.session.scalars(select(Traject.amount).where(
            Traject.client_id == client_id, Traject.kind == "flexbudget")))


def _field_error(response) -> str | None:
    found = re.search(r'id="amount-error">(.*?)</p>', unescape(response.get_data(as_text=True)),
                      re.S)
    return found.group(1).strip() if found else None


@pytest.mark.parametrize(("typed", "stored", "shown"), [
    ("250,50", Decimal("250.50"), "€ 250,50"),
    ("1.250,50", Decimal("1250.50"), "€ 1.250,50"),
    ("250.50", Decimal("250.50"), "€ 250,50"),
    ("€ 1.250", Decimal("1250.00"), "€ 1.250,00"),
    (" 75 ", Decimal("75.00"), "€ 75,00"),
], ids=["komma", "punt-en-komma", "punt", "euroteken-duizendtal", "spaties"])
def test_flexbudget_amount_is_read_the_dutch_way(app, dossier, typed, stored, shown):
    client, ref, client_id = dossier

    response = _flexbudget(client, ref, typed)

    assert response.status_code == 302, _field_error(response)
    assert _amounts(app, client_id) == [stored]
    page = unescape(client.get(f"/clienten/{ref}").get_data(as_text=True))
    assert shown in page


@pytest.mark.parametrize(("typed", "message"), [
    ("NaN", "Vul een getal in, bijvoorbeeld 250,50"),
    ("nan", "Vul een getal in, bijvoorbeeld 250,50"),
    ("Infinity", "Vul een getal in, bijvoorbeeld 250,50"),
    ("1e999999", "Vul een getal in, bijvoorbeeld 250,50"),
    ("-20", "een negatief getal kan hier niet"),
    ("-1.250,50", "een negatief getal kan hier niet"),
    ("25050,00", "het hoogste dat hier kan"),
    ("250,505", "hoogstens twee cijfers achter de komma"),
    ("1,250,50", "Vul een getal in, bijvoorbeeld 250,50"),
    ("twaalf", "Vul een getal in, bijvoorbeeld 250,50"),
    ("\u0661\u0662\u0663", "Vul een getal in, bijvoorbeeld 250,50"),
    ("\uff11\uff12,\uff15\uff10", "Vul een getal in, bijvoorbeeld 250,50"),
], ids=["nan", "nan-klein", "oneindig", "exponent", "negatief", "negatief-duizendtal",
        "onwaarschijnlijk-groot", "drie-decimalen", "twee-komma's", "woord",
        "arabisch-indische-cijfers", "cijfers-volle-breedte"])
def test_flexbudget_amount_refuses_what_is_no_plausible_amount(app, dossier, typed, message):
    client, ref, client_id = dossier

    response = _flexbudget(client, ref, typed)

    assert response.status_code == 422
    assert message in (_field_error(response) or "")
    assert _amounts(app, client_id) == []


def test_a_refused_amount_is_shown_again_as_typed(app, dossier):
    client, ref, _ = dossier
    response = _flexbudget(client, ref, "1e999999")
    assert re.search(r'<input[^>]*name="amount"[^>]*value="1e999999"',
                     response.get_data(as_text=True))


def test_amount_input_is_text_with_a_decimal_keyboard(app, dossier):
    client, ref, _ = dossier
    page = client.get(f"/clienten/{ref}").get_data(as_text=True)
    amount_input = re.search(r'<input[^>]*name="amount"[^>]*>', page).group(0)
    assert 'type="text"' in amount_input and 'inputmode="decimal"' in amount_input


def test_maximum_is_the_fields_own():
    assert parse_dutch_number("25.000", maximum=Decimal(FLEXBUDGET_MAX)) == Decimal(25000)
    with pytest.raises(Refusal):
        parse_dutch_number("25.000,01", maximum=Decimal(FLEXBUDGET_MAX))
    assert parse_dutch_number("999.999", maximum=None) == Decimal(999999)


@pytest.mark.parametrize(("typed", "places", "meant"), [
    ("1.250", 0, Decimal(1250)), ("12.500.000", 2, Decimal(12500000)), ("2.5", 2, Decimal("2.5")),
    (",50", 2, Decimal("0.50")), ("1\u00a0250,5", 2, Decimal("1250.5")), ("3", 0, Decimal(3)),
])
def test_parse_dutch_number(typed, places, meant):
    assert parse_dutch_number(typed, places=places) == meant


def test_without_a_lower_bound_a_minus_sign_is_read_and_left_to_the_validators():
    assert parse_dutch_number("-1.250", places=0, minimum=None) == Decimal(-1250)
    with pytest.raises(Refusal, match="heel getal"):
        parse_dutch_number("--5", places=0, minimum=None)


@pytest.mark.parametrize("typed", ["0.250", "1.25", "1,5"])
def test_whole_numbers_refuse_decimals_and_ambiguous_dots(typed):
    with pytest.raises(Refusal):
        parse_dutch_number(typed, places=0)


def test_euro_and_number_formatting():
    assert euro(Decimal("1250.5")) == "€ 1.250,50"
    assert euro(Decimal("1234567.891")) == "€ 1.234.567,89"
    assert euro(0) == "€ 0,00"
    assert euro(None) == "—"
    assert format_dutch_number(1250, 0) == "1.250"
